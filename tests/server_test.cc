// The preview server on an ephemeral loopback port: files, traversal,
// search over HTTP, live rebuilds, and a bounded concurrent load.
#include "serve/server.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "serve/search_params.h"
#include "tests/raw_client.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {


const std::map<std::string, std::string> kSite = {
    {"site.yaml", "title: Test\nlanguages: [en, fr, ar]\n"},
    {"content/countries/denmark.yaml", "iso: DK\nstatus: state-party\n"},
    {"content/meetings/msp22/meeting.yaml",
     "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\nend: 2025-12-05\n"},
    {"content/meetings/msp22/report.en.md",
     "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
     "type: final-report\n---\nDenmark reported on stockpile destruction.\n"},
    {"content/pages/about.en.md", "---\ntitle: About\n---\nAbout the Convention.\n"},
};

// A served site in a temporary folder, with a secret file beside the root.
struct Served {
  TempDir dir;
  std::unique_ptr<serve::PreviewServer> server;
  fs::path site() const { return dir.path() / "site"; }

  explicit Served(bool watch = true, size_t search_cache = 1024,
                  const std::function<void(serve::ServeOptions&)>& tune = {}) {
    write_site(site(), kSite);
    write_file(dir.path() / "secret.txt", "top secret");
    write_file(site() / "secret.txt", "site secret");
    serve::ServeOptions opt;
    opt.build.site = site();
    opt.build.as_of = parse_iso_date("2026-01-01");
    opt.build.jobs = 2;
    opt.port = 0;
    opt.watch = watch;
    opt.search_cache = search_cache;
    if (tune) tune(opt);
    server = std::make_unique<serve::PreviewServer>(opt);
    std::string error;
    REQUIRE(server->start(&error));
    // A link out of the published root.
    fs::create_symlink(dir.path() / "secret.txt", site() / "public" / "link-out.txt");
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server->port());
    c.set_read_timeout(5, 0);
    return c;
  }
  // Waits until the server has finished `n` builds (the watcher's included).
  bool wait_builds(size_t n) const {
    for (int i = 0; i < 200 && server->builds() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    return server->builds() >= n;
  }
};

}  // namespace

TEST_CASE("server: serves pages with types, caching and the reload script") {
  Served s(false);
  auto c = s.client();
  auto page = c.Get("/en/meetings/msp22/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->get_header_value("Cache-Control") == "no-cache");
  CHECK(page->body.find("/__site-gen/reload.js") != std::string::npos);
  // The script is the server's: the published file does not have it.
  CHECK(read_file(s.site() / "public/en/meetings/msp22/index.html").find("reload.js") ==
        std::string::npos);
  auto css = c.Get("/css/site.css");
  REQUIRE(css);
  CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
  auto folder = c.Get("/en/meetings");
  REQUIRE(folder);
  CHECK(folder->status == 301);
  CHECK(folder->get_header_value("Location") == "/en/meetings/");
  auto missing = c.Get("/fr/nowhere/");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(missing->body.find("lang=\"fr\"") != std::string::npos);
}

TEST_CASE("server: nothing outside the published root is ever served") {
  Served s(false);
  auto c = s.client();
  for (const char* target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/en/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt", "/..%5csecret.txt", "/%5c..%5csecret.txt", "/en/%00index.html",
        "/link-out.txt", "/../../../../etc/passwd", "//etc/passwd", "/.%2e/secret.txt"}) {
    CAPTURE(target);
    auto r = c.Get(target);
    if (!r) continue;  // the client may refuse to send some forms at all
    CHECK(r->status >= 400);
    CHECK(r->status < 500);
    CHECK(r->body.find("secret") == std::string::npos);
  }
}

TEST_CASE("server: search over HTTP, as JSON and as a page, hostile input included") {
  Served s(false);
  auto c = s.client();
  auto api = c.Get("/api/search?q=stockpile");
  REQUIRE(api);
  CHECK(api->status == 200);
  CHECK(api->get_header_value("Content-Type") == "application/json");
  CHECK(api->body.find("APLC/MSP.22/2025/5") != std::string::npos);
  auto page = c.Get("/en/search/?q=stockpile");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("<mark>") != std::string::npos);
  // The preview's answers hold drafts: no other site's page may read them.
  for (const char* path : {"/api/search?q=stockpile", "/en/search/?q=stockpile"}) {
    auto cross = c.Get(path, {{"Origin", "https://evil.example"}});
    REQUIRE(cross);
    CHECK_FALSE(cross->has_header("Access-Control-Allow-Origin"));
  }
  CHECK(page->body.find("/en/documents/aplc-msp-22-2025-5/") != std::string::npos);
  auto facet = c.Get("/en/search/?q=stockpile&country=DK");
  REQUIRE(facet);
  CHECK(facet->body.find("APLC/MSP.22/2025/5") != std::string::npos);

  for (const char* target :
       {"/api/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/api/search?q=AND%20OR%20(",
        "/api/search?page=-1", "/api/search?page=99999999999", "/api/search?sort=evil",
        "/api/search?lang=xx", "/api/search?country=%00%00", "/api/search?from=yesterday",
        "/api/search?q=%22unclosed", "/api/search?q=*", "/en/search/?q=%3Cscript%3E",
        "/en/search/?page=abc", "/api/search?q=%FF%FE"}) {
    CAPTURE(target);
    auto r = c.Get(target);
    REQUIRE(r);
    CHECK((r->status == 200 || r->status == 400));
    CHECK(r->body.find("<script>alert") == std::string::npos);
    bool is_page = std::string(target).rfind("/en/", 0) == 0;  // pages carry the reload script
    CHECK((is_page || r->body.find("<script>") == std::string::npos));
  }
  std::string long_query = "/api/search?q=" + std::string(5000, 'a');
  auto r = c.Get(long_query.c_str());
  REQUIRE(r);
  CHECK(r->status == 400);
}

TEST_CASE("server: an edit reaches the page and the search, a bad edit keeps the last good site") {
  Served s(true);
  auto c = s.client();
  size_t before = s.server->builds();
  write_file(s.site() / "content/meetings/msp22/report.en.md",
             "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
             "type: final-report\n---\nDenmark reported on Quetzalcoatlite.\n");
  REQUIRE(s.wait_builds(before + 1));
  auto page = c.Get("/en/documents/aplc-msp-22-2025-5/");
  REQUIRE(page);
  CHECK(page->body.find("Quetzalcoatlite") != std::string::npos);
  auto found = c.Get("/api/search?q=Quetzalcoatlite");
  REQUIRE(found);
  CHECK(found->body.find("\"total\":1") != std::string::npos);

  before = s.server->builds();
  write_file(s.site() / "content/meetings/msp22/report.en.md", "---\nsymbol: broken\n");
  REQUIRE(s.wait_builds(before + 1));
  auto still = c.Get("/en/documents/aplc-msp-22-2025-5/");
  REQUIRE(still);
  CHECK(still->status == 200);
  CHECK(still->body.find("Quetzalcoatlite") != std::string::npos);
  auto status = c.Get("/__site-gen/status");
  REQUIRE(status);
  CHECK(status->body.find("report.en.md:") != std::string::npos);

  before = s.server->builds();
  write_file(s.site() / "content/meetings/msp22/report.en.md",
             "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
             "type: final-report\n---\nRecovered text.\n");
  REQUIRE(s.wait_builds(before + 1));
  CHECK(c.Get("/__site-gen/status")->body == "{\"errors\":[]}");
  CHECK(c.Get("/en/documents/aplc-msp-22-2025-5/")->body.find("Recovered") != std::string::npos);
}

TEST_CASE("server: a kept search answer is not served after an edit and its rebuild") {
  for (size_t cache : {size_t(1024), size_t(0)}) {
    CAPTURE(cache);
    Served s(true, cache);
    auto c = s.client();
    const char* api = "/api/search?q=Quetzalcoatlite";
    const char* page = "/en/search/?q=Quetzalcoatlite";
    const std::string url = "/en/documents/aplc-msp-22-2025-5/";
    std::string first_api, first_page;
    for (int i = 0; i < 2; ++i) {  // the second time from the cache, if any
      auto a = c.Get(api);
      auto p = c.Get(page);
      REQUIRE(a);
      REQUIRE(p);
      CHECK(a->body.find("\"total\":0") != std::string::npos);
      CHECK(p->status == 200);
      CHECK(p->body.find(url) == std::string::npos);
      if (i == 0) first_api = a->body, first_page = p->body;
      CHECK(a->body == first_api);
      CHECK(p->body == first_page);
    }
    size_t before = s.server->builds();
    write_file(s.site() / "content/meetings/msp22/report.en.md",
               "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
               "type: final-report\n---\nDenmark reported on Quetzalcoatlite.\n");
    REQUIRE(s.wait_builds(before + 1));
    auto a = c.Get(api);
    REQUIRE(a);
    CHECK(a->body.find("\"total\":1") != std::string::npos);
    auto p = c.Get(page);
    REQUIRE(p);
    CHECK(p->body.find(url) != std::string::npos);
    CHECK(p->body.find("<mark>Quetzalcoatlite</mark>") != std::string::npos);
  }
}

TEST_CASE("server: concurrent pages and searches on loopback, with no errors") {
  Served s(false);
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 16; ++t)
    clients.emplace_back([&, t] {
      auto c = s.client();
      for (int i = 0; i < 25; ++i) {
        auto r = (i + t) % 2 ? c.Get("/api/search?q=denmark") : c.Get("/en/meetings/msp22/");
        (r && r->status == 200 ? ok : failed)++;
      }
    });
  std::thread rebuild([&] { s.server->rebuild(); });  // a rebuild while serving
  for (auto& t : clients) t.join();
  rebuild.join();
  CHECK(failed == 0);
  CHECK(ok == 16 * 25);
}

TEST_CASE("server: `site-gen serve` stops cleanly on SIGTERM and SIGINT, event streams open") {
  for (int sig : {SIGTERM, SIGINT}) {
    CAPTURE(sig);
    TempDir dir;
    write_site(dir.path(), kSite);
    int port = free_port();
    REQUIRE(port > 0);
    std::string port_s = std::to_string(port), site_s = dir.path().string();
    const char* argv[] = {SITE_GEN_BINARY, "serve", "--site", site_s.c_str(), "--port",
                          port_s.c_str(), nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, SITE_GEN_BINARY, nullptr, nullptr, const_cast<char**>(argv),
                        environ) == 0);
    httplib::Client c("127.0.0.1", port);
    bool up = false;
    for (int i = 0; i < 200 && !up; ++i) {
      auto r = c.Get("/en/");
      up = r && r->status == 200;
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(up);
    std::thread stream([port] {
      httplib::Client events("127.0.0.1", port);
      events.set_read_timeout(10, 0);
      events.Get("/__site-gen/events", [](const char*, size_t) { return true; });
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    kill(pid, sig);
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 100 && !reaped; ++i) {
      reaped = waitpid(pid, &status, WNOHANG) == pid;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!reaped) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    stream.join();
    CHECK(reaped);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}

// ---- many clients, slow clients, gone clients (issue 10, point 6)

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// An open socket closed when the test ends.
struct Socket {
  int fd = -1;
  explicit Socket(int f) : fd(f) {}
  Socket(Socket&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Socket& operator=(Socket&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

// Opens a live-reload stream and reads its headers.
Socket open_stream(int port, bool* ok) {
  Socket s(connect_loopback(port));
  *ok = s.fd >= 0 && send_all(s.fd, "GET /__site-gen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") &&
        read_until(s.fd, "\r\n\r\n", milliseconds(1000)).find("text/event-stream") !=
            std::string::npos;
  return s;
}

// GET `target` with a fresh client; the time it took, or -1 if it failed.
double timed_get(int port, const char* target, int* status = nullptr) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(3, 0);
  c.set_read_timeout(3, 0);
  auto start = Clock::now();
  auto r = c.Get(target);
  if (!r) return -1;
  if (status) *status = r->status;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool eventually(const std::function<bool()>& done, milliseconds within) {
  auto deadline = Clock::now() + within;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

}  // namespace

TEST_CASE("server: 48 open live-reload streams hold no thread: pages answer, and all reload") {
  Served s(false);
  std::vector<Socket> streams;
  int opened = 0;
  for (int i = 0; i < 48; ++i) {
    bool ok = false;
    streams.push_back(open_stream(s.server->port(), &ok));
    opened += ok;
  }
  CHECK(opened == 48);
  int status = 0;
  double took = timed_get(s.server->port(), "/en/", &status);
  CHECK(status == 200);
  CHECK(took >= 0);
  CHECK(took < 1.0);
  CHECK(s.server->streams() == 48);
  s.server->rebuild();
  int reloaded = 0;
  for (auto& st : streams)
    reloaded += read_until(st.fd, "event: reload", milliseconds(2000)).find("event: reload") !=
                std::string::npos;
  CHECK(reloaded == 48);
}

TEST_CASE(
    "server: idle keep-alive and slow-header clients block nobody, and slow ones are dropped") {
  Served s(false, 1024, [](serve::ServeOptions& o) { o.connection_timeout = 2; });
  const int port = s.server->port();
  std::vector<Socket> idle, slow;
  for (int i = 0; i < 40; ++i) {
    idle.emplace_back(connect_loopback(port));
    REQUIRE(send_all(idle.back().fd, "GET /__site-gen/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    CHECK(read_until(idle.back().fd, "{\"errors\":[]}", milliseconds(1000)).find("200 OK") !=
          std::string::npos);
  }
  for (int i = 0; i < 48; ++i) {
    slow.emplace_back(connect_loopback(port));
    REQUIRE(send_all(slow.back().fd, "GET /en/ HT"));  // half a request line, then nothing
  }
  int status = 0;
  double took = timed_get(port, "/en/meetings/msp22/", &status);
  CHECK(status == 200);
  CHECK(took >= 0);
  CHECK(took < 1.0);
  // Dropped after the timeout (2 s here), the idle ones with them.
  auto start = Clock::now();
  int dropped = 0;
  for (auto& c : slow) {
    bool closed = false;
    read_to_close(c.fd, milliseconds(5000), &closed);
    dropped += closed;
  }
  CHECK(dropped == 48);
  CHECK(std::chrono::duration<double>(Clock::now() - start).count() < 5.0);
  bool idle_closed = false;
  read_to_close(idle.front().fd, milliseconds(3000), &idle_closed);
  CHECK(idle_closed);
}

TEST_CASE("server: above the connection limit a request is answered 503, not kept waiting") {
  Served s(false, 1024, [](serve::ServeOptions& o) { o.max_connections = 8; });
  const int port = s.server->port();
  std::vector<Socket> held;
  for (int i = 0; i < 8; ++i) {
    held.emplace_back(connect_loopback(port));
    REQUIRE(send_all(held.back().fd, "GET /__site-gen/status HTTP/1.1\r\nHost: x\r\n\r\n"));
    CHECK(read_until(held.back().fd, "{\"errors\":[]}", milliseconds(1000)).find("200 OK") !=
          std::string::npos);
  }
  Socket extra(connect_loopback(port));
  REQUIRE(send_all(extra.fd, "GET /en/ HTTP/1.1\r\nHost: x\r\n\r\n"));
  bool closed = false;
  std::string answer = read_to_close(extra.fd, milliseconds(2000), &closed);
  CAPTURE(answer);
  CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(closed);
  held.erase(held.begin() + 4, held.end());
  REQUIRE(eventually([&] { return s.server->connections() <= 4; }, milliseconds(2000)));
  int status = 0;
  CHECK(timed_get(port, "/en/", &status) >= 0);
  CHECK(status == 200);
}

// Silent connections (a flood, or tabs that never send) fill the limit
// before any request says which they are: well past it, a new request is
// still refused at once rather than left in the listen queue.
TEST_CASE("server: ten times the connection limit of silent clients, a request still gets 503 at once") {
  Served s(false, 1024, [](serve::ServeOptions& o) { o.max_connections = 8; });
  const int port = s.server->port();
  std::vector<Socket> silent;
  for (int i = 0; i < 80; ++i) silent.emplace_back(connect_loopback(port));
  REQUIRE(eventually([&] { return s.server->connections() >= 80; }, milliseconds(2000)));
  Socket extra(connect_loopback(port));
  REQUIRE(send_all(extra.fd, "GET /en/ HTTP/1.1\r\nHost: x\r\n\r\n"));
  bool closed = false;
  std::string answer = read_to_close(extra.fd, milliseconds(1000), &closed);
  CAPTURE(answer);
  CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
}

TEST_CASE("server: a closed live-reload stream is closed on the server side within seconds") {
  Served s(false, 1024, [](serve::ServeOptions& o) { o.stream_heartbeat = milliseconds(300); });
  const int port = s.server->port();
  {
    std::vector<Socket> streams;
    for (int i = 0; i < 6; ++i) {
      bool ok = false;
      streams.push_back(open_stream(port, &ok));
      REQUIRE(ok);
    }
    REQUIRE(s.server->streams() == 6);
  }  // the tabs close
  CHECK(eventually([&] { return s.server->streams() == 0; }, milliseconds(3000)));
  CHECK(eventually([&] { return sockets_in_state(port, "08") == 0; }, milliseconds(3000)));

  // A client that only shuts its sending side is gone too.
  bool ok = false;
  Socket half = open_stream(port, &ok);
  REQUIRE(ok);
  ::shutdown(half.fd, SHUT_WR);
  bool closed = false;
  read_to_close(half.fd, milliseconds(3000), &closed);
  CHECK(closed);
}

TEST_CASE("server: the search cache stays within its byte budget under junk requests") {
  const size_t budget = 256 * 1024;
  Served s(false, 1024, [&](serve::ServeOptions& o) { o.search_cache_bytes = budget; });
  auto c = s.client();
  const std::string junk(3000, 'j');
  auto plain = c.Get("/en/search/?q=stockpile");
  REQUIRE(plain);
  auto junked = c.Get(("/en/search/?q=stockpile&junk=" + junk + "&x" + junk + "=1").c_str());
  REQUIRE(junked);
  CHECK(junked->status == 200);
  CHECK(junked->body == plain->body);  // junk parameters are not carried in the links
  for (int i = 0; i < 1100; ++i) {
    std::string target = "/" + std::string(i % 2 ? "en/search/" : "api/search") + "?q=w" +
                         std::to_string(i) + "&junk" + std::to_string(i) + "=" + junk;
    auto r = c.Get(target.c_str());
    REQUIRE(r);
    CHECK(r->status == 200);
    REQUIRE(s.server->search_cache_bytes() <= budget);
  }
  CHECK(s.server->search_cache_bytes() > 0);
}

TEST_CASE("server: a folder link out of the published root is never followed") {
  Served s(false);
  write_file(s.dir.path() / "etc/hostname", "secret-host");
  fs::create_directory_symlink(s.dir.path() / "etc", s.site() / "public" / "annex");
  auto c = s.client();
  for (const char* target : {"/annex/hostname", "/annex/", "/annex"}) {
    CAPTURE(target);
    auto r = c.Get(target);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(r->body.find("secret-host") == std::string::npos);
  }
}

// ---- small server issues (issue 10, point 10)

TEST_CASE("server: an unencoded '=' in a parameter's value is part of the value") {
  Served s(false);
  auto c = s.client();
  auto api = c.Get("/api/search?q=a=b");
  REQUIRE(api);
  CHECK(api->status == 200);
  CHECK(api->body.find("\"query\":\"a=b\"") != std::string::npos);
  auto page = c.Get("/en/search/?q=a=b");
  REQUIRE(page);
  CHECK(page->body.find("value=\"a=b\"") != std::string::npos);
}

TEST_CASE("server: from and to must be real dates") {
  Served s(false);
  auto c = s.client();
  for (const char* bad :
       {"from=2025-13-45", "to=2025-02-30", "from=2025-00", "to=2023-02-29", "from=2025-04-31"}) {
    CAPTURE(bad);
    auto r = c.Get((std::string("/api/search?") + bad).c_str());
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->body.find("is not a real date") != std::string::npos);
    auto page = c.Get((std::string("/en/search/?q=x&") + bad).c_str());
    REQUIRE(page);
    CHECK(page->status == 400);
    // The page says why, not only "no results".
    CHECK(page->body.find("class=\"search-error\" role=\"alert\">This search could not be run:") !=
          std::string::npos);
    CHECK(page->body.find("is not a real date") != std::string::npos);
  }
  auto fr = c.Get("/fr/search/?q=x&from=2025-13-45");
  REQUIRE(fr);
  CHECK(fr->body.find("Cette recherche n’a pas pu être effectuée") != std::string::npos);
  for (const char* good : {"from=2024-02-29", "to=2025-12", "from=2025", "to=2025-12-31"}) {
    CAPTURE(good);
    auto r = c.Get((std::string("/api/search?") + good).c_str());
    REQUIRE(r);
    CHECK(r->status == 200);
  }
}

TEST_CASE("server: invalid UTF-8 in q is refused and never echoed raw") {
  Served s(false);
  auto c = s.client();
  auto api = c.Get("/api/search?q=%FF%FEabc");
  REQUIRE(api);
  CHECK(api->status == 400);
  CHECK(api->body.find("not valid UTF-8") != std::string::npos);
  CHECK(serve::valid_utf8(api->body));
  auto page = c.Get("/en/search/?q=%C0%AFx%FFy");
  REQUIRE(page);
  CHECK(page->status == 400);
  CHECK(serve::valid_utf8(page->body));
  CAPTURE(page->body.substr(page->body.find("value=")));
  CHECK(page->body.find("value=\"\xEF\xBF\xBD\xEF\xBF\xBDx\xEF\xBF\xBDy\"") != std::string::npos);
  // Raw bytes in the request line, not even percent-encoded.
  Socket raw(connect_loopback(s.server->port()));
  REQUIRE(send_all(
      raw.fd, "GET /en/search/?q=\xFF\xFE\"<x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  bool closed = false;
  std::string answer = read_to_close(raw.fd, milliseconds(2000), &closed);
  CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(answer.find('\xFF') == std::string::npos);
  CHECK(answer.find("\"<x") == std::string::npos);
}

TEST_CASE("server: a POST with a huge body is answered at once, its body never read") {
  Served s(false);
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    CAPTURE(method);
    Socket c(connect_loopback(s.server->port()));
    auto start = Clock::now();
    REQUIRE(send_all(c.fd, std::string(method) +
                               " /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 100000000\r\n\r\nabc"));
    bool closed = false;
    std::string answer = read_to_close(c.fd, milliseconds(2000), &closed);
    CHECK(answer.rfind("HTTP/1.1 405", 0) == 0);
    CHECK(answer.find("Allow: GET, HEAD") != std::string::npos);
    CHECK(closed);
    CHECK(std::chrono::duration<double>(Clock::now() - start).count() < 1.0);
  }
}

TEST_CASE("server: HTTP/1.0 gets no keep-alive and a closed connection, HTTP/1.1 keeps it") {
  Served s(false);
  Socket old(connect_loopback(s.server->port()));
  REQUIRE(send_all(old.fd, "GET /en/ HTTP/1.0\r\n\r\n"));
  bool closed = false;
  std::string answer = read_to_close(old.fd, milliseconds(2000), &closed);
  CHECK(answer.find(" 200 ") != std::string::npos);
  CHECK(closed);
  std::string head = answer.substr(0, answer.find("\r\n\r\n"));
  std::transform(head.begin(), head.end(), head.begin(), ::tolower);
  CHECK(head.find("keep-alive") == std::string::npos);
  CHECK(head.find("x-content-type-options: nosniff") != std::string::npos);

  // HTTP/1.1: 100 answers on one connection, quickly (TCP_NODELAY: no
  // 40 ms wait per answer for Nagle's algorithm).
  auto c = s.client();
  c.set_keep_alive(true);
  auto start = Clock::now();
  for (int i = 0; i < 100; ++i) {
    auto r = c.Get("/__site-gen/status");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  CHECK(s.server->connections() == 1);
  CHECK(std::chrono::duration<double>(Clock::now() - start).count() < 2.0);
  Socket one(connect_loopback(s.server->port()));
  REQUIRE(send_all(one.fd,
                   "GET /__site-gen/status HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /__site-gen/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string both = read_until(one.fd, "}HTTP", milliseconds(1000));
  both += read_until(one.fd, "}", milliseconds(1000));
  size_t first = both.find("HTTP/1.1 200"), second = both.find("HTTP/1.1 200", first + 1);
  CHECK(first != std::string::npos);
  CAPTURE(both);
  CHECK(second != std::string::npos);
}

TEST_CASE("server: pages answer 200 through rebuilds, each request from one generation") {
  // The file is looked up and opened in the same resolved tree: a build
  // that publishes in between must not turn a page into a 404.
  Served s(false);
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&] {
      auto c = s.client();
      while (!done) {
        auto r = c.Get("/en/meetings/msp22/");
        (r && r->status == 200 ? ok : failed)++;
      }
    });
  for (int i = 0; i < 12; ++i) s.server->rebuild();
  done = true;
  for (auto& t : clients) t.join();
  CHECK(failed == 0);
  CHECK(ok > 100);
}

TEST_CASE("server: the search page without its slash redirects to it, with its query") {
  Served s(false);
  auto c = s.client();
  auto r = c.Get("/fr/search?q=mines");
  REQUIRE(r);
  CHECK(r->status == 301);
  CHECK(r->get_header_value("Location") == "/fr/search/?q=mines");
  auto none = c.Get("/de/search");  // not a language of the site
  REQUIRE(none);
  CHECK(none->status == 404);
}
