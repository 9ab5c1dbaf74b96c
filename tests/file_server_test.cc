// Preview server file lookup: a request target maps to a file inside the
// published root and never to anything outside it.
#include "serve/file_server.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace sitegen::serve;
namespace fs = std::filesystem;
using Result = FileLookup::Result;

namespace {

// Own small fixture (tests/site_fixture.h needs SITE_GEN_BINARY, which only
// the CMake build defines).
class Tree {
 public:
  Tree() {
    std::random_device rd;
    base_ = fs::temp_directory_path() /
            ("site-gen-file-server-" + std::to_string(rd()) + std::to_string(rd()));
    root_ = base_ / "public";
    write(root_ / "index.html", "home");
    write(root_ / "en/index.html", "en");
    write(root_ / "en/membership/index.html", "membership");
    write(root_ / "css/site.css", "body{}");
    write(root_ / "a b.pdf", "%PDF");
    write(root_ / "a b dir/index.html", "spaced folder");
    write(root_ / "\xC3\xA9t\xC3\xA9/index.html", "utf-8 folder");
    write(root_ / "feed.xml", "<feed/>");
    write(root_ / ".secret", "hidden");
    write(root_ / ".git/config", "[core]");
    fs::create_directories(root_ / "empty");       // folder without index.html
    write(root_ / "leak/placeholder.txt", "x");    // index.html links outside
    write(base_ / "outside/secret.txt", "outside");
    write(base_ / "outside/index.html", "outside index");
    write(base_ / "public2/secret.txt", "sibling");  // root name + "2"

    fs::create_symlink(root_ / "css/site.css", root_ / "link-in");        // inside -> inside
    fs::create_symlink("en", root_ / "link-dir-in");                      // folder inside
    fs::create_symlink(base_ / "outside/secret.txt", root_ / "link-out");  // file outside
    fs::create_symlink(base_ / "outside", root_ / "link-dir-out");         // folder outside
    fs::create_symlink("../public2/secret.txt", root_ / "link-sibling");  // string-prefix trap
    fs::create_symlink(".secret", root_ / "link-hidden");                 // inside, to hidden
    fs::create_symlink(base_ / "outside/index.html", root_ / "leak/index.html");
    fs::create_symlink("loop-b", root_ / "loop-a");
    fs::create_symlink("loop-a", root_ / "loop-b");
    ::mkfifo((root_ / "fifo").c_str(), 0600);
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  const fs::path& root() const { return root_; }
  const fs::path& base() const { return base_; }
  fs::path canon(const std::string& rel) const { return fs::canonical(root_ / rel); }

 private:
  static void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  fs::path base_, root_;
};

const char* name(Result r) {
  switch (r) {
    case Result::found: return "found";
    case Result::redirect: return "redirect";
    case Result::not_found: return "not_found";
    case Result::bad_request: return "bad_request";
  }
  return "?";
}

struct Case {
  std::string target;
  Result result;
  std::string expect;  // found: path relative to root; redirect: location
};

void check(const Tree& tree, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    CAPTURE(c.target);
    const FileLookup got = lookup_file(tree.root(), c.target);
    CHECK(std::string(name(got.result)) == std::string(name(c.result)));
    if (c.result == Result::found && got.result == Result::found) {
      CHECK(got.file == tree.canon(c.expect));
    } else if (c.result == Result::redirect && got.result == Result::redirect) {
      CHECK(got.location == c.expect);
    } else {
      CHECK(got.file.empty());
      CHECK(got.location.empty());
    }
  }
}

}  // namespace

TEST_CASE("file_server: pages, folders and redirects") {
  Tree tree;
  check(tree, {
                  {"/", Result::found, "index.html"},
                  {"/index.html", Result::found, "index.html"},
                  {"/en/", Result::found, "en/index.html"},
                  {"/en", Result::redirect, "/en/"},
                  {"/en?x=1", Result::redirect, "/en/?x=1"},
                  {"/en?", Result::redirect, "/en/"},
                  {"/en#top", Result::redirect, "/en/"},
                  {"/en/membership", Result::redirect, "/en/membership/"},
                  {"/en/membership/", Result::found, "en/membership/index.html"},
                  {"/en/membership/?lang=fr#x", Result::found, "en/membership/index.html"},
                  {"/css/site.css", Result::found, "css/site.css"},
                  {"/css/site.css?v=3", Result::found, "css/site.css"},
                  {"/a%20b.pdf", Result::found, "a b.pdf"},
                  {"/a b.pdf", Result::found, "a b.pdf"},
                  {"/a%20b%20dir", Result::redirect, "/a%20b%20dir/"},
                  {"/a%20b%20dir/", Result::found, "a b dir/index.html"},
                  {"/%C3%A9t%C3%A9", Result::redirect, "/%C3%A9t%C3%A9/"},
                  {"/%c3%a9t%c3%a9/", Result::found, "\xC3\xA9t\xC3\xA9/index.html"},
                  {"/\xC3\xA9t\xC3\xA9/", Result::found, "\xC3\xA9t\xC3\xA9/index.html"},
                  // Raw bytes a client should have escaped are escaped in Location.
                  {"/\xC3\xA9t\xC3\xA9", Result::redirect, "/%C3%A9t%C3%A9/"},
                  {"/a b dir", Result::redirect, "/a%20b%20dir/"},
                  {"/feed.xml", Result::found, "feed.xml"},
                  {"//en//membership//", Result::found, "en/membership/index.html"},
                  // Collapsed slashes never produce a protocol-relative "//host" redirect.
                  {"//en", Result::redirect, "/en/"},
                  {"/en/index.html?q=<script>", Result::found, "en/index.html"},
                  // The query is echoed into a header: unsafe bytes are escaped.
                  {"/en?q=<script>", Result::redirect, "/en/?q=%3Cscript%3E"},
                  {"/en?a\r\nSet-Cookie:x", Result::redirect, "/en/?a%0D%0ASet-Cookie:x"},
                  {"/link-in", Result::found, "css/site.css"},
                  {"/link-dir-in", Result::redirect, "/link-dir-in/"},
                  {"/link-dir-in/", Result::found, "en/index.html"},
                  {"/link-dir-in/membership/", Result::found, "en/membership/index.html"},
              });
}

TEST_CASE("file_server: missing, hidden and not regular") {
  Tree tree;
  check(tree, {
                  {"/nonexistent/", Result::not_found, ""},
                  {"/nonexistent", Result::not_found, ""},
                  {"/empty/", Result::not_found, ""},  // no directory listings
                  {"/empty", Result::redirect, "/empty/"},
                  {"/css/", Result::not_found, ""},
                  {"/css/site.css/", Result::not_found, ""},  // a file is not a folder
                  {"/en/index.html/", Result::not_found, ""},
                  {"/.secret", Result::not_found, ""},
                  {"/%2esecret", Result::not_found, ""},
                  {"/.git/config", Result::not_found, ""},
                  {"/.git/", Result::not_found, ""},
                  {"/.staging/index.html", Result::not_found, ""},
                  {"/...", Result::not_found, ""},
                  {"/link-hidden", Result::not_found, ""},  // link to a hidden file
                  {"/fifo", Result::not_found, ""},
                  {"/loop-a", Result::not_found, ""},
                  {"//etc/passwd", Result::not_found, ""},
                  {"/etc/passwd", Result::not_found, ""},
                  {"/" + std::string(3000, 'a'), Result::not_found, ""},
                  {"/" + std::string(3000, 'a') + "/", Result::not_found, ""},
              });
  std::string deep;
  for (int i = 0; i < 1500; ++i) deep += "/a";
  CHECK(deep.size() == 3000);
  CHECK(lookup_file(tree.root(), deep).result == Result::not_found);
}

TEST_CASE("file_server: nothing outside the root") {
  Tree tree;
  check(tree, {
                  {"/../outside/secret.txt", Result::bad_request, ""},
                  {"/..", Result::bad_request, ""},
                  {"/.", Result::bad_request, ""},
                  {"/./en/", Result::bad_request, ""},
                  {"/en/../index.html", Result::bad_request, ""},
                  {"/%2e%2e/outside/secret.txt", Result::bad_request, ""},
                  {"/.%2e/outside/secret.txt", Result::bad_request, ""},
                  {"/%2e./outside/secret.txt", Result::bad_request, ""},
                  {"/%2E%2E%2Foutside", Result::bad_request, ""},
                  {"/en/%2e%2e/%2e%2e/outside/secret.txt", Result::bad_request, ""},
                  {"/..%2foutside", Result::bad_request, ""},
                  {"/en%2findex.html", Result::bad_request, ""},
                  {"/en%2Findex.html", Result::bad_request, ""},
                  {"/..\\outside", Result::bad_request, ""},
                  {"/en\\index.html", Result::bad_request, ""},
                  {"/%5c..%5coutside", Result::bad_request, ""},
                  {"/%5C..%5Coutside", Result::bad_request, ""},
                  {"/%252e%252e/outside", Result::not_found, ""},  // decoded once: "%2e%2e"
                  {"/link-out", Result::not_found, ""},
                  {"/link-dir-out", Result::not_found, ""},
                  {"/link-dir-out/", Result::not_found, ""},
                  {"/link-dir-out/x", Result::not_found, ""},
                  {"/link-dir-out/secret.txt", Result::not_found, ""},
                  {"/link-sibling", Result::not_found, ""},  // public2 is not in public
                  {"/leak/", Result::not_found, ""},         // index.html links outside
              });
}

TEST_CASE("file_server: malformed targets") {
  Tree tree;
  check(tree, {
                  {"/en/%00index.html", Result::bad_request, ""},
                  {"/en/index.html%00.css", Result::bad_request, ""},
                  {std::string("/en/index.html\0.css", 19), Result::bad_request, ""},
                  {"/%zz", Result::bad_request, ""},
                  {"/%", Result::bad_request, ""},
                  {"/%2", Result::bad_request, ""},
                  {"/a%2", Result::bad_request, ""},
                  {"/%g0", Result::bad_request, ""},
                  {"/%0a", Result::bad_request, ""},
                  {"/%1F", Result::bad_request, ""},
                  {"/%7F", Result::bad_request, ""},
                  {"/a\tb", Result::bad_request, ""},
                  {"/%C2%85", Result::bad_request, ""},  // C1 control (NEL)
                  {"/%ff", Result::bad_request, ""},
                  {"/%C3", Result::bad_request, ""},         // truncated sequence
                  {"/%C0%AE%C0%AE/", Result::bad_request, ""},  // overlong "."
                  {"/%ED%A0%80", Result::bad_request, ""},   // surrogate
                  {"/%F4%90%80%80", Result::bad_request, ""},  // above U+10FFFF
                  {"/\xFF", Result::bad_request, ""},
                  {"relative", Result::bad_request, ""},
                  {"", Result::bad_request, ""},
                  {"?x=1", Result::bad_request, ""},
                  {"*", Result::bad_request, ""},
                  {"http://example.org/en/", Result::bad_request, ""},
              });
}

TEST_CASE("file_server: root given as a link or relative path") {
  Tree tree;
  const fs::path link = tree.base() / "public-link";
  fs::create_directory_symlink(tree.root(), link);
  FileLookup got = lookup_file(link, "/en/");
  REQUIRE(got.result == Result::found);
  CHECK(got.file == tree.canon("en/index.html"));
  CHECK(lookup_file(link, "/link-out").result == Result::not_found);

  CHECK(lookup_file(tree.root() / "", "/css/site.css").result == Result::found);
  CHECK(lookup_file(tree.base() / "missing-root", "/").result == Result::not_found);
  CHECK(lookup_file(tree.root() / "index.html", "/").result == Result::not_found);
}

TEST_CASE("file_server: content types") {
  struct Row {
    const char* file;
    const char* type;
  };
  const Row rows[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"OLD.HTM", "text/html; charset=utf-8"},
      {"site.css", "text/css; charset=utf-8"},
      {"search.js", "text/javascript; charset=utf-8"},
      {"search-index.json", "application/json"},
      {"sitemap.xml", "application/xml; charset=utf-8"},
      {"feed.xml", "application/atom+xml; charset=utf-8"},
      {"en/feed.xml", "application/atom+xml; charset=utf-8"},
      {"notfeed.xml", "application/xml; charset=utf-8"},
      {"robots.txt", "text/plain; charset=utf-8"},
      {"logo.svg", "image/svg+xml"},
      {"logo.png", "image/png"},
      {"photo.JPG", "image/jpeg"},
      {"photo.jpeg", "image/jpeg"},
      {"anim.gif", "image/gif"},
      {"pic.webp", "image/webp"},
      {"favicon.ico", "image/x-icon"},
      {"font.woff2", "font/woff2"},
      {"a b.pdf", "application/pdf"},
      {"report.PDF", "application/pdf"},
      {"letter.docx",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"bundle.zip", "application/zip"},
      {"README", "application/octet-stream"},
      {".secret", "application/octet-stream"},
      {"archive.tar.gz", "application/octet-stream"},
      {"html", "application/octet-stream"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.file);
    CHECK(content_type_for(r.file) == r.type);
  }
}

TEST_CASE("file_server: cache headers") {
  struct Row {
    const char* file;
    const char* cache;
  };
  const Row rows[] = {
      {"index.html", "no-cache"},       {"en/membership/index.HTML", "no-cache"},
      {"feed.xml", "no-cache"},         {"sitemap.xml", "no-cache"},
      {"search.json", "no-cache"},      {"robots.txt", "no-cache"},
      {"site.css", "public, max-age=300"}, {"search.js", "public, max-age=300"},
      {"logo.png", "public, max-age=300"}, {"a b.pdf", "public, max-age=300"},
      {"letter.docx", "public, max-age=300"}, {"README", "public, max-age=300"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.file);
    CHECK(cache_control_for(r.file) == r.cache);
  }
}

TEST_CASE("file_server: a link swapped in after the lookup is not followed by the open") {
  Tree tree;
  auto read_fd = [](int fd) {
    std::string text(64, '\0');
    ssize_t n = ::read(fd, text.data(), text.size());
    ::close(fd);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return text;
  };
  // Found, then opened: the file itself.
  FileLookup found = lookup_file(tree.root(), "/en/membership/");
  REQUIRE(found.result == Result::found);
  int fd = open_inside(tree.root(), found.file);
  REQUIRE(fd >= 0);
  CHECK(read_fd(fd) == "membership");

  // Between the lookup and the open, the folder becomes a link out of the
  // root holding a file of the same name.
  fs::create_directories(tree.base() / "outside/membership");
  std::ofstream(tree.base() / "outside/membership/index.html") << "outside membership";
  fs::rename(tree.root() / "en/membership", tree.root() / "en/membership-old");
  fs::create_directory_symlink(tree.base() / "outside/membership", tree.root() / "en/membership");
  CHECK(open_inside(tree.root(), found.file) < 0);
  // ... or the file a link to one outside.
  FileLookup css = lookup_file(tree.root(), "/css/site.css");
  REQUIRE(css.result == Result::found);
  fs::remove(tree.root() / "css/site.css");
  fs::create_symlink(tree.base() / "outside/secret.txt", tree.root() / "css/site.css");
  CHECK(open_inside(tree.root(), css.file) < 0);
  // ... or a FIFO: refused at once, never waited on.
  fs::remove(tree.root() / "css/site.css");
  ::mkfifo((tree.root() / "css/site.css").c_str(), 0600);
  CHECK(open_inside(tree.root(), css.file) < 0);
  // Nothing outside the root, nothing hidden, is ever opened.
  CHECK(open_inside(tree.root(), tree.base() / "outside/secret.txt") < 0);
  CHECK(open_inside(tree.root(), fs::canonical(tree.root()) / ".secret") < 0);
  CHECK(open_inside(tree.root(), fs::canonical(tree.root()) / "en/../../outside/secret.txt") < 0);
}
