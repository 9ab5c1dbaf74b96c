// The preview server of `site-gen serve`: builds the site, serves the
// published tree and its search (the same answers as `site-gen search`),
// watches the site, rebuilds after each edit and reloads the open pages.
// A broken edit keeps the last good site served and shows its errors over
// the page. Bound to 127.0.0.1 unless told otherwise. HTTP is
// serve/http_server.h's: idle, slow and streaming clients hold no thread.
#pragma once

#include <chrono>
#include <memory>
#include <ostream>
#include <string>

#include "site-gen/build.h"

namespace sitegen::serve {

struct ServeOptions {
  BuildOptions build;              // the site, output and index folders
  std::string bind = "127.0.0.1";  // loopback only unless told otherwise
  int port = 8080;                 // 0: any free port (tests)
  bool watch = true;               // rebuild on edits
  // Search answers kept (JSON and pages) until the next rebuild; 0: none
  // (`--no-search-cache`, to measure the search itself).
  size_t search_cache = 1024;
  size_t search_cache_bytes = 32 << 20;  // ... and at most this many bytes of them
  unsigned threads = 4;                  // HTTP threads (they run the handlers)
  unsigned max_connections = 512;        // open at once; above them requests get 503
  unsigned connection_timeout = 5;       // seconds: a silent connection is closed
  unsigned header_deadline = 10;  // seconds: a request's line and headers must be in by then
  // Open pages' live-reload streams send a comment this often, so that a
  // closed tab's connection is noticed and closed.
  std::chrono::milliseconds stream_heartbeat{3000};
  std::ostream* log = nullptr;     // progress and errors; nullptr: quiet
};

class PreviewServer {
 public:
  explicit PreviewServer(ServeOptions options);
  ~PreviewServer();  // stops

  // Builds the site (its errors are printed, not fatal: the last published
  // tree, if any, is served), binds the port, and starts serving and
  // watching on background threads. False with *error if the port cannot
  // be bound.
  bool start(std::string* error);
  int port() const;
  // Stops serving and watching; safe from any thread, more than once.
  void stop();
  // Blocks until stop().
  void wait();
  // Builds finished since start (successful or not): tests wait on it.
  size_t builds() const;
  // Rebuilds now, as the watcher would after an edit.
  void rebuild();
  // What the kept search answers cost, in bytes (tests).
  size_t search_cache_bytes() const;
  // Open connections and live-reload streams (tests).
  size_t connections() const;
  size_t streams() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `site-gen serve`: runs until SIGINT or SIGTERM; returns the exit code.
int run_serve(const ServeOptions& options);

}  // namespace sitegen::serve
