#include "index/entry.h"

#include <string_view>

namespace sitegen::index {
namespace {

// Bump when the writer indexes the same Entry differently (terms, values,
// document data), so the next build re-indexes everything.
constexpr std::string_view kIndexFormat = "site-gen index 6";

struct Fnv64 {
  uint64_t h = 14695981039346656037ull;
  void bytes(std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  }
  // Length-prefixed, so ("ab","c") and ("a","bc") differ.
  void field(std::string_view s) {
    uint64_t n = s.size();
    for (int i = 0; i < 8; ++i) {
      h ^= (n >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
    bytes(s);
  }
  void list(const std::vector<std::string>& v) {
    field(std::to_string(v.size()));
    for (const auto& s : v) field(s);
  }
};

}  // namespace

std::string entry_id(const Entry& e) {
  if (e.file.empty()) return e.url;
  return e.url + e.file + (e.file_page > 0 ? "#page=" + std::to_string(e.file_page) : "");
}

uint64_t entry_hash(const Entry& e) {
  Fnv64 f;
  f.field(kIndexFormat);
  for (const std::string* s : {&e.url, &e.kind, &e.lang, &e.text_lang, &e.title, &e.symbol, &e.date,
                               &e.type, &e.meeting, &e.text, &e.attachment_text, &e.group, &e.file})
    f.field(*s);
  f.field(std::to_string(e.file_page));
  f.list(e.countries);
  f.list(e.topics);
  f.list(e.languages);
  return f.h;
}

}  // namespace sitegen::index
