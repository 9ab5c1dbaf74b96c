// Diagnostics: problems found in a site's content, each with the file and
// line that caused it, collected so that one run reports all of them.
// Not thread-safe: each thread collects its own list and merges it.
#pragma once

#include <string>
#include <vector>

namespace sitegen {

enum class Severity { error, warning };

struct Diagnostic {
  std::string path;  // relative to the site root where possible
  int line = 0;      // 1-based; 0 when the problem belongs to the whole file
  std::string message;
  Severity severity = Severity::error;

  // "path:line: message" (or "path: message" without a line); warnings say
  // so. Control characters and invalid UTF-8 in path and message come out
  // escaped (\0, \x1b; see printable() in utf8.h).
  std::string str() const;
};

class Diagnostics {
 public:
  void error(std::string path, int line, std::string message);
  void warning(std::string path, int line, std::string message);
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void merge(Diagnostics other);

  bool has_errors() const;
  size_t error_count() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  // Sorted by path, then line, so a run's report reads like the tree.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace sitegen
