#include "serve/search_params.h"

#include <algorithm>
#include <cctype>

namespace sitegen::serve {
namespace {

bool all_of_class(const std::string& s, int (*is)(int)) {
  return std::all_of(s.begin(), s.end(), [&](unsigned char c) { return is(c) != 0; });
}

// YYYY, YYYY-MM or YYYY-MM-DD with digits where digits belong.
bool looks_like_date(const std::string& s) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// A date of that shape that exists: month 1-12, day within its month.
bool real_date(const std::string& s) {
  if (s.size() < 7) return true;
  int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2));
  if (m < 1 || m > 12) return false;
  if (s.size() < 10) return true;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int d = std::stoi(s.substr(8, 2));
  return d >= 1 && d <= kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

// The length of the valid UTF-8 sequence at s[i], or 0.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len;
  char32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF)
    len = 2, cp = b0 & 0x1F;
  else if (b0 >= 0xE0 && b0 <= 0xEF)
    len = 3, cp = b0 & 0x0F;
  else if (b0 >= 0xF0 && b0 <= 0xF4)
    len = 4, cp = b0 & 0x07;
  else
    return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;  // overlong
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return len;
}

bool is_id(const std::string& s) {
  return s.size() <= 100 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '.';
         });
}

}  // namespace

bool is_search_param(const std::string& name) {
  // `more` is the results page's own (which facet to list in full): kept
  // in its links and cache key, ignored by the search.
  static const char* const kNames[] = {"q",    "lang", "country", "topic", "meeting",
                                       "type", "year", "from",    "to",    "sort",
                                       "page", "more", "exact", "fallbacks"};
  return std::any_of(std::begin(kNames), std::end(kNames),
                     [&](const char* n) { return name == n; });
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0, n; i < s.size(); i += n)
    if ((n = utf8_sequence(s, i)) == 0) return false;
  return true;
}

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (size_t n = utf8_sequence(s, i)) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    }
  }
  return out;
}

std::string parse_search_params(const std::multimap<std::string, std::string>& params,
                                const std::vector<std::string>& languages,
                                index::SearchRequest* r) {
  auto get = [&](const char* name) -> std::string {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  for (const auto& [name, value] : params)
    if (is_search_param(name) && !valid_utf8(value)) return name + " is not valid UTF-8";
  r->query = get("q");
  if (r->query.size() > kMaxQueryBytes) return "q is longer than 1000 bytes";
  if (std::string lang = get("lang"); !lang.empty()) {
    if (std::find(languages.begin(), languages.end(), lang) == languages.end())
      return is_id(lang) && lang.size() <= 10 ? "unknown lang \"" + lang + "\"" : "unknown lang";
    r->lang = lang;
    r->lang_only = true;
  }
  r->country = get("country");
  if (!r->country.empty() && (r->country.size() != 2 || !all_of_class(r->country, std::isalpha)))
    return "country must be a two-letter ISO code";
  std::transform(r->country.begin(), r->country.end(), r->country.begin(), ::toupper);
  r->topic = get("topic");
  r->meeting = get("meeting");
  r->type = get("type");
  for (const std::string* id : {&r->topic, &r->meeting, &r->type})
    if (!is_id(*id)) return "topic, meeting and type take identifiers";
  r->year = get("year");
  if (!r->year.empty() && (r->year.size() != 4 || !all_of_class(r->year, std::isdigit)))
    return "year must be four digits";
  r->from = get("from");
  r->to = get("to");
  for (const auto& [name, value] : {std::pair{"from", &r->from}, std::pair{"to", &r->to}}) {
    if (value->empty()) continue;
    if (!looks_like_date(*value)) return std::string(name) + " takes YYYY, YYYY-MM or YYYY-MM-DD";
    if (!real_date(*value))
      return std::string(name) + " is not a real date: " + *value +
             " (YYYY, YYYY-MM or YYYY-MM-DD)";
  }
  if (std::string sort = get("sort"); !sort.empty()) {
    if (sort != "relevance" && sort != "date") return "sort takes relevance or date";
    r->sort = sort;
  }
  // exact=1: the words as typed, no typo correction ("search instead for").
  if (std::string exact = get("exact"); !exact.empty()) {
    if (exact != "1" && exact != "0") return "exact takes 1 or 0";
    r->exact = exact == "1";
  }
  // fallbacks=N: at most N fallback tiers (an answer's links ask for what
  // it ran: docs/search-answers.md).
  if (std::string fb = get("fallbacks"); !fb.empty()) {
    if (fb.size() != 1 || fb[0] < '0' || fb[0] > '3') return "fallbacks takes 0 to 3";
    r->fallbacks = fb[0] - '0';
  }
  if (std::string page = get("page"); !page.empty()) {
    if (page.size() > 4 || !all_of_class(page, std::isdigit)) return "page must be a number";
    r->page = std::stoi(page);
    if (r->page < 1 || r->page > kMaxPage) return "page must be from 1 to 1000";
  }
  return "";
}

}  // namespace sitegen::serve
