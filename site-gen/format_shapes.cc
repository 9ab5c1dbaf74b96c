#include "site-gen/format_shapes.h"

#include <algorithm>
#include <vector>

#include "site-gen/locale.h"

namespace sitegen {
namespace {

constexpr char kDay = '\x01', kYear = '\x02', kField = '\x1f';

// Replaces the only occurrence of `what` in `s` by `mark`; false when it
// occurs more or less than once.
bool replace_once(std::string& s, const std::string& what, char mark) {
  size_t at = s.find(what);
  if (what.empty() || at == std::string::npos || s.find(what, at + 1) != std::string::npos)
    return false;
  s.replace(at, what.size(), 1, mark);
  return true;
}

}  // namespace

std::optional<FormatShapes> FormatShapes::probe(std::string_view lang) {
  FormatShapes s;
  for (int d = 0; d < 10; ++d) {
    s.digits_[d] = format_number(d, lang);
    if (s.digits_[d].empty()) return std::nullopt;
    for (int e = 0; e < d; ++e)
      if (s.digits_[e] == s.digits_[d]) return std::nullopt;
  }
  // The groups of a long number: runs of digits between separators.
  std::string text = format_number(1234567890, lang);
  std::vector<int> runs{0};
  std::vector<std::string> separators;
  for (size_t pos = 0; pos < text.size();) {
    bool digit = false;
    for (const auto& d : s.digits_)
      if (text.compare(pos, d.size(), d) == 0) {
        ++runs.back();
        pos += d.size();
        digit = true;
        break;
      }
    if (digit) continue;
    if (runs.back() == 0) return std::nullopt;  // two separators, or one first
    size_t end = pos;
    while (end < text.size() && std::none_of(s.digits_.begin(), s.digits_.end(), [&](auto& d) {
             return text.compare(end, d.size(), d) == 0;
           }))
      ++end;
    separators.push_back(text.substr(pos, end - pos));
    runs.push_back(0);
    pos = end;
  }
  if (runs.back() == 0) return std::nullopt;
  if (runs.size() == 1) {
    s.primary_ = 0;  // never grouped
  } else {
    if (std::any_of(separators.begin(), separators.end(),
                    [&](const std::string& x) { return x != separators[0]; }))
      return std::nullopt;
    s.separator_ = separators[0];
    s.primary_ = runs.back();
    s.secondary_ = runs.size() > 2 ? runs[runs.size() - 2] : s.primary_;
  }
  // CLDR's minimum grouping digits: Spanish writes 1234 but 12.345.
  for (s.min_grouping_ = 1; s.min_grouping_ < 4; ++s.min_grouping_) {
    unsigned long long n = 1;
    for (int i = 0; i < s.primary_ + s.min_grouping_ - 1; ++i) n *= 10;
    if (s.primary_ == 0 || s.number(n) == format_number(static_cast<long long>(n), lang)) break;
  }
  for (long long n : {0LL, 7LL, 42LL, 999LL, 1000LL, 1234LL, 9999LL, 10000LL, 12345LL, 99999LL,
                      100000LL, 123456LL, 1234567LL, 12345678LL, 1000000000LL, 987654321012LL})
    if (s.number(static_cast<unsigned long long>(n)) != format_number(n, lang)) return std::nullopt;

  const std::string day = s.number_ungrouped(15), year = s.number_ungrouped(2001);
  for (int m = 1; m <= 12; ++m) {
    std::string mid = format_date(Date{2001, m, 15}, lang);
    std::string first = format_date(Date{2001, m, 1}, lang);
    if (!replace_once(mid, year, kYear) || !replace_once(mid, day, kDay) ||
        !replace_once(first, year, kYear))
      return std::nullopt;
    s.days_[m - 1] = mid;
    s.firsts_[m - 1] = first;
  }
  // Every day of a leap year, and the months of years with other digits.
  for (int m = 1; m <= 12; ++m)
    for (int dd = 1; dd <= 31; ++dd)
      if (auto d = parse_iso_date(Date{2024, m, dd}.iso()); d && s.date(*d) != format_date(*d, lang))
        return std::nullopt;
  for (int y : {999, 1997, 2100})
    for (int m = 1; m <= 12; ++m)
      for (int dd : {1, 9, 28})
        if (s.date(Date{y, m, dd}) != format_date(Date{y, m, dd}, lang)) return std::nullopt;
  return s;
}

std::string FormatShapes::number(unsigned long long n) const {
  std::string plain = std::to_string(n);
  const int len = static_cast<int>(plain.size());
  const bool grouped = primary_ > 0 && len >= primary_ + min_grouping_;
  std::string out;
  for (int i = 0; i < len; ++i) {
    out += digits_[plain[i] - '0'];
    int left = len - 1 - i;  // digits after this one
    if (grouped && left > 0 &&
        (left == primary_ || (left > primary_ && (left - primary_) % secondary_ == 0)))
      out += separator_;
  }
  return out;
}

std::string FormatShapes::date(const Date& d) const {
  if (d.month < 1 || d.month > 12 || d.year < 0) return d.iso();
  std::string out;
  const std::string& shape = d.day == 1 ? firsts_[d.month - 1] : days_[d.month - 1];
  for (char c : shape)
    if (c == kDay)
      out += number_ungrouped(static_cast<unsigned long long>(d.day));
    else if (c == kYear)
      out += number_ungrouped(static_cast<unsigned long long>(d.year));
    else
      out += c;
  return out;
}

std::string FormatShapes::number_ungrouped(unsigned long long n) const {
  std::string out;
  for (char c : std::to_string(n)) out += digits_[c - '0'];
  return out;
}

std::string FormatShapes::serialize() const {
  std::string out = "1";
  auto field = [&](const std::string& f) {
    out += kField;
    out += f;
  };
  for (const auto& d : digits_) field(d);
  field(separator_);
  field(std::to_string(primary_));
  field(std::to_string(secondary_));
  field(std::to_string(min_grouping_));
  for (const auto& d : days_) field(d);
  for (const auto& d : firsts_) field(d);
  return out;
}

std::optional<FormatShapes> FormatShapes::parse(std::string_view text) {
  std::vector<std::string> f;
  for (size_t pos = 0;;) {
    size_t end = text.find(kField, pos);
    f.emplace_back(text.substr(pos, end == std::string_view::npos ? end : end - pos));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  if (f.size() != 1 + 10 + 4 + 24 || f[0] != "1") return std::nullopt;
  FormatShapes s;
  size_t i = 1;
  for (auto& d : s.digits_) {
    d = f[i++];
    if (d.empty()) return std::nullopt;
  }
  s.separator_ = f[i++];
  auto small = [](const std::string& v, int lo, int* out) {
    if (v.size() != 1 || v[0] < '0' || v[0] > '9') return false;
    *out = v[0] - '0';
    return *out >= lo;
  };
  if (!small(f[i++], 0, &s.primary_) || !small(f[i++], 1, &s.secondary_) ||
      !small(f[i++], 1, &s.min_grouping_))
    return std::nullopt;
  for (auto& d : s.days_) d = f[i++];
  for (auto& d : s.firsts_) d = f[i++];
  return s;
}

}  // namespace sitegen
