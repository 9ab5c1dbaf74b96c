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

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
    opt.header_deadline_seconds = 2;  // under the 5 s a run waits for the answer
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

// A failure of the harness, not of the server: said as such.
[[noreturn]] void harness_failed(const char* what) {
  std::fprintf(stderr, "http_request_fuzz: the harness's %s failed: %s\n", what,
               std::strerror(errno));
  std::abort();
}

// A broken invariant of the server: said before the trap, since libFuzzer's
// report of a trap ("deadly signal") does not say which one.
[[noreturn]] void server_failed(const char* what, std::string_view answer) {
  std::fprintf(stderr, "http_request_fuzz: the server %s; its answer began: %.*s\n", what,
               static_cast<int>(std::min<size_t>(answer.size(), 200)), answer.data());
  __builtin_trap();
}

// connect() that survives a signal: libFuzzer's timer (SIGALRM, for
// -timeout) interrupts it now and then, and the connection then goes on
// being made in the background, so it is waited for instead of tried again
// (which would fail with EALREADY).
bool connect_to(int fd, const sockaddr_in& addr) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return true;
  if (errno != EINTR) return false;
  for (;;) {
    pollfd p{fd, POLLOUT, 0};
    int ready = ::poll(&p, 1, 5000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return false;
    errno = error;
    return error == 0;
  }
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
  if (fd < 0) harness_failed("socket");
  // Each run's client comes from another loopback address (127.0.0.2 to
  // 127.0.0.251): the client shuts its side first, so its socket waits 60 s
  // in TIME_WAIT, and one address's ~28,000 ephemeral ports ran out after
  // ~40 s of runs (connect failed).
  static unsigned run = 0;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  from.sin_addr.s_addr = htonl(0x7f000002u + run++ % 250u);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) harness_failed("bind");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(f.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!connect_to(fd, addr)) harness_failed("connect");
  size_t sent = 0;
  while (sent < size) {
    ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
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
    if (left <= 0) server_failed("neither finished its answer nor closed in 5 s", answer);
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[8192];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (answer.size() < (1 << 20)) answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (!answer.empty() && !is_status_line(answer)) server_failed("sent no status line", answer);
  if (answer.find(kSecret) != std::string::npos) server_failed("sent a file outside its root", answer);
  return 0;
}
