// Locale: everything that depends on a language, through ICU: formatting of
// dates and numbers, CLDR names of countries and languages, collation,
// text direction, plural-aware messages and case folding.
// Thread-safe: functions may be called from several renderer threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/date.h"

namespace sitegen {

// "1 December 2025" (en), "1er décembre 2025" (fr), "1 de diciembre de 2025"
// (es), "1 декабря 2025 г." (ru), "2025年12月1日" (zh); Arabic with the Arabic
// month name and Latin digits, as the UN writes it.
std::string format_date(const Date& date, std::string_view lang);

// A range of days: "1–5 December 2025", "2025年12月1日至5日"... as ICU's
// interval formatter writes it in that language.
std::string format_date_range(const Date& from, const Date& to, std::string_view lang);

// Grouped digits in the language's way: "81,045" (en), "81 045" (fr, with
// U+202F), "81.045" (es), "81 045" (ru, U+00A0), Latin digits for Arabic.
std::string format_number(long long n, std::string_view lang);

// The CLDR name of a region (ISO 3166-1 alpha-2) in a language; "" if ICU
// does not know the code.
std::string country_name(std::string_view iso, std::string_view lang);

// Every current ISO 3166-1 alpha-2 code that ICU knows (no deprecated or
// private-use codes).
const std::vector<std::string>& all_country_codes();

// The name of a language in itself ("English", "français", "العربية",
// "русский", "中文", "español") and in another language.
std::string language_autonym(std::string_view lang);
std::string language_name(std::string_view lang, std::string_view in_lang);

// True for right-to-left languages (ar, he, fa, ur...).
bool is_rtl(std::string_view lang);

// A key whose byte order is the collation order of text in that language:
// compare keys with std::string's operator<.
std::string collation_key(std::string_view text, std::string_view lang);

// A file's size in that language's short units, one decimal from a
// megabyte on ("850 kB", "1.2 MB"; "1,2 Mo" in French), as numbers are
// formatted there (format_number).
std::string format_file_size(std::uintmax_t bytes, std::string_view lang);

// Formats an ICU MessageFormat pattern ("{count, plural, one {# State} other
// {# States}}") in a language with named arguments. Integer-looking values
// are passed as numbers so plurals work. On a bad pattern returns the pattern.
std::string format_message(std::string_view pattern, std::string_view lang,
                           const std::map<std::string, std::string>& args);

// Full Unicode case folding of UTF-8 text (ICU u_strFoldCase).
std::string fold_case(std::string_view text);

}  // namespace sitegen
