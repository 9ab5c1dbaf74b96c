#include "serve/cgi.h"

#include <algorithm>
#include <cstdlib>

#include "serve/cross_origin.h"
#include "serve/search_handlers.h"

namespace sitegen::serve {

int run_cgi(const std::function<std::string(const char*)>& env, std::ostream& out, AfterAnswer after) {
  auto send = [&](const HttpResponse& r, bool head) {
    out << "Status: " << r.status << "\r\nContent-Type: " << r.content_type << "\r\n";
    out << "X-Content-Type-Options: nosniff\r\n";
    for (const auto& [k, v] : r.headers) out << k << ": " << v << "\r\n";
    out << "\r\n";
    if (!head) out << r.body;
    out.flush();
    // The process's memory, files and the index's tables go back to the
    // system at exit anyway; freeing them one by one first cost a CGI
    // start more than a tenth of quest's run.
    if (after == AfterAnswer::exit_process) std::_Exit(out ? 0 : 1);
    return 0;
  };
  HttpRequest req;
  req.method = env("REQUEST_METHOD");
  req.version = env("SERVER_PROTOCOL");
  req.remote = env("REMOTE_ADDR");
  bool head = req.method == "HEAD";
  if (req.method != "GET" && !head) {
    HttpResponse r(405, "only GET and HEAD are served\n");
    r.set_header("Allow", "GET, HEAD");
    return send(r, false);
  }
  std::string path = env("PATH_INFO"), query = env("QUERY_STRING");
  if (path.empty()) {
    std::string uri = env("REQUEST_URI");
    path = uri.substr(0, uri.find('?'));
  }
  std::string target = path + (query.empty() ? "" : "?" + query);
  HttpOptions limits;
  int status = 0;
  std::string error;
  if (!parse_target(target, limits, &req, &status, &error))
    return send(HttpResponse(status, error + "\n"), head);

  // /<lang>/search/, a language code being 2 or 3 letters a-z (no
  // std::regex: compiling one costs a CGI start a fifth of quest's run).
  const std::string& p = req.path;
  const size_t code = p.size() >= 3 ? p.find('/', 1) : std::string::npos;
  bool is_page = code != std::string::npos && (code == 3 || code == 4) &&
                 p.compare(code, std::string::npos, "/search/") == 0 &&
                 std::all_of(p.begin() + 1, p.begin() + code, [](char c) { return c >= 'a' && c <= 'z'; });
  std::string lang = is_page ? p.substr(1, code - 1) : "";
  if (!is_page && req.path != "/api/search" && req.path != "/healthz")
    return send(HttpResponse(404, "not found\n"), head);

  std::string tree = env("SITE_GEN_OUT"), index = env("SITE_GEN_INDEX");
  if (tree.empty()) tree = "/srv/site-gen/public";
  if (index.empty()) index = tree + "-index";
  // One generation: the tree before and after the index, as the service
  // does; a tree and an index side by side (a build's generation folder)
  // are of one already.
  std::error_code e1, e2, e3;
  auto real_tree = std::filesystem::canonical(tree, e1);
  auto real_index = std::filesystem::canonical(index, e2);
  if (real_tree.parent_path() != real_index.parent_path() &&
      std::filesystem::canonical(tree, e3) != real_tree) {
    real_tree = std::filesystem::canonical(tree, e3);
    real_index = std::filesystem::canonical(index, e2);
  }
  // The JSON reads the language list from its `lang`'s page when it names
  // one (a code: letters, digits and '-').
  SearchSite::OneRequest one{lang, is_page};
  if (!is_page) {
    auto it = req.params.find("lang");
    if (it != req.params.end() && it->second.size() <= 16 &&
        std::all_of(it->second.begin(), it->second.end(),
                    [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }))
      one.lang = it->second;
  }
  std::shared_ptr<const SearchSite> site;
  if (!e1 && !e2 && !e3)
    site = SearchSite::open(real_tree, real_index, index::Facets::per_search, &error, &one);
  else
    error = "cannot resolve " + tree + " and " + index;
  if (req.path == "/healthz")
    return send(site ? HttpResponse(200, "ok\n") : HttpResponse(503, "no index\n"), head);
  SearchHandlers handlers(0, 0);  // one request: nothing to keep
  // As search-server --allow-origin; a bad entry is said in the web
  // server's error log, and the others still count.
  std::vector<std::string> origins;
  std::string bad;
  if (!parse_origins(env("SITE_GEN_ALLOW_ORIGIN"), &origins, &bad))
    std::fprintf(stderr, "site-gen: SITE_GEN_ALLOW_ORIGIN: \"%s\" is not an origin\n", bad.c_str());
  handlers.allow_cross_origin(origins);
  if (std::string origin = env("HTTP_ORIGIN"); !origin.empty()) req.headers.emplace_back("Origin", origin);
  handlers.set(site);
  if (!site) {
    // Said in the web server's error log; the visitor gets a 503.
    std::fprintf(stderr, "site-gen: %s\n", error.c_str());
    return send(HttpResponse(503, "the search is not available\n"), head);
  }
  if (!is_page) return send(handlers.api(req), head);
  auto page = handlers.page(req, lang);
  return send(page ? std::move(*page) : HttpResponse(404, "not found\n"), head);
}

}  // namespace sitegen::serve
