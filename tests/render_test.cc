// End-to-end: what the renderer writes besides the pages' own content, read
// back from a small built site: heading links, hreflang and fallback pages,
// the sitemap, robots.txt, the 404 pages, the language chooser, meta
// descriptions, the favicon and the feeds' languages (issue 12).
#include "site-gen/render.h"

#include <doctest/doctest.h>

#include "site-gen/build.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> site_files(const std::string& base_url) {
  return {
      {"site.yaml",
       "title:\n  en: Mine Ban Convention\n  fr: Convention sur l'interdiction des mines\n"
       "base_url: " + base_url + "\nlanguages: [en, fr, ar, zh]\ntheme: default\n"},
      {"content/countries/angola.yaml",
       "iso: AO\nsigned: 1997-12-04\nratified: 2002-07-05\nentry_into_force: 2003-01-01\n"},
      {"content/countries/angola.en.md", "---\ntitle: Angola\n---\nAngola joined in 2002.\n"},
      {"content/countries/angola.fr.md", "---\ntitle: Angola\n---\nL'Angola a adhéré en 2002.\n"},
      {"content/countries/sudan.yaml", "iso: SD\nstatus: state-party\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\nnumber: 22\ntitle:\n  en: Twenty-Second Meeting of the States Parties\n"
       "start: 2025-12-01\nend: 2025-12-05\nvenue: Geneva\n"},
      {"content/meetings/msp22/report.en.md",
       "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
       "type: final-report\noriginal: en\n---\n## Decisions\n\nThe meeting decided.\n"},
      {"content/meetings/msp22/report.fr.md",
       "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Rapport final\ndate: 2025-12-05\n"
       "type: final-report\noriginal: en\n---\n## Décisions\n\nL'Assemblée a décidé.\n"},
      {"content/meetings/msp22/wp3.zh.md",
       "---\nsymbol: APLC/MSP.22/2025/WP.3\ntitle: 合作和援助\ndate: 2025-10-08\n"
       "type: working-paper\noriginal: en\n---\n## 第一节 导言\n\n合作与援助。\n"},
      {"content/pages/convention.en.md",
       "---\ntitle: The Convention\n---\nThe text of the Convention, article by article.\n\n"
       "## Article 5\n\nMined areas.\n\n## Article 5\n\nAgain.\n\n## Article 7 {#art7}\n\n"
       "Reports.\n\n## Main\n\nNot the theme's main.\n"},
      {"content/pages/convention.zh.md",
       "---\ntitle: 公约\n---\n## 第5条 排雷\n\n雷区。\n"},
      {"content/pages/about.en.md",
       "---\ntitle: About\ndescription: \"Who we are <b>& \\\"why\\\"\"\n---\nAbout us.\n"},
      {"content/_index.en.md", "---\ntitle: Home\n---\nWelcome to the **Convention**.\n"},
  };
}

struct Built {
  TempDir dir;
  BuildReport report;
  fs::path out() const { return dir.path() / "public"; }
  std::string file(const std::string& rel) const { return read_file(out() / rel); }
};

std::unique_ptr<Built> build(const std::map<std::string, std::string>& files) {
  auto b = std::make_unique<Built>();
  write_site(b->dir.path(), files);
  BuildOptions opt;
  opt.site = b->dir.path();
  opt.out = b->out();
  opt.as_of = parse_iso_date("2026-03-01");
  opt.jobs = 2;
  opt.write_index = false;
  b->report = build_site(opt);
  return b;
}

const Built& site() {
  static const std::unique_ptr<Built> built = build(site_files("https://example.org/"));
  return *built;
}

// The text from `start` to the end of the element it opens ("</tag>").
std::string element(const std::string& html, const std::string& start, const std::string& tag) {
  size_t b = html.find(start);
  if (b == std::string::npos) return "";
  size_t e = html.find("</" + tag + ">", b);
  return html.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

// The <head> of a page.
std::string head(const std::string& html) { return element(html, "<head>", "head"); }

// A theme string up to its first argument: "This document is not available in English. It is shown in ".
std::string string_before_argument(const std::string& lang, const std::string& key) {
  std::string s = theme_string(lang, key);
  return s.substr(0, s.find('{'));
}

// The sitemap's <url> entry of a URL, "" if it has none.
std::string sitemap_entry(const std::string& sitemap, const std::string& loc) {
  size_t at = sitemap.find("<loc>" + loc + "</loc>");
  if (at == std::string::npos) return "";
  return sitemap.substr(at, sitemap.find("</url>", at) - at);
}

}  // namespace

TEST_CASE("render: body headings have ids and a link to themselves, named in the page's language") {
  REQUIRE(site().report.ok());
  std::string en = site().file("en/convention/index.html");
  std::string anchor_en = "aria-label=\"" + theme_string("en", "heading_anchor") + "\">#</a>";
  REQUIRE(theme_string("en", "heading_anchor").size() > 3);
  CHECK(en.find("<h2 id=\"article-5\">Article 5<a class=\"heading-anchor\" href=\"#article-5\" " +
                anchor_en + "</h2>") != std::string::npos);
  CHECK(en.find("<h2 id=\"article-5-1\">Article 5<a class=\"heading-anchor\" href=\"#article-5-1\"") !=
        std::string::npos);
  CHECK(en.find("<h2 id=\"art7\">Article 7<a class=\"heading-anchor\" href=\"#art7\"") !=
        std::string::npos);
  // The theme's <main id="main"> stays the only "main".
  CHECK(count(en, "id=\"main\"") == 1);
  CHECK(en.find("<h2 id=\"main-1\">") != std::string::npos);
  // Chinese letters are kept in the id.
  std::string zh = site().file("zh/convention/index.html");
  CHECK(zh.find("<h2 id=\"第5条-排雷\">第5条 排雷<a class=\"heading-anchor\" href=\"#第5条-排雷\" aria-label=\"" +
                theme_string("zh", "heading_anchor") + "\">") != std::string::npos);
  // On a fallback page the link speaks the page's language inside the text's.
  std::string fr = site().file("fr/convention/index.html");
  CHECK(fr.find("href=\"#article-5\" aria-label=\"" + theme_string("fr", "heading_anchor") +
                "\" lang=\"fr\">#</a>") != std::string::npos);
  // Documents' bodies too, in every version's script.
  CHECK(site().file("zh/documents/aplc-msp-22-2025-wp-3/index.html").find("<h2 id=\"第一节-导言\">") !=
        std::string::npos);
  CHECK(site().file("fr/documents/aplc-msp-22-2025-5/index.html").find("<h2 id=\"décisions\">") !=
        std::string::npos);
  // Shown on hover and on keyboard focus.
  std::string css = site().file("css/site.css");
  CHECK(css.find(":hover > .heading-anchor") != std::string::npos);
  CHECK(css.find(".heading-anchor:focus") != std::string::npos);
  // The i18n string exists in every language.
  for (const char* lang : {"en", "fr", "es", "ar", "ru", "zh"}) {
    CAPTURE(lang);
    CHECK(!theme_string(lang, "heading_anchor").empty());
  }
}

TEST_CASE("render: hreflang declares only real translations, x-default the default language's") {
  const std::string doc = "/documents/aplc-msp-22-2025-wp-3/";
  // The Chinese-only document in the English tree is no translation.
  for (const char* lang : {"en", "fr", "ar", "zh"}) {
    CAPTURE(lang);
    std::string h = head(site().file(std::string(lang) + doc + "index.html"));
    CHECK(h.find("hreflang=\"en\"") == std::string::npos);
    CHECK(h.find("hreflang=\"fr\"") == std::string::npos);
    CHECK(h.find("<link rel=\"alternate\" hreflang=\"zh\" href=\"https://example.org/zh" + doc + "\">") !=
          std::string::npos);
    // The default language's version shows the Chinese text: x-default is that.
    CHECK(h.find("hreflang=\"x-default\" href=\"https://example.org/zh" + doc + "\"") !=
          std::string::npos);
    CHECK(h.find("<link rel=\"canonical\" href=\"https://example.org/zh" + doc + "\">") !=
          std::string::npos);
  }
  // A document in English and French: those two, and x-default English.
  std::string h = head(site().file("ar/documents/aplc-msp-22-2025-5/index.html"));
  CHECK(h.find("hreflang=\"en\" href=\"https://example.org/en/documents/aplc-msp-22-2025-5/\"") !=
        std::string::npos);
  CHECK(h.find("hreflang=\"fr\"") != std::string::npos);
  CHECK(h.find("hreflang=\"ar\"") == std::string::npos);
  CHECK(h.find("hreflang=\"zh\"") == std::string::npos);
  CHECK(h.find("hreflang=\"x-default\" href=\"https://example.org/en/documents/aplc-msp-22-2025-5/\"") !=
        std::string::npos);
  // A State's page is a translation in every language, its prose or not.
  std::string ar = head(site().file("ar/membership/angola/index.html"));
  for (const char* lang : {"en", "fr", "ar", "zh"})
    CHECK(ar.find(std::string("hreflang=\"") + lang + "\"") != std::string::npos);
  CHECK(ar.find("<link rel=\"canonical\" href=\"https://example.org/ar/membership/angola/\">") !=
        std::string::npos);

  std::string map = site().file("sitemap.xml");
  CHECK(sitemap_entry(map, "https://example.org/en" + doc).empty());
  CHECK(sitemap_entry(map, "https://example.org/ar/documents/aplc-msp-22-2025-5/").empty());
  std::string zh = sitemap_entry(map, "https://example.org/zh" + doc);
  REQUIRE(!zh.empty());
  CHECK(count(zh, "<xhtml:link ") == 2);  // zh and x-default
  CHECK(map.find("href=\"https://example.org/en" + doc + "\"") == std::string::npos);
  CHECK(map.find("href=\"https://example.org/ar/documents/aplc-msp-22-2025-5/\"") ==
        std::string::npos);
  CHECK(map.find("href=\"https://example.org/zh/convention/\"") != std::string::npos);
  CHECK(map.find("href=\"https://example.org/fr/convention/\"") == std::string::npos);
  CHECK(!sitemap_entry(map, "https://example.org/ar/membership/angola/").empty());
}

TEST_CASE("render: a fallback page says which part is missing and links the versions there are") {
  // A document: its text, in another language.
  std::string en = site().file("en/documents/aplc-msp-22-2025-wp-3/index.html");
  std::string notice = element(en, "<div class=\"fallback-notice\"", "div");
  CAPTURE(notice);
  CHECK(notice.find(string_before_argument("en", "fallback_document") + "Chinese") !=
        std::string::npos);
  CHECK(notice.find("<a href=\"/zh/documents/aplc-msp-22-2025-wp-3/\" hreflang=\"zh\" lang=\"zh\"") !=
        std::string::npos);
  CHECK(notice.find("/fr/documents/") == std::string::npos);
  // The text says its own language.
  CHECK(en.find("<div class=\"prose document-body\" lang=\"zh\" dir=\"ltr\">") != std::string::npos);
  CHECK(en.find("<html lang=\"en\" dir=\"ltr\">") != std::string::npos);

  // A State: only the prose is missing; it links the languages that have it.
  std::string ar = site().file("ar/membership/angola/index.html");
  std::string prose = element(ar, "<div class=\"fallback-notice\"", "div");
  CAPTURE(prose);
  CHECK(prose.find(string_before_argument("ar", "fallback_prose")) != std::string::npos);
  CHECK(prose.find(string_before_argument("ar", "fallback_document")) == std::string::npos);
  CHECK(prose.find("href=\"/en/membership/angola/\"") != std::string::npos);
  CHECK(prose.find("href=\"/fr/membership/angola/\"") != std::string::npos);
  CHECK(prose.find("href=\"/zh/membership/angola/\"") == std::string::npos);
  CHECK(ar.find("<div class=\"prose\" lang=\"en\" dir=\"ltr\">") != std::string::npos);
  // No prose anywhere: nothing is missing.
  CHECK(site().file("ar/membership/sudan/index.html").find("fallback-notice") == std::string::npos);
  // The home page: its introduction.
  CHECK(site().file("zh/index.html").find(string_before_argument("zh", "fallback_home")) !=
        std::string::npos);
  // Every notice in the six languages.
  for (const char* lang : {"en", "fr", "es", "ar", "ru", "zh"})
    for (const char* key : {"fallback_document", "fallback_prose", "fallback_home", "fallback_versions"}) {
      CAPTURE(lang);
      CAPTURE(key);
      CHECK(!theme_string(lang, key).empty());
    }
}

TEST_CASE("render: 404 pages say noindex and have no canonical URL nor alternates") {
  for (const char* page : {"404.html", "en/404.html", "ar/404.html"}) {
    CAPTURE(page);
    std::string h = head(site().file(page));
    REQUIRE(!h.empty());
    CHECK(h.find("<meta name=\"robots\" content=\"noindex\">") != std::string::npos);
    CHECK(h.find("rel=\"canonical\"") == std::string::npos);
    CHECK(h.find("hreflang") == std::string::npos);
  }
  CHECK(head(site().file("en/index.html")).find("noindex") == std::string::npos);
}

TEST_CASE("render: the language chooser's x-default is the default language, its prompt in every language") {
  std::string chooser = site().file("index.html");
  CHECK(chooser.find("hreflang=\"x-default\" href=\"https://example.org/en/\"") != std::string::npos);
  CHECK(chooser.find("hreflang=\"x-default\" href=\"https://example.org/index.html\"") ==
        std::string::npos);
  for (const char* lang : {"en", "fr", "ar", "zh"}) {
    CAPTURE(lang);
    std::string dir = std::string(lang) == "ar" ? "rtl" : "ltr";
    CHECK(chooser.find("<span lang=\"" + std::string(lang) + "\" dir=\"" + dir + "\">" +
                       theme_string(lang, "choose_language") + "</span>") != std::string::npos);
  }
  // Each title once, in its language.
  CHECK(chooser.find("<span lang=\"fr\" dir=\"ltr\">Convention sur l&apos;interdiction des mines</span>") !=
        std::string::npos);
  CHECK(count(chooser, ">Mine Ban Convention</span>") == 1);
}

TEST_CASE("render: sitemap entries carry lastmod from the content's dates, the same in every build") {
  std::string map = site().file("sitemap.xml");
  CHECK(sitemap_entry(map, "https://example.org/fr/documents/aplc-msp-22-2025-5/")
            .find("<lastmod>2025-12-05</lastmod>") != std::string::npos);
  CHECK(sitemap_entry(map, "https://example.org/zh/documents/aplc-msp-22-2025-wp-3/")
            .find("<lastmod>2025-10-08</lastmod>") != std::string::npos);
  // A meeting: its newest document.
  CHECK(sitemap_entry(map, "https://example.org/en/meetings/msp22/")
            .find("<lastmod>2025-12-05</lastmod>") != std::string::npos);
  // A State: its newest own date up to the build day.
  CHECK(sitemap_entry(map, "https://example.org/en/membership/angola/")
            .find("<lastmod>2003-01-01</lastmod>") != std::string::npos);
  // No date to give: no lastmod.
  std::string page = sitemap_entry(map, "https://example.org/en/convention/");
  REQUIRE(!page.empty());
  CHECK(page.find("<lastmod>") == std::string::npos);

  // Files with other modification times, same content: the same sitemap.
  auto again = std::make_unique<Built>();
  write_site(again->dir.path(), site_files("https://example.org/"));
  for (const auto& e : fs::recursive_directory_iterator(again->dir.path()))
    if (e.is_regular_file())
      fs::last_write_time(e.path(), fs::file_time_type::clock::now() - std::chrono::hours(24 * 400));
  BuildOptions opt;
  opt.site = again->dir.path();
  opt.out = again->out();
  opt.as_of = parse_iso_date("2026-03-01");
  opt.write_index = false;
  REQUIRE(build_site(opt).ok());
  CHECK(again->file("sitemap.xml") == map);
}

TEST_CASE("render: robots.txt points to the sitemap at the site's base URL") {
  CHECK(site().file("robots.txt") ==
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n");
  auto below = build(site_files("https://example.org/aplc/"));
  REQUIRE(below->report.ok());
  CHECK(below->file("robots.txt").find("Sitemap: https://example.org/aplc/sitemap.xml\n") !=
        std::string::npos);
  // A relative base URL has no absolute sitemap URL to give.
  auto relative = build(site_files("/"));
  REQUIRE(relative->report.ok());
  CHECK(relative->file("robots.txt") == "User-agent: *\nAllow: /\n");
}

TEST_CASE("render: every page links the theme's SVG favicon") {
  CHECK(site().file("favicon.svg").find("<svg xmlns=\"http://www.w3.org/2000/svg\"") == 0);
  for (const char* page : {"index.html", "en/index.html", "ar/membership/angola/index.html", "404.html"}) {
    CAPTURE(page);
    CHECK(head(site().file(page)).find("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">") !=
          std::string::npos);
  }
}

TEST_CASE("render: each page has a meta description in its language, escaped") {
  auto description = [](const std::string& rel) {
    std::string h = head(site().file(rel));
    std::string tag = "<meta name=\"description\" content=\"";
    size_t at = h.find(tag);
    if (at == std::string::npos) return std::string("(none)");
    at += tag.size();
    return h.substr(at, h.find('"', at) - at);
  };
  CHECK(description("en/about/index.html") == "Who we are &lt;b&gt;&amp; &quot;why&quot;");
  CHECK(description("en/convention/index.html") == "The text of the Convention, article by article.");
  // A fallback page does not describe itself with another language's text.
  CHECK(description("fr/convention/index.html").find("article by article") == std::string::npos);
  CHECK(description("fr/documents/aplc-msp-22-2025-5/index.html") ==
        "APLC/MSP.22/2025/5, " + theme_string("fr", "doctype_final_report") +
            ", Twenty-Second Meeting of the States Parties, 5 décembre 2025");
  CHECK(description("zh/membership/angola/index.html").find(theme_string("zh", "status_state_party")) !=
        std::string::npos);
  CHECK(description("en/index.html") == "Welcome to the Convention.");
  CHECK(description("en/meetings/index.html") != "(none)");
}

TEST_CASE("render: a feed entry whose title is in another language says which") {
  std::string en = site().file("en/feed.xml");
  CHECK(en.find("<title xml:lang=\"zh\">合作和援助</title>") != std::string::npos);
  CHECK(en.find("<title>Final report</title>") != std::string::npos);
  std::string zh = site().file("zh/feed.xml");
  CHECK(zh.find("<title xml:lang=\"en\">Final report</title>") != std::string::npos);
  CHECK(zh.find("<title>合作和援助</title>") != std::string::npos);
}

TEST_CASE("render: the bundled site's home page speaks of the Convention, not of the tool") {
  TempDir dir;
  RunResult built = run_site_gen("build --no-index --site " + std::string(SITE_GEN_SOURCE_DIR) +
                                 " --out " + (dir.path() / "out").string() + " --as-of 2026-03-01");
  INFO(built.output);
  REQUIRE(built.exit_code == 0);
  for (const char* lang : {"en", "fr", "es", "ar", "ru", "zh"}) {
    CAPTURE(lang);
    std::string home = read_file(dir.path() / "out" / lang / "index.html");
    std::string prose = element(home, "<div class=\"prose\"", "main");
    REQUIRE(!prose.empty());
    CHECK(prose.find("site-gen") == std::string::npos);
    CHECK(prose.find("161") != std::string::npos);       // States Parties since 20 February 2026
    CHECK(prose.find("APLC/MSP.21/2023/1") != std::string::npos);
    CHECK(prose.find("class=\"heading-anchor\"") != std::string::npos);
    CHECK(home.find("fallback-notice") == std::string::npos);  // each language has its own
  }
  // The convention page's articles can be linked to.
  CHECK(read_file(dir.path() / "out/en/convention/index.html").find("<h2 id=\"article-5-") !=
        std::string::npos);
}
