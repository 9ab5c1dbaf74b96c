// The search results page as a visitor without JavaScript gets it from the
// preview server, in the six languages: facets (limited, "all languages"),
// filters kept by a new query, paging, the title, sort and dates, snippets
// of topics and of Chinese text, and the search box in every page's header.
#include <doctest/doctest.h>

#include <httplib.h>

#include <regex>

#include "serve/server.h"
#include "site-gen/locale.h"
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

struct Served {
  TempDir dir;
  std::unique_ptr<serve::PreviewServer> server;
  Served() {
    write_site(dir.path(), paging_site());
    if (const char* keep = std::getenv("SEARCH_PAGE_TEST_SITE")) write_site(keep, paging_site());
    serve::ServeOptions opt;
    opt.build.site = dir.path();
    opt.build.as_of = parse_iso_date("2026-01-01");
    opt.build.jobs = 2;
    opt.port = 0;
    opt.watch = false;
    server = std::make_unique<serve::PreviewServer>(opt);
    std::string error;
    REQUIRE_MESSAGE(server->start(&error), error);
  }
  std::string get(const std::string& target, int status = 200) const {
    httplib::Client c("127.0.0.1", server->port());
    c.set_read_timeout(10, 0);
    auto r = c.Get(target.c_str());
    REQUIRE(r);
    CHECK_MESSAGE(r->status == status, target);
    return r->body;
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
