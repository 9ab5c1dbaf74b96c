#include "site-gen/diagnostic.h"

#include <algorithm>

namespace sitegen {

std::string Diagnostic::str() const {
  std::string out = path;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (severity == Severity::warning) out += "warning: ";
  out += message;
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
