// libFuzzer target: the server's request handling. Each input is sent as
// raw bytes, one connection each, to an HttpServer on a loopback port
// (started once) with routes shaped like the preview's: the search
// parameters' checks, file lookup inside a small tree, an event stream.
// The same bytes are also parsed as a request target directly.
//
// Invariants: nothing crashes (ASan/UBSan watch the server's threads too);
// every answer starts with a well-formed status line; the server always
// answers or closes the connection in bounded time (a hang is a crash);
// nothing outside the tree is ever sent.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "serve/file_server.h"
#include "serve/http_server.h"
#include "serve/live_reload.h"
#include "serve/search_params.h"

namespace fs = std::filesystem;
using namespace sitegen::serve;

namespace {

constexpr std::string_view kSecret = "FUZZ-SECRET-OUTSIDE-THE-ROOT";

struct Fixture {
  fs::path base, root;
  std::unique_ptr<HttpServer> http;
  int port = 0;

  Fixture() {
    base = fs::temp_directory_path() / ("site-gen-http-fuzz-" + std::to_string(::getpid()));
    root = base / "public";
    fs::create_directories(root / "en/search");
    fs::create_directories(root / "css");
    std::ofstream(root / "en/index.html") << "<html><body>en</body></html>";
    std::ofstream(root / "css/site.css") << "body{}";
    std::ofstream(base / "secret.txt") << kSecret;
    std::error_code ec;
    fs::create_symlink(base / "secret.txt", root / "link-out.txt", ec);
    fs::create_directory_symlink(base, root / "dir-out", ec);

    HttpOptions opt;
    opt.threads = 2;
    opt.timeout_seconds = 1;
    opt.max_connections = 32;
    opt.heartbeat = std::chrono::milliseconds(50);
    opt.default_headers = {{"X-Content-Type-Options", "nosniff"}};
    http = std::make_unique<HttpServer>(opt);
    http->events("/__site-gen/events", [](const HttpRequest&) -> EventPoll {
      auto sent = std::make_shared<bool>(false);
      return [sent](std::string* out) {
        if (!*sent) *out += "event: reload\ndata: {}\n\n";
        *sent = true;
        return true;
      };
    });
    http->get("/api/search", [](const HttpRequest& q) {
      sitegen::index::SearchRequest r;
      std::string problem = parse_search_params(q.params, {"en", "fr", "ar"}, &r);
      return HttpResponse(problem.empty() ? 200 : 400, "{\"error\":" + json_string(problem) + "}",
                          "application/json");
    });
    http->get("/.*", [this](const HttpRequest& q) {
      FileLookup found = lookup_file(root, q.target);
      if (found.result == FileLookup::Result::redirect) {
        HttpResponse r(301, "");
        r.set_header("Location", found.location);
        return r;
      }
      if (found.result != FileLookup::Result::found) return HttpResponse(404, "not found\n");
      HttpResponse r;
      r.file_fd = open_inside(root, found.file);
      if (r.file_fd < 0) return HttpResponse(404, "not found\n");
      r.file_size = fs::file_size(found.file);
      return r;
    });
    std::string error;
    if (!http->start(&error)) std::abort();
    port = http->port();
  }
  ~Fixture() {  // at exit
    http->stop();
    std::error_code ec;
    fs::remove_all(base, ec);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

bool is_status_line(std::string_view s) {
  // "HTTP/1.x DDD "
  return s.size() >= 13 && s.substr(0, 7) == "HTTP/1." && (s[7] == '0' || s[7] == '1') &&
         s[8] == ' ' && s[9] >= '1' && s[9] <= '5' &&
         std::isdigit(static_cast<unsigned char>(s[10])) &&
         std::isdigit(static_cast<unsigned char>(s[11])) && s[12] == ' ';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& f = fixture();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // The target parser alone.
  HttpRequest parsed;
  int status = 0;
  std::string error;
  if (parse_target(bytes, HttpOptions{}, &parsed, &status, &error)) {
    if (bytes.substr(0, parsed.path.size()) != parsed.path) std::abort();
  } else if (status != 400 && status != 414) {
    std::abort();
  }

  // The whole server, over a socket.
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(f.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
  size_t sent = 0;
  while (sent < size) {
    ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading everything
    sent += static_cast<size_t>(n);
  }
  // No more bytes: the server must answer or close. (After a pause: a FIN
  // that arrives with the last bytes is noticed by libmicrohttpd 0.9.75's
  // edge-triggered epoll only at the timeout, which would slow every run.)
  ::usleep(1000);
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) __builtin_trap();  // neither answered nor closed: a hang
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[8192];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    if (answer.size() < (1 << 20)) answer.append(buf, static_cast<size_t>(n));
  }
  // Closed with a reset, not a FIN: a closed socket would wait 60 s in
  // TIME_WAIT, and at ~600 runs a second the loopback's ephemeral ports ran
  // out after ~180,000 runs (connect failed).
  linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(fd);
  if (!answer.empty() && !is_status_line(answer)) __builtin_trap();
  if (answer.find(kSecret) != std::string::npos) __builtin_trap();
  return 0;
}
