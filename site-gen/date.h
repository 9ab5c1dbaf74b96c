// Calendar dates as written in content (ISO 8601, YYYY-MM-DD). Plain value type.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace sitegen {

struct Date {
  int year = 0, month = 0, day = 0;

  auto operator<=>(const Date&) const = default;
  std::string iso() const;  // "2025-12-01"
};

// Parses "YYYY-MM-DD", checking the day exists in that month (leap years too).
std::optional<Date> parse_iso_date(std::string_view text);

// Today in UTC: the default "as of" day of a build.
Date today_utc();

}  // namespace sitegen
