// site-gen-cgi: the CGI program alone (serve/cgi.h), a small executable for
// hosts that start a process per search. It links only the search, the
// results page and the templates, so its start-up costs what Xapian's own
// `quest` does rather than the ~55 libraries site-gen loads (docs/HACKING.md,
// "CGI start-up").
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "serve/cgi.h"

int main() {
  // The answer in one write where it fits (stdout's own buffer is a page).
  static char buffer[1 << 16];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  return sitegen::serve::run_cgi(
      [](const char* name) {
        const char* v = std::getenv(name);
        return std::string(v ? v : "");
      },
      std::cout, sitegen::serve::AfterAnswer::exit_process);
}
