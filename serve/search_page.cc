#include "serve/search_page.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "site-gen/fallback.h"
#include "site-gen/locale.h"

namespace sitegen::serve {
namespace {

using List = kainjow::mustache::data;
using Items = kainjow::mustache::basic_list<std::string>;

// kainjow's set() and push_back() copy their value, deeply, and its
// vector copies every element when it grows (basic_data's move is not
// noexcept): a nested value made so is copied once per level, which cost
// a CGI results page a fifth of quest's whole run. These move instead.
void put(Data& d, const std::string& key, Data&& value) { d[key] = std::move(value); }

// A list of `items`, moved in. The list's vector is reached through its
// const view: kainjow has no other, and the vector itself is not const.
List list_of(Items&& items) {
  List list(List::type::list);
  const_cast<Items&>(list.list_value()) = std::move(items);
  return list;
}

// A theme string with its {name} placeholders replaced. Not ICU
// MessageFormat: a query such as "2025" must stay text, never a number.
std::string fill(std::string pattern, const std::map<std::string, std::string>& args) {
  for (const auto& [name, value] : args) {
    const std::string key = "{" + name + "}";
    for (size_t p = 0; (p = pattern.find(key, p)) != std::string::npos; p += value.size())
      pattern.replace(p, key.size(), value);
  }
  return pattern;
}

using Params = std::map<std::string, std::string>;

void append_encoded(std::string& out, std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
}

// search_url() of `params` with `key` set to `value` ("": left out), made
// without a copy of the parameters: a page has a link per facet value.
std::string url_with(const std::string& lang, const Params& params, const char* key = nullptr,
                     std::string_view value = {}) {
  std::string url;
  url.reserve(96);
  url += '/';
  url += lang;
  url += "/search/";
  char sep = '?';
  auto add = [&](std::string_view k, std::string_view v) {
    if (v.empty()) return;
    url += sep;
    append_encoded(url, k);
    url += '=';
    append_encoded(url, v);
    sep = '&';
  };
  bool done = key == nullptr;
  for (const auto& [k, v] : params) {
    if (!done && k >= key) {
      add(key, value);
      done = true;
      if (k == key) continue;
    }
    add(k, v);
  }
  if (!done) add(key, value);
  return url;
}

// The links of a page: its parameters with one of them changed.
struct Links {
  const std::string& lang;
  const Params& base;
  std::string operator()(const char* key = nullptr, std::string_view value = {}) const {
    return url_with(lang, base, key, value);
  }
};

// Facets in the page's order, with the key of each one's heading.
constexpr std::pair<const char*, const char*> kFacets[] = {
    {"country", "facet_country"}, {"topic", "facet_topic"}, {"meeting", "facet_meeting"},
    {"type", "facet_type"},       {"year", "facet_year"},   {"lang", "facet_lang"}};

// A facet lists its kFacetTop largest values (and the selected one); the
// "show all" link asks the page again with more=<facet>.
constexpr size_t kFacetTop = 10;

// Into flat data (site-gen/flat_data.h): some sixty links of five values.
FlatData::Id facet_groups(FlatData& f, const SearchTemplate& m, const index::SearchResponse& r,
                          const Params& base, const std::string& more, const Links& links) {
  const FlatData::Id groups = f.add_list();
  for (const auto& entry : kFacets) {
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    const char* facet = entry.first;
    const char* key = entry.second;
    auto it = r.facets.find(facet);
    if (it == r.facets.end() || it->second.empty()) continue;
    const std::string selected = base.count(facet) ? base.at(facet) : "";
    // Largest first; equal counts in the values' order (years: latest first).
    // The map's entries, not copies of their values: a page shows ten.
    std::vector<const std::pair<const std::string, size_t>*> values;
    values.reserve(it->second.size());
    for (const auto& v : it->second) values.push_back(&v);
    const bool years = std::string_view(facet) == "year";
    std::sort(values.begin(), values.end(), [&](const auto* a, const auto* b) {
      if (a->second != b->second) return a->second > b->second;
      return years ? a->first > b->first : a->first < b->first;
    });
    const bool all = more == facet;
    size_t shown = 0;
    // A narrower answer finds fewer: its link asks for no more fallback
    // tiers than this answer ran, so that it finds what the count says; a
    // language alone as asked, as the Languages counts are
    // (docs/search-answers.md). Paging, sort and broader links ask the same
    // tiers anyway.
    Params pinned = base;
    pinned["fallbacks"] = std::string_view(facet) == "lang" ? "0" : std::to_string(r.fallbacks);
    auto link = [&](const std::string& value) {
      return value.empty() ? links(facet, value) : url_with(links.lang, pinned, facet, value);
    };
    const FlatData::Id items = f.add_list();
    if (std::string_view(facet) == "lang") {
      // No language filter is a choice too (every language, the page's
      // first): shown, and selected when it is the one in force.
      const FlatData::Id item = f.add_object();
      f.set(item, "label", m.string("facet_all_languages"));
      f.set(item, "selected", selected.empty());
      f.set(item, "url", link(""));
      f.set(item, "value", "");
      f.push(items, item);
    }
    for (size_t i = 0; i < values.size(); ++i) {
      const auto& [value, count] = *values[i];
      bool is_selected = value == selected;
      if (!all && !is_selected && shown >= kFacetTop) continue;
      if (!is_selected) ++shown;
      const FlatData::Id item = f.add_object();
      f.set(item, "label", m.label(facet, value));
      f.set(item, "value", value);
      f.set(item, "count", m.number(count));
      f.set(item, "selected", is_selected);
      f.set(item, "url", link(is_selected ? "" : value));
      f.push(items, item);
    }
    const FlatData::Id g = f.add_object();
    f.set(g, "facet", facet);
    f.set(g, "name", m.string(key));
    f.set(g, "items", items);
    const size_t others = values.size() - (selected.empty() || !it->second.count(selected) ? 0 : 1);
    if (!all && others > kFacetTop) {
      const FlatData::Id link_more = f.add_object();
      f.set(link_more, "url", links("more", facet) + "#facet-" + facet);
      f.set(link_more, "label",
            fill(m.string("facet_show_all"), {{"count", m.number(values.size())}}));
      f.set(g, "more", link_more);
    } else if (all && others > kFacetTop) {
      const FlatData::Id link_fewer = f.add_object();
      f.set(link_fewer, "url", links() + "#facet-" + facet);
      f.set(link_fewer, "label", m.string("facet_show_fewer"));
      f.set(g, "fewer", link_fewer);
    }
    f.push(groups, g);
  }
  return groups;
}

// The filters in force, each with a link that removes it.
List active_filters(const SearchTemplate& m, const Params& base, const Links& links) {
  Items out;
  out.reserve(std::size(kFacets) + 2);
  auto add = [&](const std::string& key, const std::string& name, const std::string& label) {
    Data f;
    f.set("param", key);
    f.set("name", name);
    f.set("label", label);
    f.set("remove_url", links(key.c_str(), ""));
    f.set("remove_label",
          fill(m.string("filter_remove"), {{"filter", name + ": " + label}}));
    out.push_back(std::move(f));
  };
  for (const auto& [facet, key] : kFacets)
    if (auto it = base.find(facet); it != base.end())
      add(facet, m.string(key), m.label(facet, it->second));
  for (const char* key : {"from", "to"})
    if (auto it = base.find(key); it != base.end()) {
      auto date = parse_iso_date(it->second);
      add(key, m.string(std::string("search_") + key),
          date ? m.date(*date) : it->second);
    }
  return list_of(std::move(out));
}

// Sets pages, prev, next, range and past_last: the pages around this one,
// "11–20 of 35", and a way back when the page asked is past the last one.
// The page links go into f, at its root.
void paging(Data& d, FlatData& f, const SearchTemplate& m, const index::SearchResponse& r,
            const Links& links) {
  const int per_page = 10;  // index::SearchRequest's default; the page never asks another
  const int last = static_cast<int>((r.total + per_page - 1) / per_page);
  auto page_url = [&](int n) { return links("page", n > 1 ? std::to_string(n) : ""); };
  auto num = [&](long long n) { return m.number(static_cast<unsigned long long>(n)); };
  d.set("nothing_found", r.total == 0);
  if (r.total > 0 && r.page > last) {
    Data past;
    past.set("text", fill(m.string("page_past_last"),
                          {{"page", num(r.page)}, {"last", num(last)}}));
    past.set("url", page_url(last));
    past.set("label", m.string("go_last_page"));
    put(d, "past_last", std::move(past));
    return;
  }
  if (r.total > 0) {
    long long first = static_cast<long long>(r.page - 1) * per_page + 1;
    long long to = std::min<long long>(static_cast<long long>(r.page) * per_page,
                                       static_cast<long long>(r.total));
    d.set("range", fill(m.string("results_range"),
                        {{"first", num(first)},
                         {"last", num(to)},
                         {"total", num(static_cast<long long>(r.total))}}));
  }
  if (last <= 1) return;  // one page: no navigation at all
  const FlatData::Id pages = f.add_list();
  int first = std::max(1, std::min(r.page - 4, last - 9)), end = std::min(last, first + 9);
  for (int n = first; n <= end; ++n) {
    const FlatData::Id p = f.add_object();
    f.set(p, "number", num(n));
    f.set(p, "current", n == r.page);
    f.set(p, "url", page_url(n));
    f.push(pages, p);
  }
  f.set(FlatData::root(), "pages", pages);
  d.set("paged", true);
  if (r.page > 1) d.set("prev_url", page_url(r.page - 1));
  if (r.page < last) d.set("next_url", page_url(r.page + 1));
}

}  // namespace

std::string search_url(const std::string& lang,
                       const std::multimap<std::string, std::string>& params) {
  std::string url = "/" + lang + "/search/";
  char sep = '?';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    url += sep;
    append_encoded(url, k);
    url += '=';
    append_encoded(url, v);
    sep = '&';
  }
  return url;
}

Data search_page_data(const SearchTemplate& m,
                      const std::multimap<std::string, std::string>& params,
                      const index::SearchResponse& r, FlatData& f) {
  const std::string& lang = m.lang();
  auto t = [&](const char* key) { return m.string(key); };
  auto num = [&](long long n) { return m.number(static_cast<unsigned long long>(n)); };
  // One value per parameter: the links below replace, never add. `more`
  // (which facet to list in full) is the page's own, kept only by its link.
  std::map<std::string, std::string> base;
  for (const auto& [k, v] : params)
    if (!v.empty()) base.emplace(k, v);
  base.erase("page");
  std::string more = base.count("more") ? base.at("more") : "";
  base.erase("more");
  auto url_of = [&](const std::map<std::string, std::string>& p) { return url_with(lang, p); };
  const Links links{lang, base};

  Data d;
  if (!r.corrected.empty()) {
    // "Showing results for <corrected>; search instead for <query>": both
    // links search as typed (exact), never correcting again.
    auto exact = [&](const std::string& q) {
      auto p = base;
      p["q"] = q;
      p["exact"] = "1";
      return url_of(p);
    };
    Data c;
    c.set("text", r.corrected);
    c.set("url", exact(r.corrected));
    c.set("original", r.query);
    c.set("original_url", exact(r.query));
    put(d, "corrected", std::move(c));
    // The answer shown is the corrected query's: the facets', filters' and
    // pages' links search that one, as typed, so that each count is what
    // its link finds.
    base["q"] = r.corrected;
    base["exact"] = "1";
  }
  // Set even when empty: a search by filters alone still shows its results.
  d.set("query", r.query);
  d.set("total", num(static_cast<long long>(r.total)));
  // <title>: “mines” – Search (the layout's title stays the h1).
  if (!r.query.empty()) d.set("head_title", fill(t("search_title_query"), {{"query", r.query}}));

  // The results and the facets as flat data (site-gen/flat_data.h).
  const FlatData::Id results = f.add_list();
  for (const auto& res : r.results) {
    const FlatData::Id item = f.add_object();
    f.set(item, "url", res.url);
    f.set(item, "title", res.title);
    if (!res.symbol.empty()) f.set(item, "symbol", res.symbol);
    if (auto date = parse_iso_date(res.date)) f.set(item, "date", m.date(*date));
    f.set(item, "lang", res.lang);
    f.set(item, "lang_name", m.autonym(res.lang));
    if (!res.snippet.empty())
      f.set(item, "snippet", res.snippet);  // a topic without documents has none
    if (!res.file.empty()) {
      // "Found in x.pdf, page 3", linking to that page.
      const FlatData::Id file = f.add_object();
      f.set(file, "url", res.file_url);
      f.set(file, "name", res.file);
      f.set(file, "label",
            res.file_page > 0 ? fill(m.string("search_in_file_page"),
                                     {{"file", res.file}, {"page", num(res.file_page)}})
                              : fill(m.string("search_in_file"), {{"file", res.file}}));
      f.set(item, "file", file);
    }
    f.push(results, item);
  }
  f.set(FlatData::root(), "results", results);
  f.set(FlatData::root(), "facets", facet_groups(f, m, r, base, more, links));
  List filters = active_filters(m, base, links);
  d.set("has_filters", !filters.is_empty_list());
  if (filters.list_value().size() > 1) {
    Params kept;  // the query and its order stay
    for (const char* key : {"q", "sort"})
      if (base.count(key)) kept[key] = base.at(key);
    d.set("clear_filters_url", url_of(kept));
  }
  put(d, "active_filters", std::move(filters));
  // The form's own fields are q, sort, from and to; the other filters ride
  // along as hidden fields so that a new query keeps them.
  Items hidden;
  hidden.reserve(base.size());
  for (const auto& [k, v] : base) {
    // `exact` and `fallbacks` are for one query (a link's): a new one typed
    // in the box is corrected and completed anew.
    if (k == "q" || k == "sort" || k == "from" || k == "to" || k == "exact" || k == "fallbacks")
      continue;
    Data h;
    h.set("name", k);
    h.set("value", v);
    hidden.push_back(std::move(h));
  }
  put(d, "hidden_fields", list_of(std::move(hidden)));
  d.set("sort_date", base.count("sort") && base.at("sort") == "date");
  // A date input holds only YYYY-MM-DD; "from=2025" (which the search takes)
  // would show empty and be lost by the next query, so it gets a text input.
  for (const char* key : {"from", "to"}) {
    std::string value = base.count(key) ? base.at(key) : "";
    d.set(key, value);
    d.set(std::string(key) + "_type", value.empty() || value.size() == 10 ? "date" : "text");
  }

  paging(d, f, m, r, links);
  // The fallbacks of an answer with few results (index/search.h): said
  // before the results, which they change.
  if (r.relaxed) {
    Data n;
    n.set("text", t(r.exact_total == 0 ? "search_relaxed_none" : "search_relaxed_few"));
    put(d, "relaxed", std::move(n));
  }
  if (r.other_languages) {
    Data n;
    n.set("text", t("search_other_languages"));
    put(d, "other_languages", std::move(n));
  }
  if (!r.suggestion.empty()) {
    Data s;
    s.set("text", r.suggestion);
    s.set("url", links("q", r.suggestion));
    put(d, "suggestion", std::move(s));
  }
  return d;
}

}  // namespace sitegen::serve
