// read_whole_file: every byte, whatever the size, and nullopt (with the
// reason) for what is not a readable file; SiteTree: links followed only
// inside the site, loops found.
#include "site-gen/files.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "tests/site_fixture.h"

using sitegen::read_whole_file;
using sitegen::testing::TempDir;
using sitegen::testing::write_file;

TEST_CASE("read_whole_file returns every byte of empty, small and large files") {
  TempDir dir;
  write_file(dir.path() / "empty", "");
  CHECK(read_whole_file(dir.path() / "empty") == std::string());
  const char bytes[] = "déjà\0vu\n";
  std::string small(bytes, sizeof bytes - 1);  // with the NUL inside
  write_file(dir.path() / "small", small);
  CHECK(read_whole_file(dir.path() / "small") == small);
  std::string large;
  for (int i = 0; large.size() < 300000; ++i) large += std::to_string(i) + ' ';
  write_file(dir.path() / "large", large);
  CHECK(read_whole_file(dir.path() / "large") == large);
}

TEST_CASE("read_whole_file returns nothing for a missing file or a folder") {
  TempDir dir;
  CHECK_FALSE(read_whole_file(dir.path() / "missing"));
  CHECK_FALSE(read_whole_file(dir.path()));
}

namespace {

namespace fs = std::filesystem;
using sitegen::SiteEntry;
using sitegen::SiteTree;

// read_whole_file on a separate thread, given up after a few seconds: a
// regression that opens a FIFO blocking must fail the test, not hang the
// suite. A writer opened on the FIFO then lets the stuck reader go.
std::optional<std::optional<std::string>> read_within_seconds(const fs::path& p, std::string* why) {
  auto done = std::make_shared<std::promise<std::optional<std::string>>>();
  auto result = done->get_future();
  std::thread([p, why, done] { done->set_value(read_whole_file(p, why)); }).detach();
  if (result.wait_for(std::chrono::seconds(5)) == std::future_status::ready) return result.get();
  int fd = ::open(p.c_str(), O_WRONLY | O_NONBLOCK);
  if (fd >= 0) ::close(fd);
  result.wait();
  return std::nullopt;
}

void symlink(const fs::path& target, const fs::path& link) {
  std::error_code ec;
  fs::create_symlink(target, link, ec);
  REQUIRE_FALSE(ec);
}

}  // namespace

TEST_CASE("read_whole_file never opens a FIFO, socket or device, and says why") {
  TempDir dir;
  REQUIRE(::mkfifo((dir.path() / "fifo").c_str(), 0644) == 0);
  std::string why;
  auto fifo = read_within_seconds(dir.path() / "fifo", &why);
  REQUIRE_MESSAGE(fifo.has_value(), "read_whole_file blocked on a FIFO");
  CHECK_FALSE(*fifo);
  CHECK(why == "it is a FIFO (named pipe), not a regular file");

  int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sock_path = (dir.path() / "sock").string();
  REQUIRE(sock_path.size() < sizeof addr.sun_path);
  std::copy(sock_path.begin(), sock_path.end(), addr.sun_path);
  REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  CHECK_FALSE(read_whole_file(sock_path, &why));
  CHECK(why == "it is a socket, not a regular file");
  ::close(sock);

  CHECK_FALSE(read_whole_file("/dev/null", &why));  // a device: never opened
  CHECK(why == "it is a device, not a regular file");
  CHECK_FALSE(read_whole_file(dir.path(), &why));
  CHECK(why == "it is a folder, not a file");
}

TEST_CASE("read_whole_file names a dangling link, a loop of links and a missing file") {
  TempDir dir;
  std::string why;
  symlink("nowhere", dir.path() / "dangling");
  CHECK_FALSE(read_whole_file(dir.path() / "dangling", &why));
  CHECK(why == "it is a symbolic link whose target does not exist");
  symlink("b", dir.path() / "a");
  symlink("a", dir.path() / "b");
  CHECK_FALSE(read_whole_file(dir.path() / "a", &why));
  CHECK(why == "it is a symbolic link loop (the links lead back to each other)");
  CHECK_FALSE(read_whole_file(dir.path() / "missing", &why));
  CHECK(why == "no such file");
}

// Root reads a chmod 000 file all the same (the tests run as root here and
// in CI), so this case can only be checked as another user; the read error
// path itself is covered by the FIFO, dangling and loop cases above.
TEST_CASE("read_whole_file reports a file it may not read") {
  if (::geteuid() == 0) {
    MESSAGE("skipped as root: root may read a chmod 000 file");
    return;
  }
  TempDir dir;
  write_file(dir.path() / "secret", "x");
  fs::permissions(dir.path() / "secret", fs::perms::none);
  std::string why;
  CHECK_FALSE(read_whole_file(dir.path() / "secret", &why));
  CHECK(why == "permission denied");
}

TEST_CASE("read_file_head reads at most the bytes asked for") {
  TempDir dir;
  write_file(dir.path() / "f", std::string(10000, 'x'));
  CHECK(sitegen::read_file_head(dir.path() / "f", 100)->size() == 100);
  CHECK(sitegen::read_file_head(dir.path() / "f", 1 << 20)->size() == 10000);
}

TEST_CASE("SiteTree follows links only inside the site") {
  TempDir site, outside;
  write_file(outside.path() / "passwd", "root:x:0:0\n");
  write_file(outside.path() / "etc" / "hostname", "host\n");
  write_file(site.path() / "m" / "real.pdf", "%PDF-1.4\n");
  write_file(site.path() / "shared" / "map.png", "PNG");
  symlink(outside.path() / "passwd", site.path() / "m" / "secret.pdf");
  symlink(outside.path() / "etc", site.path() / "m" / "annex");
  symlink("real.pdf", site.path() / "m" / "alias.pdf");
  symlink("../shared", site.path() / "m" / "maps");
  SiteTree tree(site.path());

  SiteEntry secret = tree.find("m/secret.pdf");
  CHECK(secret.kind == SiteEntry::Kind::problem);
  CHECK(secret.problem.find("outside the site folder") != std::string::npos);
  // A path through a folder that is a link out of the site.
  SiteEntry through = tree.find("m/annex/hostname");
  CHECK(through.kind == SiteEntry::Kind::problem);
  CHECK(through.problem.find("outside the site folder") != std::string::npos);

  SiteEntry alias = tree.find("m/alias.pdf");
  REQUIRE(alias.is_file());
  CHECK(alias.resolved == fs::canonical(site.path() / "m" / "real.pdf"));
  CHECK(tree.find("m/maps/map.png").is_file());
  CHECK(tree.find("m/nothing.pdf").kind == SiteEntry::Kind::missing);

  std::string error;
  std::vector<SiteEntry> listed = tree.list(tree.find("m"), &error);
  CHECK(error.empty());
  std::map<std::string, SiteEntry::Kind> kinds;
  for (const SiteEntry& e : listed) kinds[e.name()] = e.kind;
  CHECK(kinds == std::map<std::string, SiteEntry::Kind>{{"alias.pdf", SiteEntry::Kind::file},
                                                        {"annex", SiteEntry::Kind::problem},
                                                        {"maps", SiteEntry::Kind::folder},
                                                        {"real.pdf", SiteEntry::Kind::file},
                                                        {"secret.pdf", SiteEntry::Kind::problem}});
}

TEST_CASE("SiteTree finds loops of folder links instead of walking them forever") {
  TempDir site;
  fs::create_directories(site.path() / "m" / "x");
  fs::create_directories(site.path() / "m" / "y");
  symlink(".", site.path() / "m" / "loop");
  symlink("../..", site.path() / "m" / "x" / "up");
  symlink("../y", site.path() / "m" / "x" / "to-y");
  symlink("../x", site.path() / "m" / "y" / "to-x");
  SiteTree tree(site.path());
  // A walk of every folder it can reach: it must end, and say where the
  // loops are.
  std::vector<std::string> loops;
  std::vector<SiteEntry> todo = {tree.find("m")};
  size_t walked = 0;
  while (!todo.empty() && walked < 100) {
    SiteEntry dir = std::move(todo.back());
    todo.pop_back();
    ++walked;
    for (SiteEntry& e : tree.list(dir, nullptr)) {
      if (e.is_folder())
        todo.push_back(std::move(e));
      else if (e.kind == SiteEntry::Kind::problem && e.problem.find("loop") != std::string::npos)
        loops.push_back(e.rel);
    }
  }
  CHECK(walked < 100);
  std::sort(loops.begin(), loops.end());
  CHECK(loops == std::vector<std::string>{"m/loop", "m/x/to-y/to-x", "m/x/up", "m/y/to-x/to-y",
                                          "m/y/to-x/up"});
}

TEST_CASE("files: replace_file writes beside and renames over, leaving nothing else") {
  TempDir dir;
  const fs::path file = dir.path() / "cache/state";
  std::string error;
  REQUIRE(sitegen::replace_file(file, "one", &error));
  CHECK(sitegen::read_whole_file(file) == std::optional<std::string>("one"));
  REQUIRE(sitegen::replace_file(file, std::string(100000, 'x'), &error));
  CHECK(sitegen::read_whole_file(file)->size() == 100000);
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(file.parent_path())) entries += e.exists();
  CHECK(entries == 1);
  // A folder where the file's folder should be: an error naming the file.
  sitegen::testing::write_file(dir.path() / "plain", "x");
  CHECK_FALSE(sitegen::replace_file(dir.path() / "plain/state", "y", &error));
  CHECK(error.find("plain/state") != std::string::npos);
}
