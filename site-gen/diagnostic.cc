#include "site-gen/diagnostic.h"

#include <algorithm>

#include "site-gen/utf8.h"

namespace sitegen {

// Paths and messages quote what authors wrote (file names, values), which
// may hold control characters or invalid bytes: they are escaped, so a
// message cannot move the terminal's cursor or hide in a NUL.
std::string Diagnostic::str() const {
  std::string out = printable(path);
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (severity == Severity::warning) out += "warning: ";
  out += printable(message);
  return out;
}

void Diagnostics::error(std::string path, int line, std::string message) {
  items_.push_back({std::move(path), line, std::move(message), Severity::error});
}

void Diagnostics::warning(std::string path, int line, std::string message) {
  items_.push_back({std::move(path), line, std::move(message), Severity::warning});
}

void Diagnostics::merge(Diagnostics other) {
  for (auto& d : other.items_) items_.push_back(std::move(d));
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

size_t Diagnostics::error_count() const {
  return std::count_if(items_.begin(), items_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.path != b.path) return a.path < b.path;
    return a.line < b.line;
  });
  return out;
}

}  // namespace sitegen
