// Live reload: the preview server tells open pages, over Server-Sent
// Events, that the site was rebuilt (they reload) or that the last edit
// failed (they show its errors over the page). The script that listens is
// added to HTML responses by the server only, never written to the tree.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace sitegen::serve {

class LiveReload {
 public:
  static constexpr const char* kEventsPath = "/__site-gen/events";
  static constexpr const char* kScriptPath = "/__site-gen/reload.js";
  static constexpr const char* kStatusPath = "/__site-gen/status";

  // After a good build: pages reload, the error list is cleared.
  void reloaded();
  // After a failed build: pages show these messages.
  void failed(std::vector<std::string> errors);
  // Wakes every waiting stream so it can end.
  void shut_down();

  // Blocks until the event after `seen` (returns it as an SSE frame and
  // moves `seen` on), or until `timeout` (returns a comment line, a
  // keep-alive), or shut_down() (returns "").
  std::string next_event(unsigned long* seen, std::chrono::milliseconds timeout);
  unsigned long generation() const;

  // {"errors": [...]} for pages that open while the site is broken.
  std::string status_json() const;
  static const std::string& script();
  // The HTML with the script tag added before </body> (or at the end).
  static std::string inject(std::string html);

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  unsigned long generation_ = 0;
  std::string last_event_;
  std::vector<std::string> errors_;
  bool shut_down_ = false;
};

// A JSON string literal, safe to embed in HTML (no "</").
std::string json_string(const std::string& s);

}  // namespace sitegen::serve
