// End-to-end: small sites built into a temporary folder, HTML read back.
#include "site-gen/build.h"

#include <doctest/doctest.h>

#include "index/search.h"

#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string>& small_site() {
  static const std::map<std::string, std::string> files = {
      {"site.yaml",
       "title:\n  en: Mine Ban Convention\n  fr: Convention sur l'interdiction des mines\n"
       "base_url: https://example.org/\nlanguages: [en, fr, ar, zh]\ntheme: default\n"},
      {"content/countries/angola.yaml",
       "iso: AO\nsigned: 1997-12-04\nratified: 2002-07-05\nentry_into_force: 2003-01-01\n"
       "article5:\n  original_deadline: 2013-01-01\n  extensions:\n"
       "    - granted_at: msp12\n      deadline: 2018-01-01\n      request: APLC/MSP.12/2012/ER.1\n"
       "stockpile:\n  destroyed: 81045\n  completed: 2006-07-28\n"
       "mines_retained: { number: 1304, as_of: 2020 }\n"
       "page_aliases: [/states-parties/angola/]\n"},
      {"content/countries/angola.en.md", "---\ntitle: Angola\n---\nAngola joined in 2002.\n"},
      {"content/countries/south-sudan.yaml",
       "iso: SS\nsucceeded: 2011-11-11\nentry_into_force: 2011-07-09\nstockpile: none\n"
       "aliases:\n  zh: [南苏丹共和国]\n"},
      {"content/countries/sudan.yaml", "iso: SD\nstatus: state-party\n"},
      {"content/countries/guinea.yaml", "iso: GN\nstatus: state-party\n"},
      {"content/countries/estonia.yaml",
       "iso: EE\nwithdrawal_notice: 2025-06-27\nwithdrawal_effective: 2025-12-27\n"},
      {"content/meetings/msp12/meeting.yaml",
       "kind: msp\nnumber: 12\ntitle:\n  en: Twelfth Meeting of the States Parties\n"
       "  zh: 缔约国第十二届会议\nstart: 2012-12-03\nend: 2012-12-07\nvenue: { en: Geneva, fr: Genève }\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\nnumber: 22\ntitle:\n  en: Twenty-Second Meeting of the States Parties\n"
       "start: 2025-12-01\nend: 2025-12-05\nvenue: Geneva\npresident: AO\n"},
      {"content/meetings/msp22/report.en.md",
       "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
       "type: final-report\noriginal: en\n---\nThe meeting heard South Sudan and Papua New Guinea.\n"},
      {"content/meetings/msp22/report.fr.md",
       "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Rapport final\ndate: 2025-12-05\n"
       "type: final-report\noriginal: en\n---\nL'Assemblée a entendu le Soudan du Sud.\n"},
      {"content/meetings/msp22/wp3.zh.md",
       "---\nsymbol: APLC/MSP.22/2025/WP.3\ntitle: 合作和援助\ndate: 2025-10-08\n"
       "type: working-paper\nagenda_item: \"9(c)\"\noriginal: en\ntopics: [cooperation]\n"
       "files: [wp3.zh.pdf]\n---\n南苏丹和几内亚比绍的合作与援助。\n"},
      {"content/meetings/msp22/wp3.zh.pdf", "%PDF-1.4 not really\n"},
      {"content/topics.yaml",
       "cooperation:\n  names: { en: Cooperation and assistance, zh: 合作和援助 }\n"
       "  keywords: { en: [cooperation and assistance], zh: [合作与援助] }\n"},
      {"content/pages/about.en.md", "---\ntitle: About\nweight: 1\n---\nSee [members](/en/membership/).\n"},
      {"content/_index.en.md", "---\ntitle: Home\n---\nWelcome to the **Convention**.\n"},
  };
  return files;
}

struct BuiltSite {
  TempDir dir;
  BuildOptions options;  // what it was built with, for the rebuilds after edits
  BuildReport report;
  fs::path out() const { return dir.path() / "public"; }
  std::string page(const std::string& rel) const { return read_file(out() / rel); }
};

std::unique_ptr<BuiltSite> build(const std::map<std::string, std::string>& files,
                                 const char* as_of = "2026-03-01") {
  auto b = std::make_unique<BuiltSite>();
  write_site(b->dir.path(), files);
  b->options.site = b->dir.path();
  b->options.out = b->out();
  b->options.as_of = parse_iso_date(as_of);
  b->options.jobs = 2;
  b->report = build_site(b->options);
  return b;
}

std::string errors_of(const BuildReport& r) {
  std::string s;
  for (const auto& d : r.diags.sorted()) s += d.str() + "\n";
  return s;
}

}  // namespace

TEST_CASE("build: every page kind exists in every language") {
  auto b = build(small_site());
  INFO(errors_of(b->report));
  REQUIRE(b->report.ok());
  for (const char* lang : {"en", "fr", "ar", "zh"}) {
    CAPTURE(lang);
    std::string l = lang;
    for (const std::string& rel :
         {l + "/index.html", l + "/membership/index.html", l + "/membership/angola/index.html",
          l + "/meetings/index.html", l + "/meetings/msp22/index.html",
          l + "/documents/aplc-msp-22-2025-5/index.html",
          l + "/documents/aplc-msp-22-2025-wp-3/index.html", l + "/topics/index.html",
          l + "/topics/cooperation/index.html", l + "/about/index.html",
          l + "/search/index.html", l + "/feed.xml", l + "/404.html",
          l + "/documents/aplc-msp-22-2025-wp-3/wp3.zh.pdf"}) {
      CAPTURE(rel);
      CHECK(fs::exists(b->out() / rel));
    }
    std::string home = b->page(l + "/index.html");
    CHECK(home.find("lang=\"" + l + "\"") != std::string::npos);
    CHECK(home.find(l == "ar" ? "dir=\"rtl\"" : "dir=\"ltr\"") != std::string::npos);
  }
  CHECK(fs::exists(b->out() / "index.html"));
  CHECK(fs::exists(b->out() / "sitemap.xml"));
  CHECK(fs::exists(b->out() / "css/site.css"));
}

TEST_CASE("build: links to every language version with hreflang") {
  auto b = build(small_site());
  REQUIRE(b->report.ok());
  std::string page = b->page("fr/membership/angola/index.html");
  for (const char* l : {"en", "fr", "ar", "zh"})
    CHECK(page.find(std::string("hreflang=\"") + l + "\" href=\"https://example.org/" + l +
                    "/membership/angola/\"") != std::string::npos);
  CHECK(page.find("hreflang=\"x-default\" href=\"https://example.org/en/membership/angola/\"") !=
        std::string::npos);
  std::string sitemap = b->page("sitemap.xml");
  CHECK(sitemap.find("<loc>https://example.org/zh/documents/aplc-msp-22-2025-wp-3/</loc>") !=
        std::string::npos);
  CHECK(sitemap.find("hreflang=\"ar\" href=\"https://example.org/ar/meetings/msp22/\"") !=
        std::string::npos);
}

TEST_CASE("build: a page missing in a language shows the original with a notice") {
  auto b = build(small_site());
  REQUIRE(b->report.ok());
  std::string en = b->page("en/documents/aplc-msp-22-2025-wp-3/index.html");
  CHECK(en.find("南苏丹和几内亚比绍") != std::string::npos);
  CHECK(en.find("lang=\"zh\"") != std::string::npos);  // the body keeps its own language
  CHECK(en.find("Chinese") != std::string::npos);      // the notice names it, in English
  std::string zh = b->page("zh/documents/aplc-msp-22-2025-wp-3/index.html");
  CHECK(zh.find("role=\"note\"") == std::string::npos);
  std::string ar = b->page("ar/documents/aplc-msp-22-2025-5/index.html");
  CHECK(ar.find("dir=\"rtl\"") != std::string::npos);
  CHECK(ar.find("The meeting heard South Sudan") != std::string::npos);
}

TEST_CASE("build: States are tagged from every language version, longest name first") {
  auto b = build(small_site());
  REQUIRE(b->report.ok());
  std::string ss = b->page("en/membership/south-sudan/index.html");
  CHECK(ss.find("/en/documents/aplc-msp-22-2025-5/") != std::string::npos);
  CHECK(ss.find("/en/documents/aplc-msp-22-2025-wp-3/") != std::string::npos);
  // "South Sudan" is not Sudan, 几内亚比绍 is not 几内亚 (Guinea), Papua New Guinea is not Guinea.
  CHECK(b->page("en/membership/sudan/index.html").find("/en/documents/") == std::string::npos);
  CHECK(b->page("en/membership/guinea/index.html").find("/en/documents/") == std::string::npos);
  // The topic comes from a keyword of the Chinese text and from front matter.
  CHECK(b->page("en/topics/cooperation/index.html").find("aplc-msp-22-2025-wp-3") !=
        std::string::npos);
}

TEST_CASE("build: State facts are formatted in the page's language") {
  auto b = build(small_site());
  REQUIRE(b->report.ok());
  std::string en = b->page("en/membership/angola/index.html");
  CHECK(en.find("81,045") != std::string::npos);
  CHECK(en.find("4 December 1997") != std::string::npos);
  CHECK(en.find("1 January 2018") != std::string::npos);
  CHECK(en.find("/en/meetings/msp12/") != std::string::npos);
  std::string fr = b->page("fr/membership/angola/index.html");
  CHECK(fr.find("81\u202F045") != std::string::npos);
  CHECK(fr.find("1er janvier 2003") != std::string::npos);
  std::string zh = b->page("zh/membership/angola/index.html");
  CHECK(zh.find("2003年1月1日") != std::string::npos);
}

TEST_CASE("build: a table column empty in every row, and the label of an empty list, are left out") {
  auto files = small_site();
  auto with = build(files);
  REQUIRE(with->report.ok());
  const auto npos = std::string::npos;
  std::string members = with->page("en/membership/index.html");
  CHECK(members.find("<th scope=\"col\">Withdrawal</th>") != npos);  // Estonia's
  CHECK(members.find("data-label=\"Withdrawal\"><bdi>27 December 2025</bdi>") != npos);
  CHECK(members.find("data-label=\"Withdrawal\"></td>") != npos);  // Angola's: an empty cell
  CHECK(with->page("en/membership/angola/index.html").find("<th scope=\"col\">Request</th>") != npos);
  // The final report names a State but has no topic and no file.
  std::string report = with->page("en/documents/aplc-msp-22-2025-5/index.html");
  CHECK(report.find("<dt>States</dt>") != npos);
  CHECK(report.find("<dt>Topics</dt>") == npos);
  CHECK(report.find("<dt>Files</dt>") == npos);
  CHECK(report.find("None") == npos);
  std::string wp = with->page("en/documents/aplc-msp-22-2025-wp-3/index.html");
  CHECK(wp.find("<dt>Topics</dt>") != npos);
  CHECK(wp.find("<dt>Files</dt>") != npos);

  // No State has withdrawn, no extension names its request.
  files.erase("content/countries/estonia.yaml");
  std::string& angola = files["content/countries/angola.yaml"];
  const std::string request = "      request: APLC/MSP.12/2012/ER.1\n";
  REQUIRE(angola.find(request) != npos);
  angola.erase(angola.find(request), request.size());
  auto without = build(files);
  REQUIRE(without->report.ok());
  members = without->page("fr/membership/index.html");
  CHECK(members.find("Retrait") == npos);
  CHECK(members.find("<th scope=\"col\">Signature</th>") != npos);
  std::string country = without->page("en/membership/angola/index.html");
  CHECK(country.find("Request") == npos);
  CHECK(country.find("data-label=\"Granted by\"><a href=\"/en/meetings/msp12/\">") != npos);
}

TEST_CASE("build: membership counts States Parties on the build date") {
  // Estonia's withdrawal takes effect on 2025-12-27.
  auto before = build(small_site(), "2025-12-26");
  auto after = build(small_site(), "2025-12-27");
  REQUIRE(before->report.ok());
  REQUIRE(after->report.ok());
  CHECK(before->page("en/membership/index.html").find("5 States Parties") != std::string::npos);
  CHECK(after->page("en/membership/index.html").find("4 States Parties") != std::string::npos);
}

TEST_CASE("build: an old URL redirects to its page") {
  auto b = build(small_site());
  REQUIRE(b->report.ok());
  std::string alias = b->page("states-parties/angola/index.html");
  CHECK(alias.find("url=/en/membership/angola/") != std::string::npos);
}

TEST_CASE("build: hostile content is escaped or removed") {
  auto files = small_site();
  files["content/meetings/msp22/evil.en.md"] =
      "---\nsymbol: APLC/MSP.22/2025/EVIL\ntitle: \"<script>alert(1)</script> & co\"\n"
      "date: 2025-12-02\ntype: statement\n---\n<script>alert(2)</script>\n"
      "<a href=\"javascript:alert(3)\" onclick=\"x()\">click</a>\n";
  auto b = build(files);
  INFO(errors_of(b->report));
  REQUIRE(b->report.ok());
  std::string page = b->page("en/documents/aplc-msp-22-2025-evil/index.html");
  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") != std::string::npos);
  CHECK(page.find("javascript:") == std::string::npos);
  CHECK(page.find("onclick") == std::string::npos);
  std::string list = b->page("en/meetings/msp22/index.html");
  CHECK(list.find("<script>alert") == std::string::npos);
}

TEST_CASE("build: after an edit, only the pages that depend on it are rendered again") {
  auto b = build(small_site());
  REQUIRE(b->report.ok());
  REQUIRE(b->report.model);
  BuildOptions opt = b->options;

  // A general page: its four language versions, nothing else.
  fs::path about = b->dir.path() / "content/pages/about.en.md";
  write_file(about, "---\ntitle: About\nweight: 1\n---\nSee [members](/en/membership/). Edited.\n");
  BuildReport page = rebuild_site(opt, *b->report.model, {about});
  INFO(errors_of(page));
  REQUIRE(page.ok());
  CHECK(page.pages == 4);
  CHECK(b->page("en/about/index.html").find("Edited.") != std::string::npos);

  // A document naming a new State: its pages, its meeting, the States and
  // topics before and after, the home pages and topic lists.
  fs::path wp3 = b->dir.path() / "content/meetings/msp22/wp3.zh.md";
  write_file(wp3,
             "---\nsymbol: APLC/MSP.22/2025/WP.3\ntitle: 合作和援助\ndate: 2025-10-08\n"
             "type: working-paper\noriginal: en\ntopics: [cooperation]\nfiles: [wp3.zh.pdf]\n---\n"
             "苏丹的合作与援助。\n");
  BuildReport doc = rebuild_site(opt, *page.model, {wp3});
  REQUIRE(doc.ok());
  CHECK(doc.pages < 60);
  CHECK(doc.files == doc.pages + 5);  // and the feeds, which list documents, and the sitemap
  CHECK(b->page("en/membership/sudan/index.html").find("aplc-msp-22-2025-wp-3") != std::string::npos);
  CHECK(b->page("en/membership/south-sudan/index.html").find("aplc-msp-22-2025-wp-3") ==
        std::string::npos);

  // A State's Article 5 deadline: its own pages, in every language.
  fs::path angola = b->dir.path() / "content/countries/angola.yaml";
  std::string yaml = read_file(angola);
  write_file(angola, yaml.replace(yaml.find("2018-01-01"), 10, "2019-02-03"));
  BuildReport state = rebuild_site(opt, *doc.model, {angola});
  REQUIRE(state.ok());
  CHECK(state.pages == 4);
  CHECK(b->page("fr/membership/angola/index.html").find("3 février 2019") != std::string::npos);

  // Only a document's text, naming no other State or topic: its own pages
  // and index entries; the lists show its title, not its text.
  write_file(wp3, read_file(wp3) + "另一句话 zebraword。\n");
  BuildReport text = rebuild_site(opt, *state.model, {wp3});
  REQUIRE(text.ok());
  CHECK(text.pages == 4);
  CHECK(text.files == text.pages + 1);  // the sitemap; the feeds show no text
  CHECK(text.indexed >= 1);
  CHECK(text.indexed <= 4);
  CHECK(b->page("zh/documents/aplc-msp-22-2025-wp-3/index.html").find("zebraword") !=
        std::string::npos);
  sitegen::index::SearchRequest ask;
  ask.query = "zebraword";
  ask.lang = "zh";
  auto found = sitegen::index::Searcher(index_dir(opt)).search(ask);
  REQUIRE(found.results.size() == 1);
  CHECK(found.results[0].url == "/zh/documents/aplc-msp-22-2025-wp-3/");

  // One version's text: the pages that show that version (its language's,
  // and those that fall back to it), not the other versions' pages.
  fs::path report_fr = b->dir.path() / "content/meetings/msp22/report.fr.md";
  write_file(report_fr, read_file(report_fr) + "Une phrase de plus.\n");
  BuildReport fr = rebuild_site(opt, *text.model, {report_fr});
  REQUIRE(fr.ok());
  CHECK(fr.pages == 1);
  CHECK(b->page("fr/documents/aplc-msp-22-2025-5/index.html").find("Une phrase de plus.") !=
        std::string::npos);
  fs::path report_en = b->dir.path() / "content/meetings/msp22/report.en.md";
  write_file(report_en, read_file(report_en) + "One more sentence.\n");
  BuildReport en = rebuild_site(opt, *fr.model, {report_en});
  REQUIRE(en.ok());
  CHECK(en.pages == 3);  // English, and Arabic and Chinese, which show the original
  for (const char* lang : {"en", "ar", "zh"})
    CHECK(b->page(std::string(lang) + "/documents/aplc-msp-22-2025-5/index.html")
              .find("One more sentence.") != std::string::npos);
  CHECK(b->page("fr/documents/aplc-msp-22-2025-5/index.html").find("One more sentence.") ==
        std::string::npos);

  // The theme or the site settings: every page.
  fs::path settings = b->dir.path() / "site.yaml";
  BuildReport all = rebuild_site(opt, *en.model, {settings});
  REQUIRE(all.ok());
  CHECK(all.pages == b->report.pages);
}

TEST_CASE("build: the preview server's rebuild reloads the edited document and keeps the others' facts") {
  auto b = build(small_site());
  REQUIRE(b->report.ok());
  LoadCache cache;
  BuildOptions opt = b->options;
  opt.cache = &cache;
  const std::string report = "aplc-msp-22-2025-5", wp3 = "aplc-msp-22-2025-wp-3";
  CHECK(b->page("en/membership/angola/index.html").find(report) == std::string::npos);

  fs::path en = b->dir.path() / "content/meetings/msp22/report.en.md";
  write_file(en, "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
                 "type: final-report\noriginal: en\n---\nThe meeting heard Angola.\n");
  BuildReport r = rebuild_site(opt, *b->report.model, {en});
  INFO(errors_of(r));
  REQUIRE(r.ok());
  // The edited document is tagged again; the others keep their States.
  CHECK(b->page("en/membership/angola/index.html").find(report) != std::string::npos);
  CHECK(b->page("en/membership/south-sudan/index.html").find(report) != std::string::npos);
  CHECK(b->page("en/membership/south-sudan/index.html").find(wp3) != std::string::npos);
  CHECK(b->page("en/membership/guinea/index.html").find(wp3) == std::string::npos);
  REQUIRE(r.model);
  const Site& site = *r.model->site;
  REQUIRE(site.documents.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    std::vector<std::string> isos;
    for (int k : site.documents[i].countries) isos.push_back(site.content.countries[k].iso);
    CAPTURE(site.content.documents[i].symbol);
    if (site.content.documents[i].symbol == "APLC/MSP.22/2025/5")
      CHECK(isos == std::vector<std::string>{"AO", "SS"});
    else
      CHECK(isos == std::vector<std::string>{"SS"});
  }

  // A second edit builds on the first rebuild's model.
  write_file(en, "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
                 "type: final-report\noriginal: en\n---\nThe meeting heard Sudan, at last.\n");
  BuildReport again = rebuild_site(opt, *r.model, {en});
  REQUIRE(again.ok());
  CHECK(b->page("en/membership/angola/index.html").find(report) == std::string::npos);
  CHECK(b->page("en/membership/sudan/index.html").find(report) != std::string::npos);
  CHECK(b->page("en/documents/" + report + "/index.html").find("at last") != std::string::npos);

  // Text that names no other State: the lists of documents are the previous
  // site's, and still right.
  write_file(en, "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
                 "type: final-report\noriginal: en\n---\nThe meeting heard Sudan, at long last.\n");
  BuildReport lent = rebuild_site(opt, *again.model, {en});
  REQUIRE(lent.ok());
  REQUIRE(lent.model);
  const Site& after = *lent.model->site;
  const Site& before = *again.model->site;
  REQUIRE(after.countries.size() == before.countries.size());
  for (size_t k = 0; k < after.countries.size(); ++k) {
    CAPTURE(after.content.countries[k].iso);
    CHECK(after.countries[k].documents == before.countries[k].documents);
    CHECK(after.countries[k].names == before.countries[k].names);
  }
  int msp22 = after.meeting_by_id.at("msp22");
  CHECK(after.meetings[msp22].documents.size() == 2);
  CHECK(after.meetings[msp22].final_report >= 0);
  CHECK(after.topics[0].documents == before.topics[0].documents);
  CHECK(b->page("en/documents/" + report + "/index.html").find("long last") != std::string::npos);
  CHECK(b->page("en/membership/sudan/index.html").find(report) != std::string::npos);
}


TEST_CASE("build: an edit of content keeps the theme and its warnings, and a layout loads it again") {
  auto files = small_site();
  // The default theme has no UI strings in German: a warning on every build.
  files["site.yaml"] =
      "title:\n  en: Mine Ban Convention\nbase_url: https://example.org/\n"
      "languages: [en, fr, ar, zh, de]\ntheme: default\n";
  auto b = build(files);
  INFO(errors_of(b->report));
  REQUIRE(b->report.ok());
  auto no_german = [](const BuildReport& r) {
    int n = 0;
    for (const auto& d : r.diags.items())
      n += d.message.find("no UI strings for language \"de\"") != std::string::npos;
    return n;
  };
  REQUIRE(no_german(b->report) == 1);
  BuildOptions opt = b->options;

  fs::path about = b->dir.path() / "content/pages/about.en.md";
  write_file(about, "---\ntitle: About\nweight: 1\n---\nEdited.\n");
  BuildReport text = rebuild_site(opt, *b->report.model, {about});
  REQUIRE(text.ok());
  CHECK(text.model->theme == b->report.model->theme);
  CHECK(no_german(text) == 1);

  fs::path layout = b->dir.path() / "layouts/page.mustache";
  write_file(layout, "<p>{{title}}, by the site's own layout</p>\n");
  BuildReport own = rebuild_site(opt, *text.model, {layout});
  INFO(errors_of(own));
  REQUIRE(own.ok());
  CHECK(own.model->theme != text.model->theme);
  CHECK(no_german(own) == 1);
  CHECK(b->page("en/about/index.html").find("About, by the site's own layout") !=
        std::string::npos);

  // The site's title is on every page: nothing made from the old one is kept.
  fs::path settings = b->dir.path() / "site.yaml";
  std::string yaml = read_file(settings);
  write_file(settings, yaml.replace(yaml.find("Mine Ban Convention"), 19, "Renamed Convention"));
  BuildReport renamed = rebuild_site(opt, *own.model, {settings});
  REQUIRE(renamed.ok());
  CHECK(b->page("en/index.html").find("Renamed Convention") != std::string::npos);
  CHECK(b->page("en/index.html").find("Mine Ban Convention") == std::string::npos);
}

TEST_CASE("build: search_url in site.yaml is where the search forms submit") {
  auto files = small_site();
  files["site.yaml"] += "search_url: https://search.example.org\n";
  auto b = build(files);
  INFO(errors_of(b->report));
  REQUIRE(b->report.ok());
  for (const char* rel : {"fr/search/index.html", "fr/about/index.html"}) {
    CAPTURE(rel);
    CHECK(b->page(rel).find("action=\"https://search.example.org/fr/search/\"") !=
          std::string::npos);
  }
  auto plain = build(small_site());
  REQUIRE(plain->report.ok());
  CHECK(plain->page("ar/search/index.html").find("action=\"/ar/search/\"") != std::string::npos);

  files["site.yaml"] = small_site().at("site.yaml") + "search_url: search.example.org\n";
  auto bad = build(files);
  INFO(errors_of(bad->report));
  CHECK_FALSE(bad->report.ok());
  CHECK(errors_of(bad->report).find("site.yaml:7: search_url must be") != std::string::npos);
  CHECK_FALSE(fs::exists(bad->out() / "index.html"));
}
