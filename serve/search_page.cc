#include "serve/search_page.h"

#include "site-gen/fallback.h"
#include "site-gen/locale.h"

namespace sitegen::serve {
namespace {

using List = kainjow::mustache::data;

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string search_url(const std::string& lang,
                       const std::multimap<std::string, std::string>& params) {
  std::string url = "/" + lang + "/search/";
  char sep = '?';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    url += sep + url_encode(k) + "=" + url_encode(v);
    sep = '&';
  }
  return url;
}

Data search_page_data(const SearchTemplate& m,
                      const std::multimap<std::string, std::string>& params,
                      const index::SearchResponse& r) {
  const std::string& lang = m.lang();
  // One value per parameter: the links below replace, never add.
  std::map<std::string, std::string> base;
  for (const auto& [k, v] : params) base.emplace(k, v);
  base.erase("page");
  auto link_with = [&](const std::string& key, const std::string& value) {
    auto p = base;
    if (value.empty()) p.erase(key);
    else p[key] = value;
    return search_url(lang, {p.begin(), p.end()});
  };

  Data d;
  // Set even when empty: a search by filters alone still shows its results.
  d.set("query", r.query);
  d.set("total", format_number(static_cast<long long>(r.total), lang));
  List results(List::type::list);
  for (const auto& res : r.results) {
    Data item;
    item.set("url", res.url);
    item.set("title", res.title);
    if (!res.symbol.empty()) item.set("symbol", res.symbol);
    if (auto date = parse_iso_date(res.date)) item.set("date", format_date(*date, lang));
    item.set("lang", res.lang);
    item.set("lang_name", language_autonym(res.lang));
    item.set("snippet", res.snippet);
    results.push_back(item);
  }
  d.set("results", results);

  static const std::pair<const char*, const char*> facets[] = {
      {"country", "facet_country"}, {"topic", "facet_topic"}, {"meeting", "facet_meeting"},
      {"type", "facet_type"},       {"year", "facet_year"},   {"lang", "facet_lang"}};
  List groups(List::type::list);
  for (const auto& [facet, key] : facets) {
    auto it = r.facets.find(facet);
    if (it == r.facets.end() || it->second.empty()) continue;
    std::string selected = base.count(facet) ? base.at(facet) : "";
    List items(List::type::list);
    for (const auto& [value, count] : it->second) {
      Data item;
      item.set("label", m.label(facet, value));
      item.set("count", format_number(static_cast<long long>(count), lang));
      item.set("selected", value == selected);
      item.set("url", link_with(facet, value == selected ? "" : value));
      items.push_back(item);
    }
    Data g;
    g.set("name", m.string(key));
    g.set("items", items);
    groups.push_back(g);
  }
  d.set("facets", groups);

  List pages(List::type::list);
  const int per_page = 10;
  int last = static_cast<int>((r.total + per_page - 1) / per_page);
  int first = std::max(1, r.page - 4), end = std::min(last, first + 9);
  for (int n = first; n <= end && last > 1; ++n) {
    Data p;
    p.set("number", format_number(n, lang));
    p.set("current", n == r.page);
    auto q = base;
    if (n > 1) q["page"] = std::to_string(n);
    p.set("url", search_url(lang, {q.begin(), q.end()}));
    pages.push_back(p);
  }
  d.set("pages", pages);
  if (!r.suggestion.empty()) {
    Data s;
    s.set("text", r.suggestion);
    s.set("url", link_with("q", r.suggestion));
    d.set("suggestion", s);
  }
  return d;
}

}  // namespace sitegen::serve
