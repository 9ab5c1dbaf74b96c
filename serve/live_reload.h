// Live reload: the preview server tells open pages, over Server-Sent
// Events, that the site was rebuilt (they reload) or that the last edit
// failed (they show its errors over the page). The script that listens is
// added to HTML responses by the server only, never written to the tree.
// It only keeps the last event: the server polls it for each open stream
// when it wakes them (HttpServer::wake_streams), so no stream waits on a
// thread. Thread-safe.
#pragma once

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
  // Ends every stream at its next poll.
  void shut_down();

  // Never blocks. Appends the last event to *out (an SSE frame) if it came
  // after `seen`, and moves `seen` on; false after shut_down().
  bool poll(unsigned long* seen, std::string* out) const;
  unsigned long generation() const;

  // {"errors": [...]} for pages that open while the site is broken.
  std::string status_json() const;
  static const std::string& script();
  // The HTML with the script tag added before </body> (or at the end).
  static std::string inject(std::string html);

 private:
  mutable std::mutex mu_;
  unsigned long generation_ = 0;
  std::string last_event_;
  std::vector<std::string> errors_;
  bool shut_down_ = false;
};

// A JSON string literal, safe to embed in HTML (no "</").
std::string json_string(const std::string& s);

}  // namespace sitegen::serve
