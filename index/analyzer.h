// Text analysis per language, applied the same way to indexed text and to
// queries so that both meet: diacritics folded in Latin scripts
// ("coopération" = "cooperation"), French elided particles dropped
// ("l'assistance" = "assistance"), Arabic normalised (alef forms, taa marbuta, alef maqsura,
// tatweel, harakat), case folded. Stemming and CJK n-grams are Xapian's
// (see stemmer_language, and the FLAG_CJK_NGRAM flags used by the writer and
// the query parser). Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sitegen::index {

// Normalises text written in `lang` (the text's language) for indexing or
// querying. Keeps word boundaries, digits, CJK characters and the
// punctuation that Xapian's query syntax needs (quotes, parentheses, '*',
// '-', '+', ':' and '/' and '.' inside symbols).
std::string normalize_for_search(std::string_view text, std::string_view lang);

// The same, and the Arabic words whose article's combination with a
// conjunction or preposition (وال بال لل ..., step 5 in analyzer.cc) it
// took off, appended to *article_words as they were before that (otherwise
// normalised: "والتخطيط", which the text gets as "تخطيط"), in text order,
// once per occurrence. Not those with the article alone ("التخطيط"): most
// words of a text have one, and that form is as common as the word.
// article_words may be null.
std::string normalize_for_search(std::string_view text, std::string_view lang,
                                 std::vector<std::string>* article_words);

// The Xapian stemmer name for a language ("english", "french", "spanish",
// "russian", "arabic"), or "" where none is used (Chinese: n-grams).
std::string stemmer_language(std::string_view lang);

}  // namespace sitegen::index
