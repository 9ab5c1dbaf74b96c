// Query words of our own: see query_words.h.
#include "index/query_words.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

#include "index/analyzer.h"
#include "index/han_words.h"
#include "site-gen/utf8.h"
#include "index/layout.h"

namespace sitegen::index {
namespace {

// Field names the parser calls our processors for: lower case ASCII (the
// parser's field syntax), and not words anyone types. The word follows in
// hex: with FLAG_CJK_NGRAM, the parser reads a Han character after a field
// name as n-grams of its own and drops the field.
constexpr std::string_view kHanField = "xsghan";
constexpr std::string_view kHanAnyField = "xsghanany";  // any of the run's words
constexpr std::string_view kArabicField = "xsgar";

// Longest first, so that "وب" is tried before "و".
constexpr std::array<std::string_view, 11> kClitics = {
    "\u0648\u0628", "\u0648\u0644", "\u0648\u0643", "\u0641\u0628", "\u0641\u0644", "\u0641\u0643",
    "\u0648",       "\u0641",       "\u0628",       "\u0644",       "\u0643"};

// What is left of a word must have this many letters to be taken for a word
// after a clitic, even where the index has it: "بلد", "كتاب", "فريق",
// "لجنة" are not ب + "لد", ك + "تاب", ف + "ريق", ل + "جنة".
constexpr size_t kMinRest = 4;
// And a word this many letters to be looked for with a clitic before it
// ("تاب" is not searched as "كتاب").
constexpr size_t kMinWithClitic = 4;

// How much an Arabic word as written weighs: as much as a plain word of
// the query, whose terms index/search.cc's parse() asks for twice (stemmed,
// and as typed). On bench/quality, 1 left a known item with the rare
// written form behind texts with more of the query's other word, 3 ranked
// texts with a written form above a known item with another.
constexpr double kWrittenWeight = 2.0;

bool is_arabic_letter(UChar32 c) {
  if (c < 0x0600) return false;
  UErrorCode st = U_ZERO_ERROR;
  return u_isalpha(c) && uscript_getScript(c, &st) == USCRIPT_ARABIC && U_SUCCESS(st);
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

std::string to_hex(std::string_view s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The bytes of the hex digits at the start of s; *used gets how many
// characters that took.
std::string from_hex(std::string_view s, size_t* used = nullptr) {
  std::string out;
  size_t i = 0;
  for (; i + 1 < s.size(); i += 2) {
    int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) break;
    out += char(hi * 16 + lo);
  }
  if (used) *used = i;
  return out;
}

class HanProcessor : public Xapian::FieldProcessor {
 public:
  explicit HanProcessor(bool any_word) : any_word_(any_word) {}
  Xapian::Query operator()(const std::string& value) override {
    std::vector<std::string> runs = han_runs(from_hex(value));
    std::vector<Xapian::Query> qs;
    for (const auto& r : runs) qs.push_back(han_query(r, "", any_word_));
    if (qs.empty()) return Xapian::Query();
    if (qs.size() == 1) return qs[0];
    return Xapian::Query(any_word_ ? Xapian::Query::OP_OR : Xapian::Query::OP_AND, qs.begin(),
                         qs.end());
  }

 private:
  bool any_word_;
};

// The value is the forms mark_query_words found, the word first, separated
// by spaces (the parser reads each word twice, stemmed and as typed: the
// index is asked once).
class ArabicProcessor : public Xapian::FieldProcessor {
 public:
  explicit ArabicProcessor(const Xapian::Stem& stemmer) : stemmer_(stemmer) {}
  Xapian::Query operator()(const std::string& value) override {
    std::vector<Xapian::Query> terms;
    size_t typed = 0;  // the terms of the word itself, the first form
    const std::string forms = from_hex(value);
    for (size_t b = 0; b < forms.size();) {
      size_t e = std::min(forms.find(' ', b), forms.size());
      std::string f = forms.substr(b, e - b);
      b = e + 1;
      if (f.empty()) continue;
      std::string stem = stemmer_(f);
      terms.emplace_back(f);
      if (!stem.empty()) terms.emplace_back("Z" + stem);
      if (!typed) typed = terms.size();
    }
    Xapian::Query any(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
    if (typed == 0 || typed == terms.size()) return any;
    // The form as typed weighs more: a synonym of all the forms is as
    // common as they are together, and would rank a text with the rarer
    // word typed no higher than one with a commoner form of it.
    return Xapian::Query(Xapian::Query::OP_OR, any,
                         Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(),
                                       terms.begin() + static_cast<long>(typed)));
  }

 private:
  Xapian::Stem stemmer_;
};

// Whether the byte before `at` lets a field start there (the start, a
// space, or the parser's '(' '+' '-').
bool field_can_start(std::string_view s, size_t at) {
  if (at == 0) return true;
  char c = s[at - 1];
  return c == ' ' || c == '(' || c == '+' || c == '-';
}

}  // namespace

void add_query_word_processors(Xapian::QueryParser& qp, const Xapian::Stem& stemmer) {
  qp.add_prefix(std::string(kHanField), (new HanProcessor(false))->release());
  qp.add_prefix(std::string(kHanAnyField), (new HanProcessor(true))->release());
  qp.add_prefix(std::string(kArabicField), (new ArabicProcessor(stemmer))->release());
}

bool is_marked_word(std::string_view token) {
  for (std::string_view field : {kHanField, kHanAnyField, kArabicField})
    if (token.size() > field.size() && token.substr(0, field.size()) == field &&
        token[field.size()] == ':')
      return true;
  return false;
}

std::string mark_query_words(std::string_view s, const Xapian::Database& db, bool any_word) {
  std::string out;
  out.reserve(s.size() + 16);
  bool in_quotes = false;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c == '"') in_quotes = !in_quotes;
    const bool han = c >= 0 && is_han(c), arabic = c >= 0 && is_arabic_letter(c);
    if (in_quotes || (!han && !arabic)) {
      out.append(s.substr(size_t(start), size_t(i - start)));
      continue;
    }
    int32_t end = i;
    while (end < n) {
      int32_t j = end;
      UChar32 d;
      U8_NEXT(s.data(), j, n, d);
      if (d < 0 || (han ? !is_han(d) : !is_arabic_letter(d))) break;
      end = j;
    }
    const std::string_view word = s.substr(size_t(start), size_t(end - start));
    i = end;
    // A prefixed word ("title:地雷") is the parser's; an Arabic word must
    // start a term of its own, and have another form.
    bool mark = !(start > 0 && s[size_t(start) - 1] == ':');
    std::string value(word);
    if (mark && arabic) {
      std::vector<std::string> forms;
      if (field_can_start(s, size_t(start))) forms = arabic_forms(db, word);
      for (size_t k = 1; k < forms.size(); ++k) value += ' ' + forms[k];
      mark = forms.size() > 1;
    }
    if (!mark) {
      out.append(word);
      continue;
    }
    if (!field_can_start(s, size_t(start))) out += ' ';
    out.append(han ? (any_word ? kHanAnyField : kHanField) : kArabicField);
    out += ':';
    out.append(to_hex(value));
    if (end < n && s[size_t(end)] != ' ' && s[size_t(end)] != ')') out += ' ';
  }
  return out;
}

std::string unmark_query_words(std::string_view marked) {
  std::string out;
  for (size_t i = 0; i < marked.size();) {
    bool done = false;
    for (std::string_view f : {kHanAnyField, kHanField, kArabicField}) {
      if (marked.compare(i, f.size(), f) == 0 && i + f.size() < marked.size() &&
          marked[i + f.size()] == ':') {
        size_t used = 0;
        std::string value = from_hex(marked.substr(i + f.size() + 1), &used);
        out += value.substr(0, value.find(' '));  // an Arabic word's other forms follow
        i += f.size() + 1 + used;
        done = true;
        break;
      }
    }
    if (!done) out += marked[i++];
  }
  return out;
}

std::vector<std::string> arabic_forms(const Xapian::Database& db, std::string_view word) {
  std::vector<std::string> forms{std::string(word)};
  if (code_points(word) < kMinRest) return forms;
  // The word itself, and what is left after a clitic when that is a word
  // of the index, or (long enough) is found there after another clitic.
  std::vector<std::string> bases{std::string(word)};
  for (std::string_view c : kClitics) {
    if (!starts_with(word, c)) continue;
    std::string rest(word.substr(c.size()));
    // One more letter after two clitics: "ولاية" is not ول + "آية".
    const size_t n = code_points(rest);
    if (n < kMinRest + code_points(c) - 1) continue;
    bool known = db.term_exists(rest);
    for (size_t k = 0; !known && n >= kMinWithClitic && k < kClitics.size(); ++k)
      known = kClitics[k] != c && db.term_exists(std::string(kClitics[k]) + rest);
    if (known) add_unique(bases, rest);
  }
  for (const auto& b : bases) {
    add_unique(forms, b);
    if (code_points(b) < kMinWithClitic) continue;
    for (std::string_view c : kClitics) {
      std::string with = std::string(c) + b;
      if (db.term_exists(with)) add_unique(forms, with);
    }
  }
  return forms;
}

Xapian::Query arabic_written_boost(std::string_view raw, const Xapian::Database& db) {
  std::vector<std::string> written;
  normalize_for_search(raw, "ar", &written);
  std::vector<Xapian::Query> terms;
  std::vector<std::string> seen;
  for (const auto& w : written) {
    std::string term = std::string(layout::kArabicWrittenPrefix) + w;
    if (std::find(seen.begin(), seen.end(), term) != seen.end()) continue;
    seen.push_back(term);
    if (db.term_exists(term)) terms.emplace_back(term);
  }
  if (terms.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                       kWrittenWeight);
}

}  // namespace sitegen::index
