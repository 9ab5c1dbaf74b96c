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

#include <atomic>
#include <thread>

#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

// A free port: bind a socket to port 0, read the port, close the socket.
// (An httplib::Server that was only bound left its socket listening, and
// since httplib sets SO_REUSEPORT the kernel handed some of the test's
// connections to that socket, which nobody accepts.)
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

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

  explicit Served(bool watch = true, size_t search_cache = 1024) {
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

TEST_CASE("server: an edit reaches the page and the search; a bad edit keeps the last good site") {
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
