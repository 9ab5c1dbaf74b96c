// The data of a search results page (the theme's `search` layout): the
// results, the facets as links that narrow the query, the pages, and the
// spelling suggestion, all labelled in the page's language.
#pragma once

#include <map>
#include <string>

#include "index/search.h"
#include "site-gen/flat_data.h"
#include "site-gen/search_template.h"

namespace sitegen::serve {

// `params` are the request's own (kept in every link); `page` the page's
// language, its strings and facet labels.
// Called only when the request asks something (a query or a filter).
// The results, facet links and page links go into `flat` (for
// SearchTemplate::render's `more`), the rest into the data returned.
Data search_page_data(const SearchTemplate& page,
                      const std::multimap<std::string, std::string>& params,
                      const index::SearchResponse& response, FlatData& flat);

// "/en/search/?q=mines&country=AO": params in a stable order, URL-encoded.
std::string search_url(const std::string& lang,
                       const std::multimap<std::string, std::string>& params);

}  // namespace sitegen::serve
