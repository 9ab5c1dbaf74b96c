#include "site-gen/theme.h"

#include <doctest/doctest.h>

#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

TEST_CASE("theme: partials are inlined, recursively, and unknown ones reported") {
  std::map<std::string, std::string> partials = {{"a", "<a>{{> b}}</a>"}, {"b", "B{{x}}"},
                                                 {"loop", "{{> loop}}"}};
  Diagnostics diags;
  CHECK(inline_partials("1{{> a}}2{{>b}}", partials, "l.mustache", diags) ==
        "1<a>B{{x}}</a>2B{{x}}");
  CHECK_FALSE(diags.has_errors());
  inline_partials("x\n{{> nope}}", partials, "l.mustache", diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].str() == "l.mustache:2: unknown partial \"nope\"");
  Diagnostics loop;
  inline_partials("{{> loop}}", partials, "l.mustache", loop);
  CHECK(loop.has_errors());
}

TEST_CASE("theme: the site's layouts override the theme's, and its i18n strings too") {
  TempDir dir;
  write_site(dir.path(), {{"layouts/page.mustache", "MINE {{title}}"},
                          {"i18n/en.yaml", "nav_home: Start\n"}});
  SiteConfig config;
  config.languages = {"en", "fr"};
  Diagnostics diags;
  auto theme = load_theme(dir.path(), config, diags);
  REQUIRE(theme);
  CHECK_FALSE(diags.has_errors());
  kainjow::mustache::data d;
  d.set("title", "T");
  CHECK(theme->layouts.at("page").render(d) == "MINE T");
  CHECK(theme->string("en", "nav_home") == "Start");
  CHECK(theme->string("fr", "nav_home") == "Accueil");
  for (const auto& name : required_layouts()) CHECK(theme->has_layout(name));
}

TEST_CASE("theme: an installed binary finds the theme installed beside it") {
  TempDir dir;
  fs::path prefix = dir.path() / "prefix";
  fs::create_directories(prefix / "bin");
  fs::copy_file(SITE_GEN_BINARY, prefix / "bin" / "site-gen");
  fs::permissions(prefix / "bin" / "site-gen", fs::perms::owner_all);
  fs::path installed = prefix / "share" / "site-gen" / "themes" / "default";
  fs::create_directories(installed.parent_path());
  fs::copy(fs::path(SITE_GEN_SOURCE_DIR) / "themes" / "default", installed,
           fs::copy_options::recursive);
  // Mark the installed copy so the output shows which theme was used.
  std::string footer = read_file(installed / "partials" / "footer.mustache");
  write_file(installed / "partials" / "footer.mustache", footer + "<!-- installed-theme -->");
  fs::path site = dir.path() / "site";
  write_site(site, {{"site.yaml", "title: T\nlanguages: [en]\n"},
                    {"content/pages/about.en.md", "---\ntitle: About\n---\nHello.\n"}});
  std::string cmd = "cd / && " + (prefix / "bin" / "site-gen").string() + " build --no-index --site " +
                    site.string() + " 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(read_file(site / "public" / "en" / "about" / "index.html").find("installed-theme") !=
        std::string::npos);
}

TEST_CASE("theme: layouts are lent one copy per thread, kept for the next, dropped after an error") {
  Layouts layouts;
  layouts.emplace("page", Mustache("<p>{{#bad}}x{{/bad}}{{title}}</p>"));
  LayoutPool pool;
  Data d;
  d.set("title", "T");
  const Layouts* first = nullptr;
  {
    LayoutPool::Lease a = pool.take(layouts);
    LayoutPool::Lease b = pool.take(layouts);
    CHECK(&*a != &*b);  // two threads at once: two copies
    CHECK((*a).at("page").render(d) == "<p>T</p>");
    first = &*a;
  }
  {
    LayoutPool::Lease again = pool.take(layouts);
    const Layouts* got = &*again;
    LayoutPool::Lease other = pool.take(layouts);
    // Both copies came back and are lent again, not copied anew.
    CHECK(((got == first) || (&*other == first)));
    // A lambda that yields a broken template leaves an error in the copy.
    Data broken = d;
    broken.set("bad", kainjow::mustache::lambda{[](const std::string&) { return std::string("{{#open}}"); }});
    (*again).at("page").render(broken);
    REQUIRE_FALSE((*again).at("page").is_valid());
  }
  // The broken copy is not lent again: both copies lent now are sound.
  LayoutPool::Lease a = pool.take(layouts), b = pool.take(layouts);
  CHECK((*a).at("page").is_valid());
  CHECK((*b).at("page").is_valid());
  CHECK((*a).at("page").render(d) == "<p>T</p>");
  CHECK((*b).at("page").render(d) == "<p>T</p>");
}
