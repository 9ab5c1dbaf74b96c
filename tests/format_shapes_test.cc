#include "site-gen/format_shapes.h"

#include <doctest/doctest.h>

#include "site-gen/locale.h"

using sitegen::Date;
using sitegen::FormatShapes;

TEST_CASE("format shapes: every UN language has one, and it writes what ICU writes") {
  for (const char* lang : {"en", "fr", "es", "ar", "ru", "zh"}) {
    CAPTURE(lang);
    auto probed = FormatShapes::probe(lang);
    REQUIRE(probed);
    auto shapes = FormatShapes::parse(probed->serialize());  // as the CGI reads it
    REQUIRE(shapes);
    for (long long n : {0LL, 1LL, 10LL, 197LL, 1000LL, 1502LL, 10000LL, 81045LL, 999999LL,
                        1000000LL, 16000000LL, 4294967296LL})
      CHECK(shapes->number(static_cast<unsigned long long>(n)) == sitegen::format_number(n, lang));
    for (int y : {1997, 1999, 2025, 2026})
      for (int m = 1; m <= 12; ++m)
        for (int d : {1, 2, 10, 21, 28}) {
          Date date{y, m, d};
          CHECK(shapes->date(date) == sitegen::format_date(date, lang));
        }
  }
}

TEST_CASE("format shapes: the forms that differ between languages") {
  auto fr = FormatShapes::probe("fr"), es = FormatShapes::probe("es"), en = FormatShapes::probe("en");
  REQUIRE(fr);
  REQUIRE(es);
  REQUIRE(en);
  CHECK(fr->date(Date{2025, 12, 1}) == "1er décembre 2025");
  CHECK(fr->number(81045) == "81\u202f045");
  CHECK(es->number(1234) == "1234");  // CLDR's minimum grouping digits
  CHECK(es->number(12345) == "12.345");
  CHECK(en->number(1234567) == "1,234,567");
}

TEST_CASE("format shapes: a damaged line is refused") {
  auto en = FormatShapes::probe("en");
  REQUIRE(en);
  std::string line = en->serialize();
  CHECK_FALSE(FormatShapes::parse(""));
  CHECK_FALSE(FormatShapes::parse(line.substr(0, line.size() / 2)));
  CHECK_FALSE(FormatShapes::parse("2" + line.substr(1)));
  CHECK_FALSE(FormatShapes::parse(line + "\x1f" + "x"));
}
