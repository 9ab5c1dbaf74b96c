// site-gen-cgi: the CGI program alone (serve/cgi.h), a small executable for
// hosts that start a process per search. It links only the search, the
// results page and the templates, so its start-up costs what Xapian's own
// `quest` does rather than the ~55 libraries site-gen loads (docs/HACKING.md,
// "CGI start-up").
#include <cstdlib>
#include <iostream>
#include <string>

#include "serve/cgi.h"

int main() {
  return sitegen::serve::run_cgi(
      [](const char* name) {
        const char* v = std::getenv(name);
        return std::string(v ? v : "");
      },
      std::cout);
}
