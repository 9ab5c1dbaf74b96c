// The fallbacks of index/search.cc (issue 11, points 1, 4 and 5) as the
// results page and /api/search give them, from the preview server, in the
// six languages: a relaxed answer and one completed from other languages
// say so in the page's language; the French search finds the French
// version of a document asked in English; a last word is a prefix until a
// space follows it. The Searcher side is search_fallbacks_test.cc.
#include <doctest/doctest.h>
#include <httplib.h>

#include <fstream>

#include "serve/server.h"
#include "site-gen/locale.h"
#include "tests/preview_site.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const char* const kLangs[] = {"en", "fr", "es", "ru", "zh", "ar"};

std::string doc(const std::string& symbol, const std::string& title, const std::string& body) {
  return "---\nsymbol: " + symbol + "\ntitle: " + title +
         "\ndate: 2025-12-01\ntype: report\noriginal: en\n---\n" + body + "\n";
}

std::map<std::string, std::string> fallback_site() {
  return {
      {"site.yaml", "title: Test\nlanguages: [en, fr, es, ru, zh, ar]\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\nend: 2025-12-05\n"},
      {"content/meetings/msp22/stock.en.md",
       doc("APLC/MSP.22/2025/1", "Stockpile destruction", "Stockpile destruction in Ruritania.")},
      {"content/meetings/msp22/stock.fr.md", doc("APLC/MSP.22/2025/1", "Destruction des stocks",
                                                 "La destruction des stocks en Ruritanie.")},
      {"content/meetings/msp22/stock.ru.md",
       doc("APLC/MSP.22/2025/1", "Уничтожение запасов", "Уничтожение запасов в Руритании.")},
      {"content/meetings/msp22/stock.ar.md",
       doc("APLC/MSP.22/2025/1", "تدمير المخزونات", "تدمير المخزونات في روريتانيا.")},
      {"content/meetings/msp22/stock.zh.md",
       doc("APLC/MSP.22/2025/1", "销毁库存", "鲁里塔尼亚销毁库存。")},
      {"content/meetings/msp22/survey.en.md",
       doc("APLC/MSP.22/2025/2", "Survey", "A quetzalcoatlite survey of Zembla.")},
  };
}

struct Served : PreviewSite {
  Served() : PreviewSite(fallback_site()) {}
};

const Served& site() {
  static Served s;
  return s;
}

// s with every byte but letters and digits percent-encoded.
std::string encoded(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c))
      out += static_cast<char>(c);
    else
      out += {'%', hex[c >> 4], hex[c & 15]};
  return out;
}

// The text of the <p id="..."> in html, or "".
std::string notice(const std::string& html, const std::string& id) {
  size_t b = html.find("id=\"" + id + "\">");
  if (b == std::string::npos) return "";
  b += id.size() + 6;
  return html.substr(b, html.find("</p>", b) - b);
}

}  // namespace

TEST_CASE("search page: a relaxed answer says so, in each language") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    const std::string l = lang;
    std::string none = theme_string(l, "search_relaxed_none"),
                few = theme_string(l, "search_relaxed_few");
    REQUIRE(!none.empty());
    REQUIRE(!few.empty());
    // No document has both words.
    std::string html = site().get("/" + l + "/search/?q=Zembla%20Ruritania%20");
    CHECK(notice(html, "search-relaxed") == none);
    CHECK(html.find("/documents/aplc-msp-22-2025-2/") != std::string::npos);
    CHECK(html.find("/aplc-msp-22-2025-1/") != std::string::npos);
    CHECK(html.find("id=\"search-other-languages\"") == std::string::npos);
    // Every word in one document: no notice.
    std::string exact = site().get("/" + l + "/search/?q=Zembla%20survey%20");
    CHECK(exact.find("id=\"search-relaxed\"") == std::string::npos);
  }
  std::string json = site().get("/api/search?q=Zembla%20Ruritania%20");
  CHECK(json.find("\"relaxed\":true,\"exact_total\":0,\"other_languages\":false") !=
        std::string::npos);
}

TEST_CASE("search page: a language filter with nothing goes on in the other languages") {
  for (const char* lang : kLangs) {
    CAPTURE(lang);
    const std::string l = lang;
    std::string text = theme_string(l, "search_other_languages");
    REQUIRE(!text.empty());
    // Only in English: found in a French-only search, marked English.
    std::string html = site().get("/" + l + "/search/?q=Zembla&lang=fr");
    CHECK(notice(html, "search-other-languages") == text);
    CHECK(html.find("href=\"/en/documents/aplc-msp-22-2025-2/\"") != std::string::npos);
    CHECK(html.find("<bdi class=\"result-lang\">English</bdi>") != std::string::npos);
    // Found in French: no notice.
    std::string fr = site().get("/" + l + "/search/?q=Ruritanie&lang=fr");
    CHECK(fr.find("id=\"search-other-languages\"") == std::string::npos);
  }
  // English words in the French search find the French version.
  std::string filtered = site().get("/fr/search/?q=stockpile%20destruction%20&lang=fr");
  CHECK(filtered.find("href=\"/fr/documents/aplc-msp-22-2025-1/\"") != std::string::npos);
  CHECK(filtered.find("href=\"/en/documents/aplc-msp-22-2025-1/\"") == std::string::npos);
  std::string page = site().get("/fr/search/?q=stockpile%20destruction%20");
  CHECK(page.find("href=\"/fr/documents/aplc-msp-22-2025-1/\"") != std::string::npos);
  CHECK(page.find("href=\"/en/documents/aplc-msp-22-2025-1/\"") == std::string::npos);
  std::string json = site().get("/api/search?q=Zembla&lang=fr");
  CHECK(json.find("\"other_languages\":true") != std::string::npos);
  CHECK(json.find("\"url\":\"/en/documents/aplc-msp-22-2025-2/\"") != std::string::npos);
}

TEST_CASE("search page: the last word is a prefix until a space follows it") {
  for (const char* lang : {"en", "ru", "ar"}) {
    CAPTURE(lang);
    const std::string l = lang;
    std::string typing = site().get("/" + l + "/search/?q=quetzalc");
    CHECK(typing.find("/documents/aplc-msp-22-2025-2/") != std::string::npos);
    // The box keeps what was typed, trailing space too (the script sends
    // the form as it is).
    std::string done = site().get("/" + l + "/search/?q=quetzalc%20");
    CHECK(done.find("/documents/aplc-msp-22-2025-2/\"") == std::string::npos);
    CHECK(done.find("value=\"quetzalc \"") != std::string::npos);
  }
  CHECK(site().get("/api/search?q=quetzalc").find("\"total\":1,") != std::string::npos);
  CHECK(site().get("/api/search?q=quetzalc%20").find("\"total\":0,") != std::string::npos);
}

TEST_CASE("search: site-gen search says when it relaxed or went on in other languages") {
  TempDir dir;
  write_site(dir.path() / "site", fallback_site());
  const std::string where = " --site " + (dir.path() / "site").string() + " --out " +
                            (dir.path() / "out").string() + " --index " +
                            (dir.path() / "index").string();
  RunResult built = run_site_gen("build --as-of 2026-01-01" + where);
  INFO(built.output);
  REQUIRE(built.exit_code == 0);
  const std::string search = "search --index " + (dir.path() / "index").string() + " ";
  RunResult relaxed = run_site_gen(search + "--lang en Zembla Ruritania");
  CHECK(relaxed.output.find("No document contains all the words") != std::string::npos);
  CHECK(relaxed.output.find("/en/documents/aplc-msp-22-2025-1/") != std::string::npos);
  RunResult other = run_site_gen(search + "--lang fr --json Zembla");
  CHECK(other.output.find("\"other_languages\":true") != std::string::npos);
  // The last argument as typed: a prefix, unless quoted with a space.
  CHECK(run_site_gen(search + "quetzalc").output.rfind("1 result\n", 0) == 0);
  CHECK(run_site_gen(search + "'quetzalc '").output.rfind("0 results\n", 0) == 0);
}

TEST_CASE("search page: the fallbacks in Cyrillic, Arabic and Chinese") {
  struct Case {
    const char* lang;
    const char* relaxed;  // a word of the document and one of none
    const char* partial;  // the start of a word of the document
  };
  const Case cases[] = {{"ru", "Руритании Зембле", "Рурита"},
                        {"ar", "روريتانيا زمبلا", "روريت"},
                        {"zh", "库存 蒙古", nullptr}};
  for (const auto& c : cases) {
    CAPTURE(c.lang);
    const std::string l = c.lang, mine = "href=\"/" + l + "/documents/aplc-msp-22-2025-1/\"";
    std::string html = site().get("/" + l + "/search/?q=" + encoded(c.relaxed));
    CHECK(notice(html, "search-relaxed") == theme_string(l, "search_relaxed_none"));
    CHECK(html.find(mine) != std::string::npos);
    if (c.partial) {
      CHECK(site().get("/" + l + "/search/?q=" + encoded(c.partial)).find(mine) !=
            std::string::npos);
      CHECK(
          site().get("/" + l + "/search/?q=" + encoded(std::string(c.partial) + " ")).find(mine) ==
          std::string::npos);
    }
    // Asked in an English-only search: found, in English.
    std::string en = site().get("/" + l + "/search/?lang=en&q=" + encoded(c.relaxed));
    CHECK(en.find("href=\"/en/documents/aplc-msp-22-2025-1/\"") != std::string::npos);
    CHECK(notice(en, "search-other-languages") == theme_string(l, "search_other_languages"));
  }
}
