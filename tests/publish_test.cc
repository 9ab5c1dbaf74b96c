// Publisher: a new generation of pages and index published whole by one
// rename, or files replaced in place, each by a rename, and left alone when
// nothing in them changed. End-to-end: crashes at each step of a build's
// publish, a second build at once, an index that cannot be committed, a
// full disk and a read-only folder, each leaving a true message and a
// consistent pair of pages and index.
#include "site-gen/publish.h"

#include <doctest/doctest.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <functional>

#include "index/search.h"
#include "tests/site_fixture.h"

using sitegen::Publisher;
using sitegen::PublishOptions;
using sitegen::testing::read_file;
using sitegen::testing::run_site_gen;
using sitegen::testing::TempDir;
using sitegen::testing::write_file;
using sitegen::testing::write_site;
namespace fs = std::filesystem;

namespace {

ino_t inode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_ino;
}

PublishOptions tree_and_index(const fs::path& dir) {
  PublishOptions o;
  o.out = dir / "public";
  o.index = dir / "public-index";
  return o;
}

// Names in the store other than the lock, `current` and two generations.
std::vector<std::string> store_entries(const fs::path& store) {
  std::vector<std::string> names;
  std::error_code ec;
  // The build's cache (its state, the attachments' text) is not published.
  for (const auto& e : fs::directory_iterator(store, ec))
    if (e.path().filename() != "cache") names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// Every line of the output that is an error message (not the summary).
std::vector<std::string> error_lines(const std::string& output) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = output.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = output.substr(start, nl - start);
    if (line.rfind("site-gen: ", 0) != 0) lines.push_back(line);
  }
  return lines;
}

// The background `rm` of old generations runs beside us: wait for it.
bool settles(const std::function<bool()>& done) {
  for (int i = 0; i < 200; ++i) {
    if (done()) return true;
    usleep(20 * 1000);
  }
  return done();
}

}  // namespace

TEST_CASE("publish: a new generation replaces the published one only at commit") {
  TempDir dir;
  std::string error;
  fs::path out = dir.path() / "public";
  {
    Publisher pub(tree_and_index(dir.path()));
    REQUIRE(pub.ok());
    REQUIRE(pub.write("en/index.html", "one", &error));
    REQUIRE(pub.commit());
  }
  CHECK(fs::is_symlink(out));
  CHECK(fs::is_symlink(dir.path() / "public-index"));
  CHECK(read_file(out / "en/index.html") == "one");
  {
    Publisher pub(tree_and_index(dir.path()));
    REQUIRE(pub.write("en/index.html", "two", &error));
    CHECK(read_file(out / "en/index.html") == "one");  // not yet
    REQUIRE(pub.commit());
  }
  CHECK(read_file(out / "en/index.html") == "two");
  {
    Publisher failed(tree_and_index(dir.path()));
    REQUIRE(failed.write("en/index.html", "lost", &error));
  }  // no commit: the published tree is as it was
  CHECK(read_file(out / "en/index.html") == "two");
  // The current and the previous generations are kept; the rest goes.
  fs::path store = dir.path() / ".public.site-gen";
  {
    Publisher pub(tree_and_index(dir.path()));
    REQUIRE(pub.write("en/index.html", "three", &error));
    REQUIRE(pub.commit());
  }
  std::string now = fs::read_symlink(store / "current").string();
  CHECK(now != "gen-2");
  CHECK(settles([&] {
    return store_entries(store) == std::vector<std::string>{"current", "gen-2", now, "lock"};
  }));
  CHECK(read_file(out / "en/index.html") == "three");
}

TEST_CASE("publish: in place, a changed file is replaced and an unchanged one left alone") {
  TempDir dir;
  fs::path out = dir.path() / "public";
  write_file(out / "en/a/index.html", "same");
  write_file(out / "en/b/index.html", "before");
  ino_t a = inode_of(out / "en/a/index.html"), b = inode_of(out / "en/b/index.html");
  PublishOptions o = tree_and_index(dir.path());
  o.in_place = true;
  Publisher pub(o);
  REQUIRE(pub.ok());
  std::string error;
  REQUIRE(pub.write("en/a/index.html", "same", &error));
  REQUIRE(pub.write("en/b/index.html", "after", &error));
  REQUIRE(pub.write("en/c/index.html", "new", &error));
  CHECK(inode_of(out / "en/a/index.html") == a);
  CHECK(read_file(out / "en/b/index.html") == "after");
  CHECK(inode_of(out / "en/b/index.html") != b);  // replaced by a rename, never rewritten
  CHECK(read_file(out / "en/c/index.html") == "new");
  for (const auto& e : fs::recursive_directory_iterator(out))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("publish: plain folders of the layout before generations are moved into the store") {
  TempDir dir;
  write_file(dir.path() / "public/en/index.html", "old");
  write_file(dir.path() / "public-index/iamglass", "old index");
  // A staging folder of a killed build of that layout.
  write_file(dir.path() / ".public.staging-999999999/en/index.html", "killed");
  std::string error;
  {
    Publisher pub(tree_and_index(dir.path()));
    REQUIRE_MESSAGE(pub.ok(), pub.failure().str());
    // Published as it was, now through the symlinks, before the new one.
    CHECK(fs::is_symlink(dir.path() / "public"));
    CHECK(fs::is_symlink(dir.path() / "public-index"));
    CHECK(read_file(dir.path() / "public/en/index.html") == "old");
    CHECK(read_file(dir.path() / "public-index/iamglass") == "old index");
    // The new generation's index starts as a copy of the published one.
    CHECK(read_file(pub.index_dir() / "iamglass") == "old index");
    REQUIRE(pub.write("en/index.html", "new", &error));
    REQUIRE(pub.commit());
  }
  CHECK(read_file(dir.path() / "public/en/index.html") == "new");
  CHECK(settles([&] { return !fs::exists(dir.path() / ".public.staging-999999999"); }));
}

// The layout before generations may hold links that an older site-gen
// published (to /etc/passwd, say): moving it must not follow them.
TEST_CASE("publish: links in a plain folder being moved are moved as links, never written through") {
  TempDir dir;
  write_file(dir.path() / "outside/passwd", "root:x:0:0");
  write_file(dir.path() / "public/en/index.html", "old");
  fs::create_directories(dir.path() / "public/en/documents/d");
  fs::create_symlink(dir.path() / "outside/passwd", dir.path() / "public/en/documents/d/secret.pdf");
  fs::create_directory_symlink(dir.path() / "outside", dir.path() / "public/en/annex");
  write_file(dir.path() / "public-index/iamglass", "old index");
  {
    Publisher pub(tree_and_index(dir.path()));
    REQUIRE_MESSAGE(pub.ok(), pub.failure().str());
    CHECK(read_file(dir.path() / "public/en/index.html") == "old");
  }
  CHECK(fs::is_regular_file(fs::symlink_status(dir.path() / "outside/passwd")));
  CHECK(read_file(dir.path() / "outside/passwd") == "root:x:0:0");
  std::vector<std::string> outside;
  for (const auto& e : fs::directory_iterator(dir.path() / "outside"))
    outside.push_back(e.path().filename());
  CHECK(outside == std::vector<std::string>{"passwd"});
}

TEST_CASE("publish: a second build of the same output is refused while the first holds the lock") {
  TempDir dir;
  std::string error;
  Publisher first(tree_and_index(dir.path()));
  REQUIRE(first.ok());
  REQUIRE(first.write("en/index.html", "first", &error));
  {
    Publisher second(tree_and_index(dir.path()));
    CHECK_FALSE(second.ok());
    CHECK(second.failure().str() == (dir.path() / ".public.site-gen").string() +
                                        ": another site-gen build of this site is running (pid " +
                                        std::to_string(getpid()) + ")");
  }
  REQUIRE(first.commit());
  CHECK(read_file(dir.path() / "public/en/index.html") == "first");
}

TEST_CASE("publish: after the first failed write, no other is tried and it is the one failure") {
  TempDir dir;
  std::string error;
  Publisher pub(tree_and_index(dir.path()));
  REQUIRE(pub.ok());
  // A file where a folder must be: fails as root too.
  REQUIRE(pub.write("en", "a file", &error));
  CHECK_FALSE(pub.write("en/index.html", "x", &error));
  CHECK_FALSE(pub.write("fr/index.html", "y", &error));
  CHECK_FALSE(pub.ok());
  CHECK(pub.failure().path == (pub.tree() / "en").string());
  CHECK(pub.failure().message.find("cannot create the folder") == 0);
  CHECK_FALSE(fs::exists(pub.tree() / "fr"));
  CHECK_FALSE(pub.commit());
}

// ---- end to end, with the site-gen binary

namespace {

std::map<std::string, std::string> versioned_site(const std::string& word) {
  return {
      {"site.yaml", "title: Test\nlanguages: [en, fr]\n"},
      {"content/countries/angola.yaml", "iso: AO\nsigned: 1997-12-04\n"},
      {"content/meetings/msp1/meeting.yaml",
       "kind: msp\ntitle: { en: First Meeting }\nstart: 1999-05-03\nend: 1999-05-07\n"},
      {"content/meetings/msp1/report.en.md",
       "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Report\ndate: 1999-05-07\ntype: report\n---\n"
       "The text says " +
           word + ".\n"},
      {"content/topics.yaml", "victims:\n  names: { en: Victim assistance }\n"},
  };
}

const char* kPage = "public/en/documents/aplc-msp-1-1999-1/index.html";

struct CrashSite {
  TempDir dir;
  fs::path site() const { return dir.path(); }
  fs::path out() const { return dir.path() / "public"; }
  fs::path index() const { return dir.path() / "public-index"; }
  fs::path store() const { return dir.path() / ".public.site-gen"; }
  std::string flags = "";
  sitegen::testing::RunResult build(const char* crash_at = nullptr) const {
    if (crash_at) setenv("SITE_GEN_TEST_CRASH_AT", crash_at, 1);
    auto r = run_site_gen("build --site " + site().string() + " --as-of 2026-01-01 " + flags);
    unsetenv("SITE_GEN_TEST_CRASH_AT");
    return r;
  }
  bool page_has(const std::string& word) const {
    return read_file(dir.path() / kPage).find(word) != std::string::npos;
  }
  // Through the published index path, as `site-gen search` and the server do.
  bool index_has(const std::string& word, const fs::path& where = {}) const {
    sitegen::index::Searcher s(where.empty() ? index() : where);
    REQUIRE_MESSAGE(s.ok(), s.error());
    sitegen::index::SearchRequest ask;
    ask.query = word;
    ask.lang = "en";
    return !s.search(ask).results.empty();
  }
};

}  // namespace

TEST_CASE("publish: killed at each step of the publish, the pages and the index stay a pair") {
  for (const char* step : {"pages-written", "index-committed", "synced", "published"}) {
    std::string name = step;
    CAPTURE(name);
    CrashSite s;
    write_site(s.site(), versioned_site("alphaword"));
    auto first = s.build();
    INFO(first.output);
    REQUIRE(first.exit_code == 0);
    write_site(s.site(), versioned_site("betaword"));
    auto killed = s.build(step);
    INFO(killed.output);
    CHECK(killed.exit_code == 128 + SIGKILL);  // killed (as the shell reports it), not exited
    // Either both old or both new.
    bool new_page = s.page_has("betaword");
    CHECK(new_page != s.page_has("alphaword"));
    CHECK(s.index_has("betaword") == new_page);
    CHECK(s.index_has("alphaword") == !new_page);
    CHECK(new_page == (std::string(step) == "published"));
    // The next build removes what the killed one left and publishes.
    auto next = s.build();
    INFO(next.output);
    REQUIRE(next.exit_code == 0);
    CHECK(s.page_has("betaword"));
    CHECK(s.index_has("betaword"));
    CHECK_FALSE(s.index_has("alphaword"));
    CHECK(settles([&] { return store_entries(s.store()).size() == 4; }));  // lock, current, 2 gens
  }
}

TEST_CASE(
    "publish: a build over the layout before generations, killed while moving it, stays a pair") {
  for (const char* step : {"migrated-current", "migrated-tree", "published"}) {
    std::string name = step;
    CAPTURE(name);
    CrashSite s;
    write_site(s.site(), versioned_site("alphaword"));
    REQUIRE(s.build().exit_code == 0);
    // Make the layout before generations: plain folders, no store.
    fs::path tree = fs::canonical(s.out()), index = fs::canonical(s.index());
    fs::remove(s.out());
    fs::remove(s.index());
    fs::copy(tree, s.out(), fs::copy_options::recursive);
    fs::copy(index, s.index(), fs::copy_options::recursive);
    fs::remove_all(s.store());
    REQUIRE(fs::is_directory(fs::symlink_status(s.out())));
    write_site(s.site(), versioned_site("betaword"));
    auto killed = s.build(step);
    INFO(killed.output);
    CHECK(killed.exit_code == 128 + SIGKILL);
    bool new_page = s.page_has("betaword");
    CHECK(new_page != s.page_has("alphaword"));
    CHECK(s.index_has("betaword") == new_page);
    CHECK(s.index_has("alphaword") == !new_page);
    auto next = s.build();
    INFO(next.output);
    REQUIRE(next.exit_code == 0);
    CHECK(fs::is_symlink(s.out()));
    CHECK(fs::is_symlink(s.index()));
    CHECK(s.page_has("betaword"));
    CHECK(s.index_has("betaword"));
    CHECK(settles([&] {
      for (const auto& e : fs::directory_iterator(s.site()))
        if (e.path().filename().string().find(".site-gen-") != std::string::npos) return false;
      return store_entries(s.store()).size() == 4;
    }));
  }
}

TEST_CASE(
    "publish: a second build while one holds the lock is refused, the first's result intact") {
  CrashSite s;
  write_site(s.site(), versioned_site("alphaword"));
  REQUIRE(s.build().exit_code == 0);
  write_site(s.site(), versioned_site("betaword"));
  {
    PublishOptions o;
    o.out = s.out();
    o.index = s.index();
    Publisher holder(o);  // a build holding the lock, as a running one does
    REQUIRE(holder.ok());
    auto second = s.build();
    CHECK(second.exit_code == 1);
    CHECK(second.output.find(s.store().string() +
                             ": another site-gen build of this site is running (pid " +
                             std::to_string(getpid()) + ")") != std::string::npos);
    CHECK(second.output.find("delete") == std::string::npos);
    CHECK(error_lines(second.output).size() == 1);
  }
  CHECK(s.page_has("alphaword"));
  CHECK(s.index_has("alphaword"));
  CHECK(s.build().exit_code == 0);  // once the lock is free
  CHECK(s.page_has("betaword"));
}

TEST_CASE(
    "publish: an index that cannot be committed leaves the pages and the index as they were") {
  CrashSite s;
  s.flags = "--shards";
  write_site(s.site(), versioned_site("alphaword"));
  auto first = s.build();
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  // A folder where the commit renames the shards' stub: it fails as root too.
  fs::remove(s.index() / "XAPIANDB");
  write_file(s.index() / "XAPIANDB" / "in-the-way", "x");
  write_site(s.site(), versioned_site("betaword"));
  auto failed = s.build();
  INFO(failed.output);
  CHECK(failed.exit_code == 1);
  CHECK(failed.output.find("cannot commit the search index") != std::string::npos);
  CHECK(failed.output.find("the published site and its search index were left as they were") !=
        std::string::npos);
  CHECK(s.page_has("alphaword"));
  CHECK_FALSE(s.page_has("betaword"));
  CHECK(s.index_has("alphaword", s.index() / "en"));
  CHECK_FALSE(s.index_has("betaword", s.index() / "en"));
}

namespace {

// A small tmpfs (root only; a user without the right to mount gets the
// file-size limit test below instead).
struct SmallDisk {
  fs::path dir;
  bool mounted = false;
  SmallDisk(const fs::path& d, const char* options) : dir(d) {
    fs::create_directories(dir);
    mounted = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, options) == 0;
  }
  ~SmallDisk() {
    if (mounted) ::umount2(dir.c_str(), MNT_DETACH);
  }
};

}  // namespace

TEST_CASE("publish: a full disk is one message naming the real file") {
  TempDir dir;
  SmallDisk disk(dir.path() / "disk", "size=64k");
  if (!disk.mounted) {
    MESSAGE("cannot mount a tmpfs here (not root): the file-size limit test stands in");
    return;
  }
  fs::path site = dir.path() / "site";
  auto files = versioned_site("alphaword");
  // More pages than the disk holds: one message all the same.
  for (int i = 0; i < 60; ++i)
    files["content/pages/p" + std::to_string(i) + ".en.md"] =
        "---\ntitle: Page " + std::to_string(i) + "\n---\n" + std::string(2000, 'x') + "\n";
  write_site(site, files);
  auto r = run_site_gen("build --site " + site.string() + " --out " +
                        (disk.dir / "public").string() + " --as-of 2026-01-01");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  auto lines = error_lines(r.output);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find(": No space left on device") != std::string::npos);
  std::string path = lines[0].substr(0, lines[0].find(": "));
  CHECK(path.rfind((disk.dir / ".public.site-gen").string(), 0) == 0);  // a real file or folder
  CHECK(path.find("/tree/") != std::string::npos);                      // a page, not a URL
  CHECK_FALSE(fs::exists(disk.dir / "public"));                         // nothing published
}

TEST_CASE("publish: when no file can grow (a file-size limit), one message names the real file") {
  TempDir dir;
  write_site(dir.path(), versioned_site("alphaword"));
  // Every write fails (EFBIG), as on a full disk, without privileges.
  auto r = run_site_gen("build --site " + dir.path().string() + " --as-of 2026-01-01");
  REQUIRE(r.exit_code == 0);
  write_site(dir.path(), versioned_site("betaword"));
  std::string cmd = "sh -c \"trap '' XFSZ; ulimit -f 0; exec " + std::string(SITE_GEN_BINARY) +
                    " build --site " + dir.path().string() + " --as-of 2026-01-01\" 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int status = pclose(p);
  INFO(out);
  CHECK(WEXITSTATUS(status) == 1);
  auto lines = error_lines(out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find(": File too large") != std::string::npos);
  std::string path = lines[0].substr(0, lines[0].find(": "));
  CHECK(path.rfind((dir.path() / ".public.site-gen").string(), 0) == 0);
  CHECK(read_file(dir.path() / kPage).find("alphaword") != std::string::npos);
}

TEST_CASE("publish: a read-only output folder is one message naming the folder") {
  TempDir dir;
  fs::path site = dir.path() / "site";
  write_site(site, versioned_site("alphaword"));
  fs::path ro = dir.path() / "ro";
  SmallDisk disk(ro, "size=64k");
  if (disk.mounted) {
    REQUIRE(::mount(nullptr, ro.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0);
  } else if (geteuid() == 0) {
    MESSAGE("root without the right to mount: no folder is read-only to us, nothing to test");
    return;
  } else {
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);  // not root: enough
  }
  auto r = run_site_gen("build --site " + site.string() + " --out " + (ro / "public").string() +
                        " --as-of 2026-01-01");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  auto lines = error_lines(r.output);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind(ro.string() + ": cannot create the folder .public.site-gen: ", 0) == 0);
  if (!disk.mounted) fs::permissions(ro, fs::perms::owner_all);
}

TEST_CASE("publish: shards and an index elsewhere are searched through their symlinks") {
  CrashSite s;
  fs::path elsewhere = s.dir.path() / "srv" / "search";
  s.flags = "--shards --index " + elsewhere.string();
  write_site(s.site(), versioned_site("alphaword"));
  auto first = s.build();
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  write_site(s.site(), versioned_site("betaword"));
  auto second = s.build();  // from a copy of the first's index
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  CHECK(second.output.find("unchanged") != std::string::npos);
  CHECK(fs::is_symlink(elsewhere));
  CHECK(fs::read_symlink(elsewhere).is_absolute());
  CHECK(fs::exists(elsewhere / "XAPIANDB"));  // the stub's "auto en" lines, through the link
  auto found = run_site_gen("search --index " + elsewhere.string() + " --json betaword");
  INFO(found.output);
  CHECK(found.exit_code == 0);
  CHECK(found.output.find("\"total\":1") != std::string::npos);
  CHECK(run_site_gen("search --index " + elsewhere.string() + " --json alphaword")
            .output.find("\"total\":0") != std::string::npos);
  // Without --shards again: a new index of the other layout, not an error.
  s.flags = "--index " + elsewhere.string();
  auto unsharded = s.build();
  INFO(unsharded.output);
  REQUIRE(unsharded.exit_code == 0);
  CHECK_FALSE(fs::exists(elsewhere / "XAPIANDB"));
  CHECK(s.index_has("betaword", elsewhere));
}
