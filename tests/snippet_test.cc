// Snippets (index/snippet.h): the two-pass snippet_of gives what marking the
// whole text gives, on texts of every script, spacing and length.
#include "index/snippet.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using sitegen::index::Highlight;
using sitegen::index::leading_excerpt;
using sitegen::index::snippet_marking_all;
using sitegen::index::snippet_of;

namespace {

Highlight english(std::initializer_list<const char*> terms) {
  Highlight hl;
  hl.stemmer = Xapian::Stem("english");
  hl.suffix_stems = true;
  std::vector<Xapian::Query> qs;
  for (const char* t : terms) qs.emplace_back(t);
  hl.add_query(Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end()));
  return hl;
}

Highlight of(const char* stemmer, bool suffix, std::initializer_list<const char*> terms) {
  Highlight hl;
  hl.stemmer = Xapian::Stem(stemmer);
  hl.suffix_stems = suffix;
  std::vector<Xapian::Query> qs;
  for (const char* t : terms) qs.emplace_back(t);
  hl.add_query(Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end()));
  return hl;
}

// A text of n pieces drawn from words of several scripts, punctuation and
// white space of every kind, so that collapsing, apostrophes, CJK runs and
// region boundaries all occur.
std::string random_text(std::mt19937& rng, size_t n) {
  static const std::vector<std::string> pieces = {
      "mine", "mines", "Mine", "clearance", "cleared", "victim", "assistance", "the", "of",
      "Article", "5", "2019", "l'assistance", "aux", "victimes", "déminage", "минам", "мины",
      "разминирование", "الألغام", "والألغام", "ألغام", "地雷", "地", "雷", "受害者", "援助",
      "的", "国家", "。", "，", "—", "'", "’", "-", ",", ".", ";", "(", ")", "«", "»", " ",
      " ", " ", " ", "  ", "\n", "\n\n", "\t", " \r\n ", "x", "Ü", "coop", "cooperation", "Мины", "МИН", "мин’ам", "Разминирование", "ра'мины", "lʼassistance",
      "l’assistance", "L'Assistance", "a", "A", "y", "as", "las", "asistencia", "víctimas", "Asistencia", "ﬁn", "Déminage", "DÉMINAGE", "ÉTAT", "état", "İmines", "ёж", "Ёлка", "ﬀ"};
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::string s;
  for (size_t i = 0; i < n; ++i) s += pieces[pick(rng)];
  return s;
}

}  // namespace

TEST_CASE("snippet: the two passes give what marking the whole text gives") {
  std::vector<std::pair<std::string, Highlight>> highlights;
  highlights.emplace_back("en stems", english({"Zmine", "Zclearanc"}));
  highlights.emplace_back("en word", english({"victim"}));
  {
    Highlight hl = english({"Zcooper"});
    hl.wildcards.push_back("coop");
    highlights.emplace_back("en wildcard", hl);
  }
  highlights.emplace_back("fr", of("french", true, {"Zassist", "Zvictim", "Zdémin"}));
  highlights.emplace_back("ru", of("russian", true, {"Zмин", "Zразминирован"}));
  // A word of one letter ("a", "y"): it still rules out what it cannot begin.
  highlights.emplace_back("es short words", of("spanish", true, {"Zasistent", "Za", "a", "Zvictim", "y"}));
  highlights.emplace_back("fr folded", of("french", true, {"Zetat", "Zdemin"}));
  highlights.emplace_back("ru folded", of("russian", true, {"Zелк", "Zеж", "Zмин"}));
  highlights.emplace_back("ar", of("arabic", false, {"Zلغم", "ألغام"}));
  highlights.emplace_back("zh bigram", of("none", false, {"地雷"}));
  highlights.emplace_back("zh unigrams", of("none", false, {"受", "害", "者"}));
  // The same, without ruling words out by their first letters (copied
  // before use: a Highlight keeps what it saw).
  std::vector<Highlight> unfiltered;
  for (const auto& [name, hl] : highlights) {
    unfiltered.push_back(hl);
    unfiltered.back().prefilter = false;
  }
  const char* langs[] = {"en", "fr", "ru", "ar", "zh"};
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<size_t> length(0, 4000);
  size_t marked = 0, cut = 0;
  for (int i = 0; i < 600; ++i) {
    const std::string text = random_text(rng, length(rng));
    for (size_t h = 0; h < highlights.size(); ++h) {
      const auto& [name, hl] = highlights[h];
      const std::string lang = langs[static_cast<size_t>(i) % 5];
      const std::string fast = snippet_of(text, hl, lang), whole = snippet_marking_all(text, hl, lang);
      INFO(name, " ", lang, " text of ", text.size(), " bytes");
      REQUIRE(fast == whole);
      // Ruling words out by their first letters loses none that match.
      REQUIRE(fast == snippet_marking_all(text, unfiltered[h], lang));
      if (fast.find("<mark>") != std::string::npos) ++marked;
      if (fast.rfind("…", 0) == 0) ++cut;
    }
  }
  // The comparison covered snippets with matches, cut from long texts.
  CHECK(marked > 1000);
  CHECK(cut > 500);
}

TEST_CASE("snippet: a match deep in a long text, with context on both sides") {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "Lorem ipsum dolor sit amet,\n\n  consectetur. ";
  const size_t at = text.size();
  text += "The clearance of mines in Angola. ";
  for (int i = 0; i < 400; ++i) text += "Sed do eiusmod tempor incididunt. ";
  const Highlight hl = english({"Zmine", "Zclearanc"});
  const std::string s = snippet_of(text, hl, "en");
  CHECK(s == snippet_marking_all(text, hl, "en"));
  CHECK(s.rfind("…", 0) == 0);
  CHECK(s.find("The <mark>clearance</mark> of <mark>mines</mark> in Angola.") != std::string::npos);
  CHECK(s.size() < 400);
  CHECK(s.substr(s.size() - 3) == "…");
  CHECK(at > 10000);
}

TEST_CASE("snippet: nothing to mark, and no words asked for") {
  const std::string text(5000, 'a');
  CHECK(snippet_of(text, english({"Zmine"}), "en").empty());
  CHECK(snippet_of("mines and mines", Highlight{}, "en").empty());
  CHECK(snippet_of("", english({"Zmine"}), "en").empty());
  CHECK(snippet_of(" \n\t ", english({"Zmine"}), "en").empty());
}

TEST_CASE("snippet: the escaped opening of a text") {
  CHECK(leading_excerpt("  <b>Mines</b> &\n\n more  ") == "&lt;b&gt;Mines&lt;/b&gt; &amp; more");
  const std::string excerpt = leading_excerpt(std::string(300, 'x') + " tail");
  CHECK(excerpt.size() == 200 + std::string("…").size());
}
