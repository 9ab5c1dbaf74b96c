// read_whole_file: every byte, whatever the size, and nullopt for what is
// not a readable file.
#include "site-gen/files.h"

#include <doctest/doctest.h>

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
