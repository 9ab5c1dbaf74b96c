#include "site-gen/locale.h"

#include <unicode/calendar.h>
#include <unicode/coll.h>
#include <unicode/datefmt.h>
#include <unicode/dtintrv.h>
#include <unicode/dtitvfmt.h>
#include <unicode/fieldpos.h>
#include <unicode/fmtable.h>
#include <unicode/fpositer.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/numberformatter.h>
#include <unicode/timezone.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

// Threading: every ICU formatter, collator and calendar used here lives in a
// per-thread cache (thread_local), so no ICU object is ever shared between
// threads and no lock is taken on the hot paths (format_date, format_number).
// The only shared state is the immutable list of country codes, built once
// under the guarantee of a function-local static.

namespace sitegen {
namespace {

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString from_utf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

// The locale a language code (BCP 47: "fr", "zh-Hant", "pt-BR") names, as it
// is: used for names, collation and text direction.
icu::Locale base_locale(std::string_view lang) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale loc = icu::Locale::forLanguageTag(
      icu::StringPiece(lang.data(), static_cast<int32_t>(lang.size())), status);
  if (U_FAILURE(status) || loc.isBogus()) return icu::Locale(std::string(lang).c_str());
  return loc;
}

// The locale used to format dates, numbers and messages, in UN style: plain
// "en" is British English (day month year), Arabic is written with Latin
// digits unless the tag asks for a numbering system itself.
icu::Locale format_locale(std::string_view lang) {
  icu::Locale loc = base_locale(lang);
  std::string_view language = loc.getLanguage();
  UErrorCode status = U_ZERO_ERROR;
  if (language == "en" && *loc.getCountry() == '\0' && *loc.getScript() == '\0') {
    const char* keywords = std::strchr(loc.getName(), '@');
    return icu::Locale("en", "GB", loc.getVariant(), keywords ? keywords + 1 : nullptr);
  }
  if (language == "ar") {
    char value[32];
    int32_t len = loc.getKeywordValue("numbers", value, sizeof value, status);
    if (U_FAILURE(status) || len == 0) {
      status = U_ZERO_ERROR;
      loc.setKeywordValue("numbers", "latn", status);
    }
  }
  return loc;
}

// All that a thread keeps for one language, created on first use.
struct LangCache {
  explicit LangCache(std::string_view code)
      : lang(code), locale(format_locale(code)), names(base_locale(code)),
        french(std::string_view(locale.getLanguage()) == "fr") {}

  std::string lang;
  icu::Locale locale;  // for formatting
  icu::Locale names;   // for collation
  bool french;         // writes the first day of a month "1er"

  bool date_tried = false;
  std::unique_ptr<icu::DateFormat> date;
  bool interval_tried = false;
  std::unique_ptr<icu::DateIntervalFormat> interval;
  std::optional<icu::number::LocalizedNumberFormatter> number;
  bool collator_tried = false;
  std::unique_ptr<icu::Collator> collator;
};

// A handful of languages per build: a linear search is faster than hashing.
LangCache& cache_for(std::string_view lang) {
  thread_local std::vector<std::unique_ptr<LangCache>> caches;
  for (auto& c : caches)
    if (c->lang == lang) return *c;
  if (caches.size() >= 64) caches.clear();  // bound memory on odd inputs
  caches.push_back(std::make_unique<LangCache>(lang));
  return *caches.back();
}

const icu::TimeZone& utc() {
  static const std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString(u"UTC")));
  return *zone;
}

// The instant of 00:00 UTC on a calendar day, through a Gregorian calendar in
// UTC (the same hybrid Julian/Gregorian calendar ICU formatters use, so the
// day formatted is the day given).
std::optional<UDate> to_udate(const Date& d) {
  UErrorCode status = U_ZERO_ERROR;
  thread_local std::unique_ptr<icu::GregorianCalendar> cal = [] {
    UErrorCode st = U_ZERO_ERROR;
    auto c = std::make_unique<icu::GregorianCalendar>(
        icu::TimeZone::createTimeZone(icu::UnicodeString(u"UTC")), icu::Locale::getRoot(), st);
    if (U_FAILURE(st)) c.reset();
    return c;
  }();
  if (!cal) return std::nullopt;
  cal->clear();
  cal->set(d.year, d.month - 1, d.day);
  UDate t = cal->getTime(status);
  if (U_FAILURE(status)) return std::nullopt;
  return t;
}

icu::DateFormat* date_format(LangCache& c) {
  if (!c.date_tried) {
    c.date_tried = true;
    c.date.reset(icu::DateFormat::createDateInstance(icu::DateFormat::kLong, c.locale));
    if (c.date) c.date->setTimeZone(utc());
  }
  return c.date.get();
}

icu::DateIntervalFormat* interval_format(LangCache& c) {
  if (!c.interval_tried) {
    c.interval_tried = true;
    UErrorCode status = U_ZERO_ERROR;
    c.interval.reset(icu::DateIntervalFormat::createInstance(
        icu::UnicodeString(UDAT_YEAR_MONTH_DAY, -1, US_INV), c.locale, status));
    if (U_FAILURE(status)) c.interval.reset();
    if (c.interval) c.interval->setTimeZone(utc());
  }
  return c.interval.get();
}

// French writes the first day of a month as an ordinal: "1er décembre".
// `days` are the [begin, end) offsets of the day-of-month fields in `text`.
void french_first_days(icu::UnicodeString& text, std::vector<std::pair<int32_t, int32_t>> days) {
  std::sort(days.begin(), days.end());
  for (auto it = days.rbegin(); it != days.rend(); ++it)
    if (it->second - it->first == 1 && text.charAt(it->first) == u'1')
      text.insert(it->second, u"er");
}

}  // namespace

std::string format_date(const Date& date, std::string_view lang) {
  LangCache& c = cache_for(lang);
  icu::DateFormat* fmt = date_format(c);
  std::optional<UDate> t = to_udate(date);
  if (!fmt || !t) return date.iso();
  icu::UnicodeString out;
  if (c.french && date.day == 1) {
    UErrorCode status = U_ZERO_ERROR;
    icu::FieldPositionIterator fields;
    fmt->format(*t, out, &fields, status);
    if (U_FAILURE(status)) return date.iso();
    std::vector<std::pair<int32_t, int32_t>> days;
    icu::FieldPosition fp;
    while (fields.next(fp))
      if (fp.getField() == UDAT_DATE_FIELD) days.emplace_back(fp.getBeginIndex(), fp.getEndIndex());
    french_first_days(out, std::move(days));
  } else {
    fmt->format(*t, out);
  }
  return to_utf8(out);
}

std::string format_date_range(const Date& from, const Date& to, std::string_view lang) {
  if (from == to) return format_date(from, lang);
  LangCache& c = cache_for(lang);
  icu::DateIntervalFormat* fmt = interval_format(c);
  std::optional<UDate> a = to_udate(from), b = to_udate(to);
  if (!fmt || !a || !b) return from.iso() + "/" + to.iso();
  UErrorCode status = U_ZERO_ERROR;
  icu::DateInterval interval(*a, *b);
  icu::FormattedDateInterval value = fmt->formatToValue(interval, status);
  icu::UnicodeString out = value.toString(status);
  if (U_FAILURE(status)) return from.iso() + "/" + to.iso();
  if (c.french && (from.day == 1 || to.day == 1)) {
    std::vector<std::pair<int32_t, int32_t>> days;
    icu::ConstrainedFieldPosition cfp;
    cfp.constrainField(UFIELD_CATEGORY_DATE, UDAT_DATE_FIELD);
    while (value.nextPosition(cfp, status) && U_SUCCESS(status))
      days.emplace_back(cfp.getStart(), cfp.getLimit());
    if (U_SUCCESS(status)) french_first_days(out, std::move(days));
  }
  return to_utf8(out);
}

std::string format_number(long long n, std::string_view lang) {
  LangCache& c = cache_for(lang);
  if (!c.number) c.number = icu::number::NumberFormatter::withLocale(c.locale);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = c.number->formatInt(static_cast<int64_t>(n), status).toString(status);
  if (U_FAILURE(status)) return std::to_string(n);
  return to_utf8(out);
}

std::string format_file_size(std::uintmax_t bytes, std::string_view lang) {
  LangCache& c = cache_for(lang);
  const bool mega = bytes >= 1000 * 1000;
  // Decimal units, as file managers and browsers show sizes; a file under a
  // kilobyte is shown as 1 kB.
  const double value = mega ? double(bytes) / 1e6 : std::max(1.0, double(bytes) / 1e3);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out =
      icu::number::NumberFormatter::withLocale(c.locale)
          .unit(mega ? icu::MeasureUnit::getMegabyte() : icu::MeasureUnit::getKilobyte())
          .unitWidth(UNUM_UNIT_WIDTH_SHORT)
          .precision(mega ? icu::number::Precision::maxFraction(1) : icu::number::Precision::integer())
          .formatDouble(value, status)
          .toString(status);
  if (U_FAILURE(status)) return std::to_string(bytes) + " B";
  return to_utf8(out);
}

std::string country_name(std::string_view iso, std::string_view lang) {
  if (iso.size() != 2) return "";
  char code[3] = {0, 0, 0};
  for (int i = 0; i < 2; ++i) {
    char ch = iso[i];
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (ch < 'A' || ch > 'Z') return "";
    code[i] = ch;
  }
  // ICU builds display names from resource bundles on every call; a build
  // asks for every region in every language (tagging), a rebuild again.
  thread_local std::unordered_map<std::string, std::string> cache;
  std::string key = std::string(code) + "|" + std::string(lang);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  icu::Locale region("", code);
  icu::UnicodeString name;
  region.getDisplayCountry(base_locale(lang), name);
  std::string out;
  if (!name.isEmpty() && name != icu::UnicodeString(code, -1, US_INV)) out = to_utf8(name);
  if (cache.size() < 100000) cache.emplace(std::move(key), out);
  return out;
}

const std::vector<std::string>& all_country_codes() {
  static const std::vector<std::string> codes = [] {
    // ICU 72's list holds the 249 codes of ISO 3166-1 plus four that are
    // not ISO country codes: DG, EA, IC (exceptionally reserved: Diego Garcia,
    // Ceuta and Melilla, Canary Islands) and XK (Kosovo, a user-assigned code).
    // The rest are belt and braces for other ICU versions: withdrawn codes,
    // the other exceptionally reserved ones and CLDR's pseudo-regions.
    static const char* const drop[] = {
        "AN", "BU", "CS", "DD", "DY", "FX", "HV", "NH", "RH", "SU", "TP", "YD", "YU", "ZR",
        "AC", "CP", "DG", "EA", "EU", "EZ", "IC", "TA", "UK", "UN", "XK"};
    std::vector<std::string> out;
    for (const char* const* c = icu::Locale::getISOCountries(); *c; ++c) {
      std::string_view code = *c;
      if (code.size() != 2) continue;
      if (std::find(std::begin(drop), std::end(drop), code) != std::end(drop)) continue;
      // User-assigned: AA, QM-QZ, XA-XZ, ZZ.
      if (code == "AA" || code == "ZZ" || code[0] == 'X' || (code[0] == 'Q' && code[1] >= 'M'))
        continue;
      out.emplace_back(code);
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return codes;
}

std::string language_autonym(std::string_view lang) {
  icu::Locale loc = base_locale(lang);
  icu::UnicodeString name;
  loc.getDisplayLanguage(loc, name);
  return to_utf8(name);
}

std::string language_name(std::string_view lang, std::string_view in_lang) {
  icu::UnicodeString name;
  base_locale(lang).getDisplayLanguage(base_locale(in_lang), name);
  return to_utf8(name);
}

bool is_rtl(std::string_view lang) {
  return uloc_isRightToLeft(base_locale(lang).getName());
}

std::string collation_key(std::string_view text, std::string_view lang) {
  LangCache& c = cache_for(lang);
  if (!c.collator_tried) {
    c.collator_tried = true;
    UErrorCode status = U_ZERO_ERROR;
    c.collator.reset(icu::Collator::createInstance(c.names, status));
    if (U_FAILURE(status)) c.collator.reset();
  }
  if (!c.collator) return std::string(text);
  icu::UnicodeString s = from_utf8(text);
  thread_local std::string buf(256, '\0');
  for (;;) {
    int32_t len = c.collator->getSortKey(s, reinterpret_cast<uint8_t*>(buf.data()),
                                         static_cast<int32_t>(buf.size()));
    if (len <= 0) return std::string(text);
    if (static_cast<size_t>(len) <= buf.size()) {
      // The key ends with a NUL that no other byte of it can be: drop it so
      // that a key that is a prefix of another still compares smaller.
      if (buf[len - 1] == '\0') --len;
      return buf.substr(0, static_cast<size_t>(len));
    }
    buf.resize(static_cast<size_t>(len));
  }
}

std::string format_message(std::string_view pattern, std::string_view lang,
                           const std::map<std::string, std::string>& args) {
  // Parsed patterns are kept per thread: a site uses a few hundred at most.
  struct Key {
    std::string lang, pattern;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<std::string>()(k.lang) * 31 + std::hash<std::string>()(k.pattern);
    }
  };
  thread_local std::unordered_map<Key, std::unique_ptr<icu::MessageFormat>, KeyHash> formats;
  Key key{std::string(lang), std::string(pattern)};
  auto it = formats.find(key);
  if (it == formats.end()) {
    if (formats.size() >= 4096) formats.clear();
    UErrorCode status = U_ZERO_ERROR;
    UParseError perr;
    auto fmt = std::make_unique<icu::MessageFormat>(from_utf8(pattern), cache_for(lang).locale,
                                                    perr, status);
    if (U_FAILURE(status)) fmt.reset();
    it = formats.emplace(std::move(key), std::move(fmt)).first;
  }
  if (!it->second) return std::string(pattern);

  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(args.size());
  values.reserve(args.size());
  for (const auto& [name, value] : args) {
    names.push_back(from_utf8(name));
    std::string_view digits = value;
    if (!digits.empty() && digits[0] == '-') digits.remove_prefix(1);
    bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end(),
                                                  [](char ch) { return ch >= '0' && ch <= '9'; });
    int64_t n = 0;
    if (numeric &&
        std::from_chars(value.data(), value.data() + value.size(), n).ec == std::errc())
      values.emplace_back(n);
    else
      values.emplace_back(from_utf8(value));
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out;
  it->second->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) return std::string(pattern);
  return to_utf8(out);
}

std::string fold_case(std::string_view text) {
  icu::UnicodeString s = from_utf8(text);
  s.foldCase(U_FOLD_CASE_DEFAULT);
  return to_utf8(s);
}

}  // namespace sitegen
