// `site-gen --version`: the project's version and the libraries' run-time
// versions.
#include "site-gen/version.h"

#include <doctest/doctest.h>
#include <libxml/xmlversion.h>
#include <unicode/uvernum.h>

#include <regex>

#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;

TEST_CASE("version: the project's version from CMakeLists.txt, then each library's") {
  // The version CMake was given, read from the file, not through the define.
  const std::string cmake = read_file(std::string(SITE_GEN_SOURCE_DIR) + "/CMakeLists.txt");
  std::smatch m;
  REQUIRE(std::regex_search(cmake, m, std::regex(R"(project\(site-gen VERSION ([0-9.]+))")));
  CHECK(std::string(tool_version()) == m[1].str());

  const std::string text = version_text();
  CHECK(text.rfind("site-gen " + m[1].str() + "\n", 0) == 0);
  // The headers' versions: the same libraries at run time, on one machine.
  CHECK(text.find("\n  libxml2 " LIBXML_DOTTED_VERSION "\n") != std::string::npos);
  CHECK(text.find("\n  ICU " U_ICU_VERSION) != std::string::npos);
  for (const char* line :
       {R"(\n  Xapian \d+\.\d+\.\d+\n)", R"(\n  ICU \d+\.\d+(\.\d+)*\n)",
        R"(\n  poppler \d+\.\d+\.\d+\n)", R"(\n  libzip \d+\.\d+)", R"(\n  libmagic \d+\.\d+\n)",
        R"(\n  libmicrohttpd \d+\.\d+\.\d+)", R"(\n  md4c \d+\.\d+\.\d+ \(built with)"}) {
    CAPTURE(line);
    CHECK(std::regex_search(text, std::regex(line)));
  }
}

TEST_CASE("version: --version and `version` print it and exit 0, and --help names them") {
  for (const char* args : {"--version", "version"}) {
    CAPTURE(args);
    RunResult r = run_site_gen(args);
    CHECK(r.exit_code == 0);
    CHECK(r.output == version_text());
  }
  RunResult help = run_site_gen("--help");
  CHECK(help.output.find("site-gen --version") != std::string::npos);
  CHECK(help.output.find("site-gen new DIR") != std::string::npos);
}
