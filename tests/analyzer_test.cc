#include "index/analyzer.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

// Invisible or look-alike characters are spelled as escapes: U+2019 ’,
// U+00A0 no-break space, U+202F narrow no-break space, U+3000 ideographic
// space, U+0640 tatweel, U+064B..U+065F harakat.

using sitegen::index::normalize_for_search;
using sitegen::index::stemmer_language;

namespace {

struct Case {
  const char* lang;
  const char* in;
  const char* expected;
};

void check_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    CAPTURE(c.lang);
    CAPTURE(c.in);
    CHECK(normalize_for_search(c.in, c.lang) == c.expected);
  }
}

// Normalises, splits on spaces and stems each word with the language's
// stemmer (as the index writer's TermGenerator would).
std::string stemmed(const std::string& text, const std::string& lang) {
  const std::string name = stemmer_language(lang);
  Xapian::Stem stem = name.empty() ? Xapian::Stem() : Xapian::Stem(name);
  std::istringstream words(normalize_for_search(text, lang));
  std::string word, out;
  while (words >> word) {
    if (!out.empty()) out += ' ';
    out += stem(word);
  }
  return out;
}

}  // namespace

TEST_CASE("analyzer: case folding") {
  check_cases({
      {"en", "Mine Action REPORTS", "mine action reports"},
      {"de", "Straße", "strasse"},
      {"fr", "ÉTATS PARTIES", "etats parties"},
      {"ru", "ДОКЛАД Комитета", "доклад комитета"},
      {"es", "ÑANDÚ", "nandu"},
      {"en", "", ""},
  });
}

TEST_CASE("analyzer: Latin diacritics and ligatures folded") {
  check_cases({
      {"fr", "coopération", "cooperation"},
      {"fr", "Côte d\u2019Ivoire", "cote ivoire"},
      {"es", "Perú", "peru"},
      {"es", "España", "espana"},
      {"es", "cooperación", "cooperacion"},
      {"fr", "cœur", "coeur"},
      {"fr", "Œuvre", "oeuvre"},
      {"en", "Cæsar", "caesar"},
      {"en", "Türkiye", "turkiye"},
      {"en", "İstanbul", "istanbul"},
      // Already decomposed input (e + U+0301).
      {"fr", "coope\u0301ration", "cooperation"},
      {"en", "São Tomé and Príncipe", "sao tome and principe"},
  });
}

TEST_CASE("analyzer: Cyrillic keeps its marks except ё -> е") {
  check_cases({
      {"ru", "й", "й"},
      {"ru", "Мой", "мой"},
      {"ru", "ёлка", "елка"},
      {"ru", "Ёж", "еж"},
      {"ru", "её", "ее"},
      {"ru", "Государства-участники", "государства-участники"},
      // Decomposed й (и + U+0306) is recomposed, not stripped.
      {"ru", "и\u0306", "й"},
  });
}

TEST_CASE("analyzer: apostrophes and French elisions") {
  check_cases({
      {"fr", "l'assistance", "assistance"},
      {"fr", "l\u2019assistance", "assistance"},
      {"fr", "l\u2018assistance", "assistance"},
      {"fr", "l\u02BCassistance", "assistance"},
      {"fr", "d'Ivoire", "ivoire"},
      {"fr", "qu'il", "il"},
      {"fr", "jusqu'à", "a"},
      {"fr", "lorsqu'un État", "un etat"},
      {"fr", "puisqu'elle", "elle"},
      {"fr", "quoiqu'il", "il"},
      {"fr", "j'ai m'a n'est s'il t'a c'est", "ai a est il a est"},
      {"fr", "L'ONU", "onu"},
      {"fr", "(l'assistance aux victimes)", "(assistance aux victimes)"},
      {"fr", "\"l'élimination des stocks\"", "\"elimination des stocks\""},
      // Not at a word start, or not before a letter: kept.
      {"fr", "aujourd'hui", "aujourd'hui"},
      {"fr", "presqu'île", "presqu'ile"},
      {"fr", "l' espace", "l' espace"},
      {"en", "it's the States' report", "it's the states' report"},
      {"en", "O\u2019Brien", "o'brien"},
  });
}

TEST_CASE("analyzer: Arabic normalisation") {
  check_cases({
      // harakat removed
      {"ar", "مُسَاعَدَة", "مساعده"},
      // tatweel removed
      {"ar", "مســاعدة", "مساعده"},
      // alef forms
      {"ar", "أمم", "امم"},
      {"ar", "إزالة", "ازاله"},
      {"ar", "آمن", "امن"},
      {"ar", "ٱسم", "اسم"},
      // taa marbuta, alef maqsura, hamza on waw / yaa
      {"ar", "اتفاقية", "اتفاقيه"},
      {"ar", "مستشفى", "مستشفي"},
      {"ar", "مؤتمر", "موتمر"},
      {"ar", "رئيس", "رييس"},
      // digits
      {"ar", "٢٠٢٥", "2025"},
      {"ar", "۲۰۲۵", "2025"},
      // definite article and its prefixed forms dropped from long enough words
      // (repeatedly: the normalised ألغام starts with ال too)
      {"ar", "الألغام", "غام"},
      {"ar", "ألغام", "غام"},
      {"ar", "الغام", "غام"},
      {"ar", "المساعدة", "مساعده"},
      {"ar", "والمساعدة", "مساعده"},
      {"ar", "بالألغام", "غام"},
      {"ar", "اليد", "يد"},
      {"ar", "للمساعدة", "مساعده"},
      // too short to lose it
      {"ar", "الم", "الم"},
      {"ar", "والد", "والد"},
      // a conjunction (و ف) before a preposition (ب ك) and the article, or
      // before ل + article (لل): the same word as with the article alone
      {"ar", "والتدابير", "تدابير"},
      {"ar", "وبالتدابير", "تدابير"},
      {"ar", "فبالتدابير", "تدابير"},
      {"ar", "وكالتدابير", "تدابير"},
      {"ar", "فكالتدابير", "تدابير"},
      {"ar", "وللتدابير", "تدابير"},
      {"ar", "فللتدابير", "تدابير"},
      {"ar", "وللمساعدة", "مساعده"},
      {"ar", "وبالألغام", "غام"},
      // a word whose own letters start so keeps them: وكالة (agency) is not
      // و + كال + ة, nor وكالات و + كال + ات
      {"ar", "وكالة", "وكاله"},
      {"ar", "وكالات", "وكالات"},
      {"ar", "فلل", "فلل"},
      // without the article, nothing is stripped here (the query side
      // expands against the index: index/query_words.h)
      {"ar", "وتدابير", "وتدابير"},
      {"ar", "لتدابير", "لتدابير"},
      {"ar", "بلد", "بلد"},
      {"ar", "ولاية", "ولايه"},
      {"ar", "كتاب", "كتاب"},
      {"ar", "فريق", "فريق"},
      {"ar", "لجنة", "لجنه"},
      // Latin symbol inside Arabic text
      {"ar", "الوثيقة APLC/MSP.22/2025/WP.3", "وثيقه aplc/msp.22/2025/wp.3"},
      // Arabic presentation forms (PDF text) become letters
      {"ar", "\uFEE3\uFEE4\uFEE8\uFECA", "ممنع"},
  });
}

TEST_CASE("analyzer: Arabic words that lose a clitic with the article, as written") {
  // What the writer indexes under XW (docs/index-format.md), and the query
  // side looks for: the form before step 5, otherwise normalised (ة -> ه,
  // أ -> ا, harakat dropped), once per occurrence, in order.
  std::vector<std::string> written;
  CHECK(normalize_for_search("والتخطيط التخطيط للجنة وبالألغام ألغام والتَّخطيط mines وتدابير", "ar",
                             &written) == "تخطيط تخطيط جنه غام غام تخطيط mines وتدابير");
  CHECK(written == std::vector<std::string>{"والتخطيط", "للجنه", "وبالالغام", "والتخطيط"});
  // The article alone is not collected (most words have it), nor a word too
  // short to lose anything, nor one without the article.
  written.clear();
  normalize_for_search("التخطيط الألغام والد وتدابير", "ar", &written);
  CHECK(written.empty());
  // The same text without the list.
  CHECK(normalize_for_search("والتخطيط", "ar", nullptr) == normalize_for_search("والتخطيط", "ar"));
}

TEST_CASE("analyzer: CJK kept, full-width folded, spaces") {
  check_cases({
      {"zh", "禁止杀伤人员地雷公约", "禁止杀伤人员地雷公约"},
      {"zh", "缔约国会议\u3000第二十二届", "缔约国会议 第二十二届"},
      {"zh", "ＡＰＬＣ／ＭＳＰ．２２", "aplc/msp.22"},
      {"zh", "（２０２５）", "(2025)"},
      {"fr", "22\u00A0mai", "22 mai"},
      {"fr", "article\u202F5", "article 5"},
      {"en", "soft\u00ADhyphen", "softhyphen"},
  });
}

TEST_CASE("analyzer: query syntax and document symbols kept") {
  check_cases({
      {"en", "APLC/MSP.22/2025/WP.3", "aplc/msp.22/2025/wp.3"},
      {"fr", "APLC/MSP.22/2025/WP.3", "aplc/msp.22/2025/wp.3"},
      {"fr", "Coopération APLC/MSP.22/2025/WP.3", "cooperation aplc/msp.22/2025/wp.3"},
      {"ru", "APLC/MSP.22/2025/WP.3", "aplc/msp.22/2025/wp.3"},
      {"en", "\"victim assistance\" AND (mine* OR -cluster) +Article:5",
       "\"victim assistance\" and (mine* or -cluster) +article:5"},
      {"fr", "\"assistance aux victimes\" -(Côte:Ivoire) état*",
       "\"assistance aux victimes\" -(cote:ivoire) etat*"},
  });
}

TEST_CASE("analyzer: stemmer_language") {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"en", "english"}, {"fr", "french"},     {"es", "spanish"},
      {"ru", "russian"}, {"ar", "arabic"},     {"de", "german"},
      {"pt", "portuguese"}, {"zh", ""},        {"ja", ""},
      {"ko", ""},        {"it", "italian"},    {"nl", "dutch"},
      {"sv", "swedish"}, {"fr-CA", "french"},  {"", ""},
      {"xx", ""},        {"qq", ""},
  };
  for (const auto& [case_lang, expected] : cases) {
    const auto& lang = case_lang;  // CAPTURE's lambda cannot take a binding in clang 14
    CAPTURE(lang);
    CHECK(stemmer_language(lang) == expected);
  }
}

TEST_CASE("analyzer: index and query sides meet after stemming") {
  struct Pair {
    const char* lang;
    const char* a;
    const char* b;
  };
  const std::vector<Pair> pairs = {
      {"en", "reports", "report"},
      {"en", "Mine Action", "mine action"},
      {"fr", "coopération", "cooperation"},
      {"fr", "l'assistance", "assistance"},
      {"fr", "l\u2019assistance", "assistance"},
      {"fr", "Côte d\u2019Ivoire", "cote d'ivoire"},
      {"es", "cooperación", "cooperacion"},
      {"es", "Perú", "peru"},
      {"ru", "доклады", "доклад"},
      {"ru", "Ёлка", "елка"},
      {"ar", "الألغام", "ألغام"},
      {"ar", "الالغام", "الغام"},
      {"ar", "الألغام", "الغام"},
      {"ar", "المساعدة", "مساعدة"},
      {"ar", "مُسَاعَدَة", "مساعدة"},
      {"ar", "والمساعدة", "مساعدة"},
      {"ar", "الأمم", "أمم"},
      {"ar", "والتدابير", "التدابير"},
      {"ar", "وبالتدابير", "التدابير"},
      {"ar", "وللتدابير", "بالتدابير"},
      {"ar", "فكالتدابير", "تدابير"},
      {"zh", "ＡＰＬＣ／ＭＳＰ．２２／２０２５／ＷＰ．３", "APLC/MSP.22/2025/WP.3"},
      {"zh", "地雷", "地雷"},
  };
  for (const auto& p : pairs) {
    CAPTURE(p.lang);
    CAPTURE(p.a);
    CAPTURE(p.b);
    const std::string a = stemmed(p.a, p.lang);
    const std::string b = stemmed(p.b, p.lang);
    CAPTURE(a);
    CAPTURE(b);
    CHECK(!a.empty());
    CHECK(a == b);
  }
}

TEST_CASE("analyzer: a different stem stays different") {
  // Guards against over-normalisation.
  CHECK(stemmed("доклад", "ru") != stemmed("договор", "ru"));
  CHECK(stemmed("مساعدة", "ar") != stemmed("ألغام", "ar"));
  CHECK(stemmed("assistance", "fr") != stemmed("destruction", "fr"));
}

TEST_CASE("analyzer: idempotent on its own output") {
  const std::vector<Case> cases = {
      {"fr", "Côte d\u2019Ivoire, l'assistance aux victimes", ""},
      {"es", "Cooperación y asistencia — Perú", ""},
      {"ru", "Доклады Государств-участников, ёж", ""},
      {"zh", "禁止杀伤人员地雷公约 ＡＰＬＣ", ""},
      {"en", "APLC/MSP.22/2025/WP.3 \"mine action\"", ""},
      {"ar", "الألغام والمُسَاعَدَة للضحايا ٢٠٢٥ بالإزالة", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    const std::string once = normalize_for_search(c.in, c.lang);
    CHECK(normalize_for_search(once, c.lang) == once);
  }
}

TEST_CASE("analyzer: a text normalises as its words do, whatever surrounds them") {
  // ASCII words take a fast path and ICU sees the other stretches: the
  // result must not depend on where those stretches begin and end.
  const std::vector<std::string> words = {
      "Mine",  "CLEARANCE", "l'Assistance", "d’Ivoire", "Côte",    "ŒUVRE",
      "Perú",  "ёЖ",        "́x",      "South Sudan", "ＡＰＬＣ", "禁止地雷",
      "بالإزالة", "الألغام",   "٢٠٢٥",        "APLC/MSP.22",  "qu'il",   "Straße"};
  for (const auto& a : words)
    for (const auto& b : words) {
      CAPTURE(a);
      CAPTURE(b);
      for (const char* space : {" ", "\n", "\t "}) {
        const std::string joined = normalize_for_search(a + space + b, "fr");
        CHECK(joined == normalize_for_search(a, "fr") + space + normalize_for_search(b, "fr"));
      }
    }
}

TEST_CASE("analyzer: invalid UTF-8 does not throw") {
  const std::string bad = "caf\xC3 \xFF\xFE r\xC3\xA9sum\xC3\xA9";
  std::string out;
  CHECK_NOTHROW(out = normalize_for_search(bad, "fr"));
  CHECK(out.find("resume") != std::string::npos);
}

TEST_CASE("analyzer: thread-safe") {
  const std::string fr = "Coopération et assistance : l'article 6, Côte d\u2019Ivoire";
  const std::string ar = "المُسَاعَدَة والألغام ٢٠٢٥";
  const std::string fr_expected = normalize_for_search(fr, "fr");
  const std::string ar_expected = normalize_for_search(ar, "ar");
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      int good = 1;
      for (int i = 0; i < 500; ++i) {
        if (normalize_for_search(fr, "fr") != fr_expected) good = 0;
        if (normalize_for_search(ar, "ar") != ar_expected) good = 0;
      }
      ok[t] = good;
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) CHECK(ok[t] == 1);
}
