// Snippets: see snippet.h.
#include "index/snippet.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <atomic>

#include "index/analyzer.h"
#include "index/text.h"

namespace sitegen::index {
namespace {

using Token = SnippetToken;

constexpr size_t kSnippetBytes = 200;
// The region of snippet_of's second pass, in collapsed bytes from the
// densest window's first match: the 40 before it that render() may start
// from, with the token they begin in; the window after it.
constexpr size_t kContextBefore = 48, kContextAfter = kSnippetBytes + 8;
// How far (raw bytes) a region's ends go to find a byte that ends a token;
// where none is (a Chinese paragraph), the region goes to the text's end.
constexpr size_t kRegionSearch = 4096;
// Texts up to this size are cut into tokens whole: a second pass would
// save little.
constexpr size_t kShortText = 1024;

// An ASCII letter (lowered) or digit, else -1.
int lower_alnum(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : -1;
}

// By byte: whether it is an ASCII letter or digit (a lookup: the test is
// made on every byte of every result's text).
constexpr auto kAsciiAlnum = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return t;
}();
bool ascii_alnum(unsigned char b) { return kAsciiAlnum[b]; }

bool is_word_char_icu(UChar32 c) {
  if (u_isalnum(c)) return true;
  int8_t t = u_charType(c);
  return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}

// A letter, digit or mark. The two-byte code points (Latin accents,
// Cyrillic, Arabic, Greek, Hebrew) from a table filled a block of 64 at a
// time, on first use: a Russian or Arabic text asks for each of its
// characters, an English one for a few.
bool is_word_char(UChar32 c) {
  if (c < 0) return false;
  if (c < 0x80) return kAsciiAlnum[static_cast<unsigned char>(c)];
  if (c < 0x800) {
    // Searches run on many threads: a block is published after its bits
    // (two threads may both fill one, alike).
    static std::atomic<uint32_t> known{0};        // a bit per block
    static std::atomic<uint64_t> word[32] = {};  // a bit per code point
    const size_t block = size_t(c) >> 6;
    if (!(known.load(std::memory_order_acquire) & (uint32_t(1) << block))) {
      uint64_t bits = 0;
      for (UChar32 k = 0; k < 64; ++k)
        if (is_word_char_icu(UChar32(block << 6) + k)) bits |= uint64_t(1) << k;
      word[block].store(bits, std::memory_order_relaxed);
      known.fetch_or(uint32_t(1) << block, std::memory_order_release);
    }
    return (word[block].load(std::memory_order_relaxed) >> (c & 63)) & 1;
  }
  return is_word_char_icu(c);
}

// Calls emit(b, e, cjk, apostrophe) for each token of s, in order: a word
// (letters, digits and marks; `apostrophe`: one inside it, ' ’ or ʼ), or one CJK
// character. And space(i, j) for each run [i, j) of ASCII white space,
// before the token that follows it.
template <class Emit, class Space>
void for_each_token(std::string_view s, Emit&& emit, Space&& space) {
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
  bool in_word = false, apostrophe = false;
  size_t wb = 0, we = 0;  // the word being read
  auto end_word = [&]() __attribute__((always_inline)) {
    if (in_word) emit(wb, we, false, apostrophe);
    in_word = false;
  };
  auto extend = [&](size_t b, size_t e) __attribute__((always_inline)) {
    if (!in_word) {
      wb = b;
      apostrophe = false;
    }
    in_word = true;
    we = e;
  };
  while (i < n) {
    // Runs of ASCII letters and digits, most of a Latin text, at a byte a
    // step (the snippets scan every result's whole text).
    if (ascii_alnum(bytes[i])) {
      int32_t e = i + 1;
      while (e < n && ascii_alnum(bytes[e])) ++e;
      extend(size_t(i), size_t(e));
      i = e;
      continue;
    }
    // Spaces and ASCII punctuation end a word (but an apostrophe, below).
    if (bytes[i] < 0x80 && bytes[i] != '\'') {
      end_word();
      if (is_space(char(bytes[i]))) {
        int32_t j = i + 1;
        while (j < n && is_space(char(bytes[j]))) ++j;
        space(size_t(i), size_t(j));
        i = j;
      } else {
        ++i;
      }
      continue;
    }
    int32_t start = i;
    UChar32 c;
    if (bytes[i] >= 0xC2 && bytes[i] <= 0xDF && i + 1 < n && (bytes[i + 1] & 0xC0) == 0x80) {
      c = (UChar32(bytes[i] & 0x1F) << 6) | (bytes[i + 1] & 0x3F);  // two bytes, valid
      i += 2;
    } else {
      U8_NEXT(s.data(), i, n, c);
    }
    if (c >= 0x2E80 && is_cjk(c) && u_isalpha(c)) {
      end_word();
      emit(size_t(start), size_t(i), true, false);
    } else if (is_word_char(c)) {
      extend(size_t(start), size_t(i));
      if (c == 0x02BC) apostrophe = true;  // ʼ, a letter that premap makes '

    } else if (in_word && (c == '\'' || c == 0x2019) && i < n) {
      // An apostrophe inside a word belongs to it ("l'assistance").
      int32_t j = i;
      UChar32 next;
      U8_NEXT(s.data(), j, n, next);
      if (is_word_char(next) && !is_cjk(next)) {
        we = size_t(j);
        apostrophe = true;
        i = j;
      } else {
        end_word();
      }
    } else {
      end_word();
    }
  }
  end_word();
}

void tokenize(std::string_view s, std::vector<Token>& toks) {
  toks.clear();
  for_each_token(
      s, [&](size_t b, size_t e, bool cjk, bool apostrophe) { toks.push_back({b, e, cjk, false, apostrophe}); },
      [](size_t, size_t) {});
}

// Whether a word of the text matches, compared as the index saw it:
// normalised in the text's language.
bool word_matches(std::string_view token, bool apostrophe, const Highlight& hl,
                  Highlight::Seen& seen, const std::string& lang) {
  if (!hl.may_match(token, apostrophe)) return false;
  if (auto it = seen.find(token); it != seen.end()) return it->second;
  bool match = false;
  std::string norm = Xapian::Unicode::tolower(normalize_for_search(token, lang));
  std::vector<std::string> cands = split_ws(norm);
  if (cands.size() > 1) cands.push_back(norm);
  for (auto& c : cands) {
    while (!c.empty() && (c.back() == '\'' || c.back() == '.')) c.pop_back();
    // TermGenerator keeps "l'assistance" whole; the parts count too.
    size_t ap = c.find('\'');
    if (hl.matches_word(c) || (ap != std::string::npos && hl.matches_word(c.substr(ap + 1)))) {
      match = true;
      break;
    }
  }
  seen.emplace(token, match);
  return match;
}

// Marks the CJK tokens of toks: bigrams where the query has them, else
// runs of the query's characters (a phrase of single characters), else
// single characters. A run of Han characters typed as a word asks for all
// its pairs (han_query), so its words are highlighted whole however they
// were cut.
void mark_cjk(std::string_view s, std::vector<Token>& toks, const Highlight& hl) {
  bool multi = hl.cjk_unigrams.size() > 1;
  auto ch = [&](size_t k) { return std::string(s.substr(toks[k].b, toks[k].e - toks[k].b)); };
  for (size_t i = 0; i < toks.size();) {
    if (!toks[i].cjk) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j + 1 < toks.size() && toks[j + 1].cjk && toks[j + 1].b == toks[j].e) ++j;
    if (!hl.cjk_bigrams.empty()) {
      for (size_t k = i; k < j; ++k)
        if (hl.cjk_bigrams.count(ch(k) + ch(k + 1))) toks[k].match = toks[k + 1].match = true;
    } else if (!hl.cjk_unigrams.empty()) {
      for (size_t k = i; k <= j;) {
        size_t r = k;
        while (r <= j && hl.cjk_unigrams.count(ch(r))) ++r;
        if (r > k && (!multi || r - k >= 2))
          for (size_t m = k; m < r; ++m) toks[m].match = true;
        k = r > k ? r : k + 1;
      }
    }
    i = j + 1;
  }
}

void mark_tokens(std::string_view s, std::vector<Token>& toks, const Highlight& hl,
                 const std::string& lang) {
  Highlight::Seen& seen = hl.seen[lang];
  for (auto& t : toks)
    if (!t.cjk) t.match = word_matches(s.substr(t.b, t.e - t.b), t.apostrophe, hl, seen, lang);
  mark_cjk(s, toks, hl);
}

// Into `out`, whose buffer is reused: one per result was a malloc and a
// copy of 4 KB each.
void collapse_spaces(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  // Copied in runs up to the next space that is not a lone ' ' (most are):
  // a copy per word cost a memcpy call each.
  size_t kept = i;
  while (i < s.size()) {
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i == s.size()) break;
    size_t j = i;
    while (j < s.size() && is_space(s[j])) ++j;
    if (j == s.size()) {  // trailing spaces: dropped
      out.append(s, kept, i - kept);
      return;
    }
    if (j != i + 1 || s[i] != ' ') {
      out.append(s, kept, i - kept);
      out += ' ';
      kept = j;
    }
    i = j;
  }
  out.append(s, kept, s.size() - kept);
}

// The first of the hits (indexes into toks, in order) from which the most
// hits fit in kSnippetBytes; end(h) and begin(h) are a hit's offsets.
template <class Begin, class End>
size_t densest(size_t hits, Begin begin, End end) {
  size_t best = 0, best_count = 0;
  for (size_t h = 0, r = 0; h < hits; ++h) {
    if (r < h) r = h;
    while (r + 1 < hits && end(r + 1) <= begin(h) + kSnippetBytes) ++r;
    if (r - h + 1 > best_count) {
      best_count = r - h + 1;
      best = h;
    }
  }
  return best;
}

// The snippet of s (white space collapsed), cut into toks and marked, or ""
// when nothing is marked. `before` and `after`: s is a part of a longer
// text that has more before it, after it.
std::string render(std::string_view s, const std::vector<Token>& toks, std::vector<size_t>& hits,
                   bool before, bool after) {
  hits.clear();
  for (size_t i = 0; i < toks.size(); ++i)
    if (toks[i].match) hits.push_back(i);
  if (hits.empty()) return "";
  const size_t best = hits[densest(
      hits.size(), [&](size_t h) { return toks[hits[h]].b; }, [&](size_t h) { return toks[hits[h]].e; })];
  // Some context before the first match, from a token start.
  size_t k = best;
  while (k > 0 && toks[k - 1].b + 40 >= toks[best].b) --k;
  // A highlighted CJK term is a run of one-character tokens ("地雷"): the
  // snippet starts and ends outside it, never between its characters.
  auto joined = [&](size_t a) {
    return toks[a].match && toks[a + 1].match && toks[a].e == toks[a + 1].b;
  };
  while (k > 0 && joined(k - 1)) --k;
  size_t start = k == 0 && !before ? 0 : toks[k].b;
  size_t end = s.size();
  if (end - start > kSnippetBytes) {
    end = start;
    size_t last = toks.size();
    for (size_t i = 0; i < toks.size(); ++i)
      if (toks[i].b >= start && toks[i].e <= start + kSnippetBytes) end = toks[last = i].e;
    if (end == start) end = utf8_prefix(s.substr(start), kSnippetBytes).size() + start;
    while (last + 1 < toks.size() && joined(last)) end = toks[++last].e;
  }

  std::string out;
  if (start > 0 || before) out += "…";
  size_t pos = start;
  bool open = false;
  for (const auto& t : toks) {
    if (t.e <= start) continue;
    if (t.b >= end) break;
    if (t.b > pos) {
      // Adjacent matches separated by spaces only (a phrase) share one mark.
      bool spaces = std::all_of(s.begin() + pos, s.begin() + t.b, is_space);
      if (open && !(t.match && spaces)) {
        out += "</mark>";
        open = false;
      }
      append_html(out, s.substr(pos, t.b - pos));
    }
    if (t.match && !open) {
      out += "<mark>";
      open = true;
    } else if (!t.match && open) {
      out += "</mark>";
      open = false;
    }
    append_html(out, s.substr(t.b, std::min(t.e, end) - t.b));
    pos = std::min(t.e, end);
  }
  if (open) out += "</mark>";
  if (pos < end) append_html(out, s.substr(pos, end - pos));
  if (end < s.size() || after) out += "…";
  return out;
}

// Collapses, cuts, marks and renders a part of a text.
std::string snippet_of_part(std::string_view part, const Highlight& hl, const std::string& lang,
                            bool before, bool after) {
  std::string& s = hl.text;
  collapse_spaces(part, s);
  if (s.empty()) return "";
  tokenize(s, hl.tokens);
  mark_tokens(s, hl.tokens, hl, lang);
  return render(s, hl.tokens, hl.hits, before, after);
}

// Whether a token of a text ends before byte i and none goes on past it:
// the text's tokens before and after i are those of its parts cut there.
bool is_boundary(std::string_view s, size_t i) {
  if (i == 0 || i >= s.size()) return true;
  const auto b = static_cast<unsigned char>(s[i - 1]);
  return b < 0x80 && !ascii_alnum(b) && b != '\'';
}

}  // namespace

// ----------------------------------------------------------------- Highlight

void Highlight::add_query(const Xapian::Query& q) {
  for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
    std::string term = *t;
    if (term.empty()) continue;
    if (term.size() > 2 && term[0] == 'Z' && term[1] == 'S') {
      stems.insert(term.substr(2));
    } else if (term[0] == 'Z') {
      stems.insert(term.substr(1));
    } else if (term[0] == 'S' && term.size() > 1 && !(term[1] >= 'A' && term[1] <= 'Z')) {
      words.insert(term.substr(1));
    } else if (term[0] >= 'A' && term[0] <= 'Z') {
      continue;  // boolean and symbol terms
    } else {
      int32_t i = 0, n = static_cast<int32_t>(term.size()), count = 0;
      UChar32 c = 0;
      bool cjk = false;
      while (i < n) {
        U8_NEXT(term.data(), i, n, c);
        ++count;
        if (is_cjk(c)) cjk = true;
      }
      if (cjk && count == 2)
        cjk_bigrams.insert(term);
      else if (cjk && count == 1)
        cjk_unigrams.insert(term);
      else
        words.insert(term);
    }
  }
}

const std::vector<bool>& Highlight::first_pairs() const {
  if (!starts_ready) [[unlikely]] {
    starts_ready = true;
    starts.assign(1 << 14, false);  // by two ASCII bytes
    first_letter_known.assign(0x800, -1);
    auto add = [&](const std::string& w) {
      if (w.empty()) return false;
      const auto a = static_cast<unsigned char>(w[0]);
      if (w.size() == 1) {
        // "a", "y": what begins with it (a suffix stem of one letter).
        for (int b = 0; b < 0x80; ++b) starts[a << 7 | b] = true;
        return true;
      }
      const auto b = static_cast<unsigned char>(w[1]);
      if (a < 0x80 && b < 0x80) starts[a << 7 | b] = true;  // only ASCII pairs are looked up
      return true;
    };
    auto add_letter = [&](const std::string& w) {
      int32_t i = 0;
      UChar32 c;
      U8_NEXT(w.data(), i, static_cast<int32_t>(w.size()), c);
      if (c >= 0) first_letters.insert(c);
    };
    bool usable = prefilter && (suffix_stems || stems.empty());
    for (const auto* set : {&words, &stems})
      for (const auto& w : *set) {
        usable = add(w) && usable;
        add_letter(w);
      }
    for (const auto& w : wildcards) {
      usable = add(w) && usable;
      add_letter(w);
    }
    if (!usable) starts.clear();
  }
  return starts;
}

bool Highlight::may_match(std::string_view token, bool apostrophe) const {
  const std::vector<bool>& pairs = first_pairs();
  if (pairs.empty() || token.size() < 2) return true;
  if (apostrophe) {
    // An apostrophe (' or what premap makes one: ’ ʼ) may cut the word
    // ("qu’il", "l'article": word_matches compares the part after it too).
    size_t at = std::string_view::npos, len = 0;
    for (auto [ap, n] : {std::pair<const char*, size_t>{"'", 1}, {"\u2019", 3}, {"\u02bc", 2}})
      if (size_t k = token.find(ap); k < at) {
        at = k;
        len = n;
      }
    if (at == std::string_view::npos) return true;
    const std::string_view rest = token.substr(at + len);
    if (may_match(rest, rest.find_first_of("'\xe2\xca") != std::string_view::npos)) return true;
    // The whole word, by its first letters where the apostrophe is not one
    // of them.
    if (at < 2) return true;
  }
  int a = lower_alnum(token[0]), b = lower_alnum(token[1]);
  if (a >= 0 && b >= 0) return pairs[a << 7 | b];
  if (a >= 0 || static_cast<unsigned char>(token[0]) < 0x80) return true;
  // A word that begins with another letter: by the letter it normalises to
  // (suffix stems keep it).
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(token.data(), i, static_cast<int32_t>(token.size()), c);
  if (c < 0) return true;
  int8_t* known = c < 0x800 ? &first_letter_known[size_t(c)] : nullptr;
  if (known && *known >= 0) return *known;
  if (!known)
    if (auto it = first_letter_seen.find(c); it != first_letter_seen.end()) return it->second;
  std::string one;
  append_utf8(one, c);
  const std::string norm = Xapian::Unicode::tolower(normalize_for_search(one, ""));
  int32_t j = 0;
  UChar32 n = -1;
  if (!norm.empty()) U8_NEXT(norm.data(), j, static_cast<int32_t>(norm.size()), n);
  const bool may = n < 0 || !u_isalnum(n) || first_letters.count(n) > 0;
  if (known)
    *known = may;
  else
    first_letter_seen.emplace(c, may);
  return may;
}

bool Highlight::matches_word(const std::string& w) const {
  if (w.empty()) return false;
  if (words.count(w) || stems.count(stemmer(w))) return true;
  for (const auto& p : wildcards)
    if (w.size() >= p.size() && w.compare(0, p.size(), p) == 0) return true;
  return false;
}

// ------------------------------------------------------------------ snippets

std::string snippet_marking_all(std::string_view text, const Highlight& hl,
                                const std::string& lang) {
  if (hl.empty()) return "";  // filters alone: nothing to find in the text
  return snippet_of_part(text, hl, lang, false, false);
}

// Two passes. The first finds the matches in the text as it is, in the
// offsets the text has once its white space is collapsed (runs of it count
// one byte, the leading and trailing ones none), without copying it or
// keeping its tokens, and so the first match of the densest window. The
// second cuts, marks and renders only a region around that match, which
// holds everything the window and its context are made of; its own densest
// window is the same one (an earlier start in the region would have been
// the text's, a later one holds no more).
std::string snippet_of(std::string_view text, const Highlight& hl, const std::string& lang) {
  if (hl.empty()) return "";
  if (text.size() <= kShortText) return snippet_of_part(text, hl, lang, false, false);

  struct Hit {
    size_t b, e;  // collapsed offsets
    size_t raw;   // where b is in text
  };
  std::vector<Hit> hits;
  Highlight::Seen& seen = hl.seen[lang];
  size_t removed = 0;  // bytes collapsing drops before the current offset
  std::vector<Token>& run = hl.tokens;  // a run of adjacent CJK characters
  run.clear();
  size_t run_removed = 0;
  const std::vector<bool>& pairs = hl.first_pairs();
  auto flush_run = [&] {
    if (run.empty()) return;
    mark_cjk(text, run, hl);
    for (const Token& t : run)
      if (t.match) hits.push_back({t.b - run_removed, t.e - run_removed, t.b});
    run.clear();
  };
  for_each_token(
      text,
      [&](size_t b, size_t e, bool cjk, bool apostrophe) __attribute__((always_inline)) {
        if (cjk) {
          if (!run.empty() && run.back().e != b) flush_run();
          if (run.empty()) run_removed = removed;
          run.push_back({b, e, true});
          return;
        }
        flush_run();
        // may_match, inline: most words stop here.
        if (!pairs.empty() && e - b >= 2 && !apostrophe) {
          int x = lower_alnum(text[b]), y = lower_alnum(text[b + 1]);
          if (x >= 0 && y >= 0 && !pairs[x << 7 | y]) return;
        }
        if (word_matches(text.substr(b, e - b), apostrophe, hl, seen, lang))
          hits.push_back({b - removed, e - removed, b});
      },
      [&](size_t i, size_t j) __attribute__((always_inline)) {
        if (i == 0)
          removed += j;  // leading: dropped
        else if (j - i > 1 || text[i] != ' ')
          removed += j - i - 1;  // one space instead (trailing ones: no token follows)
      });
  flush_run();
  if (hits.empty()) return "";
  const size_t first = hits[densest(
      hits.size(), [&](size_t h) { return hits[h].b; }, [&](size_t h) { return hits[h].e; })].raw;

  // Back from that match by the context render() gives it, forward by a
  // window, both counted as collapsed, then on to a token boundary.
  auto counts = [&](size_t i) {  // whether byte i is kept, a run of spaces once
    return !is_space(text[i]) || i == 0 || !is_space(text[i - 1]);
  };
  size_t from = first;
  for (size_t kept = 0; from > 0 && (kept < kContextBefore || !is_boundary(text, from));) {
    if (first - from > kRegionSearch) {
      from = 0;
      break;
    }
    kept += counts(--from);
  }
  size_t to = first;
  for (size_t kept = 0; to < text.size() && (kept < kContextAfter || !is_boundary(text, to));) {
    if (to - first > kRegionSearch) {
      to = text.size();
      break;
    }
    kept += counts(to++);
  }
  auto content = [&](size_t b, size_t e) {
    return !std::all_of(text.begin() + b, text.begin() + e, is_space);
  };
  return snippet_of_part(text.substr(from, to - from), hl, lang, content(0, from),
                         content(to, text.size()));
}

std::string leading_excerpt(std::string_view raw) {
  std::string s;
  collapse_spaces(raw.substr(0, 4 * kSnippetBytes), s);
  std::string out;
  if (s.size() <= kSnippetBytes) {
    append_html(out, s);
    return out;
  }
  std::string cut = utf8_prefix(s, kSnippetBytes);
  if (size_t space = cut.rfind(' '); space != std::string::npos && space > kSnippetBytes / 2)
    cut.resize(space);
  append_html(out, cut);
  return out + "…";
}

}  // namespace sitegen::index
