// Query words that Xapian's QueryParser cannot take as they are typed, made
// into queries of our own through field processors of the parser:
// - a run of Han characters: its words (index/han_words.h), whether or not
//   the visitor put spaces between them;
// - an Arabic word with a clitic conjunction or preposition that is not an
//   article (و ف ب ل ك, وب ول وك فب فل فك; the article and its combinations
//   are stripped by normalize_for_search on both sides): the word, the word
//   without it when that is a word of the index, and the other clitic forms
//   of that word found in the index, as one synonym ("لتدابير" finds a text
//   with "وتدابير" or "تدابير", and "تدابير" one with "وتدابير"). The rest
//   must have 4 letters (5 after two clitics) and be a word of the index
//   (alone, or after another clitic), so that "بلد", "كتاب", "فريق",
//   "لجنة" or "ولاية" are not taken for a clitic and something else.
// - an Arabic word whose article (or its combination with a clitic) the
//   normaliser takes off: the same, and a weight for the texts that have it
//   as written (arabic_written_boost), so a rare written form ("والتخطيط")
//   ranks above the commoner ones it now matches ("التخطيط").
// Quoted phrases and prefixed words ("title:地雷") are left to the parser
// (Xapian's CJK n-grams, which the index keeps).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace sitegen::index {

// Adds the field processors that mark_query_words' marks name (the
// stemmer is the query language's, for the Arabic forms).
void add_query_word_processors(Xapian::QueryParser& qp, const Xapian::Stem& stemmer);

// The normalised query with each such word marked for its processor (an
// Arabic word with the forms that db has, looked up once here).
// With `any_word`, a Han run asks for any of its words (a relaxed query).
std::string mark_query_words(std::string_view normalized, const Xapian::Database& db,
                             bool any_word = false);

// Whether a token of a marked query, without the query syntax's
// punctuation around it (search.cc's strip_punct), is a marked word (the
// parser takes it as a field, which NEAR, ADJ and phrases do not take).
bool is_marked_word(std::string_view token);

// A query string (Xapian's spelling correction of a marked one) without the
// marks.
std::string unmark_query_words(std::string_view marked);

// The forms of a normalised Arabic word that a query for it searches
// together (the word itself first); one when it has no other.
std::vector<std::string> arabic_forms(const Xapian::Database& db, std::string_view word);

// A weight for the texts that have the Arabic words of `raw` (the query as
// typed, before normalize_for_search) as they are written there, where
// normalize_for_search takes an article off them: an OR of their written
// forms that db has (layout.h, kArabicWrittenPrefix), to join to the
// query with OP_AND_MAYBE, which leaves what it matches as it was. Empty
// when there are none.
Xapian::Query arabic_written_boost(std::string_view raw, const Xapian::Database& db);

}  // namespace sitegen::index
