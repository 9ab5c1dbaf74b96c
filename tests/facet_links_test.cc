// Every facet count is the number of results its link yields, on the
// bundled site, for results pages in several languages, with and without a
// language filter. The link is the page's request with that facet's value
// set; a Languages link filters by language while the query is still read
// in the page's language (SearchRequest::query_lang), as the page's own
// request does.
#include <doctest/doctest.h>

#include "index/search.h"
#include "tests/site_fixture.h"

using namespace sitegen::testing;
using sitegen::index::SearchRequest;
namespace fs = std::filesystem;

namespace {

// The request of /<page>/search/?q=...[&lang=filter][&facet=value...].
SearchRequest page_request(const std::string& page, const std::string& q,
                           const std::string& filter) {
  SearchRequest r;
  r.query = q;
  r.lang = filter.empty() ? page : filter;
  r.lang_only = !filter.empty();
  r.query_lang = page;
  return r;
}

void set_facet(SearchRequest& r, const std::string& facet, const std::string& value) {
  if (facet == "lang") {
    r.lang = value;
    r.lang_only = true;
  } else if (facet == "country") {
    r.country = value;
  } else if (facet == "topic") {
    r.topic = value;
  } else if (facet == "meeting") {
    r.meeting = value;
  } else if (facet == "type") {
    r.type = value;
  } else if (facet == "year") {
    r.year = value;
  }
}

}  // namespace

TEST_CASE("facet links: every facet count is the total its link finds (bundled site)") {
  TempDir dir;
  RunResult built = run_site_gen("build --site " + std::string(SITE_GEN_SOURCE_DIR) + " --out " +
                                 (dir.path() / "out").string() + " --index " +
                                 (dir.path() / "index").string() + " --as-of 2026-01-01");
  INFO(built.output);
  REQUIRE(built.exit_code == 0);
  sitegen::index::Searcher searcher(dir.path() / "index", sitegen::index::Facets::per_search);
  REQUIRE(searcher.ok());

  struct Ask {
    std::string page, query, filter;
  };
  const Ask asks[] = {{"en", "mines", ""},   {"en", "state", ""}, {"en", "mines", "fr"},
                      {"fr", "mines", ""},   {"es", "minas", ""}, {"zh", "地雷", ""},
                      {"fr", "mines", "en"}, {"ru", "мины", ""},  {"en", "APLC/MSP.22", ""},
                      {"ar", "الألغام", ""}, {"en", "", "es"}};
  size_t checked = 0;
  for (const auto& a : asks) {
    CAPTURE(a.page);
    CAPTURE(a.query);
    CAPTURE(a.filter);
    SearchRequest base = page_request(a.page, a.query, a.filter);
    if (a.query.empty()) base.country = "AF";  // browsing by a filter
    auto r = searcher.search(base);
    REQUIRE(r.error.empty());
    CHECK(r.total > 0);
    for (const auto& [facet, values] : r.facets) {
      for (const auto& [value, count] : values) {
        CAPTURE(facet);
        CAPTURE(value);
        SearchRequest link = base;
        set_facet(link, facet, value);
        // As the page's links ask (serve/search_page.cc): the fallback
        // tiers the answer ran, a language alone as asked.
        link.fallbacks = facet == "lang" ? 0 : r.fallbacks;
        CHECK(searcher.search(link).total == count);
        ++checked;
      }
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("facet links: the reported Languages counts (issue 16) match their links") {
  TempDir dir;
  RunResult built = run_site_gen("build --site " + std::string(SITE_GEN_SOURCE_DIR) + " --out " +
                                 (dir.path() / "out").string() + " --index " +
                                 (dir.path() / "index").string() + " --as-of 2026-01-01");
  REQUIRE(built.exit_code == 0);
  sitegen::index::Searcher searcher(dir.path() / "index", sitegen::index::Facets::per_search);
  // /en/search/?q=mines: "Spanish (3)" led to 10 results, "French (10)" to 9;
  // /en/search/?q=state: "Chinese (4)" led to 1.
  for (const auto& [q, lang] : {std::pair{"mines", "es"}, {"mines", "fr"}, {"state", "zh"}}) {
    CAPTURE(q);
    CAPTURE(lang);
    size_t count = searcher.search(page_request("en", q, "")).facets["lang"][lang];
    CHECK(count > 0);
    SearchRequest link = page_request("en", q, lang);
    link.fallbacks = 0;
    CHECK(searcher.search(link).total == count);
  }
}
