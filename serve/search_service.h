// The search service of `site-gen search-server`: answers GET /api/search,
// GET /<lang>/search/ and GET /healthz (and with `serve_static` the
// published files) from a published tree and its index, for a public host
// behind a web server (deploy/). It never builds, watches content or
// writes: it reads what `site-gen build` published, and follows the
// `current` generation (site-gen/publish.h) by polling where --out and
// --index lead; a new generation is opened whole (index and search pages)
// and then swapped in, so a request is answered from one generation only.
// HTTP is serve/http_server.h's (a pool of threads, keep-alive, bounded
// requests and timeouts); each answer is one line of an access log in the
// common log format.
// Thread-safe: stop() and reopen_log() may be called from any thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace sitegen::serve {

struct SearchServiceOptions {
  std::filesystem::path out;       // the published tree (a symlink into the store)
  std::filesystem::path index;     // its index (idem)
  std::string bind = "127.0.0.1";  // loopback only unless told otherwise
  int port = 8081;                 // 0: any free port (tests)
  unsigned threads = 8;            // HTTP threads (they run the searches)
  bool serve_static = false;       // --static: the published files too
  // The access log: "" none, "-" standard output, else a file appended to
  // (reopened by reopen_log(), after logrotate has moved it).
  std::string access_log;
  std::chrono::milliseconds poll{250};  // how often --out and --index are resolved
  size_t search_cache = 1024;           // answers kept per generation; 0: none
  size_t search_cache_bytes = 32 << 20;
  unsigned max_connections = 512;   // open at once; above them requests get 503
  unsigned connection_timeout = 5;  // seconds: a silent connection is closed
  unsigned header_deadline = 10;    // seconds: a request's line and headers must be in by then
  std::ostream* log = nullptr;      // what it serves and errors; nullptr: quiet
  // Origins whose pages may read the answers besides the site's own
  // (base_url): serve/cross_origin.h. "*": any.
  std::vector<std::string> allow_origins;
};

class SearchService {
 public:
  explicit SearchService(SearchServiceOptions options);
  ~SearchService();  // stops

  // Opens the published generation, binds the port and starts serving and
  // polling on background threads. False with *error if there is nothing
  // to serve (no search pages or index) or the port cannot be bound.
  bool start(std::string* error);
  int port() const;
  void stop();
  void wait();  // until stop()
  // Reopens the access log file (SIGHUP). False with *error if it cannot.
  bool reopen_log(std::string* error);
  // Generations opened since start, the first included (tests).
  size_t generations() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One line of the common log format:
// 127.0.0.1 - - [01/Dec/2026:13:55:00 +0000] "GET /api/search?q=a HTTP/1.1" 200 1234
// The request line's bytes that are not printable ASCII, '"' and '\' are
// written \xHH, so that a request cannot forge a line.
std::string access_log_line(const std::string& remote, std::chrono::system_clock::time_point when,
                            const std::string& method, const std::string& target,
                            const std::string& version, int status, uint64_t bytes);

// `site-gen search-server`: runs until SIGINT or SIGTERM (SIGHUP reopens
// the access log); returns the exit code.
int run_search_service(const SearchServiceOptions& options);

}  // namespace sitegen::serve
