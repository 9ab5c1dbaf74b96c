// The Xapian index: analysis per language, symbols, filters, facets,
// collapsing, snippets, spelling, incremental and atomic updates, shards.
#include <doctest/doctest.h>
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "index/entry.h"
#include "index/facet_table.h"
#include "index/search.h"
#include "index/spelling.h"
#include "index/writer.h"

namespace fs = std::filesystem;
using namespace sitegen::index;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("sitegen-index-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

Entry entry(const std::string& lang, const std::string& slug, const std::string& title,
            const std::string& text) {
  Entry e;
  e.url = "/" + lang + "/pages/" + slug + "/";
  e.kind = "page";
  e.lang = lang;
  e.text_lang = lang;
  e.title = title;
  e.text = text;
  e.group = "/pages/" + slug + "/";
  e.languages = {lang};
  return e;
}

// One document in several languages.
std::vector<Entry> document(const std::string& symbol, const std::vector<std::string>& langs,
                            const std::string& title, const std::string& text,
                            const std::string& date, const std::string& type,
                            const std::string& meeting, std::vector<std::string> countries,
                            std::vector<std::string> topics) {
  std::vector<Entry> out;
  std::string slug;
  for (char c : symbol) slug += (c == '/' || c == '.') ? '-' : char(std::tolower(c));
  for (const auto& l : langs) {
    Entry e;
    e.url = "/" + l + "/documents/" + slug + "/";
    e.kind = "document";
    e.lang = l;
    e.text_lang = l;
    e.title = title + " (" + l + ")";
    e.symbol = symbol;
    e.date = date;
    e.type = type;
    e.meeting = meeting;
    e.countries = countries;
    e.topics = topics;
    e.text = text;
    e.group = symbol;
    e.languages = langs;
    out.push_back(e);
  }
  return out;
}

std::vector<Entry> corpus() {
  std::vector<Entry> v;
  auto add = [&](std::vector<Entry> es) { v.insert(v.end(), es.begin(), es.end()); };
  add({entry("en", "annual", "Annual overview",
             "This report covers victim assistance and international cooperation."),
       entry("fr", "cooperation", "Coopération",
             "La coopération et l'assistance internationales sont essentielles."),
       entry("es", "informes", "Informes", "Los Estados partes presentaron informes nacionales."),
       entry("ru", "doklad", "Доклад", "Национальный доклад о разминировании территорий."),
       entry("ar", "algham", "إزالة", "إزالة الألغام المضادة للأفراد في المناطق المتضررة."),
       entry("zh", "hezuo", "合作", "国际合作与援助是公约的重要组成部分。"),
       entry("zh", "fenkai", "其他",
             "合作是非常重要的事情。各国代表在会议上讨论了很多其他问题，最后提供了援助。")});
  add(document("APLC/MSP.22/2025/5", {"en", "fr", "es"}, "Report of the Twenty-Second Meeting",
               "The meeting adopted its report on clearance.", "2025-01-10", "report", "msp-22",
               {"DK", "FR"}, {"clearance"}));
  add(document("APLC/MSP.22/2025/WP.3", {"en"}, "Working paper on victim assistance",
               "Assistance to victims in Denmark.", "2025-02-01", "working-paper", "msp-22", {"DK"},
               {"victim-assistance"}));
  add(document("APLC/MSP.22/2025/5/Add.1", {"en"}, "Addendum to the report",
               "Corrections to the report.", "2025-03-05", "report", "msp-22", {}, {}));
  add(document("APLC/MSP.21/2024/4", {"en", "fr"}, "Report of the Twenty-First Meeting",
               "The meeting adopted its report on stockpile destruction.", "2024-06-15", "report",
               "msp-21", {"NO"}, {"stockpiles"}));
  return v;
}

bool write(const fs::path& dir, const std::vector<Entry>& entries, WriteStats* st = nullptr,
           Sharding sh = Sharding::none) {
  Writer w(dir, sh);
  REQUIRE_MESSAGE(w.ok(), w.error());
  WriteStats local;
  bool ok = w.update(entries, st ? st : &local);
  REQUIRE_MESSAGE(ok, w.error());
  REQUIRE_MESSAGE(w.commit(), w.error());
  return ok;
}

SearchRequest req(const std::string& q, const std::string& lang) {
  SearchRequest r;
  r.query = q;
  r.lang = lang;
  return r;
}

std::set<std::string> urls(const SearchResponse& r) {
  std::set<std::string> s;
  for (const auto& x : r.results) s.insert(x.url);
  return s;
}

std::set<std::string> symbols(const SearchResponse& r) {
  std::set<std::string> s;
  for (const auto& x : r.results) s.insert(x.symbol);
  return s;
}

struct Fixture {
  TempDir dir;
  Fixture() { write(dir.path, corpus()); }
};

}  // namespace

TEST_CASE("index: each language analysed as such") {
  Fixture f;
  Searcher s(f.dir.path);
  REQUIRE_MESSAGE(s.ok(), s.error());
  auto has = [&](const std::string& q, const std::string& lang, const std::string& url) {
    SearchResponse r = s.search(req(q, lang));
    CHECK_MESSAGE(r.error.empty(), r.error);
    return urls(r).count(url) == 1;
  };
  CHECK(has("reports", "en", "/en/pages/annual/"));
  CHECK(has("cooperation", "fr", "/fr/pages/cooperation/"));
  CHECK(has("COOPÉRATION", "fr", "/fr/pages/cooperation/"));
  CHECK(has("assistance", "fr", "/fr/pages/cooperation/"));
  CHECK(has("informe", "es", "/es/pages/informes/"));
  CHECK(has("доклады", "ru", "/ru/pages/doklad/"));
  CHECK(has("ألغام", "ar", "/ar/pages/algham/"));
  CHECK(has("الألغام", "ar", "/ar/pages/algham/"));
  CHECK(has("合作与援助", "zh", "/zh/pages/hezuo/"));

  SearchResponse phrase = s.search(req("\"合作与援助\"", "zh"));
  CHECK(urls(phrase).count("/zh/pages/hezuo/") == 1);
  CHECK(urls(phrase).count("/zh/pages/fenkai/") == 0);
  // Unquoted, both characters pairs must be there but not side by side.
  SearchResponse loose = s.search(req("合作 援助", "zh"));
  CHECK(urls(loose).count("/zh/pages/fenkai/") == 1);
}

TEST_CASE("index: snippets highlight matches in every script") {
  Fixture f;
  Searcher s(f.dir.path);
  auto snippet_of = [&](const std::string& q, const std::string& lang) {
    SearchResponse r = s.search(req(q, lang));
    REQUIRE(r.results.size() >= 1);
    return r.results[0].snippet;
  };
  CHECK(snippet_of("reports", "en").find("<mark>report</mark>") != std::string::npos);
  CHECK(snippet_of("cooperation", "fr").find("<mark>coopération</mark>") != std::string::npos);
  CHECK(snippet_of("доклады", "ru").find("<mark>доклад</mark>") != std::string::npos);
  CHECK(snippet_of("ألغام", "ar").find("<mark>الألغام</mark>") != std::string::npos);
  CHECK(snippet_of("\"合作与援助\"", "zh").find("<mark>合作与援助</mark>") != std::string::npos);
  CHECK(snippet_of("合作与援助", "zh").find("<mark>合作与援助</mark>") != std::string::npos);
}

TEST_CASE("index: snippets mark every form a query word matches, whatever its first letters") {
  // The snippets rule out most words by their first two letters
  // (Highlight::may_match): a stem that ends otherwise than its word, a
  // capitalised word, a prefix, an elided article and a number must still
  // be marked, and a word of one letter turns the ruling out off.
  TempDir dir;
  write(dir.path,
        {entry("en", "forms", "Forms",
               "Several Countries and one COUNTRY were assisting in 2019 with cleared land."),
         entry("fr", "formes", "Formes", "Il a reçu l'assistance des Pays voisins en 2019."),
         entry("ru", "formy", "Формы", "Страны и СТРАНА оказали помощь в 2019 году.")});
  Searcher s(dir.path);
  REQUIRE_MESSAGE(s.ok(), s.error());
  auto snippet = [&](const std::string& q, const std::string& lang) {
    SearchResponse r = s.search(req(q, lang));
    for (const auto& x : r.results)
      if (x.lang == lang) return x.snippet;
    return std::string("no result in " + lang);
  };
  std::string en = snippet("country", "en");
  CHECK(en.find("<mark>Countries</mark>") != std::string::npos);
  CHECK(en.find("<mark>COUNTRY</mark>") != std::string::npos);
  CHECK(snippet("assist*", "en").find("<mark>assisting</mark>") != std::string::npos);
  CHECK(snippet("2019 land", "en").find("<mark>2019</mark>") != std::string::npos);
  CHECK(snippet("clear", "en").find("<mark>cleared</mark>") != std::string::npos);
  std::string fr = snippet("assistance pays", "fr");
  CHECK(fr.find("<mark>l&#39;assistance</mark>") != std::string::npos);
  CHECK(fr.find("<mark>Pays</mark>") != std::string::npos);
  std::string ru = snippet("страна", "ru");
  CHECK(ru.find("<mark>Страны</mark>") != std::string::npos);
  CHECK(ru.find("<mark>СТРАНА</mark>") != std::string::npos);
  CHECK(snippet("a* country", "en").find("<mark>Countries and</mark>") != std::string::npos);
}

TEST_CASE("index: a snippet's text has its spaces, tabs and line ends collapsed to single spaces") {
  TempDir dir;
  write(dir.path, {entry("en", "spaces", "Spaces",
                         " \n Leading, then single spaces,  two,\tand a tab,\r\nthen\n\n\tmany"
                         " lines of stockpile   text.  \n ")});
  Searcher s(dir.path);
  REQUIRE_MESSAGE(s.ok(), s.error());
  SearchResponse r = s.search(req("stockpile", "en"));
  REQUIRE(r.results.size() == 1);
  // From a word some 40 bytes before the match.
  CHECK(r.results[0].snippet == "…two, and a tab, then many lines of <mark>stockpile</mark> text.");
}

TEST_CASE("index: symbols exact first, and by prefix") {
  Fixture f;
  Searcher s(f.dir.path);
  for (const std::string q : {"APLC/MSP.22/2025/5", "aplc/msp.22/2025/5",
                              "aplc / msp.22 / 2025 / 5", "APLC / MSP.22 / 2025 / 5"}) {
    SearchResponse r = s.search(req(q, "en"));
    REQUIRE_MESSAGE(!r.results.empty(), q);
    CHECK_MESSAGE(r.results[0].symbol == "APLC/MSP.22/2025/5", q);
    CHECK(r.results[0].lang == "en");
  }
  SearchResponse wp = s.search(req("aplc/msp.22/2025/wp.3", "en"));
  REQUIRE(!wp.results.empty());
  CHECK(wp.results[0].symbol == "APLC/MSP.22/2025/WP.3");

  std::set<std::string> msp22 = {"APLC/MSP.22/2025/5", "APLC/MSP.22/2025/WP.3",
                                 "APLC/MSP.22/2025/5/Add.1"};
  for (const std::string q : {"APLC/MSP.22/", "MSP.22", "msp.22", "APLC/MSP.22/2025"}) {
    SearchResponse r = s.search(req(q, "en"));
    CHECK_MESSAGE(r.total == 3, q);
    CHECK_MESSAGE(symbols(r) == msp22, q);
  }
  CHECK(s.search(req("MSP.21", "en")).total == 1);
  // A symbol and words: both must hold.
  SearchResponse both = s.search(req("MSP.22 victims", "en"));
  CHECK(symbols(both) == std::set<std::string>{"APLC/MSP.22/2025/WP.3"});
  // Looks like a symbol but is none: text search.
  SearchResponse text = s.search(req("victims/assistance", "en"));
  CHECK(text.error.empty());
}

TEST_CASE("index: filters") {
  Fixture f;
  Searcher s(f.dir.path);
  auto with = [&](auto set) {
    SearchRequest r = req("", "en");
    set(r);
    return symbols(s.search(r));
  };
  using S = std::set<std::string>;
  CHECK(with([](SearchRequest& r) { r.country = "dk"; }) ==
        S{"APLC/MSP.22/2025/5", "APLC/MSP.22/2025/WP.3"});
  CHECK(with([](SearchRequest& r) { r.country = "NO"; }) == S{"APLC/MSP.21/2024/4"});
  CHECK(with([](SearchRequest& r) { r.topic = "victim-assistance"; }) ==
        S{"APLC/MSP.22/2025/WP.3"});
  CHECK(with([](SearchRequest& r) { r.meeting = "msp-21"; }) == S{"APLC/MSP.21/2024/4"});
  CHECK(with([](SearchRequest& r) { r.type = "working-paper"; }) == S{"APLC/MSP.22/2025/WP.3"});
  CHECK(with([](SearchRequest& r) { r.year = "2024"; }) == S{"APLC/MSP.21/2024/4"});
  CHECK(with([](SearchRequest& r) {
          r.from = "2025-01-15";
          r.to = "2025-02";
        }) == S{"APLC/MSP.22/2025/WP.3"});
  CHECK(with([](SearchRequest& r) { r.from = "2025-02-02"; }) == S{"APLC/MSP.22/2025/5/Add.1"});
  CHECK(with([](SearchRequest& r) { r.to = "2024"; }) == S{"APLC/MSP.21/2024/4"});
  // Slot 0 holds more than the date: a day as both bounds is that day.
  CHECK(with([](SearchRequest& r) {
          r.from = "2025-03-05";
          r.to = "2025-03-05";
        }) == S{"APLC/MSP.22/2025/5/Add.1"});
  CHECK(with([](SearchRequest& r) { r.to = "2025-03-05"; }).count("APLC/MSP.22/2025/5/Add.1") == 1);
  // Language: only that language's versions.
  SearchRequest fr = req("", "fr");
  fr.lang_only = true;
  SearchResponse r = s.search(fr);
  CHECK(r.total == 3);  // the page, and two documents in French
  for (const auto& x : r.results) CHECK(x.lang == "fr");
  // Filters with a query.
  SearchRequest q = req("report", "en");
  q.meeting = "msp-21";
  CHECK(symbols(s.search(q)) == S{"APLC/MSP.21/2024/4"});
}

TEST_CASE("index: facet counts count a document once across languages") {
  Fixture f;
  // The writer saved the table beside the index.
  CHECK(FacetTable::load(f.dir.path / FacetTable::kFileName, Xapian::Database(f.dir.path.string())));
  // Counted from the table read beside (the first searches may come before
  // it is read, the later ones after), from the table saved beside, or
  // from each search's matches.
  Facets mode = Facets::table;
  SUBCASE("from the table") { mode = Facets::table; }
  SUBCASE("per search, the table saved beside") { mode = Facets::per_search; }
  SUBCASE("per search, from the matches") {
    mode = Facets::per_search;
    fs::remove(f.dir.path / FacetTable::kFileName);
  }
  Searcher s(f.dir.path, mode);
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    SearchRequest r = req("", "en");
    r.meeting = "msp-22";
    SearchResponse a = s.search(r);
    CHECK(a.total == 3);
    CHECK(a.facets["country"] == std::map<std::string, size_t>{{"DK", 2}, {"FR", 1}});
    CHECK(a.facets["topic"] ==
          std::map<std::string, size_t>{{"clearance", 1}, {"victim-assistance", 1}});
    CHECK(a.facets["meeting"] == std::map<std::string, size_t>{{"msp-22", 3}});
    CHECK(a.facets["type"] == std::map<std::string, size_t>{{"report", 2}, {"working-paper", 1}});
    CHECK(a.facets["year"] == std::map<std::string, size_t>{{"2025", 3}});
    CHECK(a.facets["lang"] == std::map<std::string, size_t>{{"en", 3}, {"es", 1}, {"fr", 1}});

    SearchResponse all = s.search(req("report", "en"));
    CHECK(all.facets["meeting"] == std::map<std::string, size_t>{{"msp-21", 1}, {"msp-22", 2}});
    CHECK(all.facets["country"] ==
          std::map<std::string, size_t>{{"DK", 1}, {"FR", 1}, {"NO", 1}});
    CHECK(all.facets.size() == 6);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

TEST_CASE("index: sort by date, newest first, and paging") {
  Fixture f;
  Searcher s(f.dir.path);
  SearchRequest r = req("report", "en");
  r.sort = "date";
  SearchResponse a = s.search(r);
  REQUIRE(a.results.size() >= 3);
  for (size_t i = 1; i < a.results.size(); ++i) CHECK(a.results[i - 1].date >= a.results[i].date);
  CHECK(a.results[0].symbol == "APLC/MSP.22/2025/5/Add.1");

  r.page_size = 1;
  r.page = 2;
  SearchResponse p2 = s.search(r);
  REQUIRE(p2.results.size() == 1);
  CHECK(p2.results[0].url == a.results[1].url);
  CHECK(p2.total == a.total);
  r.page_size = 1000;
  r.page = 1;
  CHECK(s.search(r).results.size() <= 50);
  r.page = 100000;
  CHECK(s.search(r).results.empty());
}

TEST_CASE("index: a typo with nothing found is searched corrected") {
  Fixture f;
  Searcher s(f.dir.path);
  SearchResponse r = s.search(req("cooperatoin", "en"));
  CHECK(r.corrected == "cooperation");
  CHECK(r.query == "cooperatoin");
  CHECK(urls(r).count("/en/pages/annual/") == 1);
  CHECK(r.suggestion == "");
  CHECK(s.search(req("cooperation", "en")).corrected == "");
}

namespace {

// Words close to each other across languages, as in the benchmark site:
// "transparenc" is one letter from French "transparence" and from English
// "transparency", which is the more frequent; "yémen" is French too, and
// "been" (English) is far more frequent than it.
std::vector<Entry> typo_corpus() {
  std::vector<Entry> v;
  for (int i = 0; i < 4; ++i)
    v.push_back(entry("en", "en" + std::to_string(i), "Transparency report " + std::to_string(i),
                      "Transparency measures have been reported on mine clearance in Norway and "
                      "Yemen; mines have been destroyed."));
  v.push_back(entry("en", "mine", "A mine", "One mine was found in the field."));
  v.push_back(entry("fr", "rapport", "Rapport sur la transparence",
                    "La Norvège et le Yémen ont rendu compte du déminage et de la transparence."));
  v.push_back(entry("es", "informe", "Informe de transparencia",
                    "Noruega y Yemen informaron sobre el desminado."));
  v.push_back(entry("ru", "doklad", "Доклад", "Национальный доклад о разминировании территорий."));
  v.push_back(
      entry("ar", "algham", "إزالة", "إزالة الألغام المضادة للأفراد في المناطق المتضررة."));
  return v;
}

SearchRequest only(const std::string& q, const std::string& lang) {
  SearchRequest r = req(q, lang);
  r.lang_only = true;
  return r;
}

}  // namespace

TEST_CASE("index: typos are corrected from the query's language, in each script") {
  TempDir dir;
  write(dir.path, typo_corpus());
  Searcher s(dir.path);
  struct Case {
    std::string query, lang, corrected, url;
  };
  const Case cases[] = {
      {"mine clearence", "en", "mine clearance", "/en/pages/en0/"},
      {"Transparenc", "fr", "transparence", "/fr/pages/rapport/"},
      {"déminnage", "fr", "deminage", "/fr/pages/rapport/"},
      {"desminaod", "es", "desminado", "/es/pages/informe/"},
      {"разминровании", "ru", "разминировании", "/ru/pages/doklad/"},
      {"المتضرة", "ar", "متضرره", "/ar/pages/algham/"},
  };
  for (const auto& c : cases) {
    // Typed to the end (a space after the last word): a half-typed word is
    // searched as a prefix instead ("Transparenc" finds "transparence" so).
    const std::string typed = c.query + " ";
    SearchResponse r = s.search(only(typed, c.lang));
    INFO(c.query, " (", c.lang, ")");
    CHECK(r.corrected == c.corrected);
    CHECK(r.query == typed);
    CHECK(urls(r).count(c.url) == 1);
    // Facets count the answer shown, the corrected one; the Languages facet
    // what its link finds: the corrected query in that language, as asked.
    SearchRequest link = only(c.corrected + " ", c.lang);
    link.exact = true;
    link.fallbacks = r.fallbacks ? 0 : -1;
    CHECK(r.facets["lang"][c.lang] >= 1);
    CHECK(r.facets["lang"][c.lang] == s.search(link).total);
    // exact: as typed, not corrected.
    SearchRequest exact = only(typed, c.lang);
    exact.exact = true;
    SearchResponse as_typed = s.search(exact);
    CHECK(as_typed.corrected == "");
    CHECK(as_typed.exact_total == 0);  // what it shows is relaxed, if anything
  }
  // Never a word of another language: the French search does not offer the
  // (more frequent) English "transparency".
  SearchResponse fr = s.search(req("transparenc ", "fr"));
  CHECK(fr.corrected == "transparence");
}

TEST_CASE("index: a known word is never corrected, in any language's search") {
  TempDir dir;
  write(dir.path, typo_corpus());
  Searcher s(dir.path);
  for (const std::string q : {"norvège", "transparence", "yémen", "Yémen transparence"})
    for (bool filtered : {false, true}) {
      SearchRequest r = filtered ? only(q, "fr") : req(q, "fr");
      SearchResponse a = s.search(r);
      INFO(q, filtered ? " (French only)" : "");
      CHECK(a.corrected == "");
      CHECK(a.suggestion == "");
      CHECK(urls(a).count("/fr/pages/rapport/") == 1);
    }
  // Known words that find nothing together stay as they are: "mine" is a
  // word of the English texts, if rarer than "mines".
  SearchResponse none = s.search(only("mine desminado ", "en"));
  CHECK(none.exact_total == 0);
  CHECK(none.relaxed);  // the documents with "mine"
  CHECK(none.corrected == "");
  CHECK(s.search(only("mine", "en")).corrected == "");
  CHECK(s.search(only("mine", "en")).suggestion == "");
  // Another form of a word of the texts (its stem is indexed) is not a
  // typo, even where that form is not in the texts: only the typo beside
  // it is corrected.
  SearchResponse ru = s.search(only("разминированию территорий", "ru"));
  CHECK(ru.corrected == "");
  CHECK(urls(ru).count("/ru/pages/doklad/") == 1);
  ru = s.search(only("разминированию терриорий", "ru"));
  CHECK(ru.corrected == "разминированию территорий");
}

TEST_CASE("index: an ambiguous correction searches the close words together") {
  TempDir dir;
  std::vector<Entry> v = typo_corpus();
  // "mine" as frequent as "mines": "minse" is one edit from each.
  for (int i = 0; i < 3; ++i)
    v.push_back(entry("en", "m" + std::to_string(i), "Mine " + std::to_string(i),
                      "Each mine was marked."));
  write(dir.path, v);
  Searcher s(dir.path);
  SearchResponse r = s.search(only("minse", "en"));
  CHECK(r.corrected == "(mine OR mines)");  // the more frequent first
  CHECK(urls(r).count("/en/pages/en0/") == 1);   // mines
  CHECK(urls(r).count("/en/pages/mine/") == 1);  // mine
}

TEST_CASE("index: one result per group, in the asker's language") {
  Fixture f;
  Searcher s(f.dir.path);
  for (const std::string lang : {"en", "fr", "es"}) {
    SearchResponse r = s.search(req("APLC/MSP.22/2025/5", lang));
    REQUIRE(!r.results.empty());
    size_t n = 0;
    for (const auto& x : r.results) n += x.symbol == "APLC/MSP.22/2025/5";
    CHECK(n == 1);
    CHECK(r.results[0].lang == lang);
    CHECK(r.results[0].url == "/" + lang + "/documents/aplc-msp-22-2025-5/");
    CHECK(r.results[0].title == "Report of the Twenty-Second Meeting (" + lang + ")");
    CHECK(r.results[0].languages == std::vector<std::string>{"en", "fr", "es"});
  }
  // No Russian version: shown in a language it has.
  SearchResponse ru = s.search(req("MSP.21", "ru"));
  REQUIRE(ru.results.size() == 1);
  CHECK((ru.results[0].lang == "en" || ru.results[0].lang == "fr"));
  // lang_only: every version of that language, no collapsing needed.
  SearchRequest fr = req("meeting", "fr");
  fr.lang_only = true;
  for (const auto& x : s.search(fr).results) CHECK(x.lang == "fr");
}

TEST_CASE("index: hostile content and queries are escaped") {
  TempDir dir;
  Entry e = entry("en", "xss", "<script>alert(1)</script>",
                  "before <script>alert(1)</script> & after \"quoted\" </b>");
  write(dir.path, {e});
  Searcher s(dir.path);
  for (const std::string q : {"<script>alert(1)</script>", "script", "alert"}) {
    SearchResponse r = s.search(req(q, "en"));
    REQUIRE_MESSAGE(r.results.size() == 1, q);
    const std::string& sn = r.results[0].snippet;
    CHECK(sn.find("<script") == std::string::npos);
    CHECK(sn.find("&lt;") != std::string::npos);
    CHECK(sn.find("&amp;") != std::string::npos);
    std::string json = to_json(r);
    CHECK(json.find("<script") == std::string::npos);
    CHECK(json.find("</") == std::string::npos);
    CHECK(json.find("\\u003cscript") != std::string::npos);
    CHECK(to_text(r).find("<script>alert(1)</script>") != std::string::npos);  // terminal: plain
  }
  SearchResponse r = s.search(req("alert", "en"));
  CHECK(r.results[0].snippet.find("<mark>alert</mark>") != std::string::npos);
}

TEST_CASE("index: malformed queries never fail") {
  Fixture f;
  Searcher s(f.dir.path);
  const std::vector<std::string> queries = {"AND OR (",
                                            "\"unclosed",
                                            "*",
                                            "NOT",
                                            "report AND",
                                            "(((",
                                            ")",
                                            "-",
                                            "\"\"",
                                            "title:",
                                            "MSP.22 AND",
                                            "NOT MSP.22",
                                            "/",
                                            "..",
                                            "a/b/c/d",
                                            "coop*",
                                            std::string(5000, 'x'),
                                            std::string("\xff\xfe bad utf8 \xc3"),
                                            std::string("nul\0byte", 8),
                                            // Xapian 1.4.22 leaks n-grams on these
                                            // (the sanitizer run catches a leak).
                                            "NOT x title:雷z",
                                            "NOT x 雷z",
                                            "NOT x:y:z ../..la 雷合z 排)Zau"};
  for (const std::string& q : queries) {
    SearchResponse r;
    CHECK_NOTHROW(r = s.search(req(q, "en")));
    CHECK(r.error.empty());
    CHECK(r.query.size() <= 1000);
    std::string json = to_json(r);
    CHECK(json.front() == '{');
    CHECK(json.find('\0') == std::string::npos);
  }
  CHECK(s.search(req("coop*", "en")).total >= 1);
  CHECK(s.search(req("report NOT victim", "en")).total >= 1);
  CHECK(s.search(req("\"adopted its report\"", "en")).total == 2);
  // Chinese with operators still parses as a query where it can.
  CHECK(s.search(req("合作 NOT 援助", "zh")).error.empty());
}

// Xapian 1.4 matches a phrase or NEAR only of plain terms; a Han run's
// words, an Arabic word's forms and wildcards are not, and once failed the
// whole search ("OP_NEAR and OP_PHRASE only currently support leaf
// subqueries"). Such a query asks for its words without the proximity.
TEST_CASE("index: proximity over Han words, Arabic forms or wildcards searches the words") {
  Fixture f;
  Searcher s(f.dir.path);
  const std::vector<std::pair<std::string, std::string>> found = {
      {"合作 NEAR 援助", "zh"},
      {"\"合作与援助\"", "zh"},
      {"援助 ADJ/3 合作", "zh"},
      {"الألغام NEAR إزالة", "ar"},
      {"\"إزالة الألغام\"", "ar"},
      {"coop* NEAR internationales", "fr"}};
  for (const auto& [q, lang] : found) {
    CAPTURE(q);
    SearchResponse r;
    CHECK_NOTHROW(r = s.search(req(q, lang)));
    CHECK(r.error.empty());
    CHECK(r.total >= 1);
  }
  // The fuzzer's input: bytes that are not UTF-8, a Han run and both operators.
  SearchResponse r;
  CHECK_NOTHROW(r = s.search(req("\xff\xff\xff" "a \x9c与援助 NEAR \xff\x19" "ADJ n", "zh")));
  CHECK(r.error.empty());
  // Proximity Xapian can match is kept: the order of ADJ still counts.
  CHECK(s.search(req("victim ADJ assistance", "en")).exact_total == 2);
  const SearchResponse reversed = s.search(req("assistance ADJ victim", "en"));
  CHECK(reversed.exact_total == 0);
  // and finding none, the words apart are offered (no dead end).
  CHECK(reversed.relaxed);
  CHECK(reversed.total >= 2);
  // As in Xapian's own parser, a wildcard inside quotes is a literal word.
  CHECK(s.search(req("\"assist* internationales\"", "fr")).error.empty());
}

TEST_CASE("index: JSON and text rendering") {
  Fixture f;
  Searcher s(f.dir.path);
  SearchRequest r = req("APLC/MSP.22/2025/WP.3", "en");
  SearchResponse a = s.search(r);
  std::string json = to_json(a);
  CHECK(json.rfind("{\"query\":\"APLC/MSP.22/2025/WP.3\",\"total\":", 0) == 0);
  CHECK(json.find("\"results\":[{\"url\":\"/en/documents/aplc-msp-22-2025-wp-3/\",\"title\":") !=
        std::string::npos);
  CHECK(json.find("\"languages\":[\"en\"]") != std::string::npos);
  CHECK(json.find("\"facets\":{\"country\":{\"DK\":") != std::string::npos);
  CHECK(json.find("\"topic\":{") != std::string::npos);
  CHECK(json.find("\"lang\":{\"en\":") != std::string::npos);
  CHECK(json.find("\"suggestion\":\"\"}") != std::string::npos);
  SearchResponse ctl;
  ctl.query = std::string("a\"b\\c\n\t\x01\x1f</script>\xe2\x80\xa8");
  std::string cj = to_json(ctl);
  CHECK(cj.find("\"query\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\\u003c/script\\u003e\\u2028\"") !=
        std::string::npos);
  // Plain runs around what is escaped or replaced (invalid UTF-8, DEL).
  ctl.query = "plain \xc3\xa9t\xc3\xa9\x7f\xff&end";
  CHECK(to_json(ctl).find("\"query\":\"plain \xc3\xa9t\xc3\xa9\\u007f\xef\xbf\xbd\\u0026end\"") !=
        std::string::npos);
  std::string text = to_text(a);
  CHECK(text.rfind("1 result\n", 0) == 0);
  CHECK(text.find("APLC/MSP.22/2025/WP.3") != std::string::npos);
  CHECK(text.find("<mark>") == std::string::npos);
}

TEST_CASE("index: incremental updates") {
  TempDir dir;
  std::vector<Entry> v = corpus();
  WriteStats st;
  write(dir.path, v, &st);
  CHECK(st.added == v.size());
  CHECK(st.replaced + st.unchanged + st.deleted == 0);

  write(dir.path, v, &st);
  CHECK(st.unchanged == v.size());
  CHECK(st.added + st.replaced + st.deleted == 0);

  Entry gone = v.back();
  v.pop_back();
  v[0].text = "This summary covers landmines.";
  write(dir.path, v, &st);
  CHECK(st.replaced == 1);
  CHECK(st.deleted == 1);
  CHECK(st.unchanged == v.size() - 1);
  CHECK(st.added == 0);

  Searcher s(dir.path);
  CHECK(urls(s.search(req("landmines", "en"))) == std::set<std::string>{"/en/pages/annual/"});
  CHECK(s.search(req("victim", "en")).total == 1);  // the old text is gone
  CHECK(urls(s.search(req("", "en"))).count(gone.url) == 0);
  Xapian::Database db(dir.path.string());
  CHECK(db.get_doccount() == v.size());
  // Each language's words follow the documents: the replaced text's words
  // left, the deleted entry's too.
  std::shared_ptr<const Vocabulary> en = Vocabulary::load(dir.path, "en");
  CHECK(en->frequency("victim") == 1);
  CHECK(en->frequency("landmines") == 1);
  CHECK(en->frequency("covers") == 1);
  std::shared_ptr<const Vocabulary> fr = Vocabulary::load(dir.path, "fr");
  CHECK(fr->frequency("stockpile") == 0);  // the deleted French entry's alone
  CHECK(fr->frequency("adopted") == 1);    // and in the French version of MSP.22
  CHECK(fr->frequency("landmines") == 0);
}

TEST_CASE("index: the spelling table of an older index is emptied by the next update") {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.path.string(), Xapian::DB_CREATE_OR_OPEN);
    db.add_spelling("noruega", 3);
    db.commit();
  }
  write(dir.path, corpus());
  Xapian::Database db(dir.path.string());
  CHECK(db.spellings_begin() == db.spellings_end());
  CHECK(Vocabulary::load(dir.path, "en")->knows("report"));
}

TEST_CASE("index: a Writer destroyed without commit leaves the database as it was") {
  TempDir dir;
  std::vector<Entry> v = corpus();
  write(dir.path, v);
  auto snapshot = [&] {
    Xapian::Database db(dir.path.string());
    std::vector<std::string> docs;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
      docs.push_back(std::to_string(*it) + db.get_document(*it).get_data());
    return std::make_pair(db.get_doccount(), docs);
  };
  auto before = snapshot();
  {
    std::vector<Entry> changed(v.begin() + 3, v.end());
    changed[0].title = "Changed";
    changed.push_back(entry("en", "new", "New page", "Brand new text."));
    Writer w(dir.path);
    REQUIRE(w.ok());
    WriteStats st;
    REQUIRE(w.update(changed, &st));
    CHECK(st.deleted == 3);
    CHECK(st.added == 1);
  }
  CHECK(snapshot() == before);
  Searcher s(dir.path);
  CHECK(s.search(req("brand", "en")).total == 0);
}

TEST_CASE("index: shards by language search as one database") {
  TempDir one, sharded;
  std::vector<Entry> v = corpus();
  write(one.path, v);
  WriteStats st;
  write(sharded.path, v, &st, Sharding::by_language);
  CHECK(st.added == v.size());
  CHECK(fs::exists(sharded.path / "XAPIANDB"));
  CHECK(fs::exists(sharded.path / "fr"));
  Searcher a(one.path), b(sharded.path);
  REQUIRE_MESSAGE(b.ok(), b.error());
  std::vector<SearchRequest> reqs = {req("report", "en"),
                                     req("MSP.22", "fr"),
                                     req("APLC/MSP.22/2025/5", "es"),
                                     req("", "en"),
                                     req("cooperatoin", "en"),
                                     req("adopetd", "fr"),
                                     req("доклады", "ru"),
                                     req("\"合作与援助\"", "zh")};
  SearchRequest d = req("", "en");
  d.sort = "date";
  reqs.push_back(d);
  for (auto& r : reqs) {
    r.page_size = 50;  // every result on one page (ties are broken by slot 0, not by docid)
    SearchResponse x = a.search(r), y = b.search(r);
    CHECK_MESSAGE(x.total == y.total, r.query);
    CHECK_MESSAGE(urls(x) == urls(y), r.query);
    CHECK_MESSAGE(x.facets == y.facets, r.query);
    CHECK_MESSAGE(x.suggestion == y.suggestion, r.query);
    CHECK_MESSAGE(x.corrected == y.corrected, r.query);
    if (!x.results.empty() && r.sort == "date") CHECK(x.results[0].url == y.results[0].url);
  }
  // Incremental across shards: a removed language version is deleted.
  std::vector<Entry> fewer;
  for (const auto& e : v)
    if (e.lang != "ru") fewer.push_back(e);
  write(sharded.path, fewer, &st, Sharding::by_language);
  CHECK(st.deleted == 1);
  CHECK(st.unchanged == fewer.size());
  b.reopen();
  CHECK(b.search(req("доклады", "ru")).total == 0);
}

TEST_CASE("index: searcher is thread-safe and picks up commits on reopen") {
  TempDir dir;
  std::vector<Entry> v = corpus();
  write(dir.path, v);
  Searcher s(dir.path);
  std::atomic<int> bad{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&] {
      // Browsing (no words) among them: it once shared Xapian's static
      // MatchAll query between threads, whose reference count is not atomic.
      const char* queries[] = {"report", "", "MSP.22", ""};
      for (int i = 0; i < 2000; ++i) {
        SearchResponse r = s.search(req(queries[i % 4], "en"));
        if (!r.error.empty() || r.total == 0) ++bad;
        if (i == 1000) s.reopen();
      }
    });
  for (auto& t : ts) t.join();
  CHECK(bad == 0);
  v.push_back(entry("en", "late", "Late", "Zanzibar."));
  write(dir.path, v);
  s.reopen();
  CHECK(s.search(req("zanzibar", "en")).total == 1);

  Searcher missing(dir.path / "nope");
  CHECK(!missing.ok());
  CHECK(!missing.error().empty());
  SearchResponse r = missing.search(req("x", "en"));
  CHECK(!r.error.empty());
}

TEST_CASE("index: an unsynced commit is a commit like any other for readers") {
  TempDir dir;
  write(dir.path, corpus());
  Writer w(dir.path, Sharding::none, Durability::unsynced);
  REQUIRE(w.ok());
  WriteStats st;
  std::vector<Entry> one = {entry("en", "quokka", "Quokka page", "A quokkaword in the text.")};
  REQUIRE(w.update(one, &st, Writer::Scope::these_entries));
  REQUIRE(w.commit());
  CHECK(st.added == 1);
  auto found = Searcher(dir.path).search(req("quokkaword", "en"));
  REQUIRE(found.results.size() == 1);
  CHECK(found.results[0].url == "/en/pages/quokka/");
  CHECK(Xapian::Database(dir.path.string()).get_doccount() == corpus().size() + 1);
}
