// site-gen as a CGI program (RFC 3875), for hosts without long-running
// processes: when the web server runs it with GATEWAY_INTERFACE set, one
// request is answered from the published site with the search service's
// handlers (serve/search_handlers.h) and the process ends. The published
// tree and index are named by SITE_GEN_OUT and SITE_GEN_INDEX (set in the
// web server's configuration), by default /srv/site-gen/public and
// /srv/site-gen/public-index. The request's path is PATH_INFO (the script
// mounted at /cgi-bin/site-gen/…), else REQUEST_URI's (the script mapped to
// /api/search and /<lang>/search/ directly).
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace sitegen::serve {

// Answers the request the environment describes (`env` returns "" for an
// unset variable) on `out`: a CGI response, "Status: …" and headers, then
// the body. Returns the exit code (0 once an answer was written); with
// AfterAnswer::exit_process the process ends there instead (std::_Exit
// once `out` is flushed), without taking apart what the answer built.
enum class AfterAnswer { return_code, exit_process };
int run_cgi(const std::function<std::string(const char*)>& env, std::ostream& out,
            AfterAnswer after = AfterAnswer::return_code);

}  // namespace sitegen::serve
