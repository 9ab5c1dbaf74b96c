#include "site-gen/locale.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

// Expected strings were printed from ICU 72 (CLDR 42) and checked by hand.
// Invisible characters are spelled out: U+202F narrow no-break space, U+00A0
// no-break space, U+2009 thin space, U+2013 en dash, U+200E left-to-right mark.

using sitegen::Date;

namespace {

struct Case {
  const char* lang;
  Date date;
  const char* expected;
};

}  // namespace

TEST_CASE("locale: format_date in the six languages") {
  const Case cases[] = {
      {"en", {2025, 12, 1}, "1 December 2025"},
      {"en", {2025, 12, 27}, "27 December 2025"},
      {"en", {2024, 2, 29}, "29 February 2024"},
      {"fr", {2025, 12, 1}, "1er décembre 2025"},
      {"fr", {2025, 12, 27}, "27 décembre 2025"},
      {"fr", {2024, 2, 29}, "29 février 2024"},
      {"es", {2025, 12, 1}, "1 de diciembre de 2025"},
      {"es", {2025, 12, 27}, "27 de diciembre de 2025"},
      {"es", {2024, 2, 29}, "29 de febrero de 2024"},
      {"ru", {2025, 12, 1}, "1 декабря 2025\u202Fг."},
      {"ru", {2025, 12, 27}, "27 декабря 2025\u202Fг."},
      {"ru", {2024, 2, 29}, "29 февраля 2024\u202Fг."},
      {"zh", {2025, 12, 1}, "2025年12月1日"},
      {"zh", {2025, 12, 27}, "2025年12月27日"},
      {"zh", {2024, 2, 29}, "2024年2月29日"},
      {"ar", {2025, 12, 1}, "1 ديسمبر 2025"},
      {"ar", {2025, 12, 27}, "27 ديسمبر 2025"},
      {"ar", {2024, 2, 29}, "29 فبراير 2024"},
      // Around the year's edges, where a time-zone slip would show.
      {"en", {2025, 1, 1}, "1 January 2025"},
      {"en", {2024, 12, 31}, "31 December 2024"},
      {"fr", {2026, 1, 1}, "1er janvier 2026"},
      {"fr", {2025, 12, 11}, "11 décembre 2025"},  // not "11er"
      // Other languages: ICU's own long date.
      {"de", {2025, 12, 1}, "1. Dezember 2025"},
      {"en-US", {2025, 12, 1}, "December 1, 2025"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.lang);
    CAPTURE(c.date.iso());
    CHECK(sitegen::format_date(c.date, c.lang) == c.expected);
  }
}

TEST_CASE("locale: format_date_range") {
  struct RangeCase {
    const char* lang;
    Date from, to;
    const char* expected;
  };
  const RangeCase cases[] = {
      {"en", {2025, 12, 1}, {2025, 12, 5}, "1\u20135 December 2025"},
      {"en", {2025, 11, 30}, {2025, 12, 1}, "30 November\u2009\u2013\u20091 December 2025"},
      {"en", {2025, 12, 1}, {2026, 1, 1}, "1 December 2025\u2009\u2013\u20091 January 2026"},
      {"fr", {2025, 12, 1}, {2025, 12, 5}, "1er\u20135 décembre 2025"},
      {"fr", {2025, 11, 30}, {2025, 12, 1}, "30 novembre\u2009\u2013\u20091er décembre 2025"},
      {"fr", {2025, 12, 2}, {2025, 12, 5}, "2\u20135 décembre 2025"},
      {"es", {2025, 12, 1}, {2025, 12, 5}, "1\u20135 de diciembre de 2025"},
      {"ru", {2025, 12, 1}, {2025, 12, 5}, "1\u20135 декабря 2025\u202Fг."},
      {"zh", {2025, 12, 1}, {2025, 12, 5}, "2025年12月1日至5日"},
      {"zh", {2025, 11, 30}, {2025, 12, 1}, "2025年11月30日至12月1日"},
      {"zh", {2025, 12, 1}, {2026, 1, 1}, "2025年12月1日至2026年1月1日"},
      {"ar", {2025, 12, 1}, {2025, 12, 5}, "1\u20135 ديسمبر، 2025"},
      // One day: the same as format_date.
      {"en", {2025, 12, 1}, {2025, 12, 1}, "1 December 2025"},
      {"fr", {2025, 12, 1}, {2025, 12, 1}, "1er décembre 2025"},
      {"ru", {2025, 12, 1}, {2025, 12, 1}, "1 декабря 2025\u202Fг."},
  };
  for (const RangeCase& c : cases) {
    CAPTURE(c.lang);
    CAPTURE(c.from.iso());
    CAPTURE(c.to.iso());
    CHECK(sitegen::format_date_range(c.from, c.to, c.lang) == c.expected);
  }
}

TEST_CASE("locale: format_number") {
  struct NumberCase {
    const char* lang;
    long long n;
    const char* expected;
  };
  const NumberCase cases[] = {
      {"en", 81045, "81,045"},
      {"en", 1304, "1,304"},
      {"fr", 81045, "81\u202F045"},
      {"fr", 1304, "1\u202F304"},
      {"es", 81045, "81.045"},
      {"es", 1304, "1304"},  // CLDR: Spanish groups from five digits on
      {"ru", 81045, "81\u00A0045"},
      {"ru", 1304, "1\u00A0304"},
      {"zh", 81045, "81,045"},
      {"zh", 1304, "1,304"},
      {"ar", 81045, "81,045"},
      {"ar", 1304, "1,304"},
      {"en", 0, "0"},
      {"en", -1234567, "-1,234,567"},
      {"ar", -1234567, "\u200E-1,234,567"},
      {"en", 9223372036854775807LL, "9,223,372,036,854,775,807"},
  };
  for (const NumberCase& c : cases) {
    CAPTURE(c.lang);
    CAPTURE(c.n);
    CHECK(sitegen::format_number(c.n, c.lang) == c.expected);
  }
}

TEST_CASE("locale: country_name") {
  struct NameCase {
    const char* iso;
    const char* lang;
    const char* expected;
  };
  const NameCase cases[] = {
      {"SS", "zh", "南苏丹"},
      {"GW", "zh", "几内亚比绍"},
      {"DE", "fr", "Allemagne"},
      {"RU", "ru", "Россия"},
      {"EG", "ar", "مصر"},
      {"EG", "fr", "Égypte"},
      {"SS", "en", "South Sudan"},
      {"GW", "es", "Guinea-Bisáu"},
      {"CI", "en", "Côte d\u2019Ivoire"},
      {"de", "en", "Germany"},  // lower case accepted
      {"XX", "en", ""},
      {"", "en", ""},
      {"D", "en", ""},
      {"DEU", "en", ""},
      {"1A", "en", ""},
  };
  for (const NameCase& c : cases) {
    CAPTURE(c.iso);
    CAPTURE(c.lang);
    CHECK(sitegen::country_name(c.iso, c.lang) == c.expected);
  }
}

TEST_CASE("locale: all_country_codes") {
  const std::vector<std::string>& codes = sitegen::all_country_codes();
  CHECK(codes.size() == 249);  // ISO 3166-1 as of 2022
  CHECK(std::is_sorted(codes.begin(), codes.end()));
  std::set<std::string> set(codes.begin(), codes.end());
  CHECK(set.size() == codes.size());
  for (const char* code : {"SS", "PS", "VA", "CK", "NU", "AQ", "FR", "US", "CN", "RU", "EG"}) {
    CAPTURE(code);
    CHECK(set.count(code) == 1);
  }
  for (const char* code : {"XK", "AN", "BU", "CS", "DD", "FX", "SU", "TP", "YU", "ZR", "DG", "EA",
                           "IC", "EU", "ZZ", "UK"}) {
    CAPTURE(code);
    CHECK(set.count(code) == 0);
  }
  for (const std::string& code : codes) {
    CAPTURE(code);
    CHECK(!sitegen::country_name(code, "en").empty());
  }
  CHECK(&codes == &sitegen::all_country_codes());
}

TEST_CASE("locale: language names") {
  struct Autonym {
    const char* lang;
    const char* expected;
  };
  const Autonym autonyms[] = {
      {"en", "English"}, {"fr", "français"}, {"es", "español"},
      {"ar", "العربية"}, {"ru", "русский"},  {"zh", "中文"},
  };
  for (const Autonym& c : autonyms) {
    CAPTURE(c.lang);
    CHECK(sitegen::language_autonym(c.lang) == c.expected);
  }
  struct Name {
    const char* lang;
    const char* in_lang;
    const char* expected;
  };
  const Name names[] = {
      {"fr", "en", "French"},     {"en", "fr", "anglais"},   {"zh", "ru", "китайский"},
      {"ar", "es", "árabe"},      {"ru", "zh", "俄语"},      {"es", "ar", "الإسبانية"},
  };
  for (const Name& c : names) {
    CAPTURE(c.lang);
    CAPTURE(c.in_lang);
    CHECK(sitegen::language_name(c.lang, c.in_lang) == c.expected);
  }
}

TEST_CASE("locale: is_rtl") {
  for (const char* lang : {"ar", "he", "fa", "ur", "ar-EG", "iw"}) {
    CAPTURE(lang);
    CHECK(sitegen::is_rtl(lang));
  }
  for (const char* lang : {"en", "fr", "es", "ru", "zh", "de", "en-GB"}) {
    CAPTURE(lang);
    CHECK_FALSE(sitegen::is_rtl(lang));
  }
}

TEST_CASE("locale: collation_key orders text in the language's way") {
  struct Order {
    const char* lang;
    std::vector<std::string> sorted;
  };
  const Order orders[] = {
      // É sorts as E: between Allemagne and France, and before Espagne.
      {"fr", {"Allemagne", "Égypte", "Équateur", "Érythrée", "Espagne", "Estonie", "France"}},
      {"fr", {"cote", "coté", "côte", "côté"}},
      // Pinyin: a-er, a-fu, an, ao, ba, de, nan, zhong.
      {"zh", {"阿尔及利亚", "阿富汗", "安哥拉", "澳大利亚", "巴西", "德国", "南苏丹", "中国"}},
      {"ru", {"Австрия", "Ангола", "Бразилия", "Египет", "Ёмкость", "Южный Судан", "Ямайка"}},
      // Modern Spanish: ch is c + h, ñ is a letter after n.
      {"es", {"Canadá", "Chile", "China", "Chipre", "Cuba", "Níger", "Nigeria", "Nueva Zelandia",
              "Ñu", "Omán"}},
      // Hamza on alef is a secondary difference; the article counts.
      {"ar", {"أفغانستان", "الأردن", "الجزائر", "ألمانيا", "اليمن", "بلجيكا", "تونس", "زامبيا",
              "مصر", "نيبال", "يابان"}},
      // A key that is a prefix of another sorts first; case is tertiary.
      {"en", {"", "a", "A", "ab", "b", "B"}},
  };
  for (const Order& o : orders) {
    CAPTURE(o.lang);
    for (size_t i = 0; i + 1 < o.sorted.size(); ++i) {
      CAPTURE(o.sorted[i]);
      CAPTURE(o.sorted[i + 1]);
      CHECK(sitegen::collation_key(o.sorted[i], o.lang) <
            sitegen::collation_key(o.sorted[i + 1], o.lang));
    }
    std::vector<std::string> v(o.sorted.rbegin(), o.sorted.rend());
    std::sort(v.begin(), v.end(), [&](const std::string& a, const std::string& b) {
      return sitegen::collation_key(a, o.lang) < sitegen::collation_key(b, o.lang);
    });
    CHECK(v == o.sorted);
  }
  CHECK(sitegen::collation_key("France", "fr") == sitegen::collation_key("France", "fr"));
  CHECK(sitegen::collation_key("", "fr").find('\0') == std::string::npos);
}

TEST_CASE("locale: format_message") {
  const char* en = "{count, plural, one {# State Party} other {# States Parties}}";
  const char* ru =
      "{count, plural, one {# государство-участник} few {# государства-участника} "
      "many {# государств-участников} other {# государства-участника}}";
  const char* ar =
      "{count, plural, zero {لا دول} one {دولة واحدة} two {دولتان} few {# دول} many {# دولة} "
      "other {# دولة}}";
  struct MessageCase {
    const char* pattern;
    const char* lang;
    const char* count;
    const char* expected;
  };
  const MessageCase cases[] = {
      {en, "en", "1", "1 State Party"},
      {en, "en", "161", "161 States Parties"},
      {en, "en", "0", "0 States Parties"},
      {en, "en", "1304", "1,304 States Parties"},
      {ru, "ru", "1", "1 государство-участник"},
      {ru, "ru", "2", "2 государства-участника"},
      {ru, "ru", "5", "5 государств-участников"},
      {ru, "ru", "11", "11 государств-участников"},
      {ru, "ru", "161", "161 государство-участник"},
      {ru, "ru", "1304", "1\u00A0304 государства-участника"},
      {ar, "ar", "0", "لا دول"},
      {ar, "ar", "1", "دولة واحدة"},
      {ar, "ar", "2", "دولتان"},
      {ar, "ar", "5", "5 دول"},
      {ar, "ar", "11", "11 دولة"},
      {ar, "ar", "100", "100 دولة"},
      {ar, "ar", "161", "161 دولة"},
      {ar, "ar", "1304", "1,304 دول"},  // 1304 % 100 == 4: few
  };
  for (const MessageCase& c : cases) {
    CAPTURE(c.lang);
    CAPTURE(c.count);
    CHECK(sitegen::format_message(c.pattern, c.lang, {{"count", c.count}}) == c.expected);
  }
  // Named string arguments; an apostrophe before a letter is literal.
  CHECK(sitegen::format_message("{name} a ratifié le {date}; l'État", "fr",
                                {{"name", "l’Ukraine"}, {"date", "1er juin"}}) ==
        "l’Ukraine a ratifié le 1er juin; l'État");
  // Negative numbers are numbers; digits inside text are not.
  CHECK(sitegen::format_message("{n, number}", "en", {{"n", "-3"}}) == "-3");
  CHECK(sitegen::format_message("[{n}]", "en", {{"n", "12a"}}) == "[12a]");
  // A missing argument stays as it is written.
  CHECK(sitegen::format_message("{a} {b}", "en", {{"a", "x"}}) == "x {b}");
  // A bad pattern comes back unchanged.
  const char* bad = "{count, plural, one {x}";
  CHECK(sitegen::format_message(bad, "en", {{"count", "1"}}) == bad);
}

TEST_CASE("locale: fold_case") {
  struct FoldCase {
    const char* text;
    const char* expected;
  };
  const FoldCase cases[] = {
      {"ÉCOLE", "école"},
      {"Straße", "strasse"},
      {"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
      {"σίσυφος", "σίσυφοσ"},  // final sigma folds to sigma
      {"РОССИЯ", "россия"},
      {"中国", "中国"},
      {"مصر", "مصر"},
      {"", ""},
  };
  for (const FoldCase& c : cases) {
    CAPTURE(c.text);
    CHECK(sitegen::fold_case(c.text) == c.expected);
  }
}

TEST_CASE("locale: format_date and format_number are thread-safe") {
  const char* langs[] = {"ar", "en", "es", "fr", "ru", "zh"};
  std::vector<Date> dates;
  for (int m = 1; m <= 12; ++m)
    for (int d = 1; d <= 28; d += 3) dates.push_back({2020 + m % 6, m, d});
  std::vector<long long> numbers;
  for (long long n = -5; n < 200000; n += 9973) numbers.push_back(n);

  auto run = [&] {
    std::vector<std::string> out;
    for (int round = 0; round < 5; ++round)
      for (const char* lang : langs) {
        for (const Date& d : dates) out.push_back(sitegen::format_date(d, lang));
        for (long long n : numbers) out.push_back(sitegen::format_number(n, lang));
        out.push_back(sitegen::format_date_range(dates.front(), dates.back(), lang));
        out.push_back(sitegen::collation_key("Côte d’Ivoire", lang));
        out.push_back(sitegen::format_message("{n, plural, one {# x} other {# y}}", lang,
                                              {{"n", std::to_string(round)}}));
      }
    return out;
  };
  const std::vector<std::string> expected = run();
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results) threads.emplace_back([&r, &run] { r = run(); });
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < results.size(); ++i) {
    CAPTURE(i);
    CHECK(results[i] == expected);
  }
}
