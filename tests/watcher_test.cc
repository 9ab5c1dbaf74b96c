// Preview server watcher: edits, new files and folders, deletions and
// renames under the watched folders are reported; editor litter isn't.
#include "serve/watcher.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#ifndef SITE_GEN_BINARY
#define SITE_GEN_BINARY "site-gen"  // unused here; the CMake build defines it
#endif
#include "tests/site_fixture.h"

using namespace sitegen::serve;
using sitegen::testing::TempDir;
using sitegen::testing::write_file;
namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

const milliseconds kSomething(2000);  // something should arrive
const milliseconds kNothing(200);     // nothing should arrive

bool has(const std::vector<fs::path>& v, const fs::path& p) {
  return std::find(v.begin(), v.end(), p) != v.end();
}

std::string show(const std::vector<fs::path>& v) {
  std::string s;
  for (const auto& p : v) s += p.string() + "\n";
  return s;
}

// A small site: content/ with a page and a subfolder, layouts/, site.yaml.
struct Site {
  TempDir tmp;
  fs::path root = tmp.path();
  fs::path content = root / "content";
  fs::path layouts = root / "layouts";
  fs::path yaml = root / "site.yaml";

  Site() {
    write_file(content / "index.md", "home");
    write_file(content / "blog/first.md", "first");
    write_file(layouts / "page.html", "<p>");
    write_file(yaml, "title: x\n");
    write_file(root / "notes.txt", "not watched");
  }
  std::vector<fs::path> paths() const {
    return {yaml, content, layouts, root / "static", root / "themes"};
  }
};

}  // namespace

TEST_CASE("watcher: edit of an existing file is reported") {
  Site s;
  Watcher w(s.paths());
  REQUIRE(w.ok());
  write_file(s.content / "blog/first.md", "changed");
  auto changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(has(changed, s.content / "blog/first.md"));
  CHECK(changed.size() == 1);
}

TEST_CASE("watcher: nothing changed returns empty after the timeout") {
  Site s;
  Watcher w(s.paths());
  REQUIRE(w.ok());
  CHECK(w.wait(milliseconds(50)).empty());
}

TEST_CASE("watcher: new file in a subfolder is reported") {
  Site s;
  Watcher w(s.paths());
  write_file(s.content / "blog/second.md", "second");
  auto changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(has(changed, s.content / "blog/second.md"));
}

TEST_CASE("watcher: new folder with content is followed") {
  Site s;
  Watcher w(s.paths());
  // mkdir + write at once: the file exists before the watcher sees the folder.
  write_file(s.content / "docs/deep/intro.md", "intro");
  auto changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(has(changed, s.content / "docs/deep/intro.md"));

  write_file(s.content / "docs/deep/intro.md", "edited");
  changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(has(changed, s.content / "docs/deep/intro.md"));

  write_file(s.content / "docs/more.md", "more");
  changed = w.wait(kSomething);
  CHECK(has(changed, s.content / "docs/more.md"));
}

TEST_CASE("watcher: folder moved in is followed") {
  Site s;
  TempDir outside;
  write_file(outside.path() / "guide/a.md", "a");
  write_file(outside.path() / "guide/sub/b.md", "b");
  Watcher w(s.paths());
  fs::rename(outside.path() / "guide", s.content / "guide");
  auto changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(has(changed, s.content / "guide/a.md"));
  CHECK(has(changed, s.content / "guide/sub/b.md"));

  write_file(s.content / "guide/sub/b.md", "edited");
  changed = w.wait(kSomething);
  CHECK(has(changed, s.content / "guide/sub/b.md"));
}

TEST_CASE("watcher: deleted file is reported") {
  Site s;
  Watcher w(s.paths());
  fs::remove(s.layouts / "page.html");
  auto changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(has(changed, s.layouts / "page.html"));
}

TEST_CASE("watcher: atomic save (temp file renamed over) reports the target") {
  Site s;
  Watcher w(s.paths());
  write_file(s.content / ".index.md.tmp123", "new home");
  fs::rename(s.content / ".index.md.tmp123", s.content / "index.md");
  auto changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(has(changed, s.content / "index.md"));
  CHECK_FALSE(has(changed, s.content / ".index.md.tmp123"));  // came and went
}

TEST_CASE("watcher: a watched file is reported, its unwatched siblings aren't") {
  Site s;
  Watcher w(s.paths());
  write_file(s.root / "notes.txt", "edited");
  write_file(s.root / "public/index.html", "output");
  CHECK(w.wait(kNothing).empty());

  write_file(s.yaml, "title: y\n");
  auto changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(changed == std::vector<fs::path>{s.yaml});
}

TEST_CASE("watcher: editor litter is ignored") {
  Site s;
  fs::create_directories(s.content / ".git");
  Watcher w(s.paths());
  write_file(s.content / ".index.md.swp", "x");
  write_file(s.content / ".index.md.swx", "x");
  write_file(s.content / "index.md~", "x");
  write_file(s.content / "4913", "x");
  write_file(s.content / ".#index.md", "x");
  write_file(s.content / "#index.md#", "x");
  write_file(s.content / ".DS_Store", "x");
  write_file(s.content / ".git/HEAD", "x");        // folder existed
  write_file(s.layouts / ".git/objects/ab", "x");  // folder is new
  fs::remove(s.content / "4913");
  CHECK(w.wait(kNothing).empty());
}

TEST_CASE("watcher: quick edits are reported together") {
  Site s;
  Watcher w(s.paths());
  std::vector<fs::path> files = {s.content / "index.md", s.content / "blog/first.md",
                                 s.content / "blog/new.md", s.layouts / "page.html"};
  for (const auto& f : files) write_file(f, "v2");
  for (const auto& f : files) write_file(f, "v3");  // duplicates
  auto changed = w.wait(kSomething, milliseconds(100));
  INFO(show(changed));
  CHECK(changed.size() == files.size());
  for (const auto& f : files) CHECK(has(changed, f));
  CHECK(w.wait(milliseconds(50)).empty());
}

TEST_CASE("watcher: missing paths are skipped and picked up when created") {
  Site s;
  Watcher w({s.root / "static", s.root / "no/such/folder", s.root / "missing.yaml"});
  CHECK(w.ok());
  CHECK(w.wait(milliseconds(20)).empty());
  write_file(s.root / "static/css/site.css", "body{}");
  auto changed = w.wait(kSomething);
  INFO(show(changed));
  CHECK(has(changed, s.root / "static/css/site.css"));
  write_file(s.root / "missing.yaml", "x");
  changed = w.wait(kSomething);
  CHECK(has(changed, s.root / "missing.yaml"));
}

TEST_CASE("watcher: stop() unblocks a waiting wait()") {
  Site s;
  Watcher w(s.paths());
  std::vector<fs::path> got = {"sentinel"};
  auto start = std::chrono::steady_clock::now();
  std::thread t([&] { got = w.wait(milliseconds(10000)); });
  std::this_thread::sleep_for(milliseconds(50));
  w.stop();
  t.join();
  CHECK(got.empty());
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(2000));

  // Later waits return at once, even with changes pending.
  write_file(s.content / "index.md", "changed");
  start = std::chrono::steady_clock::now();
  CHECK(w.wait(milliseconds(10000)).empty());
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(1000));
}

TEST_CASE("watcher: lost events (queue overflow) report the roots") {
  // Overflows the kernel's event queue: each new file is two events.
  int max_queued = 0;
  std::ifstream("/proc/sys/fs/inotify/max_queued_events") >> max_queued;
  if (max_queued <= 0 || max_queued > 65536) return;  // too slow to overflow here
  Site s;
  Watcher w(s.paths());
  for (int i = 0; i < max_queued / 2 + 100; ++i)
    std::ofstream(s.content / ("f" + std::to_string(i) + ".md"));
  write_file(s.content / "lost/page.md", "a folder created while events were lost");
  auto changed = w.wait(kSomething);
  INFO(changed.size());
  CHECK(has(changed, s.content));
  CHECK(changed.size() <= s.paths().size());
  // Folders created meanwhile are watched after all.
  write_file(s.content / "lost/page.md", "edited");
  changed = w.wait(kSomething);
  CHECK(has(changed, s.content / "lost/page.md"));
}
