// Messages about content (issue 10, point 9): each names the file and line
// the author wrote, one mistake gives one message, and a message never
// carries raw control characters or invalid UTF-8. The end-to-end rules are
// in bad_input_test.cc; these are the pieces, over strings.
#include <doctest/doctest.h>

#include <algorithm>

#include "site-gen/front_matter.h"
#include "site-gen/load.h"
#include "site-gen/markup.h"
#include "site-gen/pages.h"
#include "site-gen/resolve.h"
#include "site-gen/utf8.h"
#include "site-gen/yaml_util.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;

namespace {

std::string all_messages(const Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.sorted()) out += d.str() + "\n";
  return out;
}

std::vector<std::string> messages(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.sorted()) out.push_back(d.str());
  return out;
}

std::vector<int> link_lines(const Body& b) {
  std::vector<int> out;
  for (const Link& l : b.links()) out.push_back(l.line);
  return out;
}

// The errors of one Markdown (or HTML) body, as "line: message".
std::vector<std::string> body_problems(std::string_view text, bool html = false) {
  Diagnostics diags;
  if (html)
    html_body(text, 1, &diags, "p.html");
  else
    markdown_body(text, 1, &diags, "p.md");
  std::vector<std::string> out;
  for (const auto& d : diags.sorted()) out.push_back(std::to_string(d.line) + ": " + d.message);
  return out;
}

bool starts(const std::vector<std::string>& list, size_t i, const std::string& prefix) {
  return i < list.size() && list[i].rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("messages: an unclosed flow bracket or brace is reported where it was opened") {
  struct Case {
    std::string yaml;
    int line;
    const char* bracket;
  };
  const Case cases[] = {
      {"iso: ML\nsigned: [1997-12-04\n", 2, "["},
      {"a: 1\nnames: [Mali,\n  Malí\nsigned: 1997-12-04\nratified: 1998-06-02\n", 2, "["},
      {"a: 1\nb: {en: x,\n  fr: y\nc: 3\n", 2, "{"},
      {"# a [ in a comment\nt: \"[quoted\"\nu: 'it''s ['\nv: a[1]\nw: [x, [y]\nz: 1\n", 5, "["},
      {"list:\n  - [a, b]\n  - {c: [d]\n  - e\n", 3, "{"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.yaml);
    Diagnostics diags;
    CHECK_FALSE(parse_yaml(c.yaml, {"f.yaml", 1}, diags));
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].line == c.line);
    CHECK(diags.items()[0].message.find(std::string("unclosed ") + c.bracket) != std::string::npos);
  }
  SUBCASE("in front matter: the file line") {
    Diagnostics diags;
    parse_yaml("symbol: W\ntopics: [a,\n  b\n", {"d.md", 2}, diags);
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].line == 3);
  }
  SUBCASE("other syntax errors keep yaml-cpp's line") {
    Diagnostics diags;
    parse_yaml("a: [x]]\n", {"f.yaml", 1}, diags);
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].line == 1);
    CHECK(diags.items()[0].message.find("unclosed") == std::string::npos);
  }
}

TEST_CASE("messages: CR-only and CRLF files are read as their lines") {
  CHECK(normalize_text("a\rb\r\nc\n\rd") == "a\nb\nc\n\nd");
  FrontMatter fm = split_front_matter("---\rtitle: T\rtopics: [x]\r---\rline 5\r\rline 7\r");
  REQUIRE(fm.ok());
  CHECK(fm.yaml == "title: T\ntopics: [x]\n");
  CHECK(fm.body_line == 5);
  CHECK(link_lines(markdown_body(fm.body.substr(0) + "[l](/x)\n", fm.body_line)) ==
        std::vector<int>{8});
}

TEST_CASE("messages: every link's line is its source line") {
  SUBCASE("paragraphs over several lines, two links on one line") {
    Body b = markdown_body("Intro on\nthree\nlines.\n\nA [a](/a) and [b](/b)\nthen [c](/c).\n", 8);
    CHECK(link_lines(b) == std::vector<int>{12, 12, 13});
  }
  SUBCASE("lists, nested lists and block quotes") {
    Body b = markdown_body("- one\n- [a](/a)\n  - [b](/b)\n\n> quote\n> [c](/c) [d](/d)\n", 1);
    CHECK(link_lines(b) == std::vector<int>{2, 3, 6, 6});
  }
  SUBCASE("tables") {
    Body b =
        markdown_body("| h | [x](/x) |\n|---|---|\n| [a](/a) | [b](/b) |\n| c | [d](/d) |\n", 1);
    CHECK(link_lines(b) == std::vector<int>{1, 3, 3, 4});
  }
  SUBCASE("reference-style links: where they are used") {
    Body b = markdown_body("[r1]: /one\n\nSee [one][r1] and [two][r2].\n\n[r2]: /two\n", 1);
    CHECK(link_lines(b) == std::vector<int>{3, 3});
  }
  SUBCASE("the same URL twice, and a URL that is also text") {
    Body b = markdown_body("The page /en/x/ moved.\n\n[x](/en/x/)\n\n[again](/en/x/)\n", 1);
    CHECK(link_lines(b) == std::vector<int>{3, 5});
  }
  SUBCASE("URLs md4c rewrites: entities, escapes, spaces, non-ASCII") {
    Body b = markdown_body("a\n\n[e](/t&#119;o/) [s](/a\\_b/)\n[sp](</a b/>) [zh](/zh/页面/)\n", 1);
    CHECK(link_lines(b) == std::vector<int>{3, 3, 4, 4});
  }
  SUBCASE("empty labels, images, autolinks") {
    Body b = markdown_body(
        "x\n\n[](/empty)\n![](/img.png) ![alt](/b.png)\n<https://e.org/> www.e.org\n", 1);
    CHECK(link_lines(b) == std::vector<int>{3, 4, 4, 5, 5});
  }
  SUBCASE("raw HTML in Markdown, inline and as a block") {
    Body b = markdown_body(
        "Text <a href=\"/i\">i</a>.\n\n<div>\n<p><a href=\"/b1\">1</a></p>\n\n<a "
        "href=\"/b2\">2</a> "
        "<img src=\"/b3.png\">\n</div>\n",
        1);
    CHECK(link_lines(b) == std::vector<int>{1, 4, 6, 6});
  }
  SUBCASE("code blocks and headings before the links") {
    Body b = markdown_body(
        "# [h](/h)\n\n```\ncode [no](/no)\nmore\n```\n\n    indented\n\n[a](/a)\n", 3);
    CHECK(link_lines(b) == std::vector<int>{3, 12});
  }
  SUBCASE("HTML bodies") {
    Body b = html_body(
        "<p>one</p>\n<p><a href=\"/a\">a</a> <a href=\"/b\">b</a>\n<img\n src=\"/c.png\"></p>\n",
        7);
    CHECK(link_lines(b) == std::vector<int>{8, 8, 10});
  }
}

TEST_CASE("messages: raw HTML left open that would swallow the rest is reported") {
  struct Case {
    const char* text;
    const char* expected;  // "line: unclosed ..."
    bool html = false;
  };
  const Case cases[] = {
      {"Intro.\n\n<style>\np { color: red }\n\nThe rest.\n", "3: unclosed <style>"},
      {"Intro.\n\n<svg>\n\nThe rest.\n", "3: unclosed <svg>"},
      {"Intro.\n\n<script>\nx()\n\nThe rest.\n", "3: unclosed <script>"},
      {"Intro.\n\n<textarea>\n\nThe rest.\n", "3: unclosed <textarea>"},
      {"Intro.\n\n<pre>\ncode\n\nThe [rest](/r).\n", "3: unclosed <pre>"},
      {"Intro.\n\n<!-- a note\n\nThe rest.\n", "3: unclosed <!-- comment"},
      {"Intro.\n\n<![CDATA[ x\n\nThe rest.\n", "3: unclosed <![CDATA["},
      {"Intro.\n\n<?php x\n\nThe rest.\n", "3: unclosed <?"},
      {"a\n\nb <math> c\n\nThe rest.\n", "3: unclosed <math>"},
      {"<p>a</p>\n<STYLE type=x>\n<p>rest</p>\n", "2: unclosed <style>", true},
      {"<p>a</p>\n<svg><svg></svg>\n<p>rest</p>\n", "2: unclosed <svg>", true},
      {"<p>a</p>\n<a href=\"/x>b</a>\n<p>rest</p>\n", "2: unclosed \" in the <a> tag", true},
      {"<p>a</p>\n<a href = '/x>b</a>\n<p>rest</p>\n", "2: unclosed ' in the <a> tag", true},
      {"<p>a</p>\n<a href=x\n\n<p\n", "2: unclosed <a href=x", true},
      {"Intro.\n\n<div title=\"x\n\nThe rest.\n", "3: unclosed \" in the <div> tag"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto found = body_problems(c.text, c.html);
    CHECK(found.size() == 1);
    CHECK(starts(found, 0, c.expected));
  }
  SUBCASE("closed, empty, or only text: nothing to report") {
    const char* fine[] = {
        "<style>p {}</style>\n\nText.\n",
        "<svg><circle/></svg>\n\nText.\n",
        "<svg/>\n\nText.\n",
        "<!-- a comment -->\n\nText.\n",
        "<pre>\nx\n</pre>\n\nText.\n",
        "a <b>bold</b> word.\n",
        "<p title=\"<style> <!--\" class='<svg>'>Text</p>\n",
        "<img src=x>Text\n",
    };
    for (const char* text : fine) {
      CAPTURE(text);
      CHECK(body_problems(text).empty());
      CHECK(body_problems(text, true).empty());
      bool kept = markdown_body(text, 1).text().find("Text") != std::string::npos ||
                  std::string_view(text).find("Text") == std::string_view::npos;
      CHECK(kept);
    }
    // Markdown only: in code, or not HTML at all.
    for (const char* text : {"Text `<style>` and `<!--` in code.\n",
                             "```\n<script>\n<!--\n```\n\nText.\n", "1 < 2, 3 <= 4\n"}) {
      CAPTURE(text);
      CHECK(body_problems(text).empty());
    }
  }
  SUBCASE("the text is not kept: so the error must be there") {
    Body b = markdown_body("Intro.\n\n<svg>\n\nThe rest.\n", 1);
    CHECK(b.text().find("rest") == std::string::npos);
  }
}

namespace {

// A site whose document wp7 has six language versions; `zh_topics` and
// `all_topics` go into the front matter of the zh version and of every one.
std::map<std::string, std::string> six_versions(const std::string& zh_extra,
                                                const std::string& all_extra) {
  std::map<std::string, std::string> files = {
      {"site.yaml", "title: T\nlanguages: [en, fr, es, ar, ru, zh]\n"},
      {"content/countries/denmark.yaml", "iso: DK\n"},
      {"content/topics.yaml", "victims:\n  names: { en: Victims }\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\ntitle: { en: M }\nstart: 2025-12-01\nend: 2025-12-05\n"},
  };
  for (std::string lang : {"en", "fr", "es", "ar", "ru", "zh"})
    files["content/meetings/msp22/wp7." + lang + ".md"] =
        "---\nsymbol: APLC/MSP.22/2025/WP.7\ntitle: T\ndate: 2025-12-01\ntype: working-paper\n"
        "original: en\n" +
        all_extra + (lang == "zh" ? zh_extra : "") + "---\nText.\n";
  return files;
}

Diagnostics check_site(const std::map<std::string, std::string>& files) {
  TempDir dir;
  write_site(dir.path(), files);
  Diagnostics diags;
  Content c = load_site(dir.path(), diags);
  resolve_site(std::move(c), Date{2026, 1, 1}, diags);
  return diags;
}

}  // namespace

TEST_CASE("messages: a reference is reported in the file it was written in, once") {
  SUBCASE("only the zh version has it") {
    Diagnostics diags =
        check_site(six_versions("topics: [victims, nope]\ncountries: [DK, QQ]\nfiles: [gone.pdf]\n"
                                "page_aliases: [/old/wp7/]\n",
                                ""));
    INFO(all_messages(diags));
    auto list = messages(diags);
    REQUIRE(list.size() == 3);
    CHECK(list[0].rfind("content/meetings/msp22/wp7.zh.md:7: unknown topic \"nope\"", 0) == 0);
    CHECK(list[1].rfind("content/meetings/msp22/wp7.zh.md:8: unknown country \"QQ\"", 0) == 0);
    CHECK(list[2].rfind("content/meetings/msp22/wp7.zh.md:9: attachment \"gone.pdf\"", 0) == 0);
  }
  SUBCASE("every version has it: each file once") {
    Diagnostics diags = check_site(six_versions("", "topics: [nope, nope]\n"));
    INFO(all_messages(diags));
    auto list = messages(diags);
    REQUIRE(list.size() == 6);
    for (const std::string& m : list)
      CHECK(m.find(":7: unknown topic \"nope\"") != std::string::npos);
    CHECK(std::count_if(list.begin(), list.end(), [](const std::string& m) {
            return m.rfind("content/meetings/msp22/wp7.ar.md:", 0) == 0;
          }) == 1);
  }
  SUBCASE("an invalid field does not hide the references") {
    auto files = six_versions("", "");
    files["content/meetings/msp22/wp7.zh.md"] =
        "---\nsymbol: APLC/MSP.22/2025/WP.7\ntitle: T\ndate: 2025-12-01\ntype: banana\n"
        "original: en\ncountries: [QQ]\ntopics: [nope]\n---\nText.\n";
    Diagnostics diags = check_site(files);
    INFO(all_messages(diags));
    auto list = messages(diags);
    CHECK(std::any_of(list.begin(), list.end(), [](const std::string& m) {
      return m.find("wp7.zh.md:8: unknown topic \"nope\"") != std::string::npos;
    }));
    CHECK(std::any_of(list.begin(), list.end(), [](const std::string& m) {
      return m.find("wp7.zh.md:7: unknown country \"QQ\"") != std::string::npos;
    }));
    CHECK(std::any_of(list.begin(), list.end(), [](const std::string& m) {
      return m.find("wp7.zh.md:5: unknown type \"banana\"") != std::string::npos;
    }));
  }
}

TEST_CASE("messages: page aliases are reported in the version that wrote them") {
  Diagnostics diags;
  {
    TempDir dir;
    auto files = six_versions("page_aliases: [\"/en/index.html\"]\n", "");
    write_site(dir.path(), files);
    Content c = load_site(dir.path(), diags);
    auto site = resolve_site(std::move(c), Date{2026, 1, 1}, diags);
    plan_pages(*site, {}, diags);
  }
  INFO(all_messages(diags));
  auto list = messages(diags);
  REQUIRE_FALSE(list.empty());
  CHECK(list[0].rfind("content/meetings/msp22/wp7.zh.md:7: page alias", 0) == 0);
}
