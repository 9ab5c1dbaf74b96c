// Text analysis per language: see analyzer.h.
//
// normalize_for_search, non-ASCII path:
//   1. a few code points mapped in place (typographic apostrophes and the
//      spacing acute to ASCII '\'', which must happen before NFKC turns U+00B4
//      into a space plus a combining mark);
//   2. NFKC_Casefold: full case folding (ß -> ss), full-width ASCII -> ASCII,
//      ideographic space / NBSP / narrow NBSP -> space, Arabic presentation
//      forms (common in text extracted from PDFs) -> letters, default
//      ignorables (soft hyphen, zero-width and bidi marks) removed;
//   3. NFD, then one loop over code points: combining marks (Mn) dropped
//      after a Latin base (é -> e) or an Arabic base (harakat; and since NFD
//      splits أ إ آ ؤ ئ into a base plus hamza/madda marks, that also gives
//      ا ا ا و ي), U+0308 dropped after Cyrillic е (ё -> е), other scripts'
//      marks kept (й stays); œ -> oe, æ -> ae, ø -> o, đ -> d, ł -> l;
//      tatweel dropped; ٱ -> ا, ة -> ه, ى -> ي; Arabic-Indic and Persian
//      digits -> ASCII;
//   4. NFC (recomposes й, Hangul, ...);
//   5. Arabic article: a leading ال / لل is dropped from a word leaving at
//      least 2 letters, وال بال كال فال ولل فلل وبال فبال وكال فكال (the
//      conjunctions و ف and the prepositions ب ك ل with the article) from
//      one leaving at least 3, again
//      while one still matches (so the function is idempotent; a word whose
//      own letters start with ال after normalisation, like ألغام -> غام,
//      loses them too, on both the index and the query side). Needed:
//      Xapian's arabic stemmer only removes ال from words of 6+ letters, so
//      stem("الالغام") = "الغام" but stem("الغام") = "غام", and
//      stem("المساعده") = "مساعده" but stem("مساعده") = "مساعد". A clitic
//      without the article (وتدابير) is not stripped here, where no
//      vocabulary tells it from a word's own first letter (وزير, بلد): the
//      query side expands it against the index (index/query_words.h);
//   6. French elisions dropped: l' d' j' m' n' s' t' c' qu' jusqu' lorsqu'
//      puisqu' quoiqu' at the start of a word and before a letter
//      ("l'assistance" -> "assistance", "côte d'ivoire" -> "cote ivoire").
//      Applied whatever `lang` says: a fallback page's text and the query
//      may carry different language tags, and both sides must meet; the
//      particles are not word starts in English or Spanish.
// Words of ASCII alone (between ASCII whitespace) take a fast path: ASCII
// lowercase; steps 1-5 run on the stretches of the other words; step 6 on
// the whole.
// Everything else (punctuation used by the query syntax, '/', '.', digits,
// CJK characters) is kept as it is.

#include "index/analyzer.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace sitegen::index {

namespace {

struct Normalizers {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
};

// ICU's normalizer instances are singletons, immutable and thread-safe.
const Normalizers& normalizers() {
  static const Normalizers n = [] {
    Normalizers r;
    UErrorCode st = U_ZERO_ERROR;
    r.nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(st);
    if (U_FAILURE(st)) r.nfkc_cf = nullptr;
    st = U_ZERO_ERROR;
    r.nfd = icu::Normalizer2::getNFDInstance(st);
    if (U_FAILURE(st)) r.nfd = nullptr;
    st = U_ZERO_ERROR;
    r.nfc = icu::Normalizer2::getNFCInstance(st);
    if (U_FAILURE(st)) r.nfc = nullptr;
    return r;
  }();
  return n;
}

icu::UnicodeString normalize(const icu::Normalizer2* n,
                             const icu::UnicodeString& s) {
  if (n == nullptr) return s;
  UErrorCode st = U_ZERO_ERROR;
  icu::UnicodeString r = n->normalize(s, st);
  return U_FAILURE(st) ? s : r;
}

bool is_letter(UChar32 c) { return u_isalpha(c) != 0; }

bool is_word_char(UChar32 c) {
  return u_isalnum(c) != 0 || u_charType(c) == U_NON_SPACING_MARK ||
         c == '\'';
}

bool is_arabic_letter(UChar32 c) {
  if (c < 0x0600 || c > 0x06FF) {
    if (c < 0x0750) return false;
    UErrorCode st = U_ZERO_ERROR;
    return u_isalpha(c) && uscript_getScript(c, &st) == USCRIPT_ARABIC;
  }
  return u_isalpha(c) != 0;
}

// Step 1: in place, all BMP and outside surrogates, so UTF-16 units map 1:1.
void premap(icu::UnicodeString& s) {
  const int32_t n = s.length();
  for (int32_t i = 0; i < n; ++i) {
    switch (s.charAt(i)) {
      case 0x2018:  // ‘
      case 0x2019:  // ’
      case 0x02BC:  // ʼ modifier letter apostrophe
      case 0x00B4:  // ´ spacing acute, often typed for an apostrophe
        s.setCharAt(i, u'\'');
        break;
      default:
        break;
    }
  }
}

// Step 3.
icu::UnicodeString fold_marks(const icu::UnicodeString& s, bool& saw_arabic) {
  icu::UnicodeString out(s.length() + 16, static_cast<UChar32>(0), 0);
  UScriptCode base_script = USCRIPT_COMMON;
  UChar32 base = 0;
  const int32_t n = s.length();
  for (int32_t i = 0; i < n;) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (c < 0x80) {
      out.append(static_cast<UChar>(c));
      base_script = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        ? USCRIPT_LATIN
                        : USCRIPT_COMMON;
      base = c;
      continue;
    }
    // Harakat and superscript alef, whatever precedes them.
    if ((c >= 0x064B && c <= 0x065F) || c == 0x0670) {
      saw_arabic = true;
      continue;
    }
    if (u_charType(c) == U_NON_SPACING_MARK) {
      if (base_script == USCRIPT_LATIN || base_script == USCRIPT_ARABIC) {
        continue;
      }
      if (c == 0x0308 && base == 0x0435) continue;  // ё -> е
      out.append(c);
      continue;
    }
    UChar32 m = c;
    switch (c) {
      case 0x0153: out.append(u"oe", 2); base_script = USCRIPT_LATIN; base = 'e'; continue;
      case 0x00E6: out.append(u"ae", 2); base_script = USCRIPT_LATIN; base = 'e'; continue;
      case 0x00F8: m = 'o'; break;
      case 0x0111: m = 'd'; break;
      case 0x0142: m = 'l'; break;
      case 0x00A0: case 0x2007: case 0x202F: case 0x3000: m = ' '; break;
      case 0x0640:  // tatweel
        saw_arabic = true;
        continue;
      case 0x0671: m = 0x0627; break;  // ٱ -> ا
      case 0x0629: m = 0x0647; break;  // ة -> ه
      case 0x0649: m = 0x064A; break;  // ى -> ي
      case 0x066B: m = '.'; break;     // Arabic decimal separator
      case 0x066C: m = ','; break;     // Arabic thousands separator
      default:
        if (c >= 0x0660 && c <= 0x0669) {
          m = '0' + (c - 0x0660);
        } else if (c >= 0x06F0 && c <= 0x06F9) {
          m = '0' + (c - 0x06F0);
        }
        break;
    }
    out.append(m);
    base = m;
    if (m < 0x80) {
      base_script = USCRIPT_COMMON;
    } else {
      UErrorCode st = U_ZERO_ERROR;
      base_script = uscript_getScript(m, &st);
      if (U_FAILURE(st)) base_script = USCRIPT_COMMON;
      if (base_script == USCRIPT_ARABIC) saw_arabic = true;
    }
  }
  return out;
}

// Step 5. Each word it takes more than the article alone off goes, as it
// was, to *written (if not null).
icu::UnicodeString strip_arabic_article(const icu::UnicodeString& s,
                                        std::vector<std::string>* written) {
  // Longest first. The conjunctions و ف before a preposition ب ك and the
  // article, or before ل + article (written لل).
  static const std::array<std::u16string_view, 12> kPrefixes = {
      u"\u0648\u0628\u0627\u0644",  // وبال
      u"\u0641\u0628\u0627\u0644",  // فبال
      u"\u0648\u0643\u0627\u0644",  // وكال
      u"\u0641\u0643\u0627\u0644",  // فكال
      u"\u0648\u0627\u0644",        // وال
      u"\u0628\u0627\u0644",        // بال
      u"\u0643\u0627\u0644",        // كال
      u"\u0641\u0627\u0644",        // فال
      u"\u0648\u0644\u0644",        // ولل
      u"\u0641\u0644\u0644",        // فلل
      u"\u0627\u0644",              // ال
      u"\u0644\u0644",              // لل
  };
  icu::UnicodeString out;
  const int32_t n = s.length();
  UChar32 prev = 0;
  for (int32_t i = 0; i < n;) {
    const UChar32 c = s.char32At(i);
    if (is_arabic_letter(c) && !is_word_char(prev)) {
      // Word: the run of Arabic letters from i (all BMP).
      int32_t end = i;
      while (end < n && is_arabic_letter(s.charAt(end))) ++end;
      const int32_t len = end - i;
      // Repeated, so that the result is a fixed point: "الالغام" (the
      // normalised "الألغام") and "الغام" (the normalised "ألغام") both
      // end as "غام".
      int32_t skip = 0;
      bool clitic = false;  // more than the article
      for (bool again = true; again;) {
        again = false;
        for (const auto p : kPrefixes) {
          const auto plen = static_cast<int32_t>(p.size());
          const int32_t min_rest = plen >= 3 ? 3 : 2;
          if (len - skip - plen >= min_rest &&
              s.compare(i + skip, plen, p.data(), 0, plen) == 0) {
            skip += plen;
            clitic = clitic || p != std::u16string_view(u"\u0627\u0644");  // ال
            again = true;
            break;
          }
        }
      }
      out.append(s, i + skip, len - skip);
      if (clitic && written != nullptr) {
        written->emplace_back();
        s.tempSubString(i, len).toUTF8String(written->back());
      }
      prev = s.charAt(end - 1);
      i = end;
      continue;
    }
    out.append(c);
    prev = c;
    i += U16_LENGTH(c);
  }
  return out;
}

// Decodes the code point before byte offset i of UTF-8 s (0 at the start).
UChar32 prev_cp(const std::string& s, size_t i) {
  if (i == 0) return 0;
  const auto b = static_cast<unsigned char>(s[i - 1]);
  if (b < 0x80) return b;
  int32_t j = static_cast<int32_t>(i);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, j, c);
  return c < 0 ? 0 : c;
}

UChar32 cp_at(const std::string& s, size_t i) {
  if (i >= s.size()) return 0;
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return b;
  int32_t j = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), j,
          static_cast<int32_t>(s.size()), c);
  return c < 0 ? 0 : c;
}

// Step 6, on folded UTF-8 text.
std::string drop_elisions(std::string s) {
  if (s.find('\'') == std::string::npos) return s;
  static const std::array<std::string_view, 13> kParticles = {
      "jusqu'", "lorsqu'", "puisqu'", "quoiqu'", "qu'", "l'", "d'",
      "j'",     "m'",      "n'",      "s'",      "t'",  "c'"};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const char ch = s[i];
    if (ch >= 'c' && ch <= 't' && !is_word_char(prev_cp(s, i))) {
      bool dropped = false;
      for (const auto p : kParticles) {
        if (s.compare(i, p.size(), p) == 0 &&
            is_letter(cp_at(s, i + p.size()))) {
          i += p.size();
          dropped = true;
          break;
        }
      }
      if (dropped) continue;
    }
    out.push_back(ch);
    ++i;
  }
  return out;
}

}  // namespace

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void append_lower_ascii(std::string& out, std::string_view s) {
  for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Steps 1-5 on a stretch of text with non-ASCII words.
void append_normalized(std::string& out, std::string_view text, std::vector<std::string>* written) {
  const Normalizers& n = normalizers();
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  premap(u);
  if (n.nfkc_cf != nullptr) {
    u = normalize(n.nfkc_cf, u);
  } else {
    u.foldCase(U_FOLD_CASE_DEFAULT);
  }
  bool saw_arabic = false;
  u = fold_marks(normalize(n.nfd, u), saw_arabic);
  u = normalize(n.nfc, u);
  if (saw_arabic) u = strip_arabic_article(u, written);
  u.toUTF8String(out);
}

}  // namespace

// ASCII whitespace is a boundary for every step (it neither composes nor
// decomposes, starts no mark sequence and ends every word), so words made
// of ASCII alone are only lowercased, and ICU sees just the stretches of
// the other words: most of a French or Spanish text skips it.
std::string normalize_for_search(std::string_view text, std::string_view lang) {
  return normalize_for_search(text, lang, nullptr);
}

std::string normalize_for_search(std::string_view text, std::string_view /*lang*/,
                                 std::vector<std::string>* article_words) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t run = std::string_view::npos;  // start of the pending non-ASCII stretch
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && is_ascii_space(text[i])) ++i;
    size_t word = i;
    bool ascii = true;
    while (i < text.size() && !is_ascii_space(text[i])) {
      if (static_cast<unsigned char>(text[i]) >= 0x80) ascii = false;
      ++i;
    }
    if (!ascii) {
      if (run == std::string_view::npos) {
        append_lower_ascii(out, text.substr(start, word - start));
        run = word;
      }
      continue;
    }
    if (run != std::string_view::npos) {
      append_normalized(out, text.substr(run, start - run), article_words);
      run = std::string_view::npos;
    }
    append_lower_ascii(out, text.substr(start, i - start));
  }
  if (run != std::string_view::npos) append_normalized(out, text.substr(run), article_words);
  return drop_elisions(std::move(out));
}

std::string stemmer_language(std::string_view lang) {
  std::string code(lang.substr(0, lang.find_first_of("-_")));
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (code.empty()) return "";
  static const std::array<std::pair<std::string_view, std::string_view>, 10>
      kKnown = {{{"en", "english"},
                 {"fr", "french"},
                 {"es", "spanish"},
                 {"ru", "russian"},
                 {"ar", "arabic"},
                 {"de", "german"},
                 {"pt", "portuguese"},
                 {"zh", ""},
                 {"ja", ""},
                 {"ko", ""}}};
  for (const auto& [k, v] : kKnown) {
    if (k == code) return std::string(v);
  }
  icu::UnicodeString display;
  icu::Locale(code.c_str()).getDisplayLanguage(icu::Locale::getEnglish(),
                                               display);
  display.toLower(icu::Locale::getEnglish());
  std::string name;
  display.toUTF8String(name);
  if (name.empty() || name == code || name == "none") return "";
  try {
    Xapian::Stem stem(name);
    return name;
  } catch (const Xapian::Error&) {
    return "";
  }
}

}  // namespace sitegen::index
