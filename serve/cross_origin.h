// Which web pages may read a search answer from another origin (CORS).
// site.yaml's search_url may put the search service on another host than
// the pages (README, "Publishing"); a browser then shows the instant
// results only if the answer names the page's origin in
// Access-Control-Allow-Origin. The service allows the site's own origin
// (base_url, as the build published it) and those its administrator adds
// (--allow-origin); the preview server allows none, since its answers
// hold unpublished drafts that no other site may read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sitegen::serve {

// "https://www.example.org" for "https://WWW.example.org:443/path/": the
// scheme, host and a port other than the default, lower-cased; "" when
// `url` is not an absolute http(s) URL. "*" stays "*".
std::string origin_of(std::string_view url);

// "https://a.example,https://b.example" (or "*") as origins; false with
// *bad the first entry that is none ("" is no origin at all: an empty list).
bool parse_origins(std::string_view list, std::vector<std::string>* origins, std::string* bad);

// The Access-Control-Allow-Origin value for a request that sent `origin`
// (its Origin header; "" none), or "" when it may not read the answer.
std::string allowed_origin(std::string_view origin, const std::vector<std::string>& allowed);

}  // namespace sitegen::serve
