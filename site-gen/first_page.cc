#include "site-gen/first_page.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>
#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

#include "index/attachment_text.h"
#include "site-gen/date.h"

// The first page is read in UTF-16 (icu::UnicodeString) so that ICU's
// regular expressions, case-insensitive and Unicode-aware (\p{Nd} is any
// script's digits), give offsets into the same text. Month and language
// names come from ICU; only what CLDR does not have (the UN's own Arabic
// and Chinese spellings, the header's phrases) is written here.

namespace sitegen {
namespace {

using icu::UnicodeString;

UnicodeString ustr(std::string_view s) {
  return UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string utf8(const UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// `s` case-folded one code point at a time (simple folding), so that an
// offset in the folded text is the same offset in `s`: the patterns are
// matched against folded text, in lower case, rather than compiled
// case-insensitive, since ICU's case closures of the month and language
// names took 0.3 s to compile, most of an import of a few files.
UnicodeString folded(const UnicodeString& s) {
  UnicodeString out;
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    const UChar32 c = s.char32At(i);
    const UChar32 f = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    out.append(U16_LENGTH(f) == U16_LENGTH(c) ? f : c);
  }
  return out;
}

constexpr const char* kUnLanguages[] = {"ar", "en", "es", "fr", "ru", "zh"};
// The header lines of a first page: the symbol, the date and the title are
// looked for here (the UN masthead and title take 8 to 12 lines).
constexpr size_t kHeaderLines = 15;
// Lines read at all: a title may follow a long header.
constexpr size_t kPageLines = 40;
constexpr size_t kMaxTitleLines = 3;
constexpr int32_t kMaxVenueLength = 60;
constexpr size_t kPageBytes = 64 * 1024;
constexpr int32_t kMaxLineLength = 1000;

// ---------------------------------------------------------------- names

struct MonthName {
  int month = 0;
  std::set<std::string> langs;
};

// Folded month name -> month, from ICU's wide names (format and stand-alone
// forms: Russian dates use the genitive "октября"). Arabic has two sets:
// the Egyptian names (ICU "ar") and the Levantine ones (ICU "ar_SY"), which
// UN Arabic prints together, "تشرين الأول/أكتوبر".
std::map<UnicodeString, MonthName> make_month_names() {
  std::map<UnicodeString, MonthName> out;
  const struct {
    const char* locale;
    const char* lang;
  } sets[] = {{"en", "en"}, {"fr", "fr"}, {"es", "es"},
              {"ru", "ru"}, {"ar", "ar"}, {"ar_SY", "ar"}};
  for (const auto& set : sets) {
    UErrorCode status = U_ZERO_ERROR;
    icu::DateFormatSymbols symbols{icu::Locale(set.locale), status};
    if (U_FAILURE(status)) continue;
    for (auto context : {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
      int32_t n = 0;
      const UnicodeString* months = symbols.getMonths(n, context, icu::DateFormatSymbols::WIDE);
      for (int32_t i = 0; i < n && i < 12; ++i) {
        MonthName& m = out[folded(months[i])];
        m.month = i + 1;
        m.langs.insert(set.lang);
      }
    }
  }
  // The UN's Arabic spells June and July يونيه and يوليه, CLDR يونيو and يوليو.
  out[ustr("يونيه")] = {6, {"ar"}};
  out[ustr("يوليه")] = {7, {"ar"}};
  return out;
}

const std::map<UnicodeString, MonthName>& month_names() {
  static const auto names = make_month_names();
  return names;
}

struct LanguageName {
  std::string code;                  // the language it names
  std::set<std::string> written_in;  // the languages it is a word of
};

// Folded name of each UN language in each of them (ICU's display names),
// plus the UN's own spellings: Chinese 英文 beside CLDR's 英语, Arabic
// الإنكليزية beside الإنجليزية.
std::map<UnicodeString, LanguageName> make_language_names() {
  std::map<UnicodeString, LanguageName> out;
  auto add = [&](const UnicodeString& name, const char* code, const char* in) {
    LanguageName& n = out[folded(name)];
    n.code = code;
    n.written_in.insert(in);
  };
  for (const char* code : kUnLanguages)
    for (const char* in : kUnLanguages) {
      UnicodeString name;
      icu::Locale(code).getDisplayLanguage(icu::Locale(in), name);
      if (name.isEmpty()) continue;
      add(name, code, in);
      if (std::string_view(in) == "zh" && name.endsWith(UnicodeString(u"语")))
        add(UnicodeString(name, 0, name.length() - 1) + u"文", code, in);
    }
  add(ustr("الإنكليزية"), "en", "ar");
  return out;
}

const std::map<UnicodeString, LanguageName>& language_names() {
  static const auto names = make_language_names();
  return names;
}

bool is_han(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

// A regular expression alternation of `names`, longest first (ICU takes
// the first alternative that matches). Each alphabetic name must end a
// word; a Chinese one may be followed by anything, as the text's Chinese
// lines are joined (attachment_text()).
template <class Map>
UnicodeString alternation(const Map& names) {
  std::vector<UnicodeString> sorted;
  for (const auto& [name, _] : names) sorted.push_back(name);
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const UnicodeString& a, const UnicodeString& b) { return a.length() > b.length(); });
  UnicodeString out(u"(?:");
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) out += u"|";
    out += u"\\Q" + sorted[i] + u"\\E";
    if (!is_han(sorted[i].char32At(sorted[i].length() - 1))) out += u"(?!\\p{L})";
  }
  return out + u")";
}

// ---------------------------------------------------------------- patterns

std::unique_ptr<icu::RegexPattern> compile(const UnicodeString& pattern) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError error;
  std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(pattern, 0, error, status));
  if (U_FAILURE(status)) {  // a mistake in this file, which any test run shows
    std::fprintf(stderr, "site-gen: first_page.cc: bad pattern (%s) at offset %d\n",
                 u_errorName(status), error.offset);
    std::abort();
  }
  return p;
}

// Every pattern of the reading, compiled once. RegexPattern is immutable:
// each use makes its own matcher, so threads may share them.
struct Patterns {
  std::unique_ptr<icu::RegexPattern> symbol, date, date_zh, range_before, venue, original,
      distribution, zh_meeting, zh_submitted, zh_agenda, zh_convention, meeting, agenda, submitted,
      convention, body, furniture;
  std::vector<std::pair<std::string, std::unique_ptr<icu::RegexPattern>>> types;

  // The patterns read best broken at their alternatives:
  // clang-format off
  Patterns() {
    const UnicodeString months = alternation(month_names());
    // Matched against the text as it is; the others against folded text.
    // APLC/..., and APL/... of the Oslo Diplomatic Conference (1997).
    symbol = compile(u"(?<![A-Za-z0-9])APLC?/[A-Za-z0-9][A-Za-z0-9./()\\-]*");
    // "8 October 2025", "1er octobre 2025", "8 de octubre de 2025",
    // "8 октября 2025 года", "8 تشرين الأول/أكتوبر 2025"; poppler may lose
    // the space between an Arabic day and its month.
    date = compile(u"(?<!\\p{Nd})(\\p{Nd}{1,2})(?:er|º|°)?\\s*(?:de\\s+)?"
                   u"(" + months + u")(?:\\s*/\\s*(" + months + u"))?"
                   u"\\s*,?\\s*(?:de\\s+|del\\s+)?(\\p{Nd}{4})(?!\\p{Nd})(?:\\s*(?:года|г\\.))?");
    // "2025年10月8日"; a range "2025年12月1日至5日" is the meeting's.
    date_zh = compile(u"(?<!\\p{Nd})(\\p{Nd}{4})\\s*年\\s*(\\p{Nd}{1,2})\\s*月\\s*(\\p{Nd}{1,2})\\s*日"
                      u"(\\s*(?:至|到|-|–|—|~)\\s*"
                      u"(?:(?:\\p{Nd}{4}\\s*年\\s*)?\\p{Nd}{1,2}\\s*月\\s*)?\\p{Nd}{1,2}\\s*日)?");
    // What before a date's day makes it the end of a range: "1–5 December",
    // "du 1er au 5 décembre", "del 1 al 5 de diciembre", "1 a 5 de
    // diciembre", "с 1 по 5 декабря".
    range_before = compile(u"(?:[-–—‑]|\\b(?:au|al|a|to|по|до|إلى))\\s*$");
    // "Geneva, 8 December 2025": a place, a comma, a month and a year.
    venue = compile(u"^[^,，،]{1,40}[,，،].*?(?:" + months + u")\\s*,?\\s*(?:de\\s+)?\\p{Nd}{4}");
    // "Original: English", "Original : anglais", "Подлинный текст:
    // английский", "Язык оригинала: ...", "الأصل: بالإنكليزية", "原文：英文".
    original = compile(u"(?:original|подлинный\\s+текст|язык\\s+оригинала|оригинал|الأصل|原文)"
                       u"\\s*[:：]\\s*(?:ب(?=ال))?(" + alternation(language_names()) + u")");
    distribution = compile(u"distr(?:\\.\\s*[:：]?|\\s*[:：])\\s*\\p{L}+\\.?");
    // Chinese lines may come joined (attachment_text(), or text on one
    // baseline): these phrases are cut out of a line where they are.
    zh_meeting = compile(u"缔约国第\\S{1,8}?届会议|第\\S{1,6}?次审议会议|审议会议|闭会期间会议");
    zh_submitted = compile(u"提交者\\s*[:：].*$");
    zh_agenda = compile(u"(?:临时)?议程项目\\s*\\p{Nd}+(?:\\s*[(（]\\p{Ll}[)）])?"
                        u"(?:\\s*[和、至]\\s*\\p{Nd}+)*");
    zh_convention = compile(u"(?:关于)?禁止使用、储存、生产和转让杀伤人员地雷(?:及|和)销毁此种地雷的公约"
                            u"|禁止杀伤人员地雷公约");
    // A whole line of the meeting's name: a few words (an ordinal:
    // "Twenty-second", "22e", "22.ª", "22-е"), then the kind of meeting, so
    // that "Final report of the Twenty-second Meeting of the States
    // Parties", a title, is not one.
    meeting = compile(
        u"^(?:(?!(?:of|the|on|for|to|de|du|des|la|le|del|los|las|sur|sobre)\\b)"
        u"[\\p{L}\\p{Nd}.ªº\\-–']+\\s+){0,4}"
        u"(?:meeting of the states parties|review conference|intersessional meetings?"
        u"|assemblée des états parties|conférence d.examen|réunions? intersessions"
        u"|reunión de los estados partes|conferencia de examen"
        u"|reuniones entre períodos de sesiones"
        u"|совещание государств\\s*[-–—]?\\s*участников|конференция по рассмотрению"
        u"|обзорная конференция|межсессионные совещания)"
        u"|^الاجتماع\\s.{0,60}?للدول الأطراف|^المؤتمر\\s.{0,30}?الاستعراضي"
        u"|^الاجتماعات\\s.{0,20}?بين الدورات");
    agenda = compile(u"^(?:items?|points?|temas?|пункты?|البنود|البند)\\s*\\p{Nd}+.{0,60}?"
                     u"(?:agenda|ordre du jour|programa|повестки дня|جدول الأعمال)");
    submitted = compile(u"^(?:submitted by|présentée? par|soumise? par|presentad[oa] por"
                        u"|представлен[оа]?(?!\\p{L})|مقدمة من|مقدم من|مقدَّم من|提交者|由.{1,30}提交)");
    convention = compile(u"convention on the prohibition|convention sur l.interdiction"
                         u"|convención sobre la prohibición|конвенция о запрещении|اتفاقية حظر");
    // A numbered paragraph: "1. ", "IV. ", the UN Arabic "1 - ", and an
    // Arabic "1." that poppler gives as ".1" (the dot drawn to its left),
    // or with no space before the Arabic word after it.
    body = compile(u"^(?:(?:\\p{Nd}{1,3}|[IVXLC]{1,6})\\.(?:\\s|$|(?=[\\p{Arabic}\\p{Han}\\p{Cyrillic}]))"
                   u"|\\p{Nd}{1,3} ?- |\\.\\p{Nd}{1,3}(?!\\p{Nd}))");  // as it is: [IVXLC]
    furniture = compile(u"^ge\\.\\p{Nd}{2}-\\p{Nd}+|^\\*\\p{Nd}{5,}\\*$|^please recycle");
    // Title words of each type, most specific first ("Final report" before
    // "report", "programme of work" before the Spanish "programa").
    const std::pair<const char*, const char16_t*> type_words[] = {
        {"final-report", u"\\bfinal report|rapport final|informe final|заключительный доклад"
                         u"|التقرير الختامي|التقرير النهائي|最后报告"},
        {"article7-report", u"\\barticle 7\\b|\\bartículo 7\\b|стать[еияю] 7\\b|المادة 7|第7条|第七条"},
        {"extension-request", u"extension request|request for (?:an )?extension|demande de prolongation"
                              u"|solicitud de prórroga|(?:просьба|запрос) о продлении|طلب تمديد"
                              u"|延期请求|延长.{0,10}请求"},
        {"programme", u"programme of work|programme de travail|programa de trabajo"
                      u"|программа работы|برنامج العمل|工作方案"},
        {"agenda", u"\\bagenda\\b|ordre du jour|\\bprograma\\b|повестка дня|جدول الأعمال|议程"},
        {"decision", u"\\bdecisions?\\b|\\bdécisions?\\b|\\bdecisión\\b|\\bрешени[ея]\\b|مقرر|决定"},
        {"statement", u"\\bstatement\\b|\\bdéclaration\\b|\\bdeclaración\\b|\\bзаявление\\b|بيان|声明|发言"},
        {"working-paper", u"working paper|document de travail|documento de trabajo|рабочий документ"
                          u"|ورقة عمل|工作文件"},
        {"report", u"\\breport\\b|\\brapport\\b|\\binforme\\b|доклад|تقرير|报告"},
    };
    for (const auto& [type, words] : type_words) types.emplace_back(type, compile(words));
  }
  // clang-format on
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

// A matcher over `text` (which must outlive it), or null.
std::unique_ptr<icu::RegexMatcher> matcher(const icu::RegexPattern* p, const UnicodeString& text) {
  if (!p) return nullptr;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(p->matcher(text, status));
  if (U_FAILURE(status)) m.reset();
  return m;
}

bool found_in(const icu::RegexPattern* p, const UnicodeString& text) {
  auto m = matcher(p, text);
  UErrorCode status = U_ZERO_ERROR;
  return m && m->find(status) && U_SUCCESS(status);
}

bool starts_with(const icu::RegexPattern* p, const UnicodeString& text) {
  auto m = matcher(p, text);
  UErrorCode status = U_ZERO_ERROR;
  return m && m->lookingAt(status) && U_SUCCESS(status);
}

// The number a run of digits of any script writes ("٢٠٢٥", "２０２５").
int number_of(const UnicodeString& digits) {
  int n = 0;
  for (int32_t i = 0; i < digits.length(); i = digits.moveIndex32(i, 1)) {
    const int32_t d = u_charDigitValue(digits.char32At(i));
    if (d < 0 || n > 100000) return -1;
    n = n * 10 + d;
  }
  return n;
}

std::optional<Date> date_of(int year, int month, int day) {
  char iso[16];
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
    return std::nullopt;
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
  return parse_iso_date(iso);
}

// ---------------------------------------------------------------- lines

// A line as the reading compares it: spaces of every kind as one space,
// the marks poppler and word processors leave inside words (directional
// marks, zero-width characters, soft hyphens, Arabic tatweel) taken out.
UnicodeString clean_line(const UnicodeString& line) {
  UnicodeString out;
  bool space = false;
  for (int32_t i = 0; i < line.length(); i = line.moveIndex32(i, 1)) {
    const UChar32 c = line.char32At(i);
    if ((c >= 0x200B && c <= 0x200F) || c == 0x061C || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0x00AD || c == 0x0640)
      continue;
    if (u_isUWhiteSpace(c) || u_iscntrl(c)) {
      space = !out.isEmpty();
      continue;
    }
    if (space) out += u' ';
    space = false;
    out.append(c);
  }
  return out;
}

std::vector<UnicodeString> first_page_lines(std::string_view text) {
  // A DOCX has no pages: its first kPageBytes hold more than kPageLines
  // lines of a masthead and title (a sequence cut at the end becomes a
  // replacement character, on a line never read).
  const UnicodeString page = ustr(text.substr(0, std::min(text.find('\f'), kPageBytes)));
  std::vector<UnicodeString> lines;
  int32_t start = 0;
  while (start <= page.length() && lines.size() < kPageLines) {
    int32_t end = page.indexOf(u'\n', start);
    if (end < 0) end = page.length();
    // A header line is short; a paragraph of a DOCX may be a whole text.
    UnicodeString line =
        clean_line(UnicodeString(page, start, std::min(end - start, kMaxLineLength)));
    if (!line.isEmpty()) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// ---------------------------------------------------------------- segments

// What a piece of a header line is. A line may hold several: Chinese lines
// come joined, and poppler puts text printed on one baseline on one line.
enum class Kind {
  symbol,
  date,
  venue,
  distribution,
  original,
  language,
  convention,
  meeting,
  agenda,
  submitted,
  body,
  furniture,
  text
};

struct Segment {
  Kind kind = Kind::text;
  UnicodeString text;
  size_t line = 0;
  std::optional<Date> date;     // Kind::date
  std::set<std::string> langs;  // the date's month languages, the original's written-in
  std::string value;            // the symbol, the original's or the language line's code
};

// A piece of a line found by a pattern: [start, end).
struct Span {
  int32_t start = 0, end = 0;
  Segment segment;
};

// A piece of a line between the spans, without the separators around it.
UnicodeString trim_piece(const UnicodeString& piece) {
  static const UnicodeString separators(u" ,，、;；:：،*");
  int32_t b = 0, e = piece.length();
  while (b < e && separators.indexOf(piece.charAt(b)) >= 0) ++b;
  while (e > b && separators.indexOf(piece.charAt(e - 1)) >= 0) --e;
  return UnicodeString(piece, b, e - b);
}

// Trailing characters that end a symbol's sentence, not the symbol.
UnicodeString trim_symbol(UnicodeString s) {
  while (!s.isEmpty()) {
    const UChar last = s.charAt(s.length() - 1);
    const bool unbalanced = last == u')' && s.indexOf(u'(') < 0;
    if (last != u'.' && last != u'-' && last != u'/' && !unbalanced) break;
    s.truncate(s.length() - 1);
  }
  return s;
}

// The date a match of Patterns::date stands for, with the languages of
// its month names; nullopt when the two Arabic names are two months.
std::optional<Segment> alphabetic_date(icu::RegexMatcher& m, const UnicodeString& line) {
  UErrorCode status = U_ZERO_ERROR;
  const auto& months = month_names();
  auto first = months.find(folded(m.group(2, status)));
  if (first == months.end()) return std::nullopt;
  Segment s;
  s.langs = first->second.langs;
  if (m.start(3, status) >= 0) {
    auto second = months.find(folded(m.group(3, status)));
    if (second == months.end() || second->second.month != first->second.month) return std::nullopt;
    s.langs.insert(second->second.langs.begin(), second->second.langs.end());
  }
  s.date =
      date_of(number_of(m.group(4, status)), first->second.month, number_of(m.group(1, status)));
  if (!s.date || U_FAILURE(status)) return std::nullopt;
  const UnicodeString before(line, 0, m.start(status));
  s.kind = found_in(patterns().range_before.get(), before) ? Kind::venue : Kind::date;
  return s;
}

std::optional<Segment> chinese_date(icu::RegexMatcher& m) {
  UErrorCode status = U_ZERO_ERROR;
  Segment s;
  s.date = date_of(number_of(m.group(1, status)), number_of(m.group(2, status)),
                   number_of(m.group(3, status)));
  if (!s.date || U_FAILURE(status)) return std::nullopt;
  s.kind = m.start(4, status) >= 0 ? Kind::venue : Kind::date;
  return s;
}

std::optional<Segment> original_label(icu::RegexMatcher& m) {
  UErrorCode status = U_ZERO_ERROR;
  auto name = language_names().find(folded(m.group(1, status)));
  if (name == language_names().end()) return std::nullopt;
  Segment s;
  s.kind = Kind::original;
  s.value = name->second.code;
  s.langs = name->second.written_in;
  return s;
}

// Every match of `p` in `line` as a span; `read` makes its segment (or
// refuses the match).
template <class Read>
void find_spans(const icu::RegexPattern* p, const UnicodeString& line, Read read,
                std::vector<Span>& out) {
  auto m = matcher(p, line);
  if (!m) return;
  UErrorCode status = U_ZERO_ERROR;
  while (m->find(status) && U_SUCCESS(status)) {
    std::optional<Segment> s = read(*m);
    if (s) out.push_back({m->start(status), m->end(status), std::move(*s)});
  }
}

// Whether a masthead phrase of the Chinese lines joined into `line` starts
// at `at` (a meeting's line followed by its agenda item's).
bool starts_masthead(const UnicodeString& line, int32_t at) {
  const UnicodeString rest(line, at);
  const Patterns& p = patterns();
  return starts_with(p.zh_agenda.get(), rest) || starts_with(p.zh_convention.get(), rest) ||
         starts_with(p.zh_submitted.get(), rest) || starts_with(p.date_zh.get(), rest);
}

Segment of_kind(Kind kind) {
  Segment s;
  s.kind = kind;
  return s;
}

// What the lines read so far have found: the document's symbol and its
// distribution date are the first of each; another symbol or day later on
// (in a title: "Comments on APLC/MSP.22/2025/WP.3", "Meeting of 8 October
// 2025") is part of its line's text.
struct PageState {
  bool symbol = false, date = false;
};

std::vector<Span> spans_of(const UnicodeString& line, PageState& state) {
  const Patterns& p = patterns();
  const UnicodeString low = folded(line);
  std::vector<Span> spans;
  if (!state.symbol)
    find_spans(
        p.symbol.get(), line,
        [](icu::RegexMatcher& m) {
          UErrorCode status = U_ZERO_ERROR;
          Segment s = of_kind(Kind::symbol);
          s.value = utf8(trim_symbol(m.group(status)));
          return std::optional<Segment>(s);
        },
        spans);
  // A day after the first is a span only as the end of a range (a venue).
  auto later_date = [&](std::optional<Segment> s) {
    return s && s->kind == Kind::date && state.date ? std::nullopt : s;
  };
  find_spans(p.original.get(), low, original_label, spans);
  find_spans(
      p.distribution.get(), low,
      [](icu::RegexMatcher&) { return std::optional<Segment>(of_kind(Kind::distribution)); },
      spans);
  find_spans(
      p.date.get(), low, [&](icu::RegexMatcher& m) { return later_date(alphabetic_date(m, low)); },
      spans);
  find_spans(
      p.date_zh.get(), low, [&](icu::RegexMatcher& m) { return later_date(chinese_date(m)); },
      spans);
  for (const auto& [pattern, kind] : {std::pair(p.zh_agenda.get(), Kind::agenda),
                                      std::pair(p.zh_convention.get(), Kind::convention),
                                      std::pair(p.zh_submitted.get(), Kind::submitted)})
    find_spans(
        pattern, low,
        [kind = kind](icu::RegexMatcher&) { return std::optional<Segment>(of_kind(kind)); }, spans);
  // A meeting's name run on into more Chinese is a phrase that names it
  // (the title 第五次审议会议最后报告), not the masthead's line.
  find_spans(
      p.zh_meeting.get(), low,
      [&](icu::RegexMatcher& m) {
        UErrorCode status = U_ZERO_ERROR;
        const int32_t end = m.end(status);
        const bool runs_on =
            end < low.length() && is_han(low.char32At(end)) && !starts_masthead(low, end);
        return runs_on ? std::nullopt : std::optional<Segment>(of_kind(Kind::meeting));
      },
      spans);
  // Leftmost first, the longer of two that start together; overlaps dropped.
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  std::vector<Span> kept;
  for (Span& s : spans) {
    const int32_t after = kept.empty() ? 0 : kept.back().end;
    if (s.start < after) continue;
    // A Chinese meeting's name after text of the same line is part of it
    // (the title 最后报告：缔约国第二十二届会议); the masthead's follows the
    // line's start or another of its phrases.
    if (s.segment.kind == Kind::meeting &&
        !trim_piece(UnicodeString(line, after, s.start - after)).isEmpty())
      continue;
    state.symbol |= s.segment.kind == Kind::symbol;
    state.date |= s.segment.kind == Kind::date;
    kept.push_back(std::move(s));
  }
  return kept;
}

// What a piece of text that no span took is, by its whole self; `meetings`
// are the folded names of the site's meetings.
Segment classify_piece(const UnicodeString& text, const std::set<UnicodeString>& meetings) {
  const Patterns& p = patterns();
  const UnicodeString low = folded(text);
  Segment s;
  s.text = text;
  if (meetings.count(low))
    s.kind = Kind::meeting;
  else if (starts_with(p.body.get(), text))
    s.kind = Kind::body;
  else if (starts_with(p.furniture.get(), low))
    s.kind = Kind::furniture;
  else if (starts_with(p.agenda.get(), low))
    s.kind = Kind::agenda;
  else if (starts_with(p.submitted.get(), low))
    s.kind = Kind::submitted;
  else if (starts_with(p.meeting.get(), low))
    s.kind = Kind::meeting;
  else if (starts_with(p.convention.get(), low))
    s.kind = Kind::convention;
  // "Geneva, 8 December 2025"; a longer line naming a month is a sentence.
  else if (text.countChar32() <= kMaxVenueLength && starts_with(p.venue.get(), low))
    s.kind = Kind::venue;
  else if (auto it = language_names().find(low); it != language_names().end()) {
    s.kind = Kind::language;
    s.value = it->second.code;
  }
  return s;
}

void segment_line(const UnicodeString& line, size_t line_no,
                  const std::set<UnicodeString>& meetings, PageState& state,
                  std::vector<Segment>& out) {
  std::vector<Span> spans = spans_of(line, state);
  // The rest of a line that holds the meeting's dates is its venue.
  const bool venue_line = std::any_of(spans.begin(), spans.end(),
                                      [](const Span& s) { return s.segment.kind == Kind::venue; });
  int32_t at = 0;
  auto piece = [&](int32_t end) {
    UnicodeString text = trim_piece(UnicodeString(line, at, end - at));
    if (text.isEmpty()) return;
    Segment s = venue_line ? of_kind(Kind::venue) : classify_piece(text, meetings);
    s.text = text;
    s.line = line_no;
    out.push_back(std::move(s));
  };
  for (Span& span : spans) {
    piece(span.start);
    span.segment.text = UnicodeString(line, span.start, span.end - span.start);
    span.segment.line = line_no;
    out.push_back(std::move(span.segment));
    at = span.end;
  }
  piece(line.length());
}

// The segments of the header and what follows it: up to the first
// numbered paragraph (the body), within the first kPageLines lines.
std::vector<Segment> page_segments(const std::vector<UnicodeString>& lines,
                                   const std::set<UnicodeString>& meetings) {
  std::vector<Segment> out;
  PageState state;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::vector<Segment> line;
    segment_line(lines[i], i, meetings, state, line);
    for (Segment& s : line) {
      if (s.kind == Kind::body) return out;
      if (s.kind != Kind::furniture) out.push_back(std::move(s));  // job numbers, bar codes
    }
  }
  return out;
}

bool in_header(const Segment& s) { return s.line < kHeaderLines; }

// ---------------------------------------------------------------- the title

bool is_masthead(Kind k) {
  return k == Kind::symbol || k == Kind::date || k == Kind::venue || k == Kind::distribution ||
         k == Kind::original || k == Kind::language || k == Kind::convention ||
         k == Kind::meeting || k == Kind::agenda;
}

// Whether a character is written wide, as Chinese and its punctuation are:
// a Chinese line broken inside a title goes on with no space.
bool is_wide(UChar32 c) {
  const auto width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return width == U_EA_WIDE || width == U_EA_FULLWIDTH;
}

// Lines of a title, joined: with a space, except where either side is a
// wide character (a Chinese title broken across lines).
std::string joined_title(std::vector<Segment>::const_iterator from,
                         std::vector<Segment>::const_iterator to) {
  UnicodeString out;
  for (auto it = from; it != to; ++it) {
    if (!out.isEmpty() && !is_wide(out.char32At(out.length() - 1)) &&
        !is_wide(it->text.char32At(0)))
      out += u' ';
    out += it->text;
  }
  return utf8(trim_piece(out));
}

// The title: the first run of plain lines after the masthead. A run of
// plain lines followed by more of the masthead (the Convention's name going
// on over two lines, an agenda item's name) is part of the masthead; what
// the masthead's last line is followed by is the title, up to a "Submitted
// by" line, the body or the end of the header.
void read_title(const std::vector<Segment>& segments, size_t masthead_end, FirstPage& page) {
  auto run = segments.begin() + static_cast<std::ptrdiff_t>(masthead_end);
  if (run == segments.end() || run->kind != Kind::text) {
    page.title_doubt = "no title found after the header of the first page";
    return;
  }
  auto end = run;
  while (end != segments.end() && end->kind == Kind::text) ++end;
  // After "Item 10 of the provisional agenda" UN documents print the
  // item's name, then the title; one line alone is taken for the title.
  if (masthead_end > 0 && segments[masthead_end - 1].kind == Kind::agenda && end - run >= 2) {
    page.title_doubt = "took \"" + utf8(run->text) + "\" for the agenda item's name, not the title";
    ++run;
  }
  size_t lines = 0;
  for (auto it = run; it != end; ++it) {
    if (it != run && it->line == (it - 1)->line) continue;
    if (++lines > kMaxTitleLines) {
      end = it;
      page.title_doubt = "the title was cut after " + std::to_string(kMaxTitleLines) + " lines";
      break;
    }
  }
  page.title = joined_title(run, end);
}

// Where the masthead ends: after its last segment that the plain lines
// before it lead to (see read_title). Only the first symbol and date are
// segments of their own (PageState), so that a date in the text after the
// title does not pull the title into the masthead.
size_t masthead_end(const std::vector<Segment>& segments) {
  size_t end = 0;
  for (size_t i = 0; i < segments.size() && in_header(segments[i]); ++i) {
    const Kind k = segments[i].kind;
    if (k == Kind::submitted) break;  // the title is behind us
    if (is_masthead(k)) end = i + 1;
  }
  return end;
}

void read_masthead(const std::vector<Segment>& segments, FirstPage& page) {
  bool meeting_seen = false;
  for (const Segment& s : segments) {
    if (!in_header(s)) break;
    meeting_seen |= s.kind == Kind::meeting || s.kind == Kind::agenda;
    if (s.kind == Kind::symbol && page.symbol.empty()) page.symbol = s.value;
    if (s.kind == Kind::date && !page.date) {
      page.date = s.date;
      page.date_langs = s.langs;
      page.date_above_meeting = !meeting_seen;
    }
    if (s.kind == Kind::original && page.original.empty()) {
      page.original = s.value;
      page.original_written_in = s.langs;
    }
    if (s.kind == Kind::language && page.named_lang.empty()) page.named_lang = s.value;
  }
}

// ---------------------------------------------------------------- language

std::string script_of(const UnicodeString& page) {
  long latin = 0, cyrillic = 0, arabic = 0, han = 0;
  for (int32_t i = 0; i < page.length(); i = page.moveIndex32(i, 1)) {
    UErrorCode status = U_ZERO_ERROR;
    switch (uscript_getScript(page.char32At(i), &status)) {
      case USCRIPT_LATIN:
        ++latin;
        break;
      case USCRIPT_CYRILLIC:
        ++cyrillic;
        break;
      case USCRIPT_ARABIC:
        ++arabic;
        break;
      case USCRIPT_HAN:
        han += 2;
        break;  // a character is a word: worth more letters
      default:
        break;
    }
  }
  const long most = std::max({latin, cyrillic, arabic, han});
  if (most == 0) return "";
  if (most == han) return "zh";
  if (most == arabic) return "ar";
  if (most == cyrillic) return "ru";
  return "latin";
}

// The commonest short words of English, French and Spanish that the
// others do not share ("de", "la", "en", "que" are both French and Spanish).
std::string language_by_words(const UnicodeString& page) {
  static const std::map<UnicodeString, std::string> words = [] {
    std::map<UnicodeString, std::string> m;
    for (const char* w :
         {"the", "of", "and", "to", "on", "for", "with", "by", "is", "was", "which"})
      m[ustr(w)] = "en";
    for (const char* w :
         {"le", "les", "des", "et", "du", "au", "aux", "est", "pour", "sur", "une", "qui"})
      m[ustr(w)] = "fr";
    for (const char* w :
         {"el", "los", "las", "del", "y", "por", "para", "con", "una", "sobre", "al"})
      m[ustr(w)] = "es";
    return m;
  }();
  std::map<std::string, int> count;
  UnicodeString word;
  auto take = [&] {
    if (auto it = words.find(folded(word)); it != words.end()) ++count[it->second];
    word.remove();
  };
  for (int32_t i = 0; i < page.length(); i = page.moveIndex32(i, 1)) {
    const UChar32 c = page.char32At(i);
    if (u_isalpha(c))
      word.append(c);
    else
      take();
  }
  take();
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [lang, n] : count) ranked.emplace_back(n, lang);
  std::sort(ranked.rbegin(), ranked.rend());
  if (ranked.empty() || ranked[0].first < 3) return "";
  if (ranked.size() > 1 && ranked[0].first < 2 * ranked[1].first) return "";
  return ranked[0].second;
}

bool is_latin_language(const std::string& lang) {
  return lang == "en" || lang == "fr" || lang == "es";
}

}  // namespace

FirstPage read_first_page(std::string_view text, const std::vector<std::string>& meeting_names) {
  FirstPage page;
  std::set<UnicodeString> meetings;
  for (const std::string& name : meeting_names) meetings.insert(folded(clean_line(ustr(name))));
  const std::vector<UnicodeString> lines = first_page_lines(text);
  const std::vector<Segment> segments = page_segments(lines, meetings);
  read_masthead(segments, page);
  const size_t end = masthead_end(segments);
  if (end == 0) {
    // No masthead at all: the first plain lines may still be the title.
    read_title(segments, 0, page);
    page.title_doubt = "no UN header found on the first page; the title is its first line(s)";
  } else {
    read_title(segments, end, page);
  }
  UnicodeString all;
  for (const UnicodeString& line : lines) all += line + u"\n";
  page.script = script_of(all);
  page.word_lang = language_by_words(all);
  return page;
}

LanguageReading version_language(const FirstPage& page, std::string_view file_lang_view) {
  const std::string file_lang(file_lang_view);
  LanguageReading r;
  auto contradicted = [&](const std::string& by_what, const std::string& says) {
    if (r.doubt.empty() && !says.empty() && says != r.lang)  // the first contradiction
      r.doubt = "its text reads as " + r.lang + " but " + by_what + " says " + says;
  };
  if (page.script == "ar" || page.script == "zh" || page.script == "ru") {
    r.lang = page.script;
    contradicted("its language line", page.named_lang);
    contradicted("the file name", file_lang);
    return r;
  }
  // Latin letters: English, French or Spanish, by what the header says.
  std::vector<std::pair<std::string, std::string>> strong;  // language, what says it
  if (!page.named_lang.empty()) strong.emplace_back(page.named_lang, "its language line");
  if (page.date_langs.size() == 1 && is_latin_language(*page.date_langs.begin()))
    strong.emplace_back(*page.date_langs.begin(), "its date's month");
  if (page.original_written_in.size() == 1 && is_latin_language(*page.original_written_in.begin()))
    strong.emplace_back(*page.original_written_in.begin(), "its \"Original\" line");
  if (!strong.empty()) {
    r.lang = strong.front().first;
    if (!is_latin_language(r.lang))
      r.doubt = "its text is in Latin letters but " + strong.front().second + " says " + r.lang;
    for (const auto& [lang, by_what] : strong) contradicted(by_what, lang);
    contradicted("the file name", file_lang);
    contradicted("its commonest words", page.word_lang);
    return r;
  }
  if (!page.word_lang.empty()) {
    r.lang = page.word_lang;
    if (file_lang != r.lang)
      r.doubt = file_lang.empty()
                    ? "only its commonest words say " + r.lang
                    : "its commonest words say " + r.lang + " but the file name says " + file_lang;
    return r;
  }
  if (!file_lang.empty()) {
    r.lang = file_lang;
    r.doubt = "only the file name says " + file_lang;
    return r;
  }
  r.doubt = "nothing on its first page or in its name tells its language";
  return r;
}

std::optional<std::string> pdf_first_page_text(const std::filesystem::path& pdf) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
  if (!doc || doc->is_locked() || doc->pages() < 1) return std::nullopt;
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  if (!page) return std::nullopt;
  const poppler::byte_array utf8 = page->text().to_utf8();
  return index::pdf_logical_text(std::string_view(utf8.data(), utf8.size()));
}

std::string document_type_of(std::string_view symbol, std::string_view title) {
  const UnicodeString t = folded(ustr(title));
  std::string by_title;
  for (const auto& [type, pattern] : patterns().types)
    if (found_in(pattern.get(), t)) {
      by_title = type;
      break;
    }
  // States' requests to extend their Article 5 deadlines are issued as
  // working papers (APLC/MSP.12/2012/WP.1): the title says which they are.
  // Another working paper is one whatever its title's words.
  if (symbol.find("/WP.") != std::string_view::npos && by_title != "extension-request")
    return "working-paper";
  return by_title;
}

}  // namespace sitegen
