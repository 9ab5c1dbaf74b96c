// Byte-level text helpers of the search side (search.cc, snippet.cc,
// spelling.cc, writer.cc): what each scanned every stored text with, once.
// Thread-safe: pure functions.
#pragma once

#include <unicode/umachine.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen::index {

// std::isspace in the "C" locale, without a call per byte of every excerpt.
inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Whether c is in a block of CJK characters (ideographs, kana, Hangul,
// their punctuation and full-width forms), which Xapian's n-grams and the
// snippets take a character at a time.
inline bool is_cjk(UChar32 c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xA700 && c <= 0xA71F) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x20000 && c <= 0x2FA1F);
}

// The words of s between ASCII white space.
std::vector<std::string> split_ws(std::string_view s);

// At most n bytes of s, without splitting a UTF-8 sequence.
std::string utf8_prefix(std::string_view s, size_t n);

// The length of the run of ASCII bytes from `i` that an escape keeps as
// they are (`kept`): appended at once, not decoded and encoded one by one.
template <typename Kept>
int32_t plain_run(std::string_view s, int32_t i, Kept kept) {
  int32_t end = i;
  while (end < static_cast<int32_t>(s.size()) && kept(static_cast<unsigned char>(s[end]))) ++end;
  return end - i;
}

// Appends c as UTF-8 (nothing for an invalid code point).
void append_utf8(std::string& out, UChar32 c);

// Appends s HTML-escaped, replacing invalid UTF-8 by U+FFFD.
void append_html(std::string& out, std::string_view s);

}  // namespace sitegen::index
