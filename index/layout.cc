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

std::string group_bytes(uint64_t gid) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i, gid >>= 8) s[size_t(i)] = char(gid & 0xff);
  return s;
}

std::string group_term(std::string_view group_slot) {
  static const char* digits = "0123456789abcdef";
  std::string t = "XG";
  for (unsigned char c : group_slot) {
    t += digits[c >> 4];
    t += digits[c & 15];
  }
  return t;
}

std::string date_bytes(std::string_view d) {
  uint32_t n = 0;
  if (d.size() == 8)
    for (char c : d) {
      if (c < '0' || c > '9') return std::string(4, '\0');
      n = n * 10 + uint32_t(c - '0');
    }
  std::string s(4, '\0');
  for (int i = 3; i >= 0; --i, n >>= 8) s[size_t(i)] = char(n & 0xff);
  return s;
}

std::string date_bytes_end(std::string_view d) {
  return date_bytes(d) + std::string(32, '\xff');  // past any group id and language
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
