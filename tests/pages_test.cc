// The plan (pages.h): URLs, aliases and the checks that keep every page
// inside the output and at a URL of its own.
#include "site-gen/pages.h"

#include <doctest/doctest.h>

#include "site-gen/load.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;

TEST_CASE("pages: is_safe_output_path accepts only paths inside the output") {
  for (const char* good : {"index.html", "en/index.html", "en/topics/victims/index.html",
                           "en/documents/x/annex/a.pdf", "old name.html", "...x"}) {
    CAPTURE(good);
    CHECK(is_safe_output_path(good));
  }
  for (std::string bad : std::vector<std::string>{
           "", "/etc/passwd", "../x", "en/../../x", "en/./index.html", "en//index.html",
           "en/topics//index.html", "en/", ".", "..", "en\\..\\x", std::string("a\0b", 3)}) {
    CAPTURE(bad);
    CHECK_FALSE(is_safe_output_path(bad));
  }
}

TEST_CASE("pages: a page alias is normalised to the path its redirect is written at") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/old/path", "/old/path/"},
      {"old/path/", "/old/path/"},
      {"/old/page.html", "/old/page.html"},
      {"/old/index.html", "/old/"},
      {"/index.html", "/"},
      {"/./", "/"},
      {"/en/.", "/en/"},
      {"//a///b//", "/a/b/"},
      {"/a/b/../c", "/a/c/"},
      {"/a/b/..", "/a/"},
      {"/a/%62/", "/a/b/"},
      {"/a%2Fb%2findex.html", "/a/b/"},
      {"/%C3%A9t%C3%A9/", "/\xC3\xA9t\xC3\xA9/"},
  };
  for (const auto& [alias, url] : cases) {
    CAPTURE(alias);
    std::string why;
    auto got = normalize_page_alias(alias, &why);
    REQUIRE(got);
    CHECK(*got == url);
    CHECK(is_safe_output_path(output_path(*got)));
  }
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"", "is empty"},
      {"/..", "leaves the site's root"},
      {"/a/../../b", "leaves the site's root"},
      {"/%2E%2E/b", "leaves the site's root"},
      {"/a%", "has a malformed percent-encoding"},
      {"/a%4", "has a malformed percent-encoding"},
      {"/a%g0", "has a malformed percent-encoding"},
      {"/a b/", "is not a clean path"},
      {"/a%00b/", "is not a clean path"},
      {"/a%5C..%5Cb/", "is not a clean path"},
      {"/a?b", "is not a clean path"},
      {"/a#b", "is not a clean path"},
      {"https://example.org/old/", "is a full URL: give the path on this site (/old/path/)"},
      {"mailto:x@example.org", "is a full URL"},
  };
  for (const auto& [alias, why] : refused) {
    CAPTURE(alias);
    std::string got;
    CHECK_FALSE(normalize_page_alias(alias, &got));
    CHECK(got.rfind(why, 0) == 0);
  }
}

namespace {

// The resolved site of a small fixture, for the plan's own checks.
std::unique_ptr<Site> small_site(TempDir& dir, Diagnostics& diags) {
  write_site(dir.path(), {{"site.yaml", "title: T\nlanguages: [en, fr]\n"},
                          {"content/meetings/m1/meeting.yaml",
                           "kind: msp\ntitle: { en: M }\nstart: 2025-01-01\nend: 2025-01-02\n"},
                          {"content/meetings/m1/a.en.md",
                           "---\nsymbol: S/1\ntitle: A\ndate: 2025-01-01\ntype: other\n---\nA.\n"},
                          {"content/meetings/m1/b.en.md",
                           "---\nsymbol: S/2\ntitle: B\ndate: 2025-01-01\ntype: other\n---\nB.\n"},
                          {"content/topics.yaml", "victims:\n  names: { en: V }\n"}});
  Content c = load_site(dir.path(), diags);
  return resolve_site(std::move(c), *parse_iso_date("2026-01-01"), diags);
}

}  // namespace

TEST_CASE("pages: the plan leaves out, and reports, a URL that is not a safe path") {
  // Load refuses such ids; the plan must hold even when it is given one.
  TempDir dir;
  Diagnostics diags;
  auto site = small_site(dir, diags);
  REQUIRE_FALSE(diags.has_errors());
  site->content.topics.edit()[0].id = "../../../../ESCAPED";
  std::vector<PlannedPage> pages = plan_pages(*site, {}, diags);
  for (const PlannedPage& p : pages) {
    CAPTURE(p.url);
    CHECK(is_safe_output_path(output_path(p.url)));
  }
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.items()[0].str() ==
        "content/topics.yaml:1: the URL /en/topics/../../../../ESCAPED/ is not a safe path under "
        "the output");
}

TEST_CASE("pages: two pages at one URL are refused, naming both sources") {
  TempDir dir;
  Diagnostics diags;
  auto site = small_site(dir, diags);
  REQUIRE_FALSE(diags.has_errors());
  Document b = site->content.documents[1];
  b.slug = site->content.documents[0].slug;
  site->content.documents.replace(1, std::move(b));
  std::vector<PlannedPage> pages = plan_pages(*site, {"/en/topics/victims/index.html"}, diags);
  std::set<std::string> paths;
  for (const PlannedPage& p : pages) CHECK(paths.insert(output_path(p.url)).second);
  std::vector<std::string> said;
  for (const Diagnostic& d : diags.items()) said.push_back(d.str());
  CHECK(said == std::vector<std::string>{
                    "content/meetings/m1/b.en.md:1: the URL /en/documents/s-1/ is also the URL of "
                    "the page from content/meetings/m1/a.en.md:1",
                    "content/topics.yaml:1: the URL /en/topics/victims/ is also the published "
                    "file /en/topics/victims/index.html",
                });
}
