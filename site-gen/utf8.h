// UTF-8 checks for content and messages: content files must be UTF-8 (an
// invalid byte would reach the pages raw), and a message must never carry
// raw control characters or invalid bytes to the terminal that prints it.
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "site-gen/diagnostic.h"

namespace sitegen {

// The length of the valid UTF-8 sequence at s[i] (1 to 4), or 0 when the
// byte there does not start one (overlong forms, surrogates and code points
// above U+10FFFF are invalid). Requires i < s.size().
size_t utf8_sequence_length(std::string_view s, size_t i);

// The number of code points of valid UTF-8 text (its bytes that do not
// continue a sequence).
size_t code_points(std::string_view s);

// The offset of the first byte that is not valid UTF-8, or npos.
size_t first_invalid_utf8(std::string_view s);

// `s` with every control character (C0, DEL, C1) and invalid byte escaped:
// \0, \t, \n, \r, \x1b, \u009b; a backslash stays as it is. Valid UTF-8
// text other than controls is kept.
std::string printable(std::string_view s);

// Reports each line of a content text that holds invalid UTF-8 or a NUL
// byte (which libraries read as the end of the text), as
// `path:line: invalid UTF-8 ...`; `first_line` is the file line of the
// text's first line. At most a few lines per text are listed.
void report_bad_bytes(std::string_view text, const std::string& path, int first_line,
                      Diagnostics& diags);

}  // namespace sitegen
