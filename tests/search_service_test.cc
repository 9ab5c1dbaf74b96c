// The search service (`site-gen search-server`) on loopback, from a site
// built in a temporary folder whose content is then removed: JSON and page
// answers in two languages, a new build appearing without a restart, the
// health check, the access log, HEAD, the signals, and that it writes
// nothing into what it serves.
#include "serve/search_service.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "site-gen/build.h"
#include "site-gen/date.h"
#include "site-gen/search_template.h"
#include "tests/raw_client.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string> kSite = {
    {"site.yaml", "title: { en: Test site, fr: Site d'essai }\nlanguages: [en, fr, ar]\n"},
    {"content/countries/denmark.yaml", "iso: DK\nstatus: state-party\n"},
    {"content/meetings/msp22/meeting.yaml",
     "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\nend: 2025-12-05\n"},
    {"content/meetings/msp22/report.en.md",
     "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
     "type: final-report\n---\nDenmark reported on stockpile destruction.\n"},
    {"content/meetings/msp22/report.fr.md",
     "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Rapport final\ndate: 2025-12-05\n"
     "type: final-report\n---\nLe Danemark a fait rapport sur la destruction des stocks.\n"},
    {"content/pages/about.en.md", "---\ntitle: About\n---\nAbout the Convention.\n"},
};

// A site built into `dir/out` (its index beside it), with its content
// folder removed afterwards unless `keep_site`.
struct Published {
  TempDir dir;
  fs::path site() const { return dir.path() / "site"; }
  fs::path out() const { return dir.path() / "out"; }
  fs::path index() const { return dir.path() / "out-index"; }

  // `changes` replace files of kSite.
  explicit Published(const std::map<std::string, std::string>& changes = {}) {
    auto files = kSite;
    for (const auto& [k, v] : changes) files[k] = v;
    write_site(site(), files);
    build();
  }
  void build() {
    BuildOptions opt;
    opt.site = site();
    opt.out = out();
    opt.as_of = parse_iso_date("2026-01-01");
    opt.jobs = 2;
    BuildReport r = build_site(opt);
    for (const auto& d : r.diags.items()) MESSAGE(d.str());
    REQUIRE(r.ok());
  }
};

// Every file and folder under `root` with its modification time and size.
std::map<std::string, std::pair<long long, long long>> snapshot(const fs::path& root) {
  std::map<std::string, std::pair<long long, long long>> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    struct stat st;
    if (::lstat(it->path().c_str(), &st) == 0)
      out[it->path().string()] = {
          static_cast<long long>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
          static_cast<long long>(st.st_size)};
  }
  return out;
}

struct Service {
  std::unique_ptr<serve::SearchService> service;
  Service(const Published& p, const std::function<void(serve::SearchServiceOptions&)>& tune = {}) {
    serve::SearchServiceOptions opt;
    opt.out = p.out();
    opt.index = p.index();
    opt.port = 0;
    opt.threads = 4;
    if (tune) tune(opt);
    service = std::make_unique<serve::SearchService>(opt);
    std::string error;
    REQUIRE_MESSAGE(service->start(&error), error);
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", service->port());
    c.set_read_timeout(5, 0);
    return c;
  }
};

// A child process of the site-gen binary, killed if the test leaves early.
struct Child {
  pid_t pid = 0;
  explicit Child(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid, SITE_GEN_BINARY, nullptr, nullptr, argv.data(), environ) == 0);
  }
  // The exit status, or -1 if it did not end within `ms`.
  int wait_exit(int ms) {
    int status = 0;
    for (int i = 0; i < ms / 20; ++i) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        pid = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  ~Child() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

bool wait_up(int port) {
  httplib::Client c("127.0.0.1", port);
  for (int i = 0; i < 200; ++i) {
    if (auto r = c.Get("/healthz"); r && r->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

}  // namespace

TEST_CASE("search service: JSON and results pages in two languages, without the site's content") {
  Published p;
  fs::remove_all(p.site());  // it must need only what the build published
  Service s(p);
  auto c = s.client();

  auto api = c.Get("/api/search?q=stockpile");
  REQUIRE(api);
  CHECK(api->status == 200);
  CHECK(api->get_header_value("Content-Type") == "application/json");
  CHECK(api->body.find("\"total\":1") != std::string::npos);
  CHECK(api->body.find("APLC/MSP.22/2025/5") != std::string::npos);

  auto en = c.Get("/en/search/?q=stockpile");
  REQUIRE(en);
  CHECK(en->status == 200);
  CHECK(en->body.find("<html lang=\"en\" dir=\"ltr\">") != std::string::npos);
  CHECK(en->body.find("Final report") != std::string::npos);
  CHECK(en->body.find("<mark>") != std::string::npos);
  CHECK(en->body.find("value=\"stockpile\"") != std::string::npos);
  CHECK(en->body.find("Test site") != std::string::npos);  // the site's data, filled at build
  CHECK(en->body.find("Denmark") != std::string::npos);    // a facet label
  CHECK(en->body.find("\x01") == std::string::npos);

  auto fr = c.Get("/fr/search/?q=destruction");
  REQUIRE(fr);
  CHECK(fr->status == 200);
  CHECK(fr->body.find("<html lang=\"fr\"") != std::string::npos);
  CHECK(fr->body.find("Rapport final") != std::string::npos);
  CHECK(fr->body.find("Danemark") != std::string::npos);  // the facet label in French
  CHECK(fr->body.find("Site d&apos;essai") != std::string::npos);

  auto ar = c.Get("/ar/search/?q=stockpile");
  REQUIRE(ar);
  CHECK(ar->body.find("dir=\"rtl\"") != std::string::npos);

  // No query: the form alone, as the static page has it.
  auto form = c.Get("/en/search/");
  REQUIRE(form);
  CHECK(form->status == 200);
  CHECK(form->body.find("result-list") == std::string::npos);
  auto bare = c.Get("/en/search?q=x");
  REQUIRE(bare);
  CHECK(bare->status == 301);
  CHECK(bare->get_header_value("Location") == "/en/search/?q=x");
  auto bad = c.Get("/api/search?lang=xx");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  // Without --static the pages are not served.
  auto page = c.Get("/en/");
  REQUIRE(page);
  CHECK(page->status == 404);
}

TEST_CASE("search service: the same results page as the preview server renders") {
  // Both render from the published search page: the HTML of a search is
  // the same bytes but for the preview's live reload script.
  Published p;
  Service s(p);
  auto c = s.client();
  auto page = c.Get("/en/search/?q=stockpile&country=DK");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("aria-current=\"true\" class=\"selected\">Denmark") != std::string::npos);
  CHECK(page->body.find("__site-gen") == std::string::npos);
}

TEST_CASE("search service: a new build is answered within a second, with no restart") {
  Published p;
  Service s(p);
  auto c = s.client();
  auto before = c.Get("/api/search?q=Quetzalcoatlite");
  REQUIRE(before);
  CHECK(before->body.find("\"total\":0") != std::string::npos);
  write_file(p.site() / "content/pages/rare.en.md",
             "---\ntitle: Rare\n---\nQuetzalcoatlite is a rare mineral.\n");
  p.build();
  auto built = std::chrono::steady_clock::now();
  bool found = false;
  while (!found && std::chrono::steady_clock::now() - built < std::chrono::seconds(1)) {
    auto r = c.Get("/api/search?q=Quetzalcoatlite");
    found = r && r->body.find("\"total\":1") != std::string::npos;
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(found);
  CHECK(s.service->generations() == 2);
  auto page = c.Get("/en/search/?q=Quetzalcoatlite");
  REQUIRE(page);
  CHECK(page->body.find("Rare") != std::string::npos);
}

TEST_CASE("search service: healthz, HEAD, static files inside the root only") {
  Published p;
  write_file(p.dir.path() / "secret.txt", "top secret");
  Service s(p, [](serve::SearchServiceOptions& o) { o.serve_static = true; });
  auto c = s.client();
  auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body == "ok\n");
  auto head = c.Head("/api/search?q=stockpile");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  auto home = c.Get("/en/");
  REQUIRE(home);
  CHECK(home->status == 200);
  CHECK(home->body.find("<html") != std::string::npos);
  auto missing = c.Get("/en/no-such-page/");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  for (const char* escape : {"/../secret.txt", "/%2e%2e/secret.txt", "/.site-gen/search/en"}) {
    CAPTURE(escape);
    auto r = c.Get(escape);
    REQUIRE(r);
    CHECK(r->status != 200);
    CHECK(r->body.find("top secret") == std::string::npos);
  }
}

TEST_CASE("search service: writes nothing into the tree, the index or their store") {
  Published p;
  fs::remove_all(p.site());
  auto before = snapshot(p.dir.path());
  {
    Service s(p, [](serve::SearchServiceOptions& o) { o.serve_static = true; });
    auto c = s.client();
    for (const char* target : {"/api/search?q=stockpile", "/en/search/?q=stockpile",
                               "/fr/search/?q=destruction&page=2", "/en/", "/healthz"})
      CHECK(c.Get(target));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a poll or more
  }
  CHECK(snapshot(p.dir.path()) == before);
}

TEST_CASE("search service: access log lines in the common log format") {
  auto when = std::chrono::system_clock::from_time_t(1764597300);  // 2025-12-01 13:55:00 UTC
  CHECK(
      serve::access_log_line("127.0.0.1", when, "GET", "/api/search?q=a", "HTTP/1.1", 200, 1234) ==
      "127.0.0.1 - - [01/Dec/2025:13:55:00 +0000] \"GET /api/search?q=a HTTP/1.1\" 200 1234\n");
  CHECK(serve::access_log_line("::1", when, "HEAD", "/\"x\n", "HTTP/1.0", 404, 0) ==
        "::1 - - [01/Dec/2025:13:55:00 +0000] \"HEAD /\\x22x\\x0a HTTP/1.0\" 404 -\n");

  Published p;
  fs::path log = p.dir.path() / "access.log";
  {
    Service s(p, [&](serve::SearchServiceOptions& o) { o.access_log = log.string(); });
    auto c = s.client();
    c.Get("/api/search?q=stockpile");
    c.Get("/nothing");
  }
  std::string text = read_file(log);
  CHECK(count(text, "\n") == 2);
  CHECK(text.rfind("127.0.0.1 - - [", 0) == 0);
  CHECK(text.find("] \"GET /api/search?q=stockpile HTTP/1.1\" 200 ") != std::string::npos);
  CHECK(text.find("\"GET /nothing HTTP/1.1\" 404 ") != std::string::npos);
}

TEST_CASE("search service: SIGHUP reopens the log, SIGTERM and SIGINT stop it") {
  Published p;
  for (int stop_signal : {SIGTERM, SIGINT}) {
    CAPTURE(stop_signal);
    fs::path log = p.dir.path() / "access.log", moved = p.dir.path() / "access.log.1";
    fs::remove(log);
    fs::remove(moved);
    int port = free_port();
    Child child({SITE_GEN_BINARY, "search-server", "--out", p.out().string(), "--index",
                 p.index().string(), "--port", std::to_string(port), "--access-log", log.string()});
    REQUIRE(wait_up(port));
    httplib::Client c("127.0.0.1", port);
    c.Get("/api/search?q=first");
    fs::rename(log, moved);  // as logrotate does
    kill(child.pid, SIGHUP);
    bool reopened = false;
    for (int i = 0; i < 100 && !reopened; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      reopened = fs::exists(log);
    }
    REQUIRE(reopened);
    c.Get("/api/search?q=second");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(read_file(moved).find("q=first") != std::string::npos);
    CHECK(read_file(log).find("q=second") != std::string::npos);
    CHECK(read_file(log).find("q=first") == std::string::npos);
    kill(child.pid, stop_signal);
    CHECK(child.wait_exit(5000) == 0);
  }
}

TEST_CASE("search service: refuses to start on a tree without search pages") {
  TempDir dir;
  fs::create_directories(dir.path() / "out");
  fs::create_directories(dir.path() / "out-index");
  serve::SearchServiceOptions opt;
  opt.out = dir.path() / "out";
  opt.index = dir.path() / "out-index";
  opt.port = 0;
  serve::SearchService s(opt);
  std::string error;
  CHECK_FALSE(s.start(&error));
  CHECK(error.find("search pages") != std::string::npos);
}

TEST_CASE(
    "search template: an inverted section of a search key at the top is kept for the server") {
  Published p;
  write_file(p.site() / "layouts/search.mustache",
             "<html lang=\"{{lang}}\"><title>{{site_title}} {{{t.search_button}}}</title>"
             "{{^results}}<p>NONE {{t.no_results}}</p>{{/results}}"
             "{{#results}}<a href=\"{{url}}\">{{title}}</a>{{/results}}"
             "<input value=\"{{query}}\"> {{{query}}}</html>\n");
  p.build();
  Service s(p);
  auto c = s.client();
  auto hit = c.Get("/en/search/?q=%3Cb%3Estockpile");
  REQUIRE(hit);
  CHECK(hit->body.find("NONE") != std::string::npos);  // no results: "<b>stockpile" finds none
  CHECK(hit->body.find("value=\"&lt;b&gt;stockpile\"") != std::string::npos);
  CHECK(hit->body.find("> <b>stockpile</html>") != std::string::npos);  // {{{query}}} as written
  CHECK(hit->body.find("<title>Test site ") != std::string::npos);
  auto found = c.Get("/en/search/?q=stockpile");
  REQUIRE(found);
  CHECK(found->body.find("NONE") == std::string::npos);
  CHECK(found->body.find(">Final report</a>") != std::string::npos);
}

TEST_CASE("cgi: site-gen run as a CGI program answers one search from the published site") {
  Published p;
  fs::remove_all(p.site());
  auto cgi = [&](const std::string& method, const std::string& path, const std::string& query) {
    return run_command("env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=" + method +
                       " SERVER_PROTOCOL=HTTP/1.1 PATH_INFO='" + path + "' QUERY_STRING='" +
                       query + "' SITE_GEN_OUT='" + p.out().string() + "' SITE_GEN_INDEX='" +
                       p.index().string() + "' " + SITE_GEN_BINARY);
  };
  auto api = cgi("GET", "/api/search", "q=stockpile");
  CHECK(api.exit_code == 0);
  CHECK(api.output.rfind("Status: 200\r\nContent-Type: application/json\r\n", 0) == 0);
  CHECK(api.output.find("\r\n\r\n{\"query\":\"stockpile\"") != std::string::npos);
  CHECK(api.output.find("\"total\":1") != std::string::npos);
  auto fr = cgi("GET", "/fr/search/", "q=destruction");
  CHECK(fr.output.rfind("Status: 200\r\nContent-Type: text/html; charset=utf-8\r\n", 0) == 0);
  CHECK(fr.output.find("Rapport final") != std::string::npos);
  CHECK(fr.output.find("Danemark") != std::string::npos);
  auto head = cgi("HEAD", "/api/search", "q=stockpile");
  CHECK(head.output.rfind("Status: 200\r\n", 0) == 0);
  CHECK(head.output.find("total") == std::string::npos);
  CHECK(cgi("GET", "/healthz", "").output.rfind("Status: 200\r\n", 0) == 0);
  CHECK(cgi("GET", "/api/search", "lang=xx").output.rfind("Status: 400\r\n", 0) == 0);
  CHECK(cgi("GET", "/etc/passwd", "").output.rfind("Status: 404\r\n", 0) == 0);
  CHECK(cgi("POST", "/api/search", "").output.rfind("Status: 405\r\n", 0) == 0);
  // Without the published site: a 503, and the reason on stderr (the server's log).
  auto none = run_command("env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET "
                          "PATH_INFO=/api/search QUERY_STRING=q=x SITE_GEN_OUT=/nonexistent " +
                          std::string(SITE_GEN_BINARY));
  CHECK(none.output.find("Status: 503\r\n") != std::string::npos);
}

TEST_CASE("cgi: site-gen-cgi answers the same JSON and pages as the search service") {
  // The small CGI executable links only the search side of the library; it
  // must give the same bytes as the service for the same request.
  Published p;
  Service s(p);
  auto c = s.client();
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"/api/search", "q=stockpile"},        {"/api/search", "q=destruction&lang=fr"},
      {"/en/search/", "q=stockpile"},        {"/fr/search/", "q=destruction"},
      {"/ar/search/", "q=stockpile"},        {"/en/search/", ""},
      {"/api/search", "q=report&sort=date"},
      // The JSON reads the language list from its lang's page where it can:
      // not a language of the site, not a name, outside the tree.
      {"/api/search", "q=stockpile&lang=ar"}, {"/api/search", "q=stockpile&lang=xx"},
      {"/api/search", "q=stockpile&lang=..%2F..%2Fen"}, {"/api/search", "q=stockpile&lang=.hidden"},
      {"/api/search", "q=stockpile&lang=en%00x"},
  };
  for (const auto& [path, query] : requests) {
    CAPTURE(path);
    CAPTURE(query);
    auto served = c.Get(path + (query.empty() ? "" : "?" + query));
    REQUIRE(served);
    auto cgi =
        run_command("env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO='" + path +
                    "' QUERY_STRING='" + query + "' SITE_GEN_OUT='" + p.out().string() +
                    "' SITE_GEN_INDEX='" + p.index().string() + "' " + SITE_GEN_CGI_BINARY);
    CHECK(cgi.exit_code == 0);
    CHECK(cgi.output.rfind("Status: " + std::to_string(served->status) + "\r\n", 0) == 0);
    size_t body = cgi.output.find("\r\n\r\n");
    REQUIRE(body != std::string::npos);
    CHECK(cgi.output.substr(body + 4) == served->body);
  }
}

TEST_CASE("search service: pages of the site's origin and of --allow-origin may read answers from another host") {
  // search_url may put the service on another host than the pages: the
  // instant results then need Access-Control-Allow-Origin for the page's
  // origin, as base_url names it, and for no other.
  Published p(std::map<std::string, std::string>{
      {"site.yaml",
       "title: Test site\nlanguages: [en, fr]\nbase_url: https://www.Example.org/\n"
       "search_url: https://search.example.org/\n"}});
  Service s(p, [](serve::SearchServiceOptions& o) { o.allow_origins = {"http://staging.example.org:8000"}; });
  auto c = s.client();
  auto asked = [&](const std::string& path, const std::string& origin) {
    httplib::Headers h;
    if (!origin.empty()) h.emplace("Origin", origin);
    auto r = c.Get(path, h);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Vary") == "Origin");
    return r->get_header_value("Access-Control-Allow-Origin");
  };
  for (const char* path : {"/api/search?q=stockpile", "/fr/search/?q=destruction"}) {
    CAPTURE(path);
    CHECK(asked(path, "https://www.example.org") == "https://www.example.org");
    CHECK(asked(path, "http://staging.example.org:8000") == "http://staging.example.org:8000");
    CHECK(asked(path, "https://evil.example") == "");
    CHECK(asked(path, "http://www.example.org") == "");  // another scheme is another origin
    CHECK(asked(path, "") == "");
  }
  auto bad = c.Get("/api/search?lang=xx", {{"Origin", "https://www.example.org"}});
  REQUIRE(bad);
  CHECK(bad->status == 400);  // the page explaining it can be read too
  CHECK(bad->get_header_value("Access-Control-Allow-Origin") == "https://www.example.org");

  Service any(p, [](serve::SearchServiceOptions& o) { o.allow_origins = {"*"}; });
  auto r = any.client().Get("/api/search?q=stockpile", {{"Origin", "https://anyone.example"}});
  REQUIRE(r);
  CHECK(r->get_header_value("Access-Control-Allow-Origin") == "*");

  // The same through CGI, with the origins in the environment.
  auto cgi = [&](const std::string& origin) {
    return run_command("env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SERVER_PROTOCOL=HTTP/1.1 "
                       "PATH_INFO=/api/search QUERY_STRING=q=stockpile HTTP_ORIGIN='" + origin +
                       "' SITE_GEN_ALLOW_ORIGIN=https://other.example SITE_GEN_OUT='" +
                       p.out().string() + "' SITE_GEN_INDEX='" + p.index().string() + "' " +
                       SITE_GEN_CGI_BINARY).output;
  };
  CHECK(cgi("https://www.example.org").find("Access-Control-Allow-Origin: https://www.example.org\r\n") != std::string::npos);
  CHECK(cgi("https://other.example").find("Access-Control-Allow-Origin: https://other.example\r\n") != std::string::npos);
  CHECK(cgi("https://evil.example").find("Access-Control-Allow-Origin") == std::string::npos);
}

TEST_CASE("search service: --allow-origin refuses what is not an origin") {
  auto r = run_command(std::string(SITE_GEN_BINARY) + " search-server --allow-origin www.example.org 2>&1");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--allow-origin takes origins such as https://www.example.org") != std::string::npos);
}
