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

bool is_id(const std::string& s) {
  return s.size() <= 100 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '.';
         });
}

}  // namespace

std::string parse_search_params(const std::multimap<std::string, std::string>& params,
                                const std::vector<std::string>& languages,
                                index::SearchRequest* r) {
  auto get = [&](const char* name) -> std::string {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  r->query = get("q");
  if (r->query.size() > kMaxQueryBytes) return "q is longer than 1000 bytes";
  if (std::string lang = get("lang"); !lang.empty()) {
    if (std::find(languages.begin(), languages.end(), lang) == languages.end())
      return "unknown lang \"" + lang + "\"";
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
  if ((!r->from.empty() && !looks_like_date(r->from)) || (!r->to.empty() && !looks_like_date(r->to)))
    return "from and to take YYYY, YYYY-MM or YYYY-MM-DD";
  if (std::string sort = get("sort"); !sort.empty()) {
    if (sort != "relevance" && sort != "date") return "sort takes relevance or date";
    r->sort = sort;
  }
  if (std::string page = get("page"); !page.empty()) {
    if (page.size() > 4 || !all_of_class(page, std::isdigit)) return "page must be a number";
    r->page = std::stoi(page);
    if (r->page < 1 || r->page > kMaxPage) return "page must be from 1 to 1000";
  }
  return "";
}

}  // namespace sitegen::serve
