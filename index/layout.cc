#include "index/layout.h"

namespace sitegen::index::layout {

uint64_t fnv64(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex16(uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[i] = digits[v & 15];
  return s;
}

std::string bounded_term(std::string_view prefix, std::string_view value) {
  std::string t(prefix);
  if (prefix.size() + value.size() <= kMaxTerm) return t.append(value);
  t.append(value.substr(0, 200));
  t += '#';
  return t.append(hex16(fnv64(value)));
}

std::string upper_ascii(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return r;
}

}  // namespace sitegen::index::layout
