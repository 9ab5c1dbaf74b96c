// Hostile ids, aliases and symbols (issue 10, points 2, 4 and 5): every id
// that becomes a path, every page alias and every URL is checked, so that
// nothing is written outside the output and no page replaces another. Each
// site is built and checked with the site-gen binary; each problem must be
// one exact `path:line: message`, with exit code 1 and nothing written.
#include <doctest/doctest.h>

#include <set>

#include "tests/site_fixture.h"

using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

using Files = std::map<std::string, std::string>;  // path in the site -> text

const Files kSite = {
    {"site.yaml", "title: Test\nlanguages: [en, fr, zh]\n"},
    {"content/countries/denmark.yaml", "iso: DK\nsigned: 1997-12-04\n"},
    {"content/meetings/msp22/meeting.yaml",
     "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\nend: 2025-12-05\n"},
    {"content/meetings/msp22/wp7.en.md",
     "---\nsymbol: APLC/MSP.22/2025/WP.7\ntitle: Paper\ndate: 2025-12-01\n"
     "type: working-paper\n---\nText.\n"},
    {"content/meetings/msp22/wp7.zh.md",
     "---\nsymbol: APLC/MSP.22/2025/WP.7\ntitle: 文件\ndate: 2025-12-01\n"
     "type: working-paper\n---\n文字。\n"},
    {"content/topics.yaml", "victims:\n  names: { en: Victim assistance }\n"},
    {"content/pages/about.en.md", "---\ntitle: About\n---\nAbout us.\n"},
};

// A site in <tmp>/site, so that anything written beside or above it shows.
struct HostileSite {
  TempDir dir;
  fs::path root = dir.path() / "site";

  explicit HostileSite(const Files& changes) {
    auto files = kSite;
    for (const auto& [k, v] : changes) files[k] = v;
    write_site(root, files);
  }
  RunResult run(const std::string& command) const {
    return run_site_gen(command + " --site " + root.string() + " --as-of 2026-01-01");
  }
  // Every path under the temporary folder, relative to it.
  std::set<std::string> everything() const {
    std::set<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir.path()))
      out.insert(fs::relative(e.path(), dir.path()).generic_string());
    return out;
  }
};

bool has_line(const std::string& output, const std::string& line) {
  return ("\n" + output).find("\n" + line + "\n") != std::string::npos;
}

// `build` and `check` both refuse the site with exactly these lines among
// their messages, and the build writes nothing at all.
void refused_with(const HostileSite& site, const std::vector<std::string>& lines) {
  auto before = site.everything();
  for (const char* command : {"check", "build"}) {
    CAPTURE(command);
    RunResult r = site.run(command);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    for (const std::string& line : lines) {
      CAPTURE(line);
      CHECK(has_line(r.output, line));
      CHECK(count(r.output, line) == 1);  // once, not once per language
    }
  }
  CHECK(site.everything() == before);
}

const std::string kNotSegment =
    "is not a URL segment (lower-case letters a-z, digits and hyphens, not starting with a "
    "hyphen)";

}  // namespace

TEST_CASE("hostile urls: the fixture site builds, and check says it is valid") {
  HostileSite site(Files{});
  CHECK(site.run("check").exit_code == 0);
  RunResult r = site.run("build");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(fs::is_regular_file(site.root / "public/en/topics/victims/index.html"));
  CHECK(fs::is_regular_file(site.root / "public/en/documents/aplc-msp-22-2025-wp-7/index.html"));
}

TEST_CASE("hostile urls: a topic id that climbs out of the output writes nothing anywhere") {
  HostileSite site(Files{{"content/topics.yaml",
                          "victims:\n  names: { en: Victim assistance }\n"
                          "\"../../../../ESCAPED\": {names: {en: x}}\n"}});
  refused_with(site, {"content/topics.yaml:3: topic id \"../../../../ESCAPED\" " + kNotSegment});
  CHECK(site.everything().count("ESCAPED") == 0);
  for (const std::string& path : site.everything())
    CHECK(path.find("ESCAPED") == std::string::npos);
}

TEST_CASE("hostile urls: topic ids \".\", \"\" and \"a/b\" would replace or nest lists") {
  HostileSite site(Files{{"content/topics.yaml",
                          "victims:\n  names: { en: Victim assistance }\n"
                          "\".\": {names: {en: dot}}\n"
                          "\"\": {names: {en: empty}}\n"
                          "a/b: {names: {en: nested}}\n"
                          "Victims: {names: {en: capital}}\n"
                          "-x: {names: {en: hyphen}}\n"
                          "victims: {names: {en: again}}\n"}});
  refused_with(site, {
                         "content/topics.yaml:3: topic id \".\" " + kNotSegment,
                         "content/topics.yaml:4: topic id \"\" " + kNotSegment,
                         "content/topics.yaml:5: topic id \"a/b\" " + kNotSegment,
                         "content/topics.yaml:6: topic id \"Victims\" " + kNotSegment,
                         "content/topics.yaml:7: topic id \"-x\" " + kNotSegment,
                         "content/topics.yaml:8: topic id \"victims\" is already defined at line 1",
                     });
}

TEST_CASE("hostile urls: a bad topic id leaves the published topics list as it was") {
  HostileSite site(Files{});
  REQUIRE(site.run("build").exit_code == 0);
  fs::path list = site.root / "public/fr/topics/index.html";
  std::string before = read_file(list);
  write_file(site.root / "content/topics.yaml",
             "victims:\n  names: { en: Victim assistance }\n\".\": {names: {en: dot}}\n");
  RunResult r = site.run("build");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(has_line(r.output, "content/topics.yaml:3: topic id \".\" " + kNotSegment));
  CHECK(read_file(list) == before);
}

TEST_CASE("hostile urls: meeting folders, country and page file names must be URL segments") {
  HostileSite site(Files{{"content/meetings/MSP 23/meeting.yaml",
                          "kind: msp\ntitle: { en: Next }\nstart: 2026-12-01\nend: 2026-12-05\n"},
                         {"content/countries/Norway.yaml", "iso: \"NO\"\n"},
                         {"content/pages/a.b.en.md", "---\ntitle: A\n---\nA.\n"},
                         {"content/pages/a.b.fr.md", "---\ntitle: A\n---\nA.\n"},
                         {"content/pages/_x.en.md", "---\ntitle: X\n---\nX.\n"}});
  refused_with(
      site,
      {
          "content/meetings/MSP 23/meeting.yaml:1: meeting id (the folder's name) \"MSP 23\" " +
              kNotSegment,
          "content/countries/Norway.yaml:1: country slug (the file's name) \"Norway\" " +
              kNotSegment,
          "content/pages/a.b.en.md:1: page slug (the file's name) \"a.b\" " + kNotSegment,
          "content/pages/_x.en.md:1: page slug (the file's name) \"_x\" " + kNotSegment,
      });
}

TEST_CASE("hostile urls: a page named like a built-in section is reported once") {
  HostileSite site(Files{{"content/pages/search.en.md", "---\ntitle: S\n---\nS.\n"},
                         {"content/pages/search.fr.md", "---\ntitle: S\n---\nS.\n"}});
  RunResult r = site.run("check");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(has_line(
      r.output,
      "content/pages/search.en.md:1: page slug \"search\" is taken by a built-in section"));
  CHECK(count(r.output, "content/pages/search") == 1);
}

TEST_CASE("hostile urls: page aliases that would replace a page or a file are refused") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/en/index.html", "would replace the built-in page /en/"},
      {"/en/./", "would replace the built-in page /en/"},
      {"/./", "would replace the built-in page /index.html"},
      {"/index.html", "would replace the built-in page /index.html"},
      {"/en/membership/index.html", "would replace the built-in page /en/membership/"},
      {"/en/search/index.html", "would replace the built-in page /en/search/"},
      {"/fr/404.html", "would replace the built-in page /fr/404.html"},
      {"/404.html", "would replace the built-in page /404.html"},
      {"/en/documents/aplc-msp-22-2025-wp-7/index.html",
       "would replace the page /en/documents/aplc-msp-22-2025-wp-7/"},
      {"/zh/documents/aplc-msp-22-2025-wp-7/",
       "would replace the page /zh/documents/aplc-msp-22-2025-wp-7/"},
      {"/fr/membership/denmark/", "would replace the page /fr/membership/denmark/"},
      {"/fr/topics/victims", "would replace the page /fr/topics/victims/"},
      {"/en/membership/denmark/index.html",
       "is the URL of this page itself (it would redirect to itself)"},
      {"//en//membership//denmark", "is the URL of this page itself (it would redirect to itself)"},
      {"/en/%69ndex.html", "would replace the built-in page /en/"},
      {"/en%2Fmeetings%2F", "would replace the built-in page /en/meetings/"},
      {"/en/meetings/x/../../about/", "would replace the page /en/about/"},
      {"/sitemap.xml", "would replace the published file /sitemap.xml"},
      {"/css/site.css", "would replace the published file /css/site.css"},
      {"/en/feed.xml", "would replace the published file /en/feed.xml"},
      {"/sitemap.xml/old/", "would need the published file /sitemap.xml to be a folder"},
      {"/../old/", "leaves the site's root"},
      {"/a/../../old/", "leaves the site's root"},
      {"/old%2", "has a malformed percent-encoding"},
      {"/old%zz/", "has a malformed percent-encoding"},
      {"/old%3Fx/",
       "is not a clean path (no spaces, quotes, <, >, ?, #, backslashes or control "
       "characters)"},
      {"/old\\\\x/",
       "is not a clean path (no spaces, quotes, <, >, ?, #, backslashes or control "
       "characters)"},
  };
  std::string yaml = "iso: DK\npage_aliases:\n";
  std::vector<std::string> lines;
  for (size_t i = 0; i < cases.size(); ++i) {
    yaml += "  - \"" + cases[i].first + "\"\n";
    std::string shown = cases[i].first;
    if (shown == "/old\\\\x/") shown = "/old\\x/";
    lines.push_back("content/countries/denmark.yaml:" + std::to_string(i + 3) + ": page alias \"" +
                    shown + "\" " + cases[i].second);
  }
  HostileSite site(Files{{"content/countries/denmark.yaml", yaml}});
  refused_with(site, lines);
}

TEST_CASE("hostile urls: two page aliases at one path are refused, naming the first") {
  HostileSite site(Files{{"content/countries/denmark.yaml",
                          "iso: DK\npage_aliases: [/old/page/, /old/file.html, /old.d/x.html]\n"},
                         {"content/meetings/msp22/meeting.yaml",
                          "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\n"
                          "end: 2025-12-05\npage_aliases:\n  - /old/page/index.html\n"
                          "  - /old/file.html/x/\n  - /old.d\n"}});
  refused_with(site, {
                         "content/meetings/msp22/meeting.yaml:6: page alias "
                         "\"/old/page/index.html\" would replace the page alias /old/page/ of "
                         "content/countries/denmark.yaml:2",
                         "content/meetings/msp22/meeting.yaml:7: page alias \"/old/file.html/x/\" "
                         "would need the page alias /old/file.html of "
                         "content/countries/denmark.yaml:2 to be a folder",
                         "content/meetings/msp22/meeting.yaml:8: page alias \"/old.d\" would "
                         "replace the folder that holds the page alias /old.d/x.html of "
                         "content/countries/denmark.yaml:2",
                     });
}

TEST_CASE("hostile urls: a clean page alias still redirects, wherever it was spelt") {
  HostileSite site(Files{{"content/countries/denmark.yaml",
                          "iso: DK\npage_aliases: [\"//states/./x/../denmark/index.html\", "
                          "\"/old%41.html\"]\n"}});
  RunResult r = site.run("build");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(site.root / "public/states/denmark/index.html").find("/en/membership/denmark/") !=
        std::string::npos);
  CHECK(read_file(site.root / "public/oldA.html").find("/en/membership/denmark/") !=
        std::string::npos);
}

TEST_CASE("hostile urls: two symbols with one slug are refused, naming both files and lines") {
  HostileSite site(Files{{"content/meetings/msp22/wp7b.en.md",
                          "---\ntitle: Copy\nsymbol: APLC-MSP-22-2025-WP-7\ndate: 2025-12-01\n"
                          "type: working-paper\n---\nText.\n"}});
  refused_with(site, {"content/meetings/msp22/wp7b.en.md:3: symbol \"APLC-MSP-22-2025-WP-7\" has "
                      "the same URL (documents/aplc-msp-22-2025-wp-7/) as "
                      "\"APLC/MSP.22/2025/WP.7\" in content/meetings/msp22/wp7.en.md:2"});
}

TEST_CASE("hostile urls: a symbol without a letter or digit is refused") {
  HostileSite site(
      Files{{"content/meetings/msp22/a.en.md",
             "---\nsymbol: ///\ntitle: A\ndate: 2025-12-01\ntype: other\n---\nA.\n"},
            {"content/meetings/msp22/b.en.md",
             "---\nsymbol: \"...\"\ntitle: B\ndate: 2025-12-01\ntype: other\n---\nB.\n"}});
  refused_with(site, {
                         "content/meetings/msp22/a.en.md:2: symbol \"///\" has no letter or digit "
                         "to make its URL from",
                         "content/meetings/msp22/b.en.md:2: symbol \"...\" has no letter or digit "
                         "to make its URL from",
                     });
}
