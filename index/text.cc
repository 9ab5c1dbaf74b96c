// Byte-level text helpers: see text.h.
#include "index/text.h"

#include <unicode/utf8.h>

namespace sitegen::index {

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string utf8_prefix(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t n = 0;
  UBool err = false;
  U8_APPEND(buf, n, 4, c, err);
  if (!err) out.append(buf, n);
}

void append_html(std::string& out, std::string_view s) {
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    if (int32_t run = plain_run(s, i, [](unsigned char b) {
          return b < 0x80 && b != '&' && b != '<' && b != '>' && b != '"' && b != '\'';
        })) {
      out.append(s.data() + i, run);
      i += run;
      continue;
    }
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (c < 0) c = 0xFFFD;
        append_utf8(out, c);
    }
  }
}


}  // namespace sitegen::index
