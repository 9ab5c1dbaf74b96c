// NameMatcher: Aho-Corasick over case-folded code points, with whole-word
// checks and leftmost-longest selection of the candidates (see tagger.h).
//
// Normalisation (the same for names and texts):
//   - each code point is case-folded (u_foldCase, simple default folding);
//   - U+2019 RIGHT SINGLE QUOTATION MARK is read as U+0027 APOSTROPHE;
//   - a run of white space (Unicode White_Space: incl. NBSP, U+202F, newlines)
//     is one U+0020; names are also trimmed.
// Word boundaries: a match is kept when the code point before it (if any) and
// the one after it (if any) are not word characters, except on a side where the
// name's first (last) code point is CJK: CJK names count anywhere. A word
// character is a letter, digit, combining mark or '_' that is not CJK (so a
// Latin name written next to Chinese characters still counts, as in
// "在Burkina Faso举行"), and a letter of another script than the name's
// edge does not glue either: a PDF's text often has no space where Arabic
// and a Latin name meet ("التاليةEquatorial Guinea", which must not be
// Guinea).

#include "site-gen/tagger.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace sitegen {
namespace {

#if defined(__GNUC__) || defined(__clang__)
#define SITEGEN_TAGGER_INLINE inline __attribute__((always_inline))
#else
#define SITEGEN_TAGGER_INLINE inline
#endif

constexpr int32_t kNone = -1;   // a code point no name contains
constexpr int32_t kSpace = -2;  // white space (collapsed to one U+0020)

bool is_space(UChar32 c) { return c >= 0 && u_isUWhiteSpace(c); }

// The normalised form of one (non-space) code point.
UChar32 fold(UChar32 c) {
  if (c == 0x2019) return 0x27;
  return u_foldCase(c, U_FOLD_CASE_DEFAULT);
}

bool is_cjk(UChar32 c) {
  if (c < 0x2E80) return false;  // fast path: nothing below is CJK
  if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) return true;
  UErrorCode err = U_ZERO_ERROR;
  switch (uscript_getScript(c, &err)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
    case USCRIPT_BOPOMOFO:
      return true;
    default:
      return false;
  }
}

// A character that glues onto a (non-CJK) name edge and so prevents a match.
bool is_word_char(UChar32 c) {
  if (c < 0) return false;
  if (c < 0x80)
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (!(u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK))) return false;
  if (c >= 0xFF00 && c <= 0xFFEF) return false;  // half/full-width forms
  return !is_cjk(c);
}

// The script of a letter; digits, marks and '_' have none of their own.
UScriptCode script_of(UChar32 c) {
  UErrorCode err = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript(c, &err);
  return U_FAILURE(err) || s == USCRIPT_INHERITED ? USCRIPT_COMMON : s;
}

// Whether `neighbour`, just outside a match whose edge code point is
// `edge`, makes the match part of a longer word.
bool glues(UChar32 neighbour, UChar32 edge) {
  if (!is_word_char(neighbour)) return false;
  if (neighbour < 0x80 && edge < 0x80) return true;  // fast path: both ASCII
  const UScriptCode a = script_of(neighbour), b = script_of(edge);
  return a == b || a == USCRIPT_COMMON || b == USCRIPT_COMMON;
}

// Normalises a name into code points (folded, trimmed, spaces collapsed).
std::vector<UChar32> normalize_name(std::string_view s) {
  std::vector<UChar32> out;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  bool pending_space = false;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) c = 0xFFFD;
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(0x20);
    pending_space = false;
    out.push_back(fold(c));
  }
  return out;
}

struct Pattern {
  int id;
  int32_t length;  // in symbols
  bool cjk_first, cjk_last;
};

struct Candidate {
  size_t begin, end;
  int id;
};

}  // namespace

struct NameMatcher::Impl {
  // Names collected by add(): normalised code points -> id (smallest id wins
  // when two ids have the very same name).
  std::map<std::vector<UChar32>, int> names;
  bool built = false;

  // Alphabet: a code point of the text -> symbol (or kNone / kSpace).
  std::vector<int32_t> bmp;                     // for every BMP code point
  std::unordered_map<UChar32, int32_t> astral;  // folded astral code points
  int32_t space_symbol = kNone;
  int32_t alphabet_size = 0;

  // Automaton. State 0 is the root; its goto function is dense.
  std::vector<int32_t> root_next;                        // per symbol
  std::vector<uint32_t> edge_begin;                      // per state + 1: CSR
  std::vector<std::pair<int32_t, int32_t>> edges;        // (symbol, target), sorted per state
  std::vector<int32_t> fail;                             // failure link
  std::vector<int32_t> out;                              // pattern ending here or -1
  std::vector<int32_t> dict;                             // next state on the fail chain with out >= 0, or -1
  std::vector<Pattern> patterns;
  int32_t max_length = 0;

  int32_t symbol_of(UChar32 c) const {
    if (c < 0) return kNone;
    if (c < 0x10000) return bmp[c];
    auto it = astral.find(fold(c));
    return it == astral.end() ? kNone : it->second;
  }

  SITEGEN_TAGGER_INLINE int32_t child(int32_t state, int32_t sym) const {
    if (state == 0) return root_next[sym];
    const auto* b = edges.data() + edge_begin[state];
    const auto* e = edges.data() + edge_begin[state + 1];
    if (e - b <= 8) {  // most states have one or two edges: scan
      for (; b != e; ++b)
        if (b->first == sym) return b->second;
      return -1;
    }
    const auto* it = std::lower_bound(b, e, std::make_pair(sym, INT32_MIN));
    return it != e && it->first == sym ? it->second : -1;
  }

  int32_t step(int32_t state, int32_t sym) const {
    if (sym < 0) return 0;
    for (;;) {
      int32_t t = child(state, sym);
      if (t >= 0) return t;
      if (state == 0) return 0;
      state = fail[state];
    }
  }

  void build();
  void collect(std::string_view text, std::vector<Candidate>* cands) const;
};

void NameMatcher::Impl::build() {
  // Alphabet.
  std::unordered_map<UChar32, int32_t> sym;
  for (const auto& [cps, id] : names)
    for (UChar32 c : cps)
      if (!sym.count(c)) sym.emplace(c, static_cast<int32_t>(sym.size()));
  alphabet_size = static_cast<int32_t>(sym.size());
  if (auto it = sym.find(0x20); it != sym.end()) space_symbol = it->second;
  bmp.assign(0x10000, kNone);
  for (UChar32 c = 0; c < 0x10000; ++c) {
    if (is_space(c)) {
      bmp[c] = kSpace;
      continue;
    }
    if (auto it = sym.find(fold(c)); it != sym.end()) bmp[c] = it->second;
  }
  for (const auto& [c, s] : sym)
    if (c >= 0x10000) astral.emplace(c, s);

  // Trie, built with ordered maps, then flattened.
  std::vector<std::map<int32_t, int32_t>> trie(1);
  std::vector<int32_t> term(1, -1);
  for (const auto& [cps, id] : names) {
    int32_t s = 0;
    for (UChar32 c : cps) {
      int32_t a = sym.at(c);
      auto it = trie[s].find(a);
      if (it == trie[s].end()) {
        int32_t t = static_cast<int32_t>(trie.size());
        trie[s].emplace(a, t);
        trie.emplace_back();
        term.push_back(-1);
        s = t;
      } else {
        s = it->second;
      }
    }
    term[s] = static_cast<int32_t>(patterns.size());
    patterns.push_back({id, static_cast<int32_t>(cps.size()), is_cjk(cps.front()), is_cjk(cps.back())});
    max_length = std::max(max_length, static_cast<int32_t>(cps.size()));
  }
  const size_t n = trie.size();
  root_next.assign(alphabet_size, 0);
  for (const auto& [a, t] : trie[0]) root_next[a] = t;
  edge_begin.assign(n + 1, 0);
  for (size_t s = 0; s < n; ++s) edge_begin[s + 1] = edge_begin[s] + static_cast<uint32_t>(trie[s].size());
  edges.reserve(edge_begin[n]);
  for (size_t s = 0; s < n; ++s)
    for (const auto& e : trie[s]) edges.push_back(e);
  out = std::move(term);

  // Failure and output (dictionary suffix) links, breadth first.
  fail.assign(n, 0);
  dict.assign(n, -1);
  std::deque<int32_t> queue;
  for (const auto& [a, t] : trie[0]) queue.push_back(t);
  while (!queue.empty()) {
    int32_t u = queue.front();
    queue.pop_front();
    for (const auto& [a, v] : trie[u]) {
      int32_t f = fail[u];
      int32_t t;
      while ((t = child(f, a)) < 0 && f != 0) f = fail[f];
      fail[v] = t >= 0 ? t : 0;
      int32_t fv = fail[v];
      dict[v] = out[fv] >= 0 ? fv : dict[fv];
      queue.push_back(v);
    }
  }
  built = true;
}

void NameMatcher::Impl::collect(std::string_view text, std::vector<Candidate>* cands) const {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  // Begin offsets of the last symbols fed to the automaton (a ring buffer).
  size_t ring_size = 1;
  while (ring_size < static_cast<size_t>(max_length) + 1) ring_size <<= 1;
  std::vector<size_t> ring(ring_size);
  const size_t mask = ring_size - 1;
  size_t pos = 0;  // number of symbols fed so far
  int32_t state = 0;
  bool prev_space = false;
  int32_t i = 0;
  while (i < n) {
    const int32_t begin = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    int32_t a = symbol_of(c);
    if (a == kSpace) {
      if (prev_space) continue;  // the run is one space: extend nothing
      prev_space = true;
      a = space_symbol;
    } else {
      prev_space = false;
    }
    ring[pos & mask] = static_cast<size_t>(begin);
    ++pos;
    state = step(state, a);
    if (state == 0) continue;
    for (int32_t s = out[state] >= 0 ? state : dict[state]; s >= 0; s = dict[s]) {
      const Pattern& pat = patterns[out[s]];
      // The match ends with the code point just decoded (names never end
      // with a space), so its end is i.
      const size_t mb = ring[(pos - static_cast<size_t>(pat.length)) & mask];
      const size_t me = static_cast<size_t>(i);
      if (!pat.cjk_first && mb > 0) {
        int32_t j = static_cast<int32_t>(mb);
        UChar32 before, first;
        U8_PREV(p, 0, j, before);
        int32_t k = static_cast<int32_t>(mb);
        U8_NEXT(p, k, n, first);
        if (glues(before, first)) continue;
      }
      if (!pat.cjk_last && static_cast<int32_t>(me) < n) {
        int32_t j = static_cast<int32_t>(me);
        UChar32 after, last;
        U8_NEXT(p, j, n, after);
        int32_t k = static_cast<int32_t>(me);
        U8_PREV(p, 0, k, last);
        if (glues(after, last)) continue;
      }
      cands->push_back({mb, me, pat.id});
    }
  }
}

NameMatcher::NameMatcher() : impl_(std::make_unique<Impl>()) {}
NameMatcher::~NameMatcher() = default;
NameMatcher::NameMatcher(NameMatcher&&) noexcept = default;
NameMatcher& NameMatcher::operator=(NameMatcher&&) noexcept = default;

void NameMatcher::add(std::string_view name, int id) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  if (impl_->built) throw std::logic_error("NameMatcher::add after build");
  std::vector<UChar32> cps = normalize_name(name);
  if (cps.empty()) return;
  auto [it, inserted] = impl_->names.emplace(std::move(cps), id);
  if (!inserted) it->second = std::min(it->second, id);
}

void NameMatcher::build() {
  if (!impl_) impl_ = std::make_unique<Impl>();
  if (impl_->built) return;
  impl_->build();
  impl_->names.clear();
}

std::vector<NameMatcher::Match> NameMatcher::find(std::string_view text) const {
  std::vector<Match> result;
  if (!impl_ || !impl_->built || impl_->patterns.empty()) return result;
  std::vector<Candidate> cands;
  impl_->collect(text, &cands);
  // Leftmost first, longest first at the same start; skip overlaps.
  std::sort(cands.begin(), cands.end(), [](const Candidate& x, const Candidate& y) {
    if (x.begin != y.begin) return x.begin < y.begin;
    if (x.end != y.end) return x.end > y.end;
    return x.id < y.id;
  });
  size_t taken_end = 0;
  for (const Candidate& c : cands) {
    if (c.begin < taken_end) continue;
    result.push_back({c.begin, c.end, c.id});
    taken_end = c.end;
  }
  return result;
}

std::vector<int> NameMatcher::find_ids(std::string_view text) const {
  std::vector<int> ids;
  for (const Match& m : find(text)) ids.push_back(m.id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace sitegen
