// Snippets (SITE-FORMAT §3, `snippet`): the ~200 bytes of a result's text
// around its densest matches, HTML-escaped, the matched words in <mark>, as
// the index saw them (normalised and stemmed in the text's language, CJK a
// character or a pair at a time). A snippet scans its whole text for the
// matches, so that scan is a loop over bytes that normalises only the words
// that may match, and the window it picks alone is cut into tokens again to
// be marked (a CGI request answers with ten of them: docs/HACKING.md, "CGI
// start-up"). A Highlight belongs to one search (one thread).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sitegen::index {

struct SnippetToken {
  size_t b, e;  // byte offsets
  bool cjk = false, match = false;
  bool apostrophe = false;  // ' ’ or ʼ inside
};

// What the query asks for, in the forms the text can be compared with.
struct Highlight {
  std::unordered_set<std::string> words;  // unstemmed terms
  std::unordered_set<std::string> stems;  // stems (without "Z")
  std::vector<std::string> wildcards;     // prefixes of "coop*"
  std::unordered_set<std::string> cjk_bigrams, cjk_unigrams;
  Xapian::Stem stemmer;
  // Whether the stemmer only strips endings (English, French, Spanish...):
  // a stem then begins as the words it matches do (may_match).
  bool suffix_stems = false;
  // false: no word is ruled out by may_match (what it must agree with).
  bool prefilter = true;

  // Adds the terms of a parsed query (Z stems, S unstemmed, CJK n-grams;
  // boolean and symbol terms are not in the text).
  void add_query(const Xapian::Query& q);
  bool empty() const {
    return words.empty() && stems.empty() && wildcards.empty() && cjk_bigrams.empty() &&
           cjk_unigrams.empty();
  }
  // Whether a word (as cut from the text) may match, from its first two
  // bytes where they are ASCII letters or digits, else from the letter its
  // first one normalises to: a query word, a prefix and (with
  // suffix_stems) a stem begin as the words they match do. Most of a
  // text's words are ruled out so, without a normalisation, a stemming and
  // lookups each. Any other word: true. `apostrophe`: the token holds one
  // (' ’ ʼ), as the tokenizer tells.
  bool may_match(std::string_view token, bool apostrophe) const;
  // The table of may_match: by a word's first two bytes, whether it may
  // match; empty when words cannot be ruled out so.
  const std::vector<bool>& first_pairs() const;
  // Whether a normalised word matches a query word, stem or prefix.
  bool matches_word(const std::string& w) const;

  // Language -> token -> whether it matches: the snippets of one answer
  // see the same words again and again.
  struct SvHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Seen = std::unordered_map<std::string, bool, SvHash, std::equal_to<>>;
  mutable std::unordered_map<std::string, Seen> seen;
  mutable bool starts_ready = false;
  mutable std::vector<bool> starts;  // by two ASCII bytes; empty: no ruling out
  // The first letters of the words, stems and prefixes; a word's first
  // letter (as in the text) -> whether it may begin a match.
  mutable std::unordered_set<int32_t> first_letters;
  mutable std::vector<int8_t> first_letter_known;  // below U+0800: -1 not yet
  mutable std::unordered_map<int32_t, bool> first_letter_seen;
  // Buffers kept from one snippet to the next.
  mutable std::string text;
  mutable std::vector<SnippetToken> tokens;
  mutable std::vector<size_t> hits;
};

// The snippet of `text` (in language `lang`, for the normalisation), or ""
// when nothing in it matches (or the query has no words: filters alone).
std::string snippet_of(std::string_view text, const Highlight& hl, const std::string& lang);

// The same snippet, the whole text cut into tokens and marked first: what
// snippet_of must equal (tests/snippet_test.cc compares them).
std::string snippet_marking_all(std::string_view text, const Highlight& hl,
                                const std::string& lang);

// The opening of a text, HTML-escaped, for a result whose matches are
// elsewhere (its title, its symbol).
std::string leading_excerpt(std::string_view text);

}  // namespace sitegen::index
