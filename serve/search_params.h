// Search parameters of an HTTP request (/api/search and /<lang>/search/),
// checked with limits: a bad value is a client error, never a crash.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "index/search.h"

namespace sitegen::serve {

// q, lang, country, topic, meeting, type, year, from, to, sort, page.
// Returns "" and fills *request, or a message saying what is wrong (every
// value must be UTF-8; from and to must be real dates). The message quotes
// nothing the client sent that is not known to be safe text.
// `languages` are the site's: an unknown lang is an error.
std::string parse_search_params(const std::multimap<std::string, std::string>& params,
                                const std::vector<std::string>& languages,
                                index::SearchRequest* request);

// The parameters a search reads (the others are ignored, and not kept in
// the links of a results page).
bool is_search_param(const std::string& name);

// Strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool valid_utf8(std::string_view s);
// `s` with each invalid sequence replaced by U+FFFD: text safe to echo.
std::string to_valid_utf8(std::string_view s);

constexpr size_t kMaxQueryBytes = 1000;
constexpr int kMaxPage = 1000;

}  // namespace sitegen::serve
