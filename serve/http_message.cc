// Requests and responses, and the parsing of a request target: the parts
// of http_server.h that do not need libmicrohttpd, kept apart so that the CGI
// program (site-gen-cgi) links neither it nor the TLS libraries it brings,
// whose start-up would cost each CGI request (docs/HACKING.md).
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "serve/http_server.h"

namespace sitegen::serve {
std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        }))
      return v;
  return "";
}

HttpResponse::HttpResponse(HttpResponse&& o) noexcept
    : status(o.status),
      content_type(std::move(o.content_type)),
      headers(std::move(o.headers)),
      body(std::move(o.body)),
      file_fd(std::exchange(o.file_fd, -1)),
      file_size(o.file_size) {}

HttpResponse& HttpResponse::operator=(HttpResponse&& o) noexcept {
  if (this != &o) {
    if (file_fd >= 0) ::close(file_fd);
    status = o.status;
    content_type = std::move(o.content_type);
    headers = std::move(o.headers);
    body = std::move(o.body);
    file_fd = std::exchange(o.file_fd, -1);
    file_size = o.file_size;
  }
  return *this;
}

HttpResponse::~HttpResponse() {
  if (file_fd >= 0) ::close(file_fd);
}

void HttpResponse::set_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

bool parse_target(std::string_view target, const HttpOptions& limits, HttpRequest* r, int* status,
                  std::string* error) {
  if (target.size() > limits.max_target_bytes) {
    *status = 414;
    *error =
        "the request target is longer than " + std::to_string(limits.max_target_bytes) + " bytes";
    return false;
  }
  // Only origin-form ("/path?query") is served; a fragment is never sent.
  if (target.empty() || target[0] != '/') {
    *status = 400;
    *error = "the request target must start with /";
    return false;
  }
  r->target = std::string(target);
  size_t q = target.find('?');
  r->path = std::string(target.substr(0, q));
  r->query = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));
  r->params.clear();
  std::string_view rest = r->query;
  size_t count = 0;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    if (++count > limits.max_params) {
      *status = 400;
      *error = "more than " + std::to_string(limits.max_params) + " query parameters";
      return false;
    }
    // At the first '=': an unencoded "q=a=b" asks for "a=b".
    size_t eq = pair.find('=');
    std::string name = percent_decode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
    r->params.emplace(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace sitegen::serve
