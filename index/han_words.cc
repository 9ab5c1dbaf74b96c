// Han runs as words: see han_words.h.
#include "index/han_words.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <memory>

namespace sitegen::index {
namespace {

constexpr size_t kMaxTerm = 240;  // layout::kMaxTerm; Xapian's limit is 245 bytes

// Creating a dictionary word break iterator loads its data (a millisecond or
// more); cloning the one made at start is cheap, and each thread keeps its
// clone (a BreakIterator is not thread-safe).
icu::BreakIterator* word_breaker() {
  static const std::unique_ptr<icu::BreakIterator> prototype = [] {
    UErrorCode st = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(
        icu::BreakIterator::createWordInstance(icu::Locale("zh"), st));
    if (U_FAILURE(st)) b.reset();
    return b;
  }();
  if (!prototype) return nullptr;
  thread_local std::unique_ptr<icu::BreakIterator> mine(prototype->clone());
  return mine.get();
}

// Byte offsets of the characters of a UTF-8 string, and its size at the end.
std::vector<size_t> char_starts(std::string_view s) {
  std::vector<size_t> starts;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    starts.push_back(size_t(i));
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
  }
  starts.push_back(s.size());
  return starts;
}

// Byte lengths of the words of a run.
std::vector<size_t> word_lengths(std::string_view run) {
  std::vector<size_t> lengths;
  icu::BreakIterator* bi = word_breaker();
  if (bi == nullptr) {
    // No dictionary: one character a word (the n-grams still match).
    std::vector<size_t> cs = char_starts(run);
    for (size_t k = 0; k + 1 < cs.size(); ++k) lengths.push_back(cs[k + 1] - cs[k]);
    return lengths;
  }
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(run.data(), static_cast<int32_t>(run.size())));
  bi->setText(u);
  int32_t from = bi->first();
  for (int32_t to = bi->next(); to != icu::BreakIterator::DONE; from = to, to = bi->next()) {
    // UTF-16 units to UTF-8 bytes: BMP Han are 3 bytes, the rest (two
    // surrogates) 4.
    size_t bytes = 0;
    for (int32_t k = from; k < to; ++k) bytes += U16_IS_SURROGATE(u.charAt(k)) ? 2 : 3;
    lengths.push_back(bytes);
  }
  return lengths;
}

// Calls f(byte offset, byte length) for each Han run of text, and
// g(byte offset, byte length) for each stretch between them.
template <class Han, class Other>
void each_run(std::string_view text, Han f, Other g) {
  int32_t i = 0, n = static_cast<int32_t>(text.size());
  int32_t plain = 0;  // start of the pending stretch of other text
  while (i < n) {
    // Han characters are U+2E80 and above: three or four bytes, led by
    // E2-E9 or F0 (a cheap test before decoding).
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0xE2) {
      ++i;
      continue;
    }
    int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0 || !is_han(c)) continue;
    int32_t end = i;
    while (end < n) {
      int32_t j = end;
      U8_NEXT(text.data(), j, n, c);
      if (c < 0 || !is_han(c)) break;
      end = j;
    }
    if (start > plain) g(size_t(plain), size_t(start - plain));
    f(size_t(start), size_t(end - start));
    plain = i = end;
  }
  if (n > plain) g(size_t(plain), size_t(n - plain));
}

void index_run(Xapian::TermGenerator& tg, Xapian::Document& doc, std::string_view run,
               Xapian::termcount wdf, const std::string& prefix) {
  const std::vector<size_t> cs = char_starts(run);
  const size_t chars = cs.size() - 1;
  const Xapian::termpos base = tg.get_termpos() + 1;
  // The character index at which each word starts, with its length.
  std::vector<std::pair<size_t, size_t>> words;  // (first char, chars)
  {
    size_t at = 0, k = 0;
    for (size_t bytes : word_lengths(run)) {
      size_t first = k;
      while (k < chars && cs[k] < at + bytes) ++k;
      words.emplace_back(first, k - first);
      at += bytes;
    }
  }
  std::vector<bool> word_pair(chars, false);  // a two-character word starts here
  for (const auto& [first, len] : words) {
    if (len == 2) word_pair[first] = true;
    if (len >= 3) {
      std::string term = prefix;
      term.append(run.substr(cs[first], cs[first + len] - cs[first]));
      if (term.size() <= kMaxTerm) doc.add_posting(term, base + Xapian::termpos(first), wdf);
    }
  }
  for (size_t k = 0; k < chars; ++k) {
    std::string uni = prefix;
    uni.append(run.substr(cs[k], cs[k + 1] - cs[k]));
    doc.add_posting(uni, base + Xapian::termpos(k), wdf);
    if (k + 1 < chars) {
      std::string bi = prefix;
      bi.append(run.substr(cs[k], cs[k + 2] - cs[k]));
      if (word_pair[k])
        doc.add_posting(bi, base + Xapian::termpos(k), wdf);
      else
        doc.add_term(bi, wdf);
    }
  }
  tg.set_termpos(base + Xapian::termpos(chars) - 1);
}

}  // namespace

bool is_han(UChar32 c) {
  if (c < 0x2E80) return false;
  if (c >= 0x4E00 && c <= 0x9FFF) return true;  // the common case, without a lookup
  UErrorCode st = U_ZERO_ERROR;
  return uscript_getScript(c, &st) == USCRIPT_HAN && U_SUCCESS(st);
}

std::vector<std::string> segment_han(std::string_view run) {
  std::vector<std::string> words;
  size_t at = 0;
  for (size_t bytes : word_lengths(run)) {
    words.emplace_back(run.substr(at, bytes));
    at += bytes;
  }
  return words;
}

std::vector<std::string> han_runs(std::string_view text) {
  std::vector<std::string> runs;
  each_run(
      text, [&](size_t b, size_t n) { runs.emplace_back(text.substr(b, n)); },
      [](size_t, size_t) {});
  return runs;
}

void index_text(Xapian::TermGenerator& tg, Xapian::Document& doc, std::string_view text,
                Xapian::termcount wdf_inc, const std::string& prefix) {
  each_run(
      text, [&](size_t b, size_t n) { index_run(tg, doc, text.substr(b, n), wdf_inc, prefix); },
      [&](size_t b, size_t n) {
        tg.index_text(Xapian::Utf8Iterator(text.data() + b, n), wdf_inc, prefix);
      });
}

Xapian::Query han_query(std::string_view run, const std::string& prefix, bool any_word) {
  const std::vector<std::string> words = segment_han(run);
  std::vector<Xapian::Query> parts;
  Xapian::termpos pos = 1;
  for (const std::string& w : words) {
    const std::vector<size_t> cs = char_starts(w);
    const size_t chars = cs.size() - 1;
    if (chars <= 2) {
      parts.emplace_back(prefix + w, 1, pos);
    } else {
      // The word, or (where the text was cut otherwise) all its bigrams,
      // weighed less.
      std::vector<Xapian::Query> bigrams;
      for (size_t k = 0; k + 1 < chars; ++k)
        bigrams.emplace_back(prefix + w.substr(cs[k], cs[k + 2] - cs[k]), 1, pos);
      parts.emplace_back(
          Xapian::Query::OP_OR, Xapian::Query(prefix + w, 1, pos),
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                        Xapian::Query(Xapian::Query::OP_AND, bigrams.begin(), bigrams.end()), 0.5));
    }
    ++pos;
  }
  if (parts.empty()) return Xapian::Query();
  Xapian::Query all =
      parts.size() == 1
          ? parts[0]
          : Xapian::Query(any_word ? Xapian::Query::OP_OR : Xapian::Query::OP_AND, parts.begin(),
                          parts.end());
  if (words.size() < 2) return all;
  // Adjacent words: the run's characters side by side (punctuation takes no
  // position, so "暹粒—吴哥" is one phrase too); and, for the parts that
  // are, each pair of the run (the terms are there, without positions), so
  // that single characters a name fell apart into (暹|粒) rank higher
  // together than scattered.
  const std::vector<size_t> cs = char_starts(run);
  std::vector<Xapian::Query> chars, near;
  for (size_t k = 0; k + 1 < cs.size(); ++k) {
    chars.emplace_back(prefix + std::string(run.substr(cs[k], cs[k + 1] - cs[k])), 1, pos);
    if (k + 2 < cs.size())
      near.emplace_back(prefix + std::string(run.substr(cs[k], cs[k + 2] - cs[k])), 1, pos);
  }
  near.emplace_back(Xapian::Query::OP_PHRASE, chars.begin(), chars.end(), chars.size());
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, all,
                       Xapian::Query(Xapian::Query::OP_OR, near.begin(), near.end()));
}

}  // namespace sitegen::index
