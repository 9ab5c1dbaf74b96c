// Typo correction per language (issue 11, point 3): the words of each
// language's texts, with their document frequencies, kept by the writer in
// the index itself (one metadata entry per language and database, see
// docs/index-format.md "Spelling"), and the query side's lookup of the
// closest words of the query's language, never of another. Xapian's own
// spelling table is one for all languages and offers one word only; this
// one knows which language a word is of, and returns every close word of
// similar frequency, so that an ambiguous correction searches them together.
//
// Words are compared as the index holds them (after normalize_for_search and
// lower-casing): accents, case and Arabic letter forms never count as typos.
// A Vocabulary is immutable once made, and safe to share between threads.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sitegen::index {

// The metadata key holding the words of `lang` in one database.
std::string vocabulary_key(std::string_view lang);

// Whether an indexed term is a word worth offering as a correction:
// unprefixed (prefixed terms start with an ASCII capital), with a letter,
// no CJK (n-grams make poor corrections), at least two bytes.
bool is_spelling_word(std::string_view term);

// The words to add to and take out of each language's vocabulary over one
// update of one database, summed: one rewrite of each language's entry per
// commit, not one per document. Not thread-safe (merge per-thread ones).
class VocabularyChanges {
 public:
  // Adds (sign +1) or takes back (-1) the spelling words of `doc`, whose
  // text is in `lang`.
  void count(const Xapian::Document& doc, const std::string& lang, int sign);
  void merge(const VocabularyChanges& other);
  // Reads each changed language's entry of `db`, applies the changes and
  // writes it back (inside the writer's transaction).
  void apply(Xapian::WritableDatabase& db) const;

 private:
  std::map<std::string, std::unordered_map<std::string, int>> delta_;
};

// A word and the number of documents (language versions) that contain it.
using WordCount = std::pair<std::string, uint32_t>;

// The metadata value: words sorted, front-coded (shared prefix length,
// suffix, frequency, each length a LEB128 number). Exposed for tests.
std::string encode_vocabulary(const std::vector<WordCount>& sorted_words);
std::vector<WordCount> decode_vocabulary(std::string_view value);

class Vocabulary {
 public:
  explicit Vocabulary(std::vector<WordCount> words);
  ~Vocabulary();

  // The words of `lang` in every database behind `index_dir`: one
  // database, or the shards of a stub (local `auto`/`glass` lines and
  // `remote` ones, whose metadata xapian-tcpsrv serves), frequencies summed
  // (a language may be in several shards). Never null; empty when the index
  // has no words of that language or cannot be read.
  static std::shared_ptr<const Vocabulary> load(const std::filesystem::path& index_dir,
                                                const std::string& lang);

  size_t size() const;
  uint32_t frequency(std::string_view word) const;  // 0: not a word of this language
  bool knows(std::string_view word) const { return frequency(word) > 0; }

  // The corrections of an unknown word: the words at the smallest edit
  // distance (Damerau, in code points; at most 1 for words of up to six
  // letters, 2 for longer ones; none for words shorter than four) whose
  // frequency is at least a third of the most frequent of them, most
  // frequent first, at most three. Empty for a known word.
  std::vector<std::string> corrections(std::string_view word) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A query with its unknown words corrected.
struct QueryCorrection {
  std::string query;     // the query as typed, the corrected words replaced
  bool changed = false;  // whether any word was corrected
};

// Corrects, word by word, the words of `query` (as the visitor typed it)
// that `vocabulary` (of `lang`, the language the query is read in) does not
// know: one correction replaces the word (in its normalised form), several
// are searched together, "(mine OR mind)". Operators, field and wildcard
// terms, excluded words ("-word"), words with digits and CJK are left as
// they are; a phrase's words get their best correction alone. A word for
// which `also_known` (when given) is true is kept too: the searcher's test
// of whether the index has its stem, so that another form of a word of the
// texts ("разминированию" for "разминирование") is never rewritten.
QueryCorrection correct_query(std::string_view query, const std::string& lang,
                              const Vocabulary& vocabulary,
                              const std::function<bool(const std::string&)>& also_known = {});

}  // namespace sitegen::index
