#include "site-gen/front_matter.h"

#include <doctest/doctest.h>

using sitegen::FrontMatterNeed;
using sitegen::split_front_matter;

TEST_CASE("front_matter: splits YAML and body with their lines") {
  auto fm = split_front_matter("---\ntitle: T\ndate: 2025-01-02\n---\nBody\nmore\n");
  REQUIRE(fm.ok());
  CHECK(fm.present);
  CHECK(fm.yaml == "title: T\ndate: 2025-01-02\n");
  CHECK(fm.yaml_line == 2);
  CHECK(fm.body == "Body\nmore\n");
  CHECK(fm.body_line == 5);
}

TEST_CASE("front_matter: empty front matter and empty body") {
  auto fm = split_front_matter("---\n---\n");
  REQUIRE(fm.ok());
  CHECK(fm.yaml.empty());
  CHECK(fm.body.empty());
  CHECK(fm.body_line == 3);
}

TEST_CASE("front_matter: a UTF-8 BOM and CRLF line ends are accepted") {
  auto fm = split_front_matter("\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\nBody\r\n");
  REQUIRE(fm.ok());
  CHECK(fm.yaml == "title: T\n");
  CHECK(fm.body == "Body\n");
  CHECK(fm.body_line == 4);
}

TEST_CASE("front_matter: a closing line with trailing blanks still closes") {
  auto fm = split_front_matter("---\ntitle: T\n---  \nBody");
  REQUIRE(fm.ok());
  CHECK(fm.body == "Body");
}

TEST_CASE("front_matter: a file not starting with --- is an error when required") {
  auto fm = split_front_matter("title: T\n---\nBody\n");
  CHECK_FALSE(fm.ok());
  CHECK(fm.error_line == 1);
  CHECK(fm.error == "missing front matter: the file must start with a line \"---\"");
}

TEST_CASE("front_matter: optional front matter: the whole file is body") {
  auto fm = split_front_matter("\xEF\xBB\xBF# Title\r\nText\r\n", FrontMatterNeed::optional);
  REQUIRE(fm.ok());
  CHECK_FALSE(fm.present);
  CHECK(fm.body == "# Title\nText\n");
  CHECK(fm.body_line == 1);
}

TEST_CASE("front_matter: an unclosed front matter is reported on line 1") {
  for (auto text : {"---\nsymbol: W3\ntitle: T\n", "---", "---\n"}) {
    CAPTURE(text);
    auto fm = split_front_matter(text, FrontMatterNeed::optional);
    CHECK_FALSE(fm.ok());
    CHECK(fm.error_line == 1);
    CHECK(fm.error == "front matter opened on line 1 is never closed (expected a line \"---\")");
  }
}

TEST_CASE("front_matter: --- inside the body is body") {
  auto fm = split_front_matter("---\na: 1\n---\nx\n---\ny\n");
  REQUIRE(fm.ok());
  CHECK(fm.yaml == "a: 1\n");
  CHECK(fm.body == "x\n---\ny\n");
}

TEST_CASE("front_matter: CR-only line ends are lines too") {
  CHECK(sitegen::normalize_text("a\rb\r\nc\n\rd") == "a\nb\nc\n\nd");
  sitegen::FrontMatter fm =
      split_front_matter("---\rtitle: T\rtopics: [x]\r---\rline 5\r\rline 7\r");
  REQUIRE(fm.ok());
  CHECK(fm.present);
  CHECK(fm.yaml == "title: T\ntopics: [x]\n");
  CHECK(fm.body == "line 5\n\nline 7\n");
  CHECK(fm.body_line == 5);
}
