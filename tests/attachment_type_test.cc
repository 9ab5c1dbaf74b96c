// attachment_type: only passive types pass, by the extension (any case) and
// by the bytes (libmagic); each refusal says why.
#include "site-gen/attachment_type.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "tests/passive_files.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;

TEST_CASE("attachment_type: every passive type passes by name and content") {
  for (const auto& [name, data] : passive_samples()) {
    INFO(name);
    CHECK(attachment_type_problem(name, data) == std::nullopt);
  }
  TempDir dir;
  write_passive_zips(dir.path());
  for (const char* name : {"paper.docx", "bundle.zip", "sheet.xlsx", "text.odt"}) {
    INFO(name);
    CHECK(attachment_file_problem(dir.path() / name, name) == std::nullopt);
  }
}

TEST_CASE("attachment_type: active or disguised files are refused, saying why") {
  for (const auto& [name, data] : active_samples()) {
    INFO(name);
    auto problem = attachment_type_problem(name, data);
    REQUIRE(problem);
    CHECK(problem->rfind("attachment \"" + name + "\"", 0) == 0);
  }
  CHECK(*attachment_type_problem("image.svg", "<svg/>") ==
        "attachment \"image.svg\" is a .svg file, which a browser can run scripts in; accepted: " +
            std::string(accepted_attachment_types()));
  CHECK(*attachment_type_problem("x.PDF", "<!DOCTYPE html><script>alert(1)</script>") ==
        "attachment \"x.PDF\" is named .pdf but its content is text/html, not a PDF");
  CHECK(*attachment_type_problem("x.txt", "<html><script>alert(1)</script></html>") ==
        "attachment \"x.txt\" is named .txt but its content is text/html, not plain text");
  CHECK(attachment_type_problem("x.exe", "MZ")->find("is a .exe file, not a passive type") !=
        std::string::npos);
  CHECK(attachment_type_problem("README", "x")->find("has no file extension") != std::string::npos);
}

TEST_CASE("attachment_type: a file that cannot be read is refused") {
  TempDir dir;
  REQUIRE(::mkfifo((dir.path() / "pipe.pdf").c_str(), 0644) == 0);
  auto problem = attachment_file_problem(dir.path() / "pipe.pdf", "pipe.pdf");
  REQUIRE(problem);
  CHECK(*problem ==
        "attachment \"pipe.pdf\": cannot read: it is a FIFO (named pipe), not a regular file");
}
