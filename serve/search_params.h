// Search parameters of an HTTP request (/api/search and /<lang>/search/),
// checked with limits: a bad value is a client error, never a crash.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "index/search.h"

namespace sitegen::serve {

// q, lang, country, topic, meeting, type, year, from, to, sort, page.
// Returns "" and fills *request, or a message saying what is wrong.
// `languages` are the site's: an unknown lang is an error.
std::string parse_search_params(const std::multimap<std::string, std::string>& params,
                                const std::vector<std::string>& languages,
                                index::SearchRequest* request);

constexpr size_t kMaxQueryBytes = 1000;
constexpr int kMaxPage = 1000;

}  // namespace sitegen::serve
