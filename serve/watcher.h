// Watcher: reports changes under a site's folders (content, layouts,
// themes, i18n, static, site.yaml) through inotify, recursively, following
// folders created later. Changes that arrive close together (an editor's
// save is several events) are reported together.
// Thread-safe: wait() from one thread, stop() from any.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sitegen::serve {

class Watcher {
 public:
  // Watches each existing path (folders recursively; files by their folder).
  explicit Watcher(const std::vector<std::filesystem::path>& paths);
  ~Watcher();

  bool ok() const;
  const std::string& error() const;

  // Blocks until something changed (then waits `settle` for more events and
  // returns every changed path, deduplicated), or until `timeout` passes or
  // stop() is called (then returns an empty list). Editor litter (.swp,
  // ~ backups, .#locks, 4913) is ignored. An editor's save (write, or a
  // temporary file renamed over) is events microseconds apart: 10 ms groups
  // it and adds little to the time an edit takes to show.
  std::vector<std::filesystem::path> wait(std::chrono::milliseconds timeout,
                                          std::chrono::milliseconds settle =
                                              std::chrono::milliseconds(10));
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitegen::serve
