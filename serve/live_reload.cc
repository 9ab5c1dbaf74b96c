#include "serve/live_reload.h"

#include <cstdio>

namespace sitegen::serve {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

namespace {

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + json_string(items[i]);
  return out + "]";
}

}  // namespace

void LiveReload::reloaded() {
  std::lock_guard lock(mu_);
  errors_.clear();
  last_event_ = "event: reload\ndata: {}\n\n";
  ++generation_;
}

void LiveReload::failed(std::vector<std::string> errors) {
  std::lock_guard lock(mu_);
  errors_ = std::move(errors);
  last_event_ = "event: errors\ndata: " + json_array(errors_) + "\n\n";
  ++generation_;
}

void LiveReload::shut_down() {
  std::lock_guard lock(mu_);
  shut_down_ = true;
}

bool LiveReload::poll(unsigned long* seen, std::string* out) const {
  std::lock_guard lock(mu_);
  if (shut_down_) return false;
  if (*seen != generation_) {
    *seen = generation_;
    *out += last_event_;
  }
  return true;
}

unsigned long LiveReload::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

std::string LiveReload::status_json() const {
  std::lock_guard lock(mu_);
  return "{\"errors\":" + json_array(errors_) + "}";
}

const std::string& LiveReload::script() {
  // Errors are shown with textContent: they quote content, which is untrusted.
  static const std::string js = R"JS((function () {
  var box = null;
  function show(errors) {
    if (!box) {
      box = document.createElement('div');
      box.id = 'site-gen-errors';
      box.setAttribute('role', 'alert');
      box.setAttribute('dir', 'ltr');
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;' +
        'margin:0;padding:1em 1.5em;background:#6b0000;color:#fff;z-index:2147483647;' +
        'font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;text-align:left';
      document.body.appendChild(box);
    }
    box.textContent = 'site-gen: the last edit has errors; the previous site is still served.\n\n' +
      errors.join('\n');
  }
  fetch('/__site-gen/status').then(function (r) { return r.json(); }).then(function (s) {
    if (s.errors.length) show(s.errors);
  }).catch(function () {});
  var events = new EventSource('/__site-gen/events');
  events.addEventListener('reload', function () { location.reload(); });
  events.addEventListener('errors', function (e) { show(JSON.parse(e.data)); });
})();
)JS";
  return js;
}

std::string LiveReload::inject(std::string html) {
  static const std::string tag = "<script src=\"/__site-gen/reload.js\"></script>";
  size_t body = html.rfind("</body>");
  if (body == std::string::npos) return html + tag;
  html.insert(body, tag + "\n");
  return html;
}

}  // namespace sitegen::serve
