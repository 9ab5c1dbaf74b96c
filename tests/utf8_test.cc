// UTF-8 checks: content text must be UTF-8 without NUL, reported at its
// lines; messages come out with control characters and invalid bytes escaped.
#include "site-gen/utf8.h"

#include <doctest/doctest.h>

#include "site-gen/yaml_util.h"

using namespace sitegen;

namespace {

std::vector<std::string> messages(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.sorted()) out.push_back(d.str());
  return out;
}

}  // namespace

TEST_CASE("utf8: control characters and invalid UTF-8 are escaped") {
  CHECK(printable("plain, Genève, 中文") == "plain, Genève, 中文");
  CHECK(printable(std::string("a\0b", 3)) == "a\\0b");
  CHECK(printable("\x1b[31mred\t\n\r") == "\\x1b[31mred\\t\\n\\r");
  CHECK(printable("\x7f") == "\\x7f");
  CHECK(printable("\xc2\x9b"
                  "2J") == "\\u009b2J");  // C1 CSI
  CHECK(printable("bad \xff byte \xc3") == "bad \\xff byte \\xc3");
  CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  Diagnostic d{std::string("content/a\0.md", 13), 3, "unknown topic \"\x1b]0;x\x07\""};
  CHECK(d.str() == "content/a\\0.md:3: unknown topic \"\\x1b]0;x\\x07\"");
}

TEST_CASE("utf8: invalid UTF-8 and NUL are reported at their lines") {
  Diagnostics diags;
  report_bad_bytes("ok\nbad \xff\nok\n\xe2\x82\nfine \xe2\x82\xac\n" + std::string("n\0l\n", 4),
                   "f.yaml", 10, diags);
  auto list = messages(diags);
  REQUIRE(list.size() == 3);
  CHECK(list[0] == "f.yaml:11: invalid UTF-8 (byte 0xff; content files must be saved as UTF-8)");
  CHECK(list[1].rfind("f.yaml:13: invalid UTF-8 (byte 0xe2", 0) == 0);
  CHECK(list[2] == "f.yaml:15: NUL byte in the text (content files are UTF-8 text)");
  SUBCASE("one message per line, and a few lines at most") {
    Diagnostics many;
    std::string text;
    for (int i = 0; i < 100; ++i) text += "\xff\xff\xff\n";
    report_bad_bytes(text, "g.md", 1, many);
    CHECK(many.items().size() == 6);
    CHECK(many.items().back().message.find("only the first 5") != std::string::npos);
  }
  SUBCASE("in YAML (parse_yaml), at the file line of a front matter") {
    Diagnostics y;
    parse_yaml("title: ok\nnote: \"\xc0\xaf\"\n", {"d.md", 2}, y);
    REQUIRE(y.items().size() == 1);
    CHECK(y.items()[0].line == 3);
  }
}
