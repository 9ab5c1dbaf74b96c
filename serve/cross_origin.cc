#include "serve/cross_origin.h"

#include <algorithm>

namespace sitegen::serve {

std::string origin_of(std::string_view url) {
  if (url == "*") return "*";
  std::string lower(url);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string scheme;
  for (const char* s : {"http", "https"})
    if (lower.rfind(std::string(s) + "://", 0) == 0) scheme = s;
  if (scheme.empty()) return "";
  std::string_view rest = std::string_view(lower).substr(scheme.size() + 3);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find('@') != std::string_view::npos) return "";
  const std::string default_port = scheme == "http" ? ":80" : ":443";
  if (host.size() > default_port.size() &&
      host.substr(host.size() - default_port.size()) == default_port)
    host.remove_suffix(default_port.size());
  return scheme + "://" + std::string(host);
}

bool parse_origins(std::string_view list, std::vector<std::string>* origins, std::string* bad) {
  if (list.empty()) return true;
  for (size_t b = 0; b <= list.size();) {
    size_t e = std::min(list.find(',', b), list.size());
    std::string origin = origin_of(list.substr(b, e - b));
    if (origin.empty()) {
      *bad = std::string(list.substr(b, e - b));
      return false;
    }
    origins->push_back(origin);
    b = e + 1;
  }
  return true;
}

std::string allowed_origin(std::string_view origin, const std::vector<std::string>& allowed) {
  if (origin.empty()) return "";  // not a cross-origin request of a browser
  if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) return "*";
  std::string asked = origin_of(origin);
  if (asked.empty() || asked == "*") return "";
  return std::find(allowed.begin(), allowed.end(), asked) != allowed.end() ? asked : "";
}

}  // namespace sitegen::serve
