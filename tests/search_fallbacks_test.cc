// Search without dead ends (issue 11, points 1, 4 and 5; index/search.cc's
// fallbacks and half-typed words): a query whose words no document has all
// of is relaxed, exact matches first; the last word is a prefix while it is
// being typed; a language filter with few results goes on in the other
// languages, each hit in the chosen language where it can. In Latin,
// Cyrillic, Arabic and Chinese script, through Searcher and its JSON and
// text; the results page is tested in search_page_test.cc.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "index/entry.h"
#include "index/search.h"
#include "index/writer.h"
#include "tests/site_fixture.h"

namespace fs = std::filesystem;
using namespace sitegen::index;

namespace {

using sitegen::testing::TempDir;

// A page in some languages: {lang: {title, text}}, one group.
std::vector<Entry> page(const std::string& slug,
                        const std::map<std::string, std::pair<std::string, std::string>>& versions,
                        const std::string& symbol = "") {
  std::vector<Entry> out;
  std::vector<std::string> langs;
  for (const auto& [lang, v] : versions) langs.push_back(lang);
  for (const auto& [lang, v] : versions) {
    Entry e;
    e.url = "/" + lang + "/pages/" + slug + "/";
    e.kind = symbol.empty() ? "page" : "document";
    e.lang = lang;
    e.text_lang = lang;
    e.title = v.first;
    e.text = v.second;
    e.symbol = symbol;
    e.group = "/pages/" + slug + "/";
    e.languages = langs;
    out.push_back(e);
  }
  return out;
}

std::vector<Entry> corpus() {
  std::vector<Entry> v;
  auto add = [&](std::vector<Entry> es) { v.insert(v.end(), es.begin(), es.end()); };
  // Latin.
  add(page("angola", {{"en", {"Angola", "Angola reported progress on mine action."}}}));
  add(page("cambodia", {{"en", {"Cambodia", "Victim assistance services in Cambodia."}}}));
  add(page("both", {{"en", {"Clearance in Angola", "Clearance of land in Angola and Peru."}}}));
  add(page("quetzal", {{"en", {"Quetzal", "Quetzal clearance and quetzal survey."}}}));
  add(page("minefield", {{"en", {"Fields", "A minefield was fenced."}}}));
  add(page("mine", {{"en", {"One", "One mine was found."}}}));
  add(page("wp1", {{"en", {"Working paper", "Notes on stockpiles."}}}, "APLC/MSP.1/2020/WP.1"));
  add(page("stockpile",
           {{"en", {"Stockpile destruction", "Stockpile destruction was completed in Ruritania."}},
            {"fr", {"Destruction des stocks", "La destruction des stocks est achevée."}}}));
  add(page("survey", {{"en", {"Landmine survey", "A non-technical survey of Zembla."}}}));
  add(page(
      "cooperation",
      {{"fr",
        {"Coopération", "La coopération et l'assistance internationales sont essentielles."}}}));
  // Cyrillic.
  add(page("razminirovanie",
           {{"ru", {"Разминирование", "Ангола сообщила о разминировании территорий."}}}));
  add(page("pomoshch", {{"ru", {"Помощь", "Помощь пострадавшим в Камбодже."}}}));
  // Arabic.
  add(page("algham", {{"ar", {"الألغام", "أبلغت أنغولا عن إزالة الألغام واتخاذ التدابير."}}}));
  add(page("dahaya", {{"ar", {"الضحايا", "مساعدة الضحايا في كمبوديا."}}}));
  // Chinese.
  add(page("hezuo", {{"zh", {"合作", "国际合作是公约的重要组成部分。"}}}));
  add(page("yuanzhu", {{"zh", {"援助", "受害者援助在柬埔寨。"}}}));
  return v;
}

struct Fixture {
  TempDir dir;
  Fixture() {
    Writer w(dir.path());
    REQUIRE_MESSAGE(w.ok(), w.error());
    WriteStats st;
    REQUIRE_MESSAGE(w.update(corpus(), &st), w.error());
    REQUIRE_MESSAGE(w.commit(), w.error());
  }
};

SearchRequest req(const std::string& q, const std::string& lang, bool lang_only = false) {
  SearchRequest r;
  r.query = q;
  r.lang = lang;
  r.lang_only = lang_only;
  r.page_size = 50;
  return r;
}

std::vector<std::string> urls(const SearchResponse& r) {
  std::vector<std::string> s;
  for (const auto& x : r.results) s.push_back(x.url);
  return s;
}

bool has(const SearchResponse& r, const std::string& url) {
  for (const auto& x : r.results)
    if (x.url == url) return true;
  return false;
}

}  // namespace

TEST_CASE("fallbacks: a query no document has every word of is relaxed, in every script") {
  Fixture f;
  Searcher s(f.dir.path());
  REQUIRE_MESSAGE(s.ok(), s.error());
  struct Case {
    const char* query;
    const char* lang;
    const char* first;  // has the most (or the rarest) of the words
    const char* also;   // has one of them
  };
  const Case cases[] = {
      {"Angola Cambodia clearance", "en", "/en/pages/both/", "/en/pages/cambodia/"},
      {"разминирование Камбоджа Ангола", "ru", "/ru/pages/razminirovanie/", "/ru/pages/pomoshch/"},
      {"الألغام كمبوديا أنغولا", "ar", "/ar/pages/algham/", "/ar/pages/dahaya/"},
      {"合作 公约 柬埔寨", "zh", "/zh/pages/hezuo/", "/zh/pages/yuanzhu/"},
      // The same words typed without spaces, as people type Chinese.
      {"合作公约柬埔寨", "zh", "/zh/pages/hezuo/", "/zh/pages/yuanzhu/"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    SearchResponse r = s.search(req(c.query, c.lang));
    REQUIRE(r.error.empty());
    CHECK(r.relaxed);
    CHECK(r.exact_total == 0);
    REQUIRE(!r.results.empty());
    CHECK(r.results[0].url == c.first);
    CHECK(has(r, c.also));
    CHECK(r.total == r.results.size());
    CHECK(to_json(r).find("\"relaxed\":true,\"exact_total\":0,") != std::string::npos);
    CHECK(to_text(r).find("No document contains all the words") != std::string::npos);
  }
}

TEST_CASE("fallbacks: exact matches first, then the relaxed, paged and counted as one list") {
  Fixture f;
  Searcher s(f.dir.path());
  // "both" has the two words; the others one each.
  SearchResponse all = s.search(req("clearance Angola", "en"));
  CHECK(all.relaxed);
  CHECK(all.exact_total == 1);
  REQUIRE(all.results.size() >= 3);
  CHECK(all.results[0].url == "/en/pages/both/");
  CHECK(has(all, "/en/pages/angola/"));
  CHECK(has(all, "/en/pages/quetzal/"));
  CHECK(to_text(all).find("Few documents contain all the words") != std::string::npos);
  // The Languages facet counts what its link finds (a language alone, as
  // asked, fallbacks=0): the one English document with both words.
  CHECK(all.fallbacks == 1);
  CHECK(all.facets.at("lang").at("en") == 1);
  SearchRequest en = req("clearance Angola", "en", true);
  en.fallbacks = 0;
  CHECK(s.search(en).total == 1);
  CHECK(all.total == all.results.size());
  // One per page: the same list, each once, the same total on every page.
  std::vector<std::string> paged;
  for (int p = 1; p <= static_cast<int>(all.total) + 1; ++p) {
    SearchRequest r = req("clearance Angola", "en");
    r.page = p;
    r.page_size = 1;
    SearchResponse one = s.search(r);
    CHECK(one.total == all.total);
    CHECK(one.relaxed);
    CHECK(one.facets == all.facets);
    for (auto& u : urls(one)) paged.push_back(u);
  }
  CHECK(paged == urls(all));
  // Enough exact matches: nothing relaxed.
  SearchResponse exact = s.search(req("clearance", "en"));
  CHECK_FALSE(exact.relaxed);
  CHECK(exact.exact_total == exact.total);
  CHECK(to_json(exact).find("\"relaxed\":false,") != std::string::npos);
  // Filters alone: every result is exact.
  SearchResponse browse = s.search(req("", "en"));
  CHECK(browse.total > 0);
  CHECK(browse.exact_total == browse.total);
}

TEST_CASE("fallbacks: one word has nothing to relax, and a symbol still comes first") {
  Fixture f;
  Searcher s(f.dir.path());
  SearchResponse none = s.search(req("Zyxwvut", "en"));
  CHECK(none.total == 0);
  CHECK_FALSE(none.relaxed);
  // The symbol's document lacks "Cambodia": among those with some of the
  // words, it is first.
  SearchResponse sym = s.search(req("APLC/MSP.1/2020/WP.1 Cambodia", "en"));
  CHECK(sym.relaxed);
  REQUIRE(sym.results.size() >= 2);
  CHECK(sym.results[0].url == "/en/pages/wp1/");
  CHECK(has(sym, "/en/pages/cambodia/"));
}

TEST_CASE("half-typed words: the last word is a prefix from its third letter, not after a space") {
  Fixture f;
  Searcher s(f.dir.path());
  auto found = [&](const std::string& q, const std::string& lang, const std::string& url) {
    return has(s.search(req(q, lang)), url);
  };
  // Latin, with a word before it.
  CHECK(found("victim assis", "en", "/en/pages/cambodia/"));
  CHECK(found("quetz", "en", "/en/pages/quetzal/"));
  CHECK(found("que", "en", "/en/pages/quetzal/"));
  CHECK_FALSE(found("qu", "en", "/en/pages/quetzal/"));
  // A space after the word: the visitor finished it.
  CHECK_FALSE(found("quetz ", "en", "/en/pages/quetzal/"));
  CHECK(s.search(req("quetz ", "en")).total == 0);
  // The whole word ranks above the words it begins.
  SearchResponse mine = s.search(req("mine", "en"));
  REQUIRE(mine.results.size() >= 2);
  CHECK(mine.results[0].url == "/en/pages/mine/");
  CHECK(has(mine, "/en/pages/minefield/"));
  // French: accents folded, elided article dropped, as the index has them.
  CHECK(found("coopé", "fr", "/fr/pages/cooperation/"));
  CHECK(found("l'assis", "fr", "/fr/pages/cooperation/"));
  // Cyrillic.
  CHECK(found("разминир", "ru", "/ru/pages/razminirovanie/"));
  CHECK(found("Камбод", "ru", "/ru/pages/pomoshch/"));
  // Arabic, also with a clitic the text does not have (و + ال, ب + ال).
  CHECK(found("التداب", "ar", "/ar/pages/algham/"));
  CHECK(found("والتداب", "ar", "/ar/pages/algham/"));
  CHECK(found("بالتداب", "ar", "/ar/pages/algham/"));
  CHECK(found("والضحا", "ar", "/ar/pages/dahaya/"));
  // The article taken off leaves two letters of the six typed; a clitic
  // chain kept by the analyzer (too short a word) comes off too.
  CHECK(found("الألغا", "ar", "/ar/pages/algham/"));
  CHECK(found("والتد", "ar", "/ar/pages/algham/"));
  CHECK_FALSE(found("الألغا ", "ar", "/ar/pages/algham/"));
  CHECK_FALSE(found("والضحا ", "ar", "/ar/pages/dahaya/"));
  // The snippet marks the word the prefix found.
  SearchResponse q = s.search(req("quetz", "en"));
  REQUIRE(!q.results.empty());
  CHECK(q.results[0].snippet.find("<mark>Quetzal</mark>") != std::string::npos);
  // A word being typed is no misspelling.
  CHECK(s.search(req("quetz", "en")).suggestion.empty());
}

TEST_CASE("other languages: a language filter with nothing goes on in the other languages") {
  Fixture f;
  Searcher s(f.dir.path());
  // Latin: the English words find the French version of the document.
  SearchResponse fr = s.search(req("stockpile destruction", "fr", true));
  CHECK(fr.other_languages);
  REQUIRE(!fr.results.empty());
  CHECK(fr.results[0].url == "/fr/pages/stockpile/");
  CHECK(fr.results[0].lang == "fr");
  CHECK(fr.exact_total == 1);
  CHECK(to_json(fr).find("\"other_languages\":true") != std::string::npos);
  CHECK(to_text(fr).find("results in the other languages follow") != std::string::npos);
  // No French version: the original, with its language.
  SearchResponse en = s.search(req("Zembla", "fr", true));
  CHECK(en.other_languages);
  REQUIRE(en.results.size() == 1);
  CHECK(en.results[0].url == "/en/pages/survey/");
  CHECK(en.results[0].lang == "en");
  CHECK(en.facets.at("lang").at("en") == 1);
  // Cyrillic, Arabic and Chinese, asked in an English-only search.
  CHECK(has(s.search(req("разминирование", "en", true)), "/ru/pages/razminirovanie/"));
  CHECK(has(s.search(req("الضحايا", "en", true)), "/ar/pages/dahaya/"));
  CHECK(has(s.search(req("柬埔寨", "en", true)), "/zh/pages/yuanzhu/"));
  // Enough in the language: none of the others.
  SearchResponse ok = s.search(req("clearance", "en", true));
  CHECK_FALSE(ok.other_languages);
  // Without a filter, the asker's language is the version shown already.
  SearchResponse page = s.search(req("stockpile destruction", "fr"));
  CHECK_FALSE(page.other_languages);
  REQUIRE(!page.results.empty());
  CHECK(page.results[0].url == "/fr/pages/stockpile/");
}

TEST_CASE("long queries: the words a third of the language's documents have do not narrow them") {
  // 60 Russian reports: 15 with "мины" and every other word of the query,
  // 44 with "мины" alone, and the one wanted, which has the rarer words and
  // "совещание" (in all of them) but not "мины".
  std::vector<Entry> v;
  auto add = [&](std::vector<Entry> es) { v.insert(v.end(), es.begin(), es.end()); };
  for (int i = 0; i < 15; ++i)
    add(page("full" + std::to_string(i),
             {{"ru", {"Доклад", "Совещание рассмотрело мины, трудности и риски просвещения."}}}));
  for (int i = 0; i < 44; ++i)
    add(page("mines" + std::to_string(i), {{"ru", {"Мины", "Совещание обсудило мины."}}}));
  add(page("wanted",
           {{"ru", {"Трудности", "Совещание отметило трудности и риски просвещения, "
                                 "трудности просвещения о рисках."}}}));
  TempDir dir;
  {
    Writer w(dir.path());
    REQUIRE_MESSAGE(w.ok(), w.error());
    WriteStats st;
    REQUIRE_MESSAGE(w.update(v, &st), w.error());
    REQUIRE_MESSAGE(w.commit(), w.error());
  }
  Searcher s(dir.path());
  REQUIRE_MESSAGE(s.ok(), s.error());
  SearchRequest r = req("совещание трудности рисках просвещения мины ", "ru");
  r.page_size = 10;
  SearchResponse a = s.search(r);
  INFO(to_json(a));
  CHECK(has(a, "/ru/pages/wanted/"));
  CHECK_FALSE(a.relaxed);  // found with the words that narrow, not relaxed
  CHECK(a.results.size() == 10);
  // With those that have every word, ranked together ("мины" still counts).
  CHECK(a.exact_total == 16);
  // Three words stay all required: a known-item query of rare words.
  SearchResponse three = s.search(req("трудности рисках мины ", "ru"));
  CHECK(three.exact_total == 15);
  CHECK_FALSE(has(three, "/ru/pages/wanted/"));
}
