#include "site-gen/tagger.h"

#include <doctest/doctest.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using sitegen::NameMatcher;

namespace {

// Ids (ISO 3166 numeric codes, for readability of failures).
enum : int {
  SD = 729, SS = 728, GN = 324, PG = 598, GW = 624, GQ = 226, NE = 562, NG = 566,
  IE = 372, GB = 826, CL = 152, GH = 288, ML = 466, SO = 706, CI = 384, BF = 854,
  TD = 148,
};

const std::vector<std::pair<std::string, int>>& world_names() {
  static const std::vector<std::pair<std::string, int>> names = {
      // English
      {"Sudan", SD}, {"South Sudan", SS}, {"Republic of South Sudan", SS}, {"Guinea", GN},
      {"Papua New Guinea", PG}, {"Guinea-Bissau", GW}, {"Equatorial Guinea", GQ}, {"Niger", NE},
      {"Nigeria", NG}, {"Ireland", IE}, {"United Kingdom", GB},
      {"United Kingdom of Great Britain and Northern Ireland", GB}, {"Chile", CL}, {"Ghana", GH},
      {"Mali", ML}, {"Somalia", SO}, {"Côte d'Ivoire", CI}, {"Burkina Faso", BF}, {"Chad", TD},
      // French
      {"Soudan", SD}, {"Soudan du Sud", SS}, {"Guinée", GN}, {"Guinée équatoriale", GQ},
      {"Guinée-Bissau", GW}, {"Nigéria", NG}, {"Somalie", SO}, {"Tchad", TD},
      // Spanish
      {"Sudán", SD}, {"Sudán del Sur", SS}, {"Costa de Marfil", CI}, {"Níger", NE},
      {"Guinea Ecuatorial", GQ},
      // Russian
      {"Судан", SD}, {"Южный Судан", SS}, {"Гвинея", GN}, {"Чили", CL}, {"Гана", GH},
      {"Мали", ML}, {"Сомали", SO}, {"Нигер", NE}, {"Нигерия", NG}, {"Ирландия", IE},
      // Arabic
      {"السودان", SD}, {"جنوب السودان", SS}, {"غينيا", GN}, {"تشاد", TD}, {"مالي", ML},
      // Chinese
      {"苏丹", SD}, {"南苏丹", SS}, {"南苏丹共和国", SS}, {"几内亚", GN}, {"巴布亚新几内亚", PG},
      {"几内亚比绍", GW}, {"赤道几内亚", GQ}, {"尼日尔", NE}, {"尼日利亚", NG}, {"爱尔兰", IE},
      {"英国", GB}, {"智利", CL}, {"加纳", GH}, {"马里", ML}, {"索马里", SO}, {"科特迪瓦", CI},
  };
  return names;
}

const NameMatcher& world() {
  static const NameMatcher m = [] {
    NameMatcher w;
    for (const auto& [name, id] : world_names()) w.add(name, id);
    w.build();
    return w;
  }();
  return m;
}

std::string ids_str(const std::vector<int>& ids) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < ids.size(); ++i) os << (i ? " " : "") << ids[i];
  os << "]";
  return os.str();
}

struct IdCase {
  const char* text;
  std::vector<int> want;
};

void check_ids(const std::vector<IdCase>& cases) {
  for (const auto& c : cases) {
    std::string text = c.text;
    std::string got = ids_str(world().find_ids(text));
    std::vector<int> want_ids = c.want;
    std::sort(want_ids.begin(), want_ids.end());
    std::string want = ids_str(want_ids);
    INFO("text: \"", text, "\"");
    CHECK_MESSAGE(got == want, "got ", got, " want ", want);
  }
}

}  // namespace

TEST_CASE("tagger: English traps") {
  check_ids({
      {"South Sudan", {SS}},
      {"Sudan", {SD}},
      {"Sudan and South Sudan", {SD, SS}},
      {"the Republic of South Sudan said", {SS}},
      {"Papua New Guinea", {PG}},
      {"Papua New Guinea and Guinea", {GN, PG}},
      {"Guinea-Bissau", {GW}},
      {"Guinea-Conakry", {GN}},
      {"Equatorial Guinea", {GQ}},
      {"Nigeria", {NG}},
      {"Niger", {NE}},
      {"Niger and Nigeria", {NE, NG}},
      {"Nigerian", {}},
      {"United Kingdom of Great Britain and Northern Ireland", {GB}},
      {"United Kingdom of Great Britain and Northern Ireland, and Ireland", {GB, IE}},
      {"the United Kingdom", {GB}},
      {"Somalia", {SO}},
      {"Mali", {ML}},
      {"Somalia and Mali", {ML, SO}},
      {"Chilean", {}},
      {"Chile's report", {CL}},
      {"Chile’s report", {CL}},
      {"chadian", {}},
      {"CHAD", {TD}},
      {"Sudanese", {}},
      {"xSouth Sudan", {SD}},
      {"South Sudanese", {}},
  });
}

TEST_CASE("tagger: Chinese names count anywhere in a run of characters, longest wins") {
  check_ids({
      {"索马里", {SO}},
      {"马里", {ML}},
      {"索马里和马里", {ML, SO}},
      {"索马里马里", {ML, SO}},
      {"我们与索马里合作。", {SO}},
      {"南苏丹", {SS}},
      {"南苏丹共和国代表团", {SS}},
      {"苏丹和南苏丹", {SD, SS}},
      {"几内亚比绍", {GW}},
      {"几内亚比绍和几内亚", {GN, GW}},
      {"巴布亚新几内亚", {PG}},
      {"赤道几内亚", {GQ}},
      {"尼日利亚", {NG}},
      {"尼日尔", {NE}},
      {"尼日利亚和尼日尔", {NE, NG}},
      {"英国和爱尔兰", {GB, IE}},
      {"智利、加纳", {CL, GH}},
      {"科特迪瓦", {CI}},
      // English names in a Chinese text: CJK neighbours are boundaries.
      {"会议在Burkina Faso举行", {BF}},
      {"布基纳法索（Burkina Faso）", {BF}},
      {"xBurkina Faso", {}},
      {"South Sudan和Sudan", {SD, SS}},
  });
}

TEST_CASE("tagger: Russian names need whole words") {
  check_ids({
      {"изучили", {}},
      {"органами", {}},
      {"Мы изучили доклады, представленные органами власти", {}},
      {"Чили и Гана", {CL, GH}},
      {"ЧИЛИ И ГАНА", {CL, GH}},
      {"чили", {CL}},
      {"Южный Судан", {SS}},
      {"Судан и Южный Судан", {SD, SS}},
      {"Сомали", {SO}},
      {"Сомали и Мали", {ML, SO}},
      {"Нигерия", {NG}},
      {"Нигер", {NE}},
      {"Нигерией", {}},
      {"Гвинея-Бисау", {GN}},
      {"Ирландия.", {IE}},
  });
}

TEST_CASE("tagger: French and Spanish accents and case") {
  check_ids({
      {"CÔTE D’IVOIRE", {CI}},
      {"Côte d'Ivoire", {CI}},
      {"côte d’ivoire", {CI}},
      {"la Côte d'Ivoire,", {CI}},
      {"Cote d'Ivoire", {}},  // no accent folding
      {"GUINÉE ÉQUATORIALE", {GQ}},
      {"Guinée-Bissau", {GW}},
      {"la Guinée", {GN}},
      {"Guinéens", {}},
      {"Soudan du Sud", {SS}},
      {"le Soudan et le Soudan du Sud", {SD, SS}},
      {"Nigéria", {NG}},
      {"SUDÁN DEL SUR", {SS}},
      {"Sudán", {SD}},
      {"NÍGER", {NE}},
      {"Costa de Marfil", {CI}},
      {"Guinea Ecuatorial", {GQ}},
      {"Tchad", {TD}},
  });
}

TEST_CASE("tagger: Arabic names") {
  check_ids({
      {"السودان", {SD}},
      {"جنوب السودان", {SS}},
      {"السودان و جنوب السودان", {SD, SS}},
      {"وفد جنوب السودان", {SS}},
      {"غينيا", {GN}},
      {"تشاد ومالي", {TD}},  // ومالي: و is glued to مالي
      {"تشاد و مالي", {ML, TD}},
  });
}

TEST_CASE("tagger: a letter of another script is a word's edge") {
  // A PDF's text often has no space where a right-to-left line's Arabic
  // meets a Latin name: the name counts, whole.
  check_ids({
      {"الدولة التاليةEquatorial Guinea.", {GQ}},
      {"Equatorial Guineaبأنه", {GQ}},
      {"Guineaبأنه", {GN}},
      {"СудanGhana", {}},        // Latin glued to Latin is one word
      {"ГвинеяChile", {CL, GN}},  // Cyrillic then Latin: two words
      {"Chile2", {}},             // a digit has no script: it glues
      {"غينيا2", {}},
      {"ملاحظةغينيا", {}},        // Arabic glued to Arabic is one word
  });
}

TEST_CASE("tagger: whitespace, newlines and text edges") {
  check_ids({
      {"", {}},
      {" ", {}},
      {"Papua New\nGuinea", {PG}},
      {"Papua\r\n   New Guinea", {PG}},
      {"Papua\u00a0New\u202fGuinea", {PG}},
      {"Papua  New\t\tGuinea", {PG}},
      {"United Kingdom of Great Britain\nand Northern Ireland", {GB}},
      {"South\nSudan", {SS}},
      {"Chile", {CL}},
      {"Chile.", {CL}},
      {"(Chile)", {CL}},
      {"Chile_", {}},
      {"Chile2", {}},
      {"2Chile", {}},
      {"Chile\u0301", {}},  // a combining mark glues on
      {"in Chile", {CL}},
      {"Ghana\n", {GH}},
      {"PapuaNew Guinea", {GN}},
  });
}

TEST_CASE("tagger: byte offsets refer to the original text") {
  const NameMatcher& m = world();
  struct OffsetCase {
    std::string text;
    std::vector<std::tuple<size_t, size_t, int>> want;
  };
  const std::vector<OffsetCase> cases = {
      {"In Papua New\n  Guinea.", {{3, 21, PG}}},
      {"与索马里", {{3, 12, SO}}},
      {"索马里马里", {{0, 9, SO}, {9, 15, ML}}},
      {"CÔTE D’IVOIRE!", {{0, 16, CI}}},
      {"Sudan, South Sudan", {{0, 5, SD}, {7, 18, SS}}},
      {"Чили и Гана", {{0, 8, CL}, {12, 20, GH}}},
      {"xSouth Sudan", {{7, 12, SD}}},
  };
  for (const auto& c : cases) {
    INFO("text: \"", c.text, "\"");
    auto got = m.find(c.text);
    std::vector<std::tuple<size_t, size_t, int>> g;
    for (const auto& x : got) g.emplace_back(x.begin, x.end, x.id);
    CHECK(g == c.want);
    for (const auto& x : got) CHECK(x.end <= c.text.size());
  }
}

TEST_CASE("tagger: leftmost-longest selection") {
  NameMatcher m;
  m.add("ab cd", 1);
  m.add("cd ef", 2);
  m.add("cd", 3);
  m.add("ef", 4);
  m.add("ab", 5);
  m.add("x y z", 6);
  m.add("y", 7);
  m.add("z", 8);
  m.build();
  struct C {
    const char* text;
    std::vector<int> want;
  };
  const std::vector<C> cases = {
      {"ab cd ef", {1, 4}},     // the earlier "ab cd" wins over the longer, later "cd ef"
      {"xab cd ef", {2}},       // "ab cd" is not a whole word: "cd ef" is next
      {"ab cdx ef", {4, 5}},    // "ab cd" fails after, so does "cd"; "ab" is fine
      {"cd ef", {2}},
      {"cd efg", {3}},          // longest fails the word check, a shorter one at the same start does not
      {"x y z", {6}},
      {"x y zz", {7}},
      {"x y z y", {6, 7}},
  };
  for (const auto& c : cases) {
    INFO("text: \"", c.text, "\"");
    CHECK(ids_str(m.find_ids(c.text)) == ids_str(c.want));
  }
}

TEST_CASE("tagger: names sharing an id, duplicate and empty names") {
  NameMatcher m;
  m.add("South Sudan", 2);
  m.add("Republic of South Sudan", 2);
  m.add("南苏丹", 2);
  m.add("Sudan", 1);
  m.add("", 9);
  m.add("  \n ", 9);
  m.add(" Chile ", 3);    // trimmed
  m.add("CHILE", 4);      // the same name as "Chile" with another id: the smallest id wins
  m.add("Côte d’Ivoire", 5);
  m.build();
  CHECK(m.find_ids("South Sudan, the Republic of South Sudan, 南苏丹") == std::vector<int>{2});
  CHECK(m.find("South Sudan, the Republic of South Sudan, 南苏丹").size() == 3);
  CHECK(m.find_ids("Sudan and South Sudan") == std::vector<int>{1, 2});
  CHECK(m.find_ids("chile") == std::vector<int>{3});
  CHECK(m.find_ids("Côte d'Ivoire") == std::vector<int>{5});
  CHECK(m.find_ids("  ").empty());
  CHECK(m.find_ids("").empty());
}

TEST_CASE("tagger: empty matcher, move, invalid UTF-8") {
  NameMatcher empty;
  empty.build();
  CHECK(empty.find("anything").empty());

  NameMatcher a;
  a.add("Chile", 1);
  a.build();
  NameMatcher b(std::move(a));
  CHECK(b.find_ids("Chile") == std::vector<int>{1});
  NameMatcher c;
  c = std::move(b);
  CHECK(c.find_ids("in Chile.") == std::vector<int>{1});
  CHECK(c.find_ids(std::string("\xff" "Chile\xc3", 7)) == std::vector<int>{1});
  CHECK(c.find_ids(std::string("Ch\xffile", 6)).empty());
}

// ---------------------------------------------------------------------------
// Randomised comparison with a brute-force implementation of the same rules.

namespace {

struct Cp {
  UChar32 c;        // normalised code point
  size_t b, e;      // bytes in the original text
};

bool ref_space(UChar32 c) { return c >= 0 && u_isUWhiteSpace(c); }
UChar32 ref_fold(UChar32 c) { return c == 0x2019 ? 0x27 : u_foldCase(c, U_FOLD_CASE_DEFAULT); }
bool ref_cjk(UChar32 c) {
  UErrorCode e = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript(c, &e);
  return u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) || s == USCRIPT_HAN || s == USCRIPT_HIRAGANA ||
         s == USCRIPT_KATAKANA || s == USCRIPT_HANGUL || s == USCRIPT_BOPOMOFO;
}
bool ref_word(UChar32 c) {
  if (c < 0) return false;
  bool w = u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) || c == '_';
  return w && !ref_cjk(c) && !(c >= 0xFF00 && c <= 0xFFEF);
}
UScriptCode ref_script(UChar32 c) {
  UErrorCode e = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript(c, &e);
  return s == USCRIPT_INHERITED ? USCRIPT_COMMON : s;
}
// A word character next to a name's edge, of its script (or of none).
bool ref_glues(UChar32 neighbour, UChar32 edge) {
  if (!ref_word(neighbour)) return false;
  UScriptCode a = ref_script(neighbour), b = ref_script(edge);
  return a == b || a == USCRIPT_COMMON || b == USCRIPT_COMMON;
}

// Text to normalised code points (space runs collapsed), keeping the raw ones.
std::vector<Cp> ref_normalize(const std::string& s, std::vector<std::pair<UChar32, size_t>>* raw) {
  std::vector<Cp> out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  bool prev_space = false;
  while (i < n) {
    int32_t b = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    raw->push_back({c, static_cast<size_t>(b)});
    if (ref_space(c)) {
      if (prev_space) {
        out.back().e = static_cast<size_t>(i);  // extend the run
      } else {
        out.push_back({0x20, static_cast<size_t>(b), static_cast<size_t>(i)});
      }
      prev_space = true;
    } else {
      out.push_back({c < 0 ? -1 : ref_fold(c), static_cast<size_t>(b), static_cast<size_t>(i)});
      prev_space = false;
    }
  }
  return out;
}

std::vector<UChar32> ref_name(const std::string& s) {
  std::vector<UChar32> out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (ref_space(c)) {
      if (!out.empty() && out.back() != 0x20) out.push_back(0x20);
    } else {
      out.push_back(ref_fold(c));
    }
  }
  while (!out.empty() && out.back() == 0x20) out.pop_back();
  return out;
}

std::vector<std::tuple<size_t, size_t, int>> ref_find(
    const std::vector<std::pair<std::string, int>>& names, const std::string& text) {
  std::vector<std::pair<UChar32, size_t>> raw;
  std::vector<Cp> t = ref_normalize(text, &raw);
  auto raw_before = [&](size_t b) -> UChar32 {
    UChar32 prev = -1;
    for (const auto& [c, off] : raw) {
      if (off >= b) break;
      prev = c;
    }
    return prev;
  };
  auto raw_at = [&](size_t b) -> UChar32 {
    for (const auto& [c, off] : raw)
      if (off == b) return c;
    return -1;
  };
  std::vector<std::tuple<size_t, long, int>> cands;  // begin, -end, id
  for (const auto& [name, id] : names) {
    std::vector<UChar32> pat = ref_name(name);
    if (pat.empty()) continue;
    for (size_t i = 0; i + pat.size() <= t.size(); ++i) {
      bool eq = true;
      for (size_t k = 0; k < pat.size() && eq; ++k) eq = t[i + k].c == pat[k];
      if (!eq) continue;
      size_t b = t[i].b, e = t[i + pat.size() - 1].e;
      if (!ref_cjk(pat.front()) && b > 0 && ref_glues(raw_before(b), raw_at(b))) continue;
      if (!ref_cjk(pat.back()) && e < text.size() && ref_glues(raw_at(e), raw_before(e))) continue;
      cands.emplace_back(b, -static_cast<long>(e), id);
    }
  }
  std::sort(cands.begin(), cands.end());
  std::vector<std::tuple<size_t, size_t, int>> out;
  size_t end = 0;
  for (const auto& [b, ne, id] : cands) {
    if (b < end) continue;
    end = static_cast<size_t>(-ne);
    out.emplace_back(b, end, id);
  }
  return out;
}

}  // namespace

TEST_CASE("tagger: randomized comparison with a brute-force reference") {
  // Distinct names (after normalisation), several sharing an id.
  const std::vector<std::pair<std::string, int>> names = {
      {"ab", 1},    {"ab cd", 2},  {"cd", 3},       {"b", 4},      {"cd ab", 5},
      {"马里", 6},  {"索马里", 7}, {"里", 8},       {"a-b", 9},    {"É", 10},
      {"ab’c", 11}, {"Чили", 12},  {"ил", 13},      {"ab cd ab", 2}, {"索", 7},
      {"x_y", 14},  {"cd\nef", 15}, {"e", 16},      {"马里b", 17},
      {"غينيا", 18},
  };
  NameMatcher m;
  for (const auto& [n, id] : names) m.add(n, id);
  m.build();

  const std::vector<std::string> words = {
      "ab", "AB", "Ab", "cd", "CD", "b", "a", "c", "d", "e", "ef", "É", "é", "e\u0301",
      "马", "里", "索", "马里", "索马里", "x", "y", "x_y", "ab'c", "ab’C", "изучили", "Чили",
      "ЧИЛИ", "и", "ил", "_", "1", "-", "a-b", "中", "غينيا", "ال", "\u0651",
  };
  const std::vector<std::string> seps = {
      " ", " ", " ", "", "", "\n", "  ", "\u00a0", "\u202f", "-", ",", "’", "'", ". ", "\r\n", "，",
  };
  std::mt19937 rng(20240601);
  int compared = 0, with_matches = 0, with_several = 0;
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text;
    int len = std::uniform_int_distribution<int>(0, 14)(rng);
    for (int k = 0; k < len; ++k) {
      text += words[std::uniform_int_distribution<size_t>(0, words.size() - 1)(rng)];
      text += seps[std::uniform_int_distribution<size_t>(0, seps.size() - 1)(rng)];
    }
    auto want = ref_find(names, text);
    std::vector<std::tuple<size_t, size_t, int>> got;
    for (const auto& x : m.find(text)) got.emplace_back(x.begin, x.end, x.id);
    std::vector<int> want_ids;
    for (const auto& w : want) want_ids.push_back(std::get<2>(w));
    std::sort(want_ids.begin(), want_ids.end());
    want_ids.erase(std::unique(want_ids.begin(), want_ids.end()), want_ids.end());
    INFO("iteration ", iter, " text: \"", text, "\"");
    REQUIRE(got == want);
    REQUIRE(m.find_ids(text) == want_ids);
    ++compared;
    with_matches += !want.empty();
    with_several += want.size() >= 3;
  }
  CHECK(compared == 4000);
  // The texts are dense in names: the comparison is not vacuous.
  CHECK(with_matches > 2000);
  CHECK(with_several > 500);
}
