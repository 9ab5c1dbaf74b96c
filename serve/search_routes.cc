// SearchHandlers::add_routes, apart from the handlers themselves: it needs
// the HTTP server (libmicrohttpd), which the CGI program (site-gen-cgi,
// linked with the handlers alone for a quick start) must not pull in.
#include "serve/search_handlers.h"

namespace sitegen::serve {

void SearchHandlers::add_routes(HttpServer& http, HttpHandler otherwise) {
  http.get("/api/search", [this](const HttpRequest& q) { return api(q); });
  http.get(R"(/([a-z]{2,3})/search/)", [this, otherwise](const HttpRequest& q) {
    auto answer = page(q, q.matches[1]);
    return answer ? std::move(*answer) : otherwise(q);
  });
  http.get(R"(/([a-z]{2,3})/search)", [this, otherwise](const HttpRequest& q) {
    auto site = current();
    if (!site || !site->pages.count(q.matches[1])) return otherwise(q);
    HttpResponse r(301, "");
    r.set_header("Location", q.path + "/" + (q.query.empty() ? "" : "?" + q.query));
    return r;
  });
}

}  // namespace sitegen::serve
