#include "site-gen/utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace sitegen {

size_t utf8_sequence_length(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) return 0;
  }
  return len;
}

size_t first_invalid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len = utf8_sequence_length(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string printable(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = utf8_sequence_length(s, i);
    if (len == 1 && c >= 0x20 && c != 0x7f) {
      out += char(c);
    } else if (len == 1) {
      switch (c) {
        case 0:
          out += "\\0";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
      }
    } else if (len == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      // U+0080..U+009F: C1 controls, which terminals obey (U+009B is CSI).
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      out += "\\u00";
      out += kHex[d >> 4];
      out += kHex[d & 15];
    } else if (len > 0) {
      out.append(s.data() + i, len);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      len = 1;
    }
    i += len;
  }
  return out;
}

void report_bad_bytes(std::string_view text, const std::string& path, int first_line,
                      Diagnostics& diags) {
  constexpr int kMaxLines = 5;
  int line = first_line, reported = 0, last_reported = 0;
  size_t counted_to = 0;  // lines are counted only when there is a problem
  for (size_t i = 0; i < text.size();) {
    // Most of every text is ASCII without NUL: eight bytes at a time.
    constexpr uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
    uint64_t w;
    if (i + 8 <= text.size()) {
      std::memcpy(&w, text.data() + i, 8);
      if ((w & kHigh) == 0 && ((w - kOnes) & ~w & kHigh) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c > 0 && c < 0x80) {
      ++i;
      continue;
    }
    size_t len = utf8_sequence_length(text, i);
    if (len == 0 || c == 0) {
      line += static_cast<int>(std::count(text.begin() + counted_to, text.begin() + i, '\n'));
      counted_to = i;
    }
    if ((len == 0 || c == 0) && line != last_reported) {
      if (reported == kMaxLines) {
        diags.error(path, line,
                    "more lines with invalid UTF-8 or NUL bytes (only the first " +
                        std::to_string(kMaxLines) + " are listed)");
        return;
      }
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", unsigned(c));
      diags.error(path, line,
                  c == 0 ? std::string("NUL byte in the text (content files are UTF-8 text)")
                         : "invalid UTF-8 (byte " + std::string(hex) +
                               "; content files must be saved as UTF-8)");
      last_reported = line;
      ++reported;
    }
    i += len == 0 ? 1 : len;
  }
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace sitegen
