#include "serve/search_handlers.h"

#include <algorithm>

#include "serve/cross_origin.h"
#include "serve/live_reload.h"
#include "serve/search_page.h"
#include "serve/search_params.h"

namespace sitegen::serve {
namespace fs = std::filesystem;
namespace {

std::string json_error(const std::string& message) {
  return "{\"error\":" + json_string(message) + "}";
}

HttpResponse no_cache(int status, std::string body, std::string type) {
  HttpResponse r(status, std::move(body), std::move(type));
  r.set_header("Cache-Control", "no-cache");
  return r;
}

}  // namespace

std::shared_ptr<const SearchSite> SearchSite::open(const fs::path& tree, const fs::path& index,
                                                   index::Facets facets, std::string* error,
                                                   const OneRequest* one) {
  auto site = std::make_shared<SearchSite>();
  site->tree = tree;
  site->index = index;
  // The default language's page names the others.
  std::string probe_error;
  std::optional<SearchTemplate> first;
  const auto reading = !one           ? SearchTemplate::Reading::eager
                       : !one->page   ? SearchTemplate::Reading::languages
                                      : SearchTemplate::Reading::lazy;
  if (one && !one->lang.empty() && one->lang.find('/') == std::string::npos && one->lang[0] != '.')
    first = SearchTemplate::load(tree, one->lang, &probe_error, reading);
  std::error_code ec;
  if (!first) probe_error.clear();  // the guess's: the listing says what is wrong
  if (!first)
    for (const auto& entry : fs::directory_iterator(tree / ".site-gen" / "search", ec)) {
      first = SearchTemplate::load(tree, entry.path().filename().string(), &probe_error, reading);
      if (first) break;
    }
  if (!first) {
    *error = probe_error.empty() ? "no search pages in " + (tree / ".site-gen/search").string() +
                                       " (was the site built by this version of site-gen?)"
                                 : probe_error;
    return nullptr;
  }
  site->origin = origin_of(first->base_url());
  site->languages = first->languages();
  site->default_language = first->default_language();
  if (one && one->page) site->pages.emplace(first->lang(), std::move(*first));
  for (const auto& lang : site->languages) {
    if (one) break;
    auto t = SearchTemplate::load(tree, lang, error);
    if (!t) return nullptr;
    site->pages.emplace(lang, std::move(*t));
  }
  auto searcher = std::make_shared<index::Searcher>(
      index, facets, one ? index::Searcher::Folder::real : index::Searcher::Folder::resolve);
  if (!searcher->ok()) {
    *error = "cannot open the index " + index.string() + ": " + searcher->error();
    return nullptr;
  }
  site->searcher = std::move(searcher);
  return site;
}

SearchHandlers::SearchHandlers(size_t cache_entries, size_t cache_bytes,
                               std::function<std::string(std::string)> decorate)
    : answers_(cache_entries, cache_bytes), decorate_(std::move(decorate)) {}

void SearchHandlers::allow_cross_origin(std::vector<std::string> extra) {
  cross_origin_ = true;
  for (const auto& o : extra)
    if (auto origin = origin_of(o); !origin.empty()) allowed_origins_.push_back(origin);
}

HttpResponse SearchHandlers::cross_origin(const HttpRequest& request, const SearchSite* site,
                                          HttpResponse response) const {
  if (!cross_origin_) return response;
  // The answer depends on the Origin sent: a shared cache must keep them apart.
  response.set_header("Vary", "Origin");
  std::vector<std::string> allowed = allowed_origins_;
  if (site && !site->origin.empty()) allowed.push_back(site->origin);
  if (auto value = allowed_origin(request.header("Origin"), allowed); !value.empty())
    response.set_header("Access-Control-Allow-Origin", value);
  return response;
}

void SearchHandlers::set(std::shared_ptr<const SearchSite> site) {
  {
    std::lock_guard lock(mu_);
    site_ = std::move(site);
  }
  // After the swap: see ResponseCache on why not before.
  answers_.invalidate();
}

std::shared_ptr<const SearchSite> SearchHandlers::current() const {
  std::lock_guard lock(mu_);
  return site_;
}

HttpResponse SearchHandlers::api(const HttpRequest& req) {
  uint64_t generation = answers_.generation();  // before current(): see ResponseCache
  auto site = current();
  return cross_origin(req, site.get(), api(req, site, generation));
}

HttpResponse SearchHandlers::api(const HttpRequest& req, const std::shared_ptr<const SearchSite>& site,
                                 uint64_t generation) {
  if (!site || !site->searcher)
    return no_cache(503, json_error("the search index is not built yet"), "application/json");
  index::SearchRequest request;
  request.lang = site->default_language;
  std::string problem = parse_search_params(req.params, site->languages, &request);
  if (!problem.empty()) return no_cache(400, json_error(problem), "application/json");
  std::string key = search_cache_key("api", request);
  ResponseCache::Body body = answers_.find(key);
  if (!body) {
    index::SearchResponse response = site->searcher->search(request);
    body = std::make_shared<const std::string>(index::to_json(response));
    if (response.error.empty()) answers_.insert(key, body, generation);
  }
  return no_cache(200, *body, "application/json");
}

std::optional<HttpResponse> SearchHandlers::page(const HttpRequest& req, const std::string& lang) {
  uint64_t generation = answers_.generation();  // before current(): see ResponseCache
  auto site = current();
  auto answer = page(req, lang, site, generation);
  if (!answer) return answer;
  return cross_origin(req, site.get(), std::move(*answer));
}

std::optional<HttpResponse> SearchHandlers::page(const HttpRequest& req, const std::string& lang,
                                                 const std::shared_ptr<const SearchSite>& site,
                                                 uint64_t generation) {
  if (!site) return std::nullopt;
  auto it = site->pages.find(lang);
  if (it == site->pages.end()) return std::nullopt;
  const SearchTemplate& tmpl = it->second;
  // Only the search's own parameters are kept (in the page's links and
  // its cache key): junk ones change nothing, so they cost nothing.
  std::multimap<std::string, std::string> params;
  for (const auto& [k, v] : req.params)
    if (is_search_param(k)) params.emplace(k, v);
  bool asked =
      std::any_of(params.begin(), params.end(), [](const auto& kv) { return !kv.second.empty(); });
  Data extra;
  FlatData flat;  // its results, facet and page links (site-gen/flat_data.h)
  std::string key;  // set when the page may be kept
  int status = 200;
  if (asked) {
    index::SearchRequest request;
    request.lang = lang;
    std::string problem = parse_search_params(params, site->languages, &request);
    // A `lang` filter narrows the page's answer; the query is still read
    // in the page's language, or the Languages facet's counts would not
    // be what its links find (issue 16).
    request.query_lang = lang;
    if (!problem.empty()) {
      // Shown again in the form, but never as bytes that are not UTF-8.
      status = 400;
      for (auto& [k, v] : params) v = to_valid_utf8(v);
      index::SearchResponse empty;
      if (auto q = params.find("q"); q != params.end()) empty.query = q->second;
      extra = search_page_data(tmpl, params, empty, flat);
      extra.set("error", problem);  // for a theme that shows it
    } else if (site->searcher) {
      key = search_cache_key("page/" + lang, request, &params);
      if (ResponseCache::Body page = answers_.find(key))
        return no_cache(200, *page, "text/html; charset=utf-8");
      index::SearchResponse response = site->searcher->search(request);
      if (!response.error.empty()) key.clear();
      extra = search_page_data(tmpl, params, response, flat);
    }
  }
  std::string error;
  std::string html = tmpl.render(extra, &flat, &error);
  if (!error.empty()) return HttpResponse(503, "the search layout failed: " + error + "\n");
  if (decorate_) html = decorate_(std::move(html));
  auto body = std::make_shared<const std::string>(std::move(html));
  if (!key.empty()) answers_.insert(key, body, generation);
  return no_cache(status, *body, "text/html; charset=utf-8");
}

}  // namespace sitegen::serve
