// Bad input (SITE-FORMAT §5): each rule gives `path:line: message`, all
// problems come out of one run, the exit code is non-zero, and the
// previously published tree is left exactly as it was.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "tests/site_fixture.h"

using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string> kGoodSite = {
    {"site.yaml", "title: Test\nlanguages: [en, fr]\n"},
    {"content/countries/angola.yaml", "iso: AO\nsigned: 1997-12-04\n"},
    {"content/meetings/msp1/meeting.yaml",
     "kind: msp\ntitle: { en: First Meeting }\nstart: 1999-05-03\nend: 1999-05-07\n"},
    {"content/meetings/msp1/report.en.md",
     "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Report\ndate: 1999-05-07\ntype: report\n---\nText.\n"},
    {"content/topics.yaml", "victims:\n  names: { en: Victim assistance }\n"},
};

// Links after a multi-line paragraph, a list and a table; on line 14 one
// whose URL md4c decodes (&#119; is w) and a reference-style one.
const char* const kLinksPage =
    "---\ntitle: Links\n---\nIntro\non two lines.\n\n- a list\n- [ok](/en/)\n\n| a | b |\n"
    "|---|---|\n| [x](/en/cell/) | y |\n\nSee [one](/en/one/) and [two](/en/t&#119;o/), [3][t].\n"
    "\n[t]: /en/three/\n";

struct Rule {
  const char* name;
  std::map<std::string, std::string> files;  // added to (or replacing) the good site
  const char* expected;                      // the start of the message
};

const std::vector<Rule>& rules() {
  static const std::vector<Rule> list = {
      {"unknown country",
       {{"content/meetings/msp1/wp1.en.md",
         "---\nsymbol: W1\ntitle: T\ndate: 1999-05-04\ntype: statement\ncountries: [XX]\n---\n"}},
       "content/meetings/msp1/wp1.en.md:6: unknown country \"XX\""},
      {"unknown topic",
       {{"content/meetings/msp1/wp2.en.md",
         "---\nsymbol: W2\ntitle: T\ndate: 1999-05-04\ntype: statement\ntopics: [nope]\n---\n"}},
       "content/meetings/msp1/wp2.en.md:6: unknown topic \"nope\""},
      {"unknown meeting",
       {{"content/countries/chad.yaml",
         "iso: TD\narticle5:\n  original_deadline: 2009-11-01\n  extensions:\n"
         "    - granted_at: msp99\n      deadline: 2011-01-01\n"}},
       "content/countries/chad.yaml:5: unknown meeting \"msp99\""},
      {"unknown president",
       {{"content/meetings/msp2/meeting.yaml",
         "kind: msp\ntitle: { en: Second }\nstart: 2000-09-11\nend: 2000-09-15\npresident: ZZ\n"}},
       "content/meetings/msp2/meeting.yaml:5: unknown country \"ZZ\""},
      {"unknown language suffix",
       {{"content/meetings/msp1/report.de.md",
         "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Bericht\ndate: 1999-05-07\ntype: report\n---\n"}},
       "content/meetings/msp1/report.de.md:1: unknown language \"de\""},
      {"duplicate ISO",
       {{"content/countries/angola2.yaml", "iso: AO\n"}},
       "content/countries/angola2.yaml:1: duplicate"},
      {"duplicate symbol",
       {{"content/meetings/msp1/other.en.md",
         "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Other\ndate: 1999-05-07\ntype: report\n---\n"}},
       ": duplicate symbol"},
      {"bad date",
       {{"content/countries/togo.yaml", "iso: TG\nsigned: 1997-02-30\n"}},
       "content/countries/togo.yaml:2: invalid date"},
      {"malformed YAML",
       {{"content/countries/mali.yaml", "iso: ML\nsigned: [1997-12-04\n"}},
       "content/countries/mali.yaml:2: malformed YAML: unclosed ["},
      {"unclosed [ over several lines: the line that opened it",
       {{"content/countries/benin.yaml",
         "iso: BJ\nnames: [Benin,\n  Bénin\nsigned: 1997-12-03\nratified: 1998-09-25\n"}},
       "content/countries/benin.yaml:2: malformed YAML: unclosed ["},
      {"malformed front matter",
       {{"content/meetings/msp1/wp3.en.md", "---\nsymbol: W3\ntitle: T\n"}},
       "content/meetings/msp1/wp3.en.md:1:"},
      {"missing required field",
       {{"content/meetings/msp1/wp4.en.md",
         "---\nsymbol: W4\ndate: 1999-05-04\ntype: statement\n---\nText\n"}},
       "content/meetings/msp1/wp4.en.md:"},
      {"broken internal link",
       {{"content/pages/about.en.md",
         "---\ntitle: About\n---\nIntro.\n\nSee [x](/en/nowhere/).\n"}},
       "content/pages/about.en.md:6: broken link \"/en/nowhere/\""},
      {"unknown topic in another language version: that version's file and line",
       {{"content/meetings/msp1/report.fr.md",
         "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Rapport\ndate: 1999-05-07\ntype: report\n"
         "topics: [nope-fr]\n---\nTexte.\n"}},
       "content/meetings/msp1/report.fr.md:6: unknown topic \"nope-fr\""},
      {"unknown country in another language version: that version's file and line",
       {{"content/meetings/msp1/decl.en.md",
         "---\nsymbol: D1\ntitle: D\ndate: 1999-05-04\ntype: decision\n---\n"},
        {"content/meetings/msp1/decl.fr.md",
         "---\nsymbol: D1\ntitle: D\ndate: 1999-05-04\ntype: decision\n\ncountries: [QY]\n---\n"}},
       "content/meetings/msp1/decl.fr.md:7: unknown country \"QY\""},
      {"unknown type does not hide the references of the same file",
       {{"content/meetings/msp1/wp5.en.md",
         "---\nsymbol: W5\ntitle: T\ndate: 1999-05-04\ntype: banana\ntopics: [nope5]\n---\n"}},
       "content/meetings/msp1/wp5.en.md:6: unknown topic \"nope5\""},
      {"original: not a site language",
       {{"content/meetings/msp1/wp6.en.md",
         "---\nsymbol: W6\ntitle: T\ndate: 1999-05-04\ntype: statement\noriginal: xx\n---\n"}},
       "content/meetings/msp1/wp6.en.md:6: unknown language \"xx\" for original"},
      {"iso in lower case",
       {{"content/countries/tonga.yaml", "iso: to\n"}},
       "content/countries/tonga.yaml:1: iso \"to\" must be upper case (TO)"},
      {"iso not assigned",
       {{"content/countries/nowhere.yaml", "# a made-up code\niso: QZ\n"}},
       "content/countries/nowhere.yaml:2: iso \"QZ\" is not an assigned ISO 3166-1 alpha-2 code"},
      {"country reference in lower case",
       {{"content/meetings/msp1/wp8.en.md",
         "---\nsymbol: W8\ntitle: T\ndate: 1999-05-04\ntype: statement\ncountries: [ao]\n---\n"}},
       "content/meetings/msp1/wp8.en.md:6: country code \"ao\" must be upper case (AO)"},
      {"president in lower case",
       {{"content/meetings/msp3/meeting.yaml",
         "kind: msp\ntitle: { en: Third }\nstart: 2001-09-18\nend: 2001-09-21\npresident: ao\n"}},
       "content/meetings/msp3/meeting.yaml:5: president \"ao\" must be upper case (AO)"},
      {"invalid UTF-8 in YAML",
       {{"content/countries/chile.yaml", "iso: CL\nnames: { en: \"Chil\xff\" }\n"}},
       "content/countries/chile.yaml:2: invalid UTF-8"},
      {"invalid UTF-8 in front matter",
       {{"content/meetings/msp1/wp9.en.md",
         "---\nsymbol: W9\ntitle: \"T\xc3\"\ndate: 1999-05-04\ntype: statement\n---\n"}},
       "content/meetings/msp1/wp9.en.md:3: invalid UTF-8"},
      {"invalid UTF-8 in a body",
       {{"content/pages/bytes.en.md", "---\ntitle: Bytes\n---\nFine.\n\nNot \xe9 fine.\n"}},
       "content/pages/bytes.en.md:6: invalid UTF-8"},
      {"a NUL byte in a body",
       {{"content/pages/nul.en.md", std::string("---\ntitle: N\n---\nA \0 B.\n", 22)}},
       "content/pages/nul.en.md:4: NUL byte"},
      {"a NUL in a value is escaped in the message",
       {{"content/meetings/msp1/wp10.en.md",
         "---\nsymbol: W10\ntitle: T\ndate: 1999-05-04\ntype: statement\n"
         "topics: [\"a\\0b\\e[31m\"]\n---\n"}},
       "content/meetings/msp1/wp10.en.md:6: unknown topic \"a\\0b\\x1b[31m\""},
      {"unclosed <style> in Markdown",
       {{"content/pages/style.en.md",
         "---\ntitle: S\n---\nIntro.\n\n<style>\np { color: red }\n\nRest.\n"}},
       "content/pages/style.en.md:6: unclosed <style>"},
      {"unclosed <svg> in Markdown",
       {{"content/pages/svg.en.md", "---\ntitle: G\n---\nIntro.\n\n<svg>\n\nThe rest.\n"}},
       "content/pages/svg.en.md:6: unclosed <svg>"},
      {"unclosed comment in an HTML body",
       {{"content/meetings/msp1/wp11.en.html",
         "---\nsymbol: W11\ntitle: T\ndate: 1999-05-04\ntype: statement\n---\n<p>a</p>\n<!-- "
         "b\n<p>c</p>\n"}},
       "content/meetings/msp1/wp11.en.html:8: unclosed <!-- comment"},
      {"malformed front matter does not hide the body's problems",
       {{"content/meetings/msp1/wp13.en.md", "---\nsymbol: [W13\ntitle: T\n---\nText \xff.\n"}},
       "content/meetings/msp1/wp13.en.md:5: invalid UTF-8"},
      {"CR-only line ends are lines",
       {{"content/meetings/msp1/wp12.en.md",
         "---\rsymbol: W12\rtitle: T\rdate: 1999-05-04\rtype: statement\rtopics: "
         "[nope12]\r---\rText.\r"}},
       "content/meetings/msp1/wp12.en.md:6: unknown topic \"nope12\""},
      {"two links on one line of a body, after a multi-line paragraph",
       {{"content/pages/links.en.md", kLinksPage}},
       "content/pages/links.en.md:14: broken link \"/en/two/\""},
      {"a reference-style link: where it is used, not where it is defined",
       {{"content/pages/links.en.md", kLinksPage}},
       "content/pages/links.en.md:14: broken link \"/en/three/\""},
      {"status contradicting the dates",
       {{"content/countries/niger.yaml",
         "iso: NE\nsigned: 1997-12-03\nratified: 1999-05-06\nentry_into_force: 1999-11-01\n"
         "status: not-party\n"}},
       "content/countries/niger.yaml:5: status not-party contradicts the dates"},
  };
  return list;
}

std::map<std::string, std::string> with(const std::map<std::string, std::string>& extra) {
  auto files = kGoodSite;
  for (const auto& [k, v] : extra) files[k] = v;
  return files;
}

}  // namespace

TEST_CASE("bad input: the good site builds") {
  TempDir dir;
  write_site(dir.path(), kGoodSite);
  RunResult r = run_site_gen("build --site " + dir.path().string() + " --as-of 2026-01-01");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find(" pages, ") != std::string::npos);
  CHECK(r.output.find("content is valid") == std::string::npos);
  RunResult check = run_site_gen("check --site " + dir.path().string() + " --as-of 2026-01-01");
  CHECK(check.exit_code == 0);
  CHECK(check.output == "site-gen: content is valid\n");
}

TEST_CASE("bad input: each rule is reported as path:line: message with a non-zero exit") {
  for (const Rule& rule : rules()) {
    std::string rule_name = rule.name;
    CAPTURE(rule_name);
    TempDir dir;
    write_site(dir.path(), with(rule.files));
    RunResult r = run_site_gen("check --site " + dir.path().string() + " --as-of 2026-01-01");
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(rule.expected) != std::string::npos);
  }
}

TEST_CASE("bad input: each rule leaves the published pages and index as they were") {
  for (const Rule& rule : rules()) {
    std::string rule_name = rule.name;
    CAPTURE(rule_name);
    TempDir dir;
    write_site(dir.path(), kGoodSite);
    std::string build = "build --site " + dir.path().string() + " --as-of 2026-01-01";
    REQUIRE(run_site_gen(build).exit_code == 0);
    fs::path page = dir.path() / "public/en/meetings/msp1/index.html";
    std::string before = read_file(page);
    std::string search = "search --index " + (dir.path() / "public-index").string() + " --json report";
    std::string found_before = run_site_gen(search).output;
    REQUIRE(found_before.find("APLC/MSP.1/1999/1") != std::string::npos);

    write_site(dir.path(), rule.files);
    RunResult r = run_site_gen(build);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(rule.expected) != std::string::npos);
    CHECK(read_file(page) == before);
    CHECK(run_site_gen(search).output == found_before);
  }
}

TEST_CASE("bad input: every problem in one run, and the published tree is untouched") {
  TempDir dir;
  std::map<std::string, std::string> extra;
  for (const Rule& rule : rules())
    for (const auto& [k, v] : rule.files) extra[k] = v;  // later rules win on shared paths
  write_site(dir.path(), kGoodSite);
  fs::path out = dir.path() / "public";
  RunResult first = run_site_gen("build --site " + dir.path().string() + " --as-of 2026-01-01");
  REQUIRE(first.exit_code == 0);
  write_file(out / "marker.txt", "published before");
  std::string before = read_file(out / "en/meetings/msp1/index.html");

  write_site(dir.path(), extra);
  RunResult r = run_site_gen("build --site " + dir.path().string() + " --as-of 2026-01-01");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(count(r.output, ": unknown ") >= 5);
  // Each rule's message is there (their files do not overlap), in order.
  for (const Rule& rule : rules()) {
    std::string rule_name = rule.name;
    CAPTURE(rule_name);
    CHECK(r.output.find(rule.expected) != std::string::npos);
  }
  std::vector<std::string> lines;
  for (size_t at = 0, nl; (nl = r.output.find('\n', at)) != std::string::npos; at = nl + 1)
    if (r.output.compare(at, 8, "content/") == 0) lines.push_back(r.output.substr(at, nl - at));
  auto by_place = [](const std::string& a, const std::string& b) {
    auto key = [](const std::string& m) {
      size_t colon = m.find(':');
      return std::pair(m.substr(0, colon), std::atoi(m.c_str() + colon + 1));
    };
    return key(a) < key(b);
  };
  CHECK(std::is_sorted(lines.begin(), lines.end(), by_place));
  CHECK(r.output.find("broken link") != std::string::npos);
  CHECK(r.output.find("duplicate") != std::string::npos);
  CHECK(read_file(out / "marker.txt") == "published before");
  CHECK(read_file(out / "en/meetings/msp1/index.html") == before);
  // No staging folder is left behind.
  for (const auto& e : fs::directory_iterator(dir.path()))
    CHECK(e.path().filename().string().find("staging") == std::string::npos);
}
