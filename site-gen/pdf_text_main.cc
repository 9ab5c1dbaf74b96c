// site-gen-pdf-text: the worker that reads PDFs' text for site-gen
// (site-gen/pdf_workers.h), a request per file on standard input, the
// text on standard output. Not for people: site-gen starts it.
#include <sys/resource.h>

#include "site-gen/pdf_workers.h"

int main() {
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // A hostile file that makes poppler allocate without end stops here,
  // not at the machine's memory: its text is lost, and the build goes on.
  const rlim_t limit = rlim_t(4) << 30;
  rlimit r{limit, limit};
  setrlimit(RLIMIT_AS, &r);
#endif
  return sitegen::serve_pdf_requests(0, 1);
}
