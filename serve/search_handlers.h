// The search endpoints shared by the preview server (`site-gen serve`) and
// the search service (`site-gen search-server`): GET /api/search (the JSON
// of SITE-FORMAT §3) and GET /<lang>/search/ (the theme's results page, as
// the build published it: site-gen/search_template.h), answered from one
// published generation at a time, with a cache of answers per generation.
// Thread-safe: the handlers run on many threads; set() swaps the
// generation for the requests that begin after it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "index/search.h"
#include "serve/http_server.h"
#include "serve/response_cache.h"
#include "site-gen/search_template.h"

namespace sitegen::serve {

// What the endpoints answer from: one generation's index and search pages.
struct SearchSite {
  std::filesystem::path tree, index;                // as opened (resolved by the caller)
  std::shared_ptr<const index::Searcher> searcher;  // null: no index (503)
  std::map<std::string, SearchTemplate> pages;      // by language
  std::vector<std::string> languages;
  std::string default_language;
  std::string origin;  // of the site's base_url, "" when it is a path

  // What of the search pages one CGI request reads: the page of `lang`
  // (or of any language when that is not one of the site's), or, for the
  // JSON, no page, only the list of languages (from `lang`'s file when
  // there is one: the JSON's `lang`, a guess that saves listing them).
  // Its `tree` and `index` are the real folders, resolved together.
  struct OneRequest {
    std::string lang;
    bool page = true;
  };
  // Reads every language's search page from `tree` (with `one`, what it
  // says) and opens `index`.
  // nullptr and *error when a page is missing or damaged, or the index
  // cannot be opened.
  static std::shared_ptr<const SearchSite> open(const std::filesystem::path& tree,
                                                const std::filesystem::path& index,
                                                index::Facets facets, std::string* error,
                                                const OneRequest* one = nullptr);
};

class SearchHandlers {
 public:
  // `decorate` changes a results page's HTML before it is sent and kept
  // (the preview's live reload script); none: as rendered.
  SearchHandlers(size_t cache_entries, size_t cache_bytes,
                 std::function<std::string(std::string)> decorate = {});

  // Lets pages of other origins read the answers (CORS): the site's own
  // origin and `extra` ("*": any). Not called: none (the preview server).
  // Before the first request.
  void allow_cross_origin(std::vector<std::string> extra);

  // Answers from `site` from now on (nullptr: 503 until the next set()).
  void set(std::shared_ptr<const SearchSite> site);
  std::shared_ptr<const SearchSite> current() const;

  HttpResponse api(const HttpRequest& request);
  // nullopt when `lang` is not one of the site's (the caller serves a file
  // or its 404).
  std::optional<HttpResponse> page(const HttpRequest& request, const std::string& lang);

  // Routes both servers serve: /api/search, /<lang>/search/, and that page
  // without its slash (a redirect, as a visitor may type it). `otherwise`
  // answers a path that is no search page of the site (a file, or a 404).
  // In search_routes.cc: the CGI program links the handlers without it.
  void add_routes(HttpServer& http, HttpHandler otherwise);

  size_t cache_bytes() const { return answers_.bytes(); }

 private:
  mutable std::mutex mu_;  // guards site_
  std::shared_ptr<const SearchSite> site_;
  // The answers from `site`, as current() gave it after the cache's
  // `generation` was read (see ResponseCache).
  HttpResponse api(const HttpRequest& request, const std::shared_ptr<const SearchSite>& site,
                   uint64_t generation);
  std::optional<HttpResponse> page(const HttpRequest& request, const std::string& lang,
                                   const std::shared_ptr<const SearchSite>& site,
                                   uint64_t generation);
  // Sets Access-Control-Allow-Origin when the request's origin may read it.
  HttpResponse cross_origin(const HttpRequest& request, const SearchSite* site,
                            HttpResponse response) const;

  ResponseCache answers_;
  std::function<std::string(std::string)> decorate_;
  bool cross_origin_ = false;
  std::vector<std::string> allowed_origins_;  // besides the site's
};

}  // namespace sitegen::serve
