// CSV (site-gen/csv.h): RFC 4180 records with their lines, and every
// malformed one reported where it starts.
#include "site-gen/csv.h"

#include <doctest/doctest.h>

using namespace sitegen;

namespace {

std::string messages(const Diagnostics& d) {
  std::string s;
  for (const auto& x : d.sorted()) s += x.str() + "\n";
  return s;
}

}  // namespace

TEST_CASE(
    "csv: quoted fields hold commas, doubled quotes and line breaks, and CRLF or LF ends a "
    "record") {
  Diagnostics diags;
  const auto records = parse_csv(
      "\xEF\xBB\xBF"
      "file,title\r\n"
      "a.pdf,\"Report, final\"\r\n"
      "b.pdf,\"He said \"\"no\"\"\"\n"
      "\n"
      "c.pdf,\"two\r\nlines\"\n"
      "d.pdf,\n"
      "e.pdf,\"\",x\n"
      "f.pdf,العربية 中文",
      "meta.csv", diags);
  CHECK(messages(diags) == "");
  REQUIRE(records.size() == 7);
  CHECK(records[0].line == 1);
  CHECK(records[0].fields ==
        std::vector<std::string>{"file", "title"});  // the byte order mark is gone
  CHECK(records[1].fields == std::vector<std::string>{"a.pdf", "Report, final"});
  CHECK(records[2].fields == std::vector<std::string>{"b.pdf", "He said \"no\""});
  CHECK(records[3].line == 5);  // after the empty line
  CHECK(records[3].fields == std::vector<std::string>{"c.pdf", "two\r\nlines"});
  CHECK(records[4].line == 7);  // the quoted line break counted
  CHECK(records[4].fields == std::vector<std::string>{"d.pdf", ""});
  CHECK(records[5].fields == std::vector<std::string>{"e.pdf", "", "x"});
  CHECK(records[6].fields == std::vector<std::string>{"f.pdf", "العربية 中文"});
}

TEST_CASE("csv: each malformed record is reported at its line and left out, the others read") {
  Diagnostics diags;
  const auto records = parse_csv(
      "file,title\n"
      "a.pdf,say \"hi\"\n"
      "b.pdf,\"closed\" then more\n"
      "c.pdf,fine\n"
      "d.pdf,\"never\nclosed\n",
      "meta.csv", diags);
  CHECK(
      messages(diags) ==
      "meta.csv:2: a quote inside an unquoted field (quote the whole field and double the quote)\n"
      "meta.csv:3: text after a closing quote (a quote inside a quoted field is written twice)\n"
      "meta.csv:5: a quoted field is not closed\n");
  REQUIRE(records.size() == 2);
  CHECK(records[1].fields == std::vector<std::string>{"c.pdf", "fine"});
  CHECK(records[1].line == 4);
}

TEST_CASE("csv: invalid UTF-8 or a NUL byte is refused at its line") {
  Diagnostics diags;
  const char text[] = "file,title\na.pdf,\xC3\x28\nb.pdf,x\0y\n";
  CHECK(parse_csv(std::string(text, sizeof text - 1), "meta.csv", diags).empty());
  CHECK(messages(diags).find("meta.csv:2: invalid UTF-8") == 0);
  CHECK(messages(diags).find("meta.csv:3:") != std::string::npos);
}
