// How one language writes counts and calendar days, learnt from ICU when the
// site is built and applied later without it. The search page file carries
// them (site-gen/search_template.h) so that a CGI request, a process of its
// own, does not create ICU's number and date formatters: their resource
// bundles cost ~0.4 ms a start, a quarter of what Xapian's `quest` takes for
// a whole search (docs/HACKING.md, "CGI start-up").
//
// A shape is kept only when it writes, for every probe, exactly what
// locale.h's format_number and format_date write; a language whose formats
// do not fit it (another calendar, digits that are not one code point each)
// has none, and its pages format through ICU as before.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "site-gen/date.h"

namespace sitegen {

class FormatShapes {
 public:
  // Probes ICU (locale.h) for `lang`; nullopt when the result would differ.
  static std::optional<FormatShapes> probe(std::string_view lang);

  // One line of text without '\n', and back (nullopt when damaged).
  std::string serialize() const;
  static std::optional<FormatShapes> parse(std::string_view text);

  // As locale.h's format_number(n, lang) and format_date(date, lang).
  std::string number(unsigned long long n) const;
  std::string date(const Date& date) const;

 private:
  std::string number_ungrouped(unsigned long long n) const;  // a year

  std::array<std::string, 10> digits_;
  std::string separator_;
  int primary_ = 3, secondary_ = 3;  // group sizes: the last one, the others
  int min_grouping_ = 1;             // digits before the first separator, at least
  // Per month: the day of the month written as \x01 and the year as \x02;
  // the first day apart (French writes it "1er").
  std::array<std::string, 12> days_, firsts_;
};

}  // namespace sitegen
