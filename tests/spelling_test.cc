// Per-language vocabularies and typo correction (index/spelling.h): the
// stored form, which words are offered, and how a query is rewritten.
#include "index/spelling.h"

#include <doctest/doctest.h>

using namespace sitegen::index;

namespace {

Vocabulary words(std::vector<WordCount> v) { return Vocabulary(std::move(v)); }

}  // namespace

TEST_CASE("spelling: the stored vocabulary reads back as written") {
  std::vector<WordCount> v = {{"assistance", 3},
                              {"assistant", 1},
                              {"déminage", 200000},
                              {"разминирование", 7},
                              {"ألغام", 2}};
  std::string stored = encode_vocabulary(v);
  CHECK(decode_vocabulary(stored) == v);
  // Front-coded: "assistant" is stored as the 8 bytes it shares and a "t".
  CHECK(stored.find("assistant") == std::string::npos);
  CHECK(decode_vocabulary("").empty());
  CHECK(decode_vocabulary("2garbage").empty());
  // Cut short: the words before the cut, nothing invented.
  CHECK(decode_vocabulary(stored.substr(0, stored.size() - 3)).size() < v.size());
}

TEST_CASE("spelling: a spelling word is an unprefixed, non-CJK term with a letter") {
  CHECK(is_spelling_word("mines"));
  CHECK(is_spelling_word("разминирование"));
  CHECK(is_spelling_word("a1"));
  CHECK_FALSE(is_spelling_word("Zmine"));
  CHECK_FALSE(is_spelling_word("XLfr"));
  CHECK_FALSE(is_spelling_word("2025"));
  CHECK_FALSE(is_spelling_word("地雷"));
  CHECK_FALSE(is_spelling_word("x"));
}

TEST_CASE("spelling: corrections are the closest words, most frequent first") {
  Vocabulary v = words({{"clearance", 40},
                        {"clearances", 2},
                        {"cooperation", 30},
                        {"mines", 100},
                        {"mine", 60},
                        {"mind", 2},
                        {"transparency", 9}});
  // One edit of each kind: substitution, deletion, insertion, swap.
  CHECK(v.corrections("clearence") == std::vector<std::string>{"clearance"});
  CHECK(v.corrections("coperation") == std::vector<std::string>{"cooperation"});
  CHECK(v.corrections("cooperattion") == std::vector<std::string>{"cooperation"});
  CHECK(v.corrections("cooperatoin") == std::vector<std::string>{"cooperation"});
  // Two edits in a long word; never in a short one.
  CHECK(v.corrections("trensparancy") == std::vector<std::string>{"transparency"});
  CHECK(v.corrections("mnies").empty() == false);
  CHECK(v.corrections("mxnxs").empty());
  // Known words are never corrected, short ones not at all.
  CHECK(v.corrections("mines").empty());
  CHECK(v.corrections("mine").empty());
  CHECK(v.corrections("min").empty());
  // The closest distance only: "clearances" (two edits) is not offered for
  // "clearence" beside "clearance" (one).
  CHECK(v.corrections("clearence").size() == 1);
}

TEST_CASE("spelling: close words of similar frequency are all offered") {
  Vocabulary v = words({{"mines", 100}, {"mine", 60}, {"minds", 2}});
  // "minse": one swap from "mines", one deletion from "mine"; "minds" is
  // also one edit away but fifty times rarer.
  CHECK(v.corrections("minse") == std::vector<std::string>{"mines", "mine"});
  Vocabulary rare = words({{"mines", 100}, {"mine", 10}});
  CHECK(rare.corrections("minse") == std::vector<std::string>{"mines"});
}

TEST_CASE("spelling: a query is corrected word by word, as typed elsewhere") {
  Vocabulary en = words({{"clearance", 40},
                         {"mine", 60},
                         {"mines", 100},
                         {"victim", 5},
                         {"assistance", 20},
                         {"cooperation", 30}});
  QueryCorrection c = correct_query("Mine clearence", "en", en);
  CHECK(c.changed);
  CHECK(c.query == "Mine clearance");
  // Known words, operators, excluded words, wildcards, fields, numbers and
  // symbols stay as they are.
  c = correct_query("victim AND assistance -clearence assis* title:mine 2025 APLC/MSP.22", "en",
                    en);
  CHECK_FALSE(c.changed);
  CHECK(c.query == "victim AND assistance -clearence assis* title:mine 2025 APLC/MSP.22");
  // Punctuation around the word is kept; several alternatives are ORed.
  c = correct_query("(victim OR clearence), minse", "en", en);
  CHECK(c.query == "(victim OR clearance), (mines OR mine)");
  // Inside a phrase, the best alone.
  c = correct_query("\"minse clearance\"", "en", en);
  CHECK(c.query == "\"mines clearance\"");
  // Case and accents are not typos: "COOPÉRATION" is "cooperation".
  c = correct_query("COOPÉRATION Victim", "en", en);
  CHECK_FALSE(c.changed);
  // An unknown word without a close one stays.
  c = correct_query("quetzalcoatlite", "en", en);
  CHECK_FALSE(c.changed);
}

TEST_CASE("spelling: Arabic is corrected after its normalisation") {
  // The index holds normalised words: أ إ آ -> ا, ة -> ه, the article dropped.
  Vocabulary ar = words({{"غام", 12}, {"مساعده", 8}, {"ازاله", 5}});
  // Another alef form or the article is not a typo.
  CHECK_FALSE(correct_query("إزالة", "ar", ar).changed);
  CHECK_FALSE(correct_query("المساعدة", "ar", ar).changed);
  // A letter left out is.
  QueryCorrection c = correct_query("المساعد", "ar", ar);
  CHECK(c.changed);
  CHECK(c.query == "مساعده");
}

TEST_CASE("spelling: a word known otherwise (by its stem) is kept") {
  Vocabulary en = words({{"clearance", 40}, {"clearing", 5}});
  auto stem_known = [](const std::string& w) { return w == "clearings"; };
  QueryCorrection c = correct_query("clearings clearence", "en", en, stem_known);
  CHECK(c.query == "clearings clearance");
  CHECK(correct_query("clearings", "en", en).query == "clearing");
}
