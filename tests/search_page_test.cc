// The search results page as a visitor without JavaScript gets it from the
// preview server, in the six languages: facets (limited, "all languages"),
// filters kept by a new query, paging, the title, sort and dates, snippets
// of topics and of Chinese text, and the search box in every page's header.
#include "serve/search_page.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <regex>

#include "serve/server.h"
#include "site-gen/locale.h"
#include "tests/preview_site.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const char* const kLangs[] = {"en", "fr", "es", "ru", "zh", "ar"};

// Twelve documents that say "mines", each about another State (a facet of
// twelve values), one on a topic, one in Chinese only, one of a kind.
std::map<std::string, std::string> paging_site() {
  std::map<std::string, std::string> files = {
      {"site.yaml", "title: Test\nlanguages: [en, fr, es, ru, zh, ar]\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\nend: 2025-12-05\n"},
      {"content/topics.yaml",
       "retention:\n  names: { en: Mines retained (Article 3) }\n"
       "  keywords: { en: [retained mines, Article 3] }\n"},
      {"content/meetings/msp22/stockpile.en.md",
       "---\nsymbol: APLC/MSP.22/2025/STOCK\ntitle: Stockpile note\ndate: 2025-12-05\n"
       "type: report\n---\nQuetzalcoatlite stockpile destruction.\n"},
      // 地 at the 66th character: a cut at 200 bytes fell between 地 and 雷.
      {"content/meetings/msp22/cjk.zh.md",
       "---\nsymbol: APLC/MSP.22/2025/ZH\ntitle: 报告\ndate: 2025-12-04\noriginal: zh\n"
       "type: report\ntopics: [retention]\n---\n地雷" +
           [] {
             std::string s;
             for (int i = 0; i < 63; ++i) s += "国";
             return s;
           }() +
           "地雷国国国国国国国国国国国国国国国国国国国国国国国国国国国国国国。\n"},
  };
  // One document in every language, on a word no other has: a typo of it
  // is corrected in each language's search.
  for (const char* lang : kLangs)
    files["content/meetings/msp22/mineral." + std::string(lang) + ".md"] =
        "---\nsymbol: APLC/MSP.22/2025/ZNZ\ntitle: Note " + std::string(lang) +
        "\ndate: 2025-12-03\ntype: report\noriginal: en\n---\nZanzibarite deposits.\n";
  const char* isos[] = {"AO", "BR", "CA", "CO", "DK", "FR", "KH", "MZ", "NO", "PE", "SE", "TR"};
  for (int i = 0; i < 12; ++i) {
    std::string iso = isos[i];
    files["content/countries/country-" + std::string(1, char(iso[0] | 0x20)) +
          std::string(1, char(iso[1] | 0x20)) + ".yaml"] =
        "iso: " + iso + "\nstatus: state-party\n";
    std::string n = std::to_string(i + 10);
    files["content/meetings/msp22/doc" + n + ".en.md"] =
        "---\nsymbol: APLC/MSP.22/2025/" + n + "\ntitle: Report " + n + "\ndate: 2025-11-" + n +
        "\ntype: report\ncountries: [" + iso + "]\n" + (i == 0 ? "topics: [retention]\n" : "") +
        "---\nA report on mines and their clearance.\n";
  }
  return files;
}

struct Served : PreviewSite {
  Served() : PreviewSite(paging_site()) {
    if (const char* keep = std::getenv("SEARCH_PAGE_TEST_SITE")) write_site(keep, paging_site());
  }
};

// The served site, built once for every case below.
const Served& site() {
  static Served s;
  return s;
}

// The HTML of the element that opens at the first match of `open` (a
// section, form, nav...), up to its closing tag.
std::string element(const std::string& html, const std::string& open, const std::string& tag) {
  size_t b = html.find(open);
  if (b == std::string::npos) return "";
  size_t e = html.find("</" + tag + ">", b);
  return html.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

}  // namespace

TEST_CASE("search page: the Languages facet shows every language as the selected default") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string html = site().get(std::string("/") + lang + "/search/?q=mines");
    std::string facet = element(html, "id=\"facet-lang\"", "section");
    REQUIRE(!facet.empty());
    // The first item is "all languages", current, and links to no lang filter.
    std::regex first(
        R"(<li data-value=""><a href="/[a-z]+/search/\?q=mines" aria-current="true" class="selected">)");
    CHECK(std::regex_search(facet, first));
    CHECK(count(facet, "aria-current") == 1);
    // With a language chosen, that one is current instead.
    std::string en = site().get(std::string("/") + lang + "/search/?q=mines&lang=en");
    std::string chosen = element(en, "id=\"facet-lang\"", "section");
    CHECK(chosen.find("<li data-value=\"en\"><a href=\"/" + std::string(lang) +
                      "/search/?q=mines\" aria-current=\"true\"") != std::string::npos);
    CHECK(count(chosen, "aria-current") == 1);
  }
}

TEST_CASE("search page: a new query keeps the active filters, each removable") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string l = lang;
    std::string html = site().get("/" + l + "/search/?q=mines&country=AO&type=report");
    std::string form = element(html, "<form class=\"search-form\"", "form");
    CHECK(form.find("<input type=\"hidden\" name=\"country\" value=\"AO\">") != std::string::npos);
    CHECK(form.find("<input type=\"hidden\" name=\"type\" value=\"report\">") != std::string::npos);
    CHECK(form.find("name=\"q\" value=\"mines\"") != std::string::npos);
    std::string chips = element(html, "id=\"active-filters\"", "section");
    CHECK(count(chips, "class=\"filter-chip\"") == 2);
    // Removing one keeps the other and the query.
    CHECK(chips.find("href=\"/" + l + "/search/?q=mines&amp;type=report\"") != std::string::npos);
    CHECK(chips.find("href=\"/" + l + "/search/?country=AO&amp;q=mines\"") != std::string::npos);
    CHECK(element(chips, "<p class=\"clear-filters\"", "p")
              .find("href=\"/" + l + "/search/?q=mines\"") != std::string::npos);
  }
  // Without filters, no chips and no hidden fields.
  std::string plain = site().get("/en/search/?q=mines");
  CHECK(plain.find("id=\"active-filters\"") == std::string::npos);
  CHECK(plain.find("type=\"hidden\"") == std::string::npos);
}

TEST_CASE("search page: past the last page it says so and links to the last page") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string l = lang;
    std::string html = site().get("/" + l + "/search/?q=mines&page=9");
    std::string results = element(html, "id=\"search-results\"", "section");
    CHECK(results.find("class=\"past-last\"") != std::string::npos);
    CHECK(results.find("href=\"/" + l + "/search/?page=2&amp;q=mines\"") != std::string::npos);
    CHECK(results.find(format_number(9, lang)) != std::string::npos);
    CHECK(results.find("class=\"no-results\"") == std::string::npos);
    CHECK(results.find("class=\"pagination\"") == std::string::npos);
  }
  CHECK(site().get("/en/search/?q=mines&page=9").find("Page 9 is past the last page (2).") !=
        std::string::npos);
  // A search that finds nothing says that, and only that.
  std::string none = site().get("/en/search/?q=zyxwvutsrq");
  CHECK(none.find("class=\"no-results\"") != std::string::npos);
  CHECK(none.find("class=\"past-last\"") == std::string::npos);
}

TEST_CASE("search page: one page of results has no page navigation") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string html = site().get(std::string("/") + lang + "/search/?q=Quetzalcoatlite");
    CHECK(html.find("APLC/MSP.22/2025/STOCK") != std::string::npos);
    CHECK(html.find("class=\"pagination\"") == std::string::npos);
    CHECK(html.find("<nav class=\"pagination\"") == std::string::npos);
  }
}

TEST_CASE(
    "search page: a facet shows its ten largest values, the selected one, and a link to all") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string l = lang;
    std::string html = site().get("/" + l + "/search/?q=mines");
    std::string states = element(html, "id=\"facet-country\"", "section");
    CHECK(count(states, "<li ") == 10);
    CHECK(states.find("class=\"facet-list\"") != std::string::npos);
    CHECK(states.find("href=\"/" + l + "/search/?more=country&amp;q=mines#facet-country\"") !=
          std::string::npos);
    CHECK(states.find(format_number(12, lang)) != std::string::npos);  // "Show all (12)"
    std::string all = site().get("/" + l + "/search/?q=mines&more=country");
    CHECK(count(element(all, "id=\"facet-country\"", "section"), "<li ") == 12);
    // TR is the last of twelve equal counts: shown when selected.
    std::string tr = site().get("/" + l + "/search/?q=mines&country=TR");
    std::string selected = element(tr, "id=\"facet-country\"", "section");
    CHECK(selected.find("<li data-value=\"TR\">") != std::string::npos);
  }
}

TEST_CASE("search page: Previous, Next and \"11–13 of 13\", in each language's numbers") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string l = lang;
    std::string one = site().get("/" + l + "/search/?q=mines");
    std::string nav = element(one, "<nav class=\"pagination\"", "nav");
    REQUIRE(!nav.empty());
    CHECK(nav.find("rel=\"prev\"") == std::string::npos);
    CHECK(nav.find("<a href=\"/" + l + "/search/?page=2&amp;q=mines\" rel=\"next\">") !=
          std::string::npos);
    CHECK(one.find("id=\"results-range\"><bdi>") != std::string::npos);
    std::string total = format_number(13, lang);  // the topic says "mines" too
    std::string range = element(one, "id=\"results-range\"", "p");
    CHECK(range.find(format_number(1, lang)) != std::string::npos);
    CHECK(range.find(format_number(10, lang)) != std::string::npos);
    CHECK(range.find(total) != std::string::npos);
    std::string two = site().get("/" + l + "/search/?q=mines&page=2");
    std::string nav2 = element(two, "<nav class=\"pagination\"", "nav");
    CHECK(nav2.find("<a href=\"/" + l + "/search/?q=mines\" rel=\"prev\">") != std::string::npos);
    CHECK(nav2.find("rel=\"next\"") == std::string::npos);
    CHECK(nav2.find("aria-current=\"page\"") != std::string::npos);
    std::string range2 = element(two, "id=\"results-range\"", "p");
    CHECK(range2.find(format_number(11, lang)) != std::string::npos);
  }
  CHECK(site().get("/en/search/?q=mines&page=2").find("<bdi>11–13 of 13</bdi>") !=
        std::string::npos);
}

TEST_CASE("search page: the query is in the page's title") {
  CHECK(site().get("/en/search/?q=mines").find("<title>“mines” – Search – Test</title>") !=
        std::string::npos);
  CHECK(site().get("/fr/search/?q=mines").find("<title>« mines » – Recherche – Test</title>") !=
        std::string::npos);
  // Escaped, and the search page without a query keeps its plain title.
  CHECK(site().get("/en/search/?q=%3Cb%3E").find("<title>“&lt;b&gt;” – Search") !=
        std::string::npos);
  CHECK(site().get("/en/search/").find("<title>Search – Test</title>") != std::string::npos);
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string html = site().get(std::string("/") + lang + "/search/?q=mines");
    std::smatch m;
    REQUIRE(std::regex_search(html, m, std::regex("<title>([^<]*)</title>")));
    CHECK(m[1].str().find("mines") != std::string::npos);
    // The layout's comment stays a comment (a "}}" inside it once ended it).
    CHECK(html.find("RAW OUTPUT") == std::string::npos);
  }
}

TEST_CASE("search page: sort and the date range are in the form and kept in the links") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string l = lang;
    std::string html =
        site().get("/" + l + "/search/?q=mines&sort=date&from=2025-01-01&to=2025-12-31");
    std::string form = element(html, "<form class=\"search-form\"", "form");
    CHECK(form.find("<select id=\"search-sort\" name=\"sort\">") != std::string::npos);
    CHECK(form.find("<option value=\"date\" selected>") != std::string::npos);
    CHECK(form.find("<label for=\"search-from\">") != std::string::npos);
    CHECK(form.find("name=\"from\" value=\"2025-01-01\"") != std::string::npos);
    CHECK(form.find("name=\"to\" value=\"2025-12-31\"") != std::string::npos);
    std::string nav = element(html, "<nav class=\"pagination\"", "nav");
    CHECK(nav.find("from=2025-01-01&amp;page=2&amp;q=mines&amp;sort=date&amp;to=2025-12-31") !=
          std::string::npos);
    std::string facet = element(html, "id=\"facet-country\"", "section");
    CHECK(facet.find("sort=date") != std::string::npos);
    CHECK(count(element(html, "id=\"active-filters\"", "section"), "class=\"filter-chip\"") == 2);
  }
  std::string plain = site().get("/en/search/?q=mines");
  CHECK(plain.find("<option value=\"\" selected>") != std::string::npos);  // relevance
  // The form sends that default as sort=, which asks nothing.
  CHECK(site().get("/en/search/?q=&sort=&from=&to=").find("id=\"results-total\"") ==
        std::string::npos);
  CHECK(plain.find("<input type=\"date\" id=\"search-from\" name=\"from\" value=\"\"") !=
        std::string::npos);
  // A year alone is a valid bound, which a date input cannot hold: a text one keeps it.
  std::string year = site().get("/en/search/?q=mines&from=2025");
  CHECK(year.find("<input type=\"text\" id=\"search-from\" name=\"from\" value=\"2025\"") !=
        std::string::npos);
  // Sorted by date: the newest report first.
  std::string by_date = site().get("/en/search/?q=mines&sort=date");
  CHECK(by_date.find("Report 21") < by_date.find("Report 20"));
}

TEST_CASE("search page: a topic's snippet names its documents, not its keywords") {
  std::string html = site().get("/en/search/?q=retained");
  size_t topic = html.find("href=\"/en/topics/retention/\"");
  REQUIRE(topic != std::string::npos);
  std::string snippet = element(html.substr(topic), "<p class=\"snippet\"", "p");
  CHECK(snippet.find("Report 10") != std::string::npos);
  CHECK(snippet.find("retained mines") == std::string::npos);
  CHECK(snippet.find("Article 3") == std::string::npos);
  CHECK(snippet.find("Mines retained") == std::string::npos);
  CHECK(snippet.find("报告") == std::string::npos);  // its Chinese-only document: not in English
  std::string zh = site().get("/zh/search/?q=retained");
  size_t zh_topic = zh.find("href=\"/zh/topics/retention/\"");
  REQUIRE(zh_topic != std::string::npos);
  CHECK(element(zh.substr(zh_topic), "<p class=\"snippet\"", "p").find("报告") != std::string::npos);
  // Still found by a keyword alone.
  CHECK(site().get("/en/search/?q=%22retained%20mines%22").find("/en/topics/retention/") !=
        std::string::npos);
}

TEST_CASE("search page: a Chinese snippet never ends inside a matched term") {
  std::string html = site().get("/zh/search/?q=地雷");
  std::string results = element(html, "id=\"search-results\"", "section");
  REQUIRE(results.find("APLC/MSP.22/2025/ZH") != std::string::npos);
  CHECK(results.find("<mark>地</mark>") == std::string::npos);
  CHECK(count(results, "<mark>地雷</mark>") == 2);
}

TEST_CASE("search page: every page's header has a labelled search box for its language") {
  const std::string paths[] = {"", "membership/", "meetings/", "topics/", "search/?q=mines"};
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    std::string l = lang;
    for (const auto& path : paths) {
      CAPTURE(path);
      std::string html = site().get("/" + l + "/" + path);
      std::string form = element(html, "<form class=\"header-search\"", "form");
      REQUIRE(!form.empty());
      CHECK(form.find("role=\"search\" aria-label=\"") != std::string::npos);
      CHECK(form.find("action=\"/" + l + "/search/\"") != std::string::npos);
      CHECK(form.find("<label for=\"header-search-q\"") != std::string::npos);
      CHECK(form.find("id=\"header-search-q\" name=\"q\"") != std::string::npos);
      CHECK(form.find("aria-keyshortcuts=\"/\"") != std::string::npos);
      CHECK(html.find("<script src=\"/js/search-shortcut.js\" defer></script>") !=
            std::string::npos);
    }
  }
  std::string script = site().get("/js/search-shortcut.js");
  CHECK(script.find("header-search-q") == std::string::npos);  // found by its data attribute
  CHECK(script.find("data-search-shortcut") != std::string::npos);
}

TEST_CASE("search_url: parameters in a stable order, encoded") {
  CHECK(serve::search_url("en", {{"q", "a b"}, {"country", "AO"}}) ==
        "/en/search/?country=AO&q=a%20b");
  CHECK(serve::search_url("zh", {{"q", ""}}) == "/zh/search/");
}

TEST_CASE("search page: a typo is searched corrected, with a way back to the words as typed") {
  const std::pair<const char*, const char*> shown[] = {
      {"en", "Showing results for"},        {"fr", "Résultats pour"},
      {"es", "Se muestran resultados de"},  {"ru", "Показаны результаты по запросу"},
      {"zh", "显示的是以下搜索结果："}, {"ar", "عرض النتائج عن"}};
  for (const auto& [lang, text] : shown) {
    CAPTURE(lang);
    const std::string l = lang;
    std::string html = site().get("/" + l + "/search/?q=Zanzibarlte");
    std::string p = element(html, "<p class=\"corrected\"", "p");
    REQUIRE(!p.empty());
    CHECK(p.find(text) != std::string::npos);
    // The corrected query and the original, each searched exactly.
    CHECK(p.find("href=\"/" + l + "/search/?exact=1&amp;q=zanzibarite\"") != std::string::npos);
    CHECK(p.find(">zanzibarite</a>") != std::string::npos);
    CHECK(p.find("href=\"/" + l + "/search/?exact=1&amp;q=Zanzibarlte\"") != std::string::npos);
    CHECK(p.find(">Zanzibarlte</a>") != std::string::npos);
    CHECK(html.find("/" + l + "/documents/") != std::string::npos);
    // The box keeps what was typed, and a new query typed there is corrected again.
    CHECK(html.find("name=\"q\" value=\"Zanzibarlte\"") != std::string::npos);
    CHECK(html.find("name=\"exact\"") == std::string::npos);
    // A facet's link searches what the page shows.
    CHECK(element(html, "<aside class=\"facets\"", "aside").find("q=zanzibarite") !=
          std::string::npos);

    std::string as_typed = site().get("/" + l + "/search/?q=Zanzibarlte&exact=1");
    CHECK(as_typed.find("class=\"corrected\"") == std::string::npos);
    CHECK(as_typed.find("/" + l + "/documents/") == std::string::npos);
  }
  std::string json = site().get("/api/search?q=zanzibarlte&lang=fr");
  CHECK(json.find("\"query\":\"zanzibarlte\",\"total\":1,") != std::string::npos);
  CHECK(json.find("\"corrected\":\"zanzibarite\"") != std::string::npos);
  std::string exact = site().get("/api/search?q=zanzibarlte&lang=fr&exact=1");
  CHECK(exact.find("\"total\":0,") != std::string::npos);
  CHECK(exact.find("\"corrected\":\"\"") != std::string::npos);
  site().get("/api/search?q=mines&exact=yes", 400);
}

TEST_CASE("search page: each facet link finds the count it shows, after fallbacks too") {
  // "mines Zanzibarite": no document has both, so the answer is relaxed;
  // "mines": twelve with every word, none. A narrower answer finds fewer
  // and must not be completed past its count (fallbacks= in the links).
  const std::regex item(R"re(<li data-value="([^"]+)"><a href="([^"]+)"[^>]*>[^<]*</a> <span class="count">\(<bdi>([0-9]+)</bdi>\))re");
  const std::regex total(R"re(id="results-total">[^<]*<bdi>([0-9]+)</bdi>)re");
  size_t followed = 0;
  for (const char* q : {"mines%20Zanzibarite", "mines", "report%20clearance%20Zanzibarite"}) {
    CAPTURE(q);
    std::string html = site().get(std::string("/en/search/?q=") + q);
    std::string facets = element(html, "id=\"facets-h\"", "aside");
    for (auto it = std::sregex_iterator(facets.begin(), facets.end(), item);
         it != std::sregex_iterator(); ++it) {
      std::string href = (*it)[2].str();
      for (size_t p; (p = href.find("&amp;")) != std::string::npos;) href.replace(p, 5, "&");
      CAPTURE(href);
      std::string next = site().get(href);
      std::smatch m;
      REQUIRE(std::regex_search(next, m, total));
      CHECK(m[1].str() == (*it)[3].str());
      ++followed;
    }
  }
  CHECK(followed > 10);
  // The pin is a link's, never the form's: a new query decides anew.
  std::string narrowed = site().get("/en/search/?q=mines&country=AO&fallbacks=0");
  CHECK(element(narrowed, "<form class=\"search-form\"", "form").find("fallbacks") ==
        std::string::npos);
  site().get("/en/search/?q=mines&fallbacks=9", 400);
}
