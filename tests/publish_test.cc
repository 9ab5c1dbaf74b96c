// Publisher: a new tree swapped in whole, or files replaced in place, each
// by a rename, and left alone when nothing in them changed.
#include "site-gen/publish.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "tests/site_fixture.h"

using sitegen::Publisher;
using sitegen::testing::read_file;
using sitegen::testing::TempDir;
using sitegen::testing::write_file;
namespace fs = std::filesystem;

namespace {
ino_t inode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_ino;
}
}  // namespace

TEST_CASE("publish: a staged tree replaces the published one only at commit") {
  TempDir dir;
  fs::path out = dir.path() / "public";
  write_file(out / "old.html", "old");
  std::string error;
  {
    Publisher pub(out);
    REQUIRE(pub.ok());
    REQUIRE(pub.write("en/index.html", "new", &error));
    CHECK(fs::exists(out / "old.html"));  // not yet
    REQUIRE(pub.commit(&error));
  }
  CHECK(read_file(out / "en/index.html") == "new");
  CHECK_FALSE(fs::exists(out / "old.html"));
  {
    Publisher failed(out);
    REQUIRE(failed.write("en/index.html", "lost", &error));
  }  // no commit: the published tree is as it was
  CHECK(read_file(out / "en/index.html") == "new");
}

TEST_CASE("publish: in place, a changed file is replaced and an unchanged one left alone") {
  TempDir dir;
  fs::path out = dir.path() / "public";
  write_file(out / "en/a/index.html", "same");
  write_file(out / "en/b/index.html", "before");
  ino_t a = inode_of(out / "en/a/index.html"), b = inode_of(out / "en/b/index.html");
  Publisher pub = Publisher::in_place(out);
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
