// Chinese (Han) text as words, the same way on the index and the query
// side: a run of Han characters is cut into words by ICU's dictionary-based
// word break iterator (locale zh), so that "纳入也门", typed without a space,
// finds a text with 纳入 and 也门 apart, which Xapian 1.4's CJK n-grams
// (every bigram of the run, joined with AND, 入也 included) could not.
//
// The index keeps, for each run, what Xapian's n-grams gave (each character
// a term with its position, each pair of adjacent characters a term) and
// adds the words: a word of two characters is its pair given a position, a
// longer word a term of its own at the position of its first character.
// A query word then matches whether or not the text's segmentation cut the
// same word (that of a short query can differ from that of a sentence): a
// word of one or two characters is its unigram or bigram, a longer one the
// word or all its bigrams. Other CJK scripts (kana, Hangul) keep Xapian's
// n-grams. Thread-safe.
#pragma once

#include <unicode/umachine.h>
#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace sitegen::index {

// Whether c is a Han character (script Han: ideographs, 々, 〇).
bool is_han(UChar32 c);

// The words of a run of Han characters (UTF-8, Han only), in order; their
// concatenation is the run.
std::vector<std::string> segment_han(std::string_view run);

// The maximal runs of Han characters in text (UTF-8).
std::vector<std::string> han_runs(std::string_view text);

// Indexes normalised text as tg.index_text(text, wdf_inc, prefix) does
// (tg must have FLAG_CJK_NGRAM, for kana and Hangul), but each run of Han
// characters as described above, at positions that continue tg's.
void index_text(Xapian::TermGenerator& tg, Xapian::Document& doc, std::string_view text,
                Xapian::termcount wdf_inc = 1, const std::string& prefix = "");

// The query for one run of Han characters: every word of it (as above),
// and the run as a phrase of its characters, or its pairs, ranked above
// (OP_AND_MAYBE), so that adjacent words come first. With `any_word`, any
// of its words (a relaxed query: search.cc's fallbacks), those with more
// of them first, and the run's phrase still above.
Xapian::Query han_query(std::string_view run, const std::string& prefix = "",
                        bool any_word = false);

}  // namespace sitegen::index
