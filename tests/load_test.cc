// The loader (SITE-FORMAT §1 and §5): each kind of file over strings, each
// bad-input rule with its exact `path:line: message`, and load_site over a
// small site on disk.
#include "site-gen/load.h"

#include <doctest/doctest.h>

#include "tests/site_fixture.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

using namespace sitegen;
using sitegen::testing::TempDir;
using sitegen::testing::write_file;
using sitegen::testing::write_site;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> messages(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.sorted()) out.push_back(d.str());
  return out;
}

// True when exactly this "path:line: message" was reported.
bool reported(const Diagnostics& diags, const std::string& expected) {
  auto all = messages(diags);
  return std::find(all.begin(), all.end(), expected) != all.end();
}

std::string all_messages(const Diagnostics& diags) {
  std::string out;
  for (const auto& m : messages(diags)) out += m + "\n";
  return out;
}

// One bad-input rule: exactly one diagnostic, this one.
void check_single(const Diagnostics& diags, const std::string& expected) {
  INFO(all_messages(diags));
  CHECK(diags.items().size() == 1);
  CHECK(reported(diags, expected));
}

const char* kFullCountry = R"(# South Sudan
iso: SS
names:
  en: South Sudan
  fr: Soudan du Sud
aliases:
  zh: [南苏丹共和国]
  en: [Republic of South Sudan, RSS]
signed: 1997-12-04
succeeded: 2011-11-11
entry_into_force: 2011-07-09
withdrawal_notice: 2025-06-27
withdrawal_effective: 2025-12-27
status: withdrawn
article5:
  original_deadline: 2021-07-09
  extensions:
    - granted_at: msp18
      deadline: 2026-07-09
      request: APLC/MSP.18/2020/ER.1
    - granted_at: msp20
      deadline: 2027-07-09
  completed: 2024-11-20
stockpile:
  destroyed: 81045
  completed: 2006-07-28
mines_retained: { number: 1304, as_of: 2020 }
page_aliases: [/states-parties-to-the-convention/south-sudan/]
)";

// A temporary site folder, removed afterwards.
struct TempSite {
  fs::path root;
  TempSite() {
    std::random_device rd;
    root = fs::temp_directory_path() / ("load-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(root);
  }
  ~TempSite() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel, std::ios::binary) << text;
  }
};

}  // namespace

// ------------------------------------------------------------ good input

TEST_CASE("load: a country with every field") {
  Diagnostics diags;
  auto c = parse_country(kFullCountry, "south-sudan", "content/countries/south-sudan.yaml", diags);
  INFO(all_messages(diags));
  CHECK(diags.items().empty());
  REQUIRE(c);
  CHECK(c->slug == "south-sudan");
  CHECK(c->iso == "SS");
  CHECK(c->iso_line == 2);
  CHECK(c->names.at("fr") == "Soudan du Sud");
  CHECK(c->aliases.at("en") == std::vector<std::string>{"Republic of South Sudan", "RSS"});
  CHECK(c->aliases.at("zh") == std::vector<std::string>{"南苏丹共和国"});
  CHECK(c->signed_on == Date{1997, 12, 4});
  CHECK(c->accession == Accession::succeeded);
  CHECK(c->deposited == Date{2011, 11, 11});
  CHECK(c->entry_into_force == Date{2011, 7, 9});
  CHECK(c->withdrawal_notice == Date{2025, 6, 27});
  CHECK(c->withdrawal_effective == Date{2025, 12, 27});
  CHECK(c->declared_status == Status::withdrawn);
  CHECK(c->status_line == 14);
  REQUIRE(c->article5);
  CHECK(c->article5->original_deadline == Date{2021, 7, 9});
  REQUIRE(c->article5->extensions.size() == 2);
  CHECK(c->article5->extensions[0].granted_at.value == "msp18");
  CHECK(c->article5->extensions[0].granted_at.line == 18);
  CHECK(c->article5->extensions[0].deadline == Date{2026, 7, 9});
  CHECK(c->article5->extensions[0].request == "APLC/MSP.18/2020/ER.1");
  CHECK(c->article5->extensions[1].request.empty());
  CHECK(c->article5->extensions[1].line == 21);
  CHECK(c->article5->completed == Date{2024, 11, 20});
  REQUIRE(c->stockpile);
  CHECK_FALSE(c->stockpile->none);
  CHECK(c->stockpile->destroyed == 81045);
  CHECK(c->stockpile->completed == Date{2006, 7, 28});
  REQUIRE(c->mines_retained);
  CHECK(c->mines_retained->number == 1304);
  CHECK(c->mines_retained->as_of == 2020);
  REQUIRE(c->page_aliases.size() == 1);
  CHECK(c->page_aliases[0].value == "/states-parties-to-the-convention/south-sudan/");
  CHECK(c->page_aliases[0].line == 28);
  CHECK(c->source.path == "content/countries/south-sudan.yaml");
}

TEST_CASE("load: a country with stockpile none and only an iso otherwise") {
  Diagnostics diags;
  auto c = parse_country("iso: \"NO\"\nstockpile: none\nratified: 1998-07-09\n", "norway",
                         "content/countries/norway.yaml", diags);
  CHECK(diags.items().empty());
  REQUIRE(c);
  CHECK(c->iso == "NO");
  REQUIRE(c->stockpile);
  CHECK(c->stockpile->none);
  CHECK(c->accession == Accession::ratified);
  CHECK_FALSE(c->article5);
  CHECK_FALSE(c->declared_status);
}

TEST_CASE("load: a meeting") {
  Diagnostics diags;
  auto m = parse_meeting(
      "kind: msp\nnumber: 22\ntitle:\n  en: Twenty-Second Meeting\n  zh: 缔约国第二十二届会议\n"
      "start: 2025-12-01\nend: 2025-12-05\nvenue: { en: Geneva, fr: Genève }\npresident: NL\n"
      "page_aliases: [/meetings-of-the-states-parties/22msp/]\n",
      "msp22", "content/meetings/msp22/meeting.yaml", diags);
  INFO(all_messages(diags));
  CHECK(diags.items().empty());
  REQUIRE(m);
  CHECK(m->id == "msp22");
  CHECK(m->kind == "msp");
  CHECK(m->number == 22);
  CHECK(m->title.at("zh") == "缔约国第二十二届会议");
  CHECK(m->start == Date{2025, 12, 1});
  CHECK(m->end == Date{2025, 12, 5});
  CHECK(m->venue.at("fr") == "Genève");
  REQUIRE(m->president);
  CHECK(m->president->value == "NL");
  CHECK(m->president->line == 9);
  CHECK(m->page_aliases.size() == 1);
}

TEST_CASE("load: a meeting's plain venue stands for every language") {
  Diagnostics diags;
  auto m = parse_meeting(
      "kind: special\ntitle: { en: Special }\nstart: 2025-01-01\n"
      "end: 2025-01-01\nvenue: Geneva\n",
      "s1", "content/meetings/s1/meeting.yaml", diags);
  CHECK(diags.items().empty());
  REQUIRE(m);
  REQUIRE(m->venue.size() == 1);
  CHECK(m->venue.begin()->second == "Geneva");
  CHECK_FALSE(m->number);
}

TEST_CASE("load: topics") {
  Diagnostics diags;
  auto topics = parse_topics(
      "victims:\n  names: { en: Victim assistance }\n"
      "cooperation-assistance:\n  names: { en: Cooperation and assistance, zh: 合作和援助 }\n"
      "  keywords: { en: [cooperation and assistance, resource mobilization], zh: [合作与援助] }\n",
      "content/topics.yaml", diags);
  CHECK(diags.items().empty());
  REQUIRE(topics.size() == 2);
  CHECK(topics[0].id == "cooperation-assistance");  // sorted by id
  CHECK(topics[0].names.at("zh") == "合作和援助");
  CHECK(topics[0].keywords.at("en").size() == 2);
  CHECK(topics[0].source.line == 3);
  CHECK(topics[1].id == "victims");
  CHECK(topics[1].keywords.empty());
}

TEST_CASE("load: site config") {
  Diagnostics diags;
  auto cfg = parse_site_config(
      "title:\n  en: Mine Ban Convention\n  fr: Convention\nbase_url: https://example.org\n"
      "languages: [en, fr, ar]\ntheme: plain\n",
      "site.yaml", diags);
  CHECK(diags.items().empty());
  REQUIRE(cfg);
  CHECK(cfg->title.at("fr") == "Convention");
  CHECK(cfg->base_url == "https://example.org/");
  CHECK(cfg->languages == std::vector<std::string>{"en", "fr", "ar"});
  CHECK(cfg->default_language() == "en");
  CHECK(cfg->theme == "plain");
}

TEST_CASE("load: site config defaults, and a plain title for every language") {
  Diagnostics diags;
  auto cfg = parse_site_config("title: Test\nlanguages: [en, fr]\n", "site.yaml", diags);
  CHECK(diags.items().empty());
  REQUIRE(cfg);
  CHECK(cfg->title.at("en") == "Test");
  CHECK(cfg->title.at("fr") == "Test");
  CHECK(cfg->base_url == "/");
  CHECK(cfg->theme == "default");
  CHECK(cfg->search_url == "/");
}

TEST_CASE("load: search_url names a search service on another host, or a path") {
  for (auto [given, want] : {std::pair{"https://search.example.org", "https://search.example.org/"},
                             std::pair{"http://10.0.0.5:8080/s/", "http://10.0.0.5:8080/s/"},
                             std::pair{"/service", "/service/"}}) {
    Diagnostics diags;
    auto cfg = parse_site_config(
        std::string("title: T\nlanguages: [en]\nsearch_url: ") + given + "\n", "site.yaml", diags);
    CHECK(diags.items().empty());
    REQUIRE(cfg);
    CHECK(cfg->search_url == want);
  }
  for (const char* bad : {"search.example.org", "ftp://x.org/", "//x.org/", "javascript:alert(1)",
                          "\"https://x.org/?a=b\"", "https://"}) {
    Diagnostics diags;
    parse_site_config(std::string("title: T\nlanguages: [en]\n\nsearch_url: ") + bad + "\n",
                      "site.yaml", diags);
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].path == "site.yaml");
    CHECK(diags.items()[0].line == 4);
    CHECK(diags.items()[0].message.find("search_url") != std::string::npos);
  }
}

TEST_CASE("load: symbol_slug") {
  CHECK(symbol_slug("APLC/MSP.22/2025/WP.3") == "aplc-msp-22-2025-wp-3");
  CHECK(symbol_slug("APLC/CONF/2019/5/Add.1") == "aplc-conf-2019-5-add-1");
  CHECK(symbol_slug("  /APLC//MSP.1/ ") == "aplc-msp-1");
  CHECK(symbol_slug("") == "");
}

// ------------------------------------------------------------ bad input

TEST_CASE("load: malformed YAML is reported at the line of the problem") {
  Diagnostics diags;
  auto c = parse_country("iso: ML\nnames:\n  en: Mali\n   fr: bad indent\n", "mali",
                         "content/countries/mali.yaml", diags);
  CHECK_FALSE(c);
  INFO(all_messages(diags));
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].str().rfind("content/countries/mali.yaml:4: malformed YAML: ", 0) == 0);
}

TEST_CASE("load: missing required fields") {
  Diagnostics diags;
  CHECK_FALSE(
      parse_country("# no iso\nsigned: 1997-12-04\n", "x", "content/countries/x.yaml", diags));
  check_single(diags, "content/countries/x.yaml:2: missing required field \"iso\"");

  Diagnostics d2;
  parse_meeting("kind: msp\ntitle: { en: T }\nstart: 2025-01-01\n", "m", "m.yaml", d2);
  check_single(d2, "m.yaml:1: missing required field \"end\"");

  Diagnostics d3;
  parse_country("iso: TD\narticle5:\n  extensions:\n    - deadline: 2011-01-01\n", "chad",
                "chad.yaml", d3);
  check_single(d3, "chad.yaml:4: missing required field \"article5.extensions[0].granted_at\"");

  Diagnostics d4;
  parse_site_config("title: T\n", "site.yaml", d4);
  check_single(d4, "site.yaml:1: missing required field \"languages\"");
}

TEST_CASE("load: bad dates") {
  Diagnostics diags;
  parse_country("iso: TG\nsigned: 2025-02-30\nratified: next year\n", "togo", "togo.yaml", diags);
  INFO(all_messages(diags));
  CHECK(diags.items().size() == 2);
  CHECK(
      reported(diags, "togo.yaml:2: invalid date \"2025-02-30\" for signed (expected YYYY-MM-DD)"));
  CHECK(reported(diags,
                 "togo.yaml:3: invalid date \"next year\" for ratified (expected YYYY-MM-DD)"));

  Diagnostics d2;
  parse_meeting("kind: msp\ntitle: { en: T }\nstart: 2025-12-05\nend: 2025-12-01\n", "m", "m.yaml",
                d2);
  check_single(d2, "m.yaml:4: end 2025-12-01 is before start 2025-12-05");
}

TEST_CASE("load: unknown status and meeting kind values") {
  Diagnostics diags;
  auto c = parse_country("iso: NE\nstatus: member\n", "niger", "niger.yaml", diags);
  REQUIRE(c);  // still usable: other files refer to it
  check_single(diags,
               "niger.yaml:2: unknown status \"member\" (expected state-party, signatory, "
               "not-party or withdrawn)");

  Diagnostics d2;
  parse_meeting("kind: summit\ntitle: { en: T }\nstart: 2025-01-01\nend: 2025-01-01\n", "m",
                "m.yaml", d2);
  check_single(d2,
               "m.yaml:1: unknown kind \"summit\" (expected msp, review-conference, "
               "intersessional or special)");
}

TEST_CASE("load: two accession kinds") {
  Diagnostics diags;
  parse_country("iso: AO\nratified: 2002-07-05\nsigned: 1997-12-04\nacceded: 2002-07-05\n",
                "angola", "angola.yaml", diags);
  check_single(diags,
               "angola.yaml:4: both ratified and acceded are given (a State joins one way "
               "only: ratified, acceded or succeeded)");
}

TEST_CASE("load: unknown field") {
  Diagnostics diags;
  parse_country("iso: AO\nratifed: 2002-07-05\n", "angola", "angola.yaml", diags);
  check_single(diags, "angola.yaml:2: unknown field \"ratifed\" (did you mean \"ratified\"?)");

  Diagnostics d2;
  parse_meeting(
      "kind: msp\ntitle: { en: T }\nstart: 2025-01-01\nend: 2025-01-01\n"
      "article5:\n  completed: 2020-01-01\n",
      "m", "m.yaml", d2);
  check_single(d2, "m.yaml:5: unknown field \"article5\"");

  Diagnostics d3;
  parse_site_config("languages: [en]\nthemes: x\n", "site.yaml", d3);
  check_single(d3, "site.yaml:2: unknown field \"themes\" (did you mean \"theme\"?)");

  Diagnostics d4;
  parse_country("iso: TD\narticle5:\n  original_deadlin: 2009-11-01\n", "chad", "chad.yaml", d4);
  check_single(d4,
               "chad.yaml:3: unknown field \"article5.original_deadlin\" (did you mean "
               "\"article5.original_deadline\"?)");
}

TEST_CASE("load: other bad values in countries and site.yaml") {
  Diagnostics diags;
  CHECK_FALSE(parse_country("iso: SSD\n", "x", "x.yaml", diags));
  check_single(diags, "x.yaml:1: iso \"SSD\" is not a two-letter code (ISO 3166-1 alpha-2)");

  Diagnostics d2;
  parse_country("iso: SS\nstockpile: many\nmines_retained: { number: lots }\n", "x", "x.yaml", d2);
  INFO(all_messages(d2));
  CHECK(reported(
      d2, "x.yaml:2: \"stockpile\" must be none or a map {destroyed, completed}, not \"many\""));
  CHECK(reported(d2, "x.yaml:3: \"mines_retained.number\" must be a whole number, not \"lots\""));

  Diagnostics d3;
  parse_site_config("languages: [en, FR, en]\n", "site.yaml", d3);
  INFO(all_messages(d3));
  CHECK(reported(
      d3, "site.yaml:1: invalid language code \"FR\" in languages (expected lower case, like en)"));
  CHECK(reported(d3, "site.yaml:1: duplicate language \"en\" in languages"));
}

// ------------------------------------------------------------ a site on disk

namespace {

const char* kDoc =
    "---\nsymbol: APLC/MSP.22/2025/WP.3\ntitle: %s\ndate: 2025-10-08\ntype: working-paper\n";

std::string doc(const std::string& title, const std::string& more = "",
                const std::string& body = "Body.\n") {
  char buf[256];
  std::snprintf(buf, sizeof buf, kDoc, title.c_str());
  return buf + more + "---\n" + body;
}

void write_good_site(const TempSite& s) {
  s.write("site.yaml", "title: Test\nbase_url: https://example.org\nlanguages: [en, fr, zh]\n");
  s.write("content/countries/south-sudan.yaml", kFullCountry);
  s.write("content/countries/angola.yaml", "iso: AO\nsigned: 1997-12-04\n");
  s.write("content/countries/angola.fr.md", "L'Angola.\n");
  s.write("content/countries/angola.en.md", "---\ntitle: About Angola\n---\nAngola.\n");
  s.write("content/meetings/msp22/meeting.yaml",
          "kind: msp\ntitle: { en: MSP22 }\nstart: 2025-12-01\nend: 2025-12-05\n");
  s.write("content/meetings/msp22/wp3.zh.md",
          doc("中文", "original: en\ncountries: [DK]\nfiles: [wp3.zh.pdf]\n"));
  s.write("content/meetings/msp22/wp3.en.md",
          doc("English", "original: en\ncountries: [DK, TR]\ntopics: [victims]\n"));
  s.write("content/meetings/msp22/wp3.fr.html",
          "---\nsymbol: APLC/MSP.22/2025/WP.3\ntitle: Français\ndate: 2025-10-08\n"
          "type: working-paper\n---\n<p>Texte.</p>\n");
  s.write("content/meetings/msp22/wp3.zh.pdf", "%PDF-1.4\n");
  s.write("content/meetings/msp22/annex/map.png", "PNG");
  s.write("content/meetings/msp1/meeting.yaml",
          "kind: msp\ntitle: { en: MSP1 }\nstart: 1999-05-03\nend: 1999-05-07\n");
  s.write("content/meetings/msp1/report.en.md",
          "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Report\ndate: 1999-05-07\ntype: report\n"
          "agenda_item: 9(c)\n---\nText.\n");
  s.write("content/topics.yaml", "victims:\n  names: { en: Victim assistance }\n");
  s.write("content/pages/about.en.md", "---\ntitle: About\nweight: 2\n---\nAbout us.\n");
  s.write("content/pages/about.fr.md", "# À propos\n\nTexte.\n");
  s.write("content/pages/contact.en.md", "---\ntitle: Contact\n---\n");
  s.write("content/_index.en.md", "Welcome.\n");
}

}  // namespace

TEST_CASE("load: load_site reads a small site") {
  TempSite s;
  write_good_site(s);
  Diagnostics diags;
  Content c = load_site(s.root, diags);
  INFO(all_messages(diags));
  CHECK(diags.items().empty());

  CHECK(c.config.base_url == "https://example.org/");
  REQUIRE(c.countries.size() == 2);
  CHECK(c.countries[0].slug == "angola");  // sorted by slug
  CHECK(c.countries[0].prose.at("en").title == "About Angola");
  CHECK(c.countries[0].prose.at("fr").body.text().find("L'Angola") != std::string::npos);
  CHECK(c.countries[1].iso == "SS");

  REQUIRE(c.meetings.size() == 2);
  CHECK(c.meetings[0].id == "msp1");
  CHECK(c.meetings[1].id == "msp22");

  REQUIRE(c.documents.size() == 2);
  CHECK(c.documents[0].meeting == "msp1");
  CHECK(c.documents[0].agenda_item == "9(c)");
  const Document& d = c.documents[1];
  CHECK(d.meeting == "msp22");
  CHECK(d.name == "wp3");
  CHECK(d.symbol == "APLC/MSP.22/2025/WP.3");
  CHECK(d.slug == "aplc-msp-22-2025-wp-3");
  CHECK(d.type == "working-paper");
  CHECK(d.original == "en");
  REQUIRE(d.versions.size() == 3);  // in the site's language order
  CHECK(d.versions[0].lang == "en");
  CHECK(d.versions[1].lang == "fr");
  CHECK(d.versions[2].lang == "zh");
  CHECK(d.versions[0].title == "English");
  CHECK(d.versions[1].body.html().find("Texte.") != std::string::npos);
  CHECK(d.versions[2].source.path == "content/meetings/msp22/wp3.zh.md");
  // Each version's, once per file, with the file it was written in.
  REQUIRE(d.countries.size() == 3);
  CHECK(d.countries[0].value == "DK");
  CHECK(d.countries[0].file_or("") == "content/meetings/msp22/wp3.en.md");
  CHECK(d.countries[1].value == "TR");
  CHECK(d.countries[2].value == "DK");
  CHECK(d.countries[2].file_or("") == "content/meetings/msp22/wp3.zh.md");
  CHECK(d.countries[2].line == 7);
  CHECK(d.topics.size() == 1);
  REQUIRE(d.files.size() == 1);
  CHECK(d.versions[2].files.at(0).value == "wp3.zh.pdf");
  CHECK(d.versions[2].files.at(0).line == 8);
  CHECK(d.source.path == "content/meetings/msp22/wp3.en.md");

  CHECK(c.attachments == std::vector<std::string>{"content/meetings/msp22/annex/map.png",
                                                  "content/meetings/msp22/wp3.zh.pdf"});
  REQUIRE(c.topics.size() == 1);
  REQUIRE(c.pages.size() == 2);
  CHECK(c.pages[0].slug == "about");
  CHECK(c.pages[0].versions.at("en").weight == 2);
  CHECK(c.pages[0].versions.at("fr").title == "À propos");
  CHECK(c.pages[1].slug == "contact");
  CHECK(c.home.count("en") == 1);
}

TEST_CASE("load: load_site reports every problem of several files in one run") {
  TempSite s;
  write_good_site(s);
  s.write("content/countries/angola2.yaml", "iso: AO\n");
  s.write("content/countries/togo.yaml", "iso: TG\nsigned: 1997-02-30\n");
  s.write("content/countries/mali.yaml", "iso: ML\nsigned: [1997-12-04\n");
  s.write("content/meetings/msp1/report.de.md", doc("Bericht"));
  s.write("content/meetings/msp1/notes.md", doc("Notes"));
  s.write("content/meetings/msp1/other.en.md",
          "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Other\ndate: 1999-05-07\ntype: report\n---\n");
  s.write("content/meetings/msp1/wp3.en.md", "---\nsymbol: W3\ntitle: T\n");
  s.write("content/meetings/msp22/wp3.fr.html",
          "---\nsymbol: APLC/MSP.22/2025/WP.4\ntitle: Français\ndate: 2025-10-08\n"
          "type: working-paper\n---\n<p>Texte.</p>\n");
  s.write("content/meetings/msp2/agenda.en.md",
          "---\nsymbol: APLC/MSP.2/2000/1\ntitle: Agenda\ndate: 2000-09-11\ntype: agenda\n---\n");
  s.write("content/meetings/msp1/wp4.en.md",
          "---\nsymbol: W4\ndate: 1999-05-04\ntype: statement\n---\nText\n");
  Diagnostics diags;
  Content c = load_site(s.root, diags);
  INFO(all_messages(diags));
  CHECK(reported(diags,
                 "content/countries/angola2.yaml:1: duplicate iso \"AO\": also used by "
                 "content/countries/angola.yaml"));
  CHECK(reported(diags,
                 "content/countries/togo.yaml:2: invalid date \"1997-02-30\" for signed "
                 "(expected YYYY-MM-DD)"));
  CHECK(reported(
      diags,
      "content/countries/mali.yaml:2: malformed YAML: unclosed [ (no matching ]; yaml-cpp: end "
      "of sequence flow not found)"));
  CHECK(reported(diags,
                 "content/meetings/msp1/report.de.md:1: unknown language \"de\" (site "
                 "languages: en, fr, zh)"));
  CHECK(reported(diags,
                 "content/meetings/msp1/notes.md:1: unknown language \"\" (site "
                 "languages: en, fr, zh)"));
  CHECK(reported(diags,
                 "content/meetings/msp1/report.en.md:2: duplicate symbol "
                 "\"APLC/MSP.1/1999/1\" also used by content/meetings/msp1/other.en.md"));
  CHECK(reported(diags,
                 "content/meetings/msp1/wp3.en.md:1: front matter opened on line 1 is "
                 "never closed (expected a line \"---\")"));
  CHECK(reported(diags,
                 "content/meetings/msp22/wp3.fr.html:2: symbol APLC/MSP.22/2025/WP.4 "
                 "differs from APLC/MSP.22/2025/WP.3 in content/meetings/msp22/wp3.en.md"));
  CHECK(reported(diags,
                 "content/meetings/msp2/meeting.yaml:1: missing file: every meeting folder "
                 "needs a meeting.yaml"));
  CHECK(reported(diags, "content/meetings/msp1/wp4.en.md:2: missing required field \"title\""));
  CHECK(diags.error_count() == 10);
  // The good parts still load.
  CHECK(c.countries.size() == 4);
  // And wp4, without a title: kept so that its references are checked too.
  CHECK(c.documents.size() == 5);  // agenda, other, report (msp1/msp2), wp3, wp4
}

TEST_CASE("load: load_site without site.yaml") {
  TempSite s;
  s.write("content/topics.yaml", "a:\n  names: { en: A }\n");
  Diagnostics diags;
  Content c = load_site(s.root, diags);
  check_single(diags, "site.yaml:1: missing file: every site needs a site.yaml");
  CHECK(c.config.languages.empty());
  CHECK(c.topics.size() == 1);
}

// ------------------------------------------------------------ one rule per site

namespace {

// Loads a minimal good site plus `files`, returning the diagnostics.
Diagnostics load_with(const std::map<std::string, std::string>& files) {
  TempSite s;
  s.write("site.yaml", "languages: [en, fr]\n");
  s.write("content/countries/angola.yaml", "iso: AO\n");
  s.write("content/meetings/msp1/meeting.yaml",
          "kind: msp\ntitle: { en: First }\nstart: 1999-05-03\nend: 1999-05-07\n");
  s.write("content/meetings/msp1/report.en.md",
          "---\nsymbol: APLC/MSP.1/1999/1\ntitle: Report\ndate: 1999-05-07\ntype: report\n---\n");
  for (const auto& [rel, text] : files) s.write(rel, text);
  Diagnostics diags;
  load_site(s.root, diags);
  return diags;
}

}  // namespace

TEST_CASE("load: the minimal site has no problems") {
  Diagnostics diags = load_with({});
  CHECK(diags.items().empty());
}

TEST_CASE("load: duplicate ISO names the first file") {
  check_single(load_with({{"content/countries/angola2.yaml", "# again\niso: AO\n"}}),
               "content/countries/angola2.yaml:2: duplicate iso \"AO\": also used by "
               "content/countries/angola.yaml");
}

TEST_CASE("load: duplicate symbol across meetings") {
  check_single(
      load_with({{"content/meetings/msp2/meeting.yaml",
                  "kind: msp\ntitle: { en: Second }\nstart: 2000-09-11\nend: 2000-09-15\n"},
                 {"content/meetings/msp2/report.fr.md",
                  "---\ntitle: Rapport\nsymbol: APLC/MSP.1/1999/1\ndate: 1999-05-07\ntype: "
                  "report\n---\n"}}),
      "content/meetings/msp2/report.fr.md:3: duplicate symbol \"APLC/MSP.1/1999/1\" also used by "
      "content/meetings/msp1/report.en.md");
}

TEST_CASE("load: unknown language suffix") {
  check_single(load_with({{"content/pages/about.de.md", "---\ntitle: Über\n---\n"}}),
               "content/pages/about.de.md:1: unknown language \"de\" (site languages: en, fr)");
}

TEST_CASE("load: unclosed front matter") {
  check_single(load_with({{"content/meetings/msp1/wp3.en.md", "---\nsymbol: W3\ntitle: T\n"}}),
               "content/meetings/msp1/wp3.en.md:1: front matter opened on line 1 is never closed "
               "(expected a line \"---\")");
}

TEST_CASE("load: a document file without front matter") {
  check_single(load_with({{"content/meetings/msp1/wp3.en.md", "Just text.\n"}}),
               "content/meetings/msp1/wp3.en.md:1: missing front matter: the file must start with "
               "a line \"---\"");
}

TEST_CASE("load: malformed YAML in front matter points at the file line") {
  Diagnostics diags = load_with(
      {{"content/meetings/msp1/wp3.en.md", "---\nsymbol: W3\ntitle: [T\ndate: 1999-05-04\n---\n"}});
  INFO(all_messages(diags));
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].str().rfind("content/meetings/msp1/wp3.en.md:", 0) == 0);
  CHECK(diags.items()[0].str().find(": malformed YAML: ") != std::string::npos);
  // Where the author opened the '[', not where yaml-cpp gave up looking for the ']'.
  CHECK(diags.items()[0].line == 3);
}

TEST_CASE("load: symbol, date and type differing between versions") {
  Diagnostics diags = load_with({{"content/meetings/msp1/report.fr.md",
                                  "---\nsymbol: APLC/MSP.1/1999/2\ntitle: Rapport\ndate: "
                                  "1999-05-08\ntype: decision\n---\n"}});
  INFO(all_messages(diags));
  CHECK(diags.items().size() == 3);
  const std::string where = " in content/meetings/msp1/report.en.md";
  CHECK(reported(diags,
                 "content/meetings/msp1/report.fr.md:2: symbol APLC/MSP.1/1999/2 differs "
                 "from APLC/MSP.1/1999/1" +
                     where));
  CHECK(reported(diags,
                 "content/meetings/msp1/report.fr.md:4: date 1999-05-08 differs from "
                 "1999-05-07" +
                     where));
  CHECK(reported(
      diags, "content/meetings/msp1/report.fr.md:5: type decision differs from report" + where));
}

TEST_CASE("load: the original language's version speaks for the document") {
  TempSite s;
  s.write("site.yaml", "languages: [en, fr]\n");
  s.write("content/meetings/m/meeting.yaml",
          "kind: special\ntitle: { fr: Réunion }\nstart: 2000-01-01\nend: 2000-01-01\n");
  s.write("content/meetings/m/d.en.md",
          "---\nsymbol: S/2\ntitle: E\ndate: 2000-01-01\ntype: other\n---\n");
  s.write("content/meetings/m/d.fr.md",
          "---\nsymbol: S/1\ntitle: F\ndate: 2000-01-01\ntype: other\noriginal: fr\n---\n");
  Diagnostics diags;
  Content c = load_site(s.root, diags);
  REQUIRE(c.documents.size() == 1);
  CHECK(c.documents[0].symbol == "S/1");
  CHECK(c.documents[0].original == "fr");
  CHECK(c.documents[0].versions.front().lang == "en");
  check_single(diags,
               "content/meetings/m/d.en.md:2: symbol S/2 differs from S/1 in "
               "content/meetings/m/d.fr.md");
}

TEST_CASE("load: unknown field and bad type in a document") {
  check_single(load_with({{"content/meetings/msp1/wp5.en.md",
                           "---\nsymbol: W5\ntitle: T\ndate: 1999-05-04\ntype: statement\n"
                           "topcis: [victims]\n---\n"}}),
               "content/meetings/msp1/wp5.en.md:6: unknown field \"topcis\" (did you mean "
               "\"topics\"?)");
  check_single(load_with({{"content/meetings/msp1/wp6.en.md",
                           "---\nsymbol: W6\ntitle: T\ndate: 1999-05-04\ntype: memo\n---\n"}}),
               "content/meetings/msp1/wp6.en.md:5: unknown type \"memo\" (expected agenda, "
               "programme, report, final-report, working-paper, extension-request, "
               "article7-report, statement, decision or other)");
}

TEST_CASE("load: a page needs a title, and prose keys for other tools only warn") {
  check_single(load_with({{"content/pages/about.en.md", "Text.\n"}}),
               "content/pages/about.en.md:1: missing required field \"title\" (no front matter, "
               "no leading # heading)");
  Diagnostics diags =
      load_with({{"content/pages/about.en.md", "---\ntitle: A\ndraft: false\n---\n"}});
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].severity == Severity::warning);
  CHECK(diags.items()[0].str() == "content/pages/about.en.md:3: warning: unknown field \"draft\"");
}

TEST_CASE("load: a meeting folder without meeting.yaml, prose without a country") {
  Diagnostics diags = load_with(
      {{"content/meetings/msp9/x.pdf", "%PDF"}, {"content/countries/atlantis.en.md", "Sunk.\n"}});
  INFO(all_messages(diags));
  CHECK(diags.items().size() == 2);
  CHECK(reported(diags,
                 "content/meetings/msp9/meeting.yaml:1: missing file: every meeting folder "
                 "needs a meeting.yaml"));
  CHECK(reported(diags,
                 "content/countries/atlantis.en.md:1: prose for a State with no "
                 "content/countries/atlantis.yaml"));
}

TEST_CASE("load: a load cache reparses only files that changed, and keeps their problems") {
  TempDir dir;
  write_site(dir.path(),
             {{"site.yaml", "title: T\nlanguages: [en]\n"},
              {"content/meetings/m1/meeting.yaml",
               "kind: msp\ntitle: { en: M }\nstart: 2020-01-01\nend: 2020-01-02\n"},
              {"content/meetings/m1/a.en.md",
               "---\nsymbol: S/1\ntitle: A\ndate: 2020-01-01\ntype: report\n---\nFirst text.\n"},
              {"content/meetings/m1/bad.en.md",
               "---\nsymbol: S/2\ntitle: B\ndate: 2020-02-30\ntype: report\n---\n"}});
  LoadCache cache;
  Diagnostics first;
  Content c1 = load_site(dir.path(), first, &cache);
  // The bad document is kept, so that its references are checked too.
  REQUIRE(c1.documents.size() == 2);
  CHECK(first.error_count() == 1);

  write_file(dir.path() / "content/meetings/m1/a.en.md",
             "---\nsymbol: S/1\ntitle: A\ndate: 2020-01-01\ntype: report\n---\nSecond text, longer.\n");
  Diagnostics second;
  Content c2 = load_site(dir.path(), second, &cache);
  REQUIRE(c2.documents.size() == 2);
  CHECK(c2.documents[0].versions[0].body.text().find("Second text") != std::string::npos);
  // The unchanged bad file is not parsed again, but its error is still reported.
  REQUIRE(second.error_count() == 1);
  CHECK(second.items()[0].str().find("bad.en.md:4: invalid date") != std::string::npos);
}

TEST_CASE("load: reload_documents parses again only the edited documents, or declines") {
  TempDir dir;
  const std::string a_fr = "---\nsymbol: S/1\ntitle: A fr\ndate: 2020-01-01\ntype: report\n---\nTexte.\n";
  write_site(dir.path(),
             {{"site.yaml", "title: T\nlanguages: [en, fr]\n"},
              {"content/meetings/m1/meeting.yaml",
               "kind: msp\ntitle: { en: M }\nstart: 2020-01-01\nend: 2020-01-02\n"},
              {"content/meetings/m1/a.en.md",
               "---\nsymbol: S/1\ntitle: A\ndate: 2020-01-01\ntype: report\n---\nFirst text.\n"},
              {"content/meetings/m1/a.fr.md", a_fr},
              {"content/meetings/m1/b.en.md",
               "---\nsymbol: S/2\ntitle: B\ndate: 2020-02-01\ntype: report\n---\nOther.\n"}});
  LoadCache cache;
  Diagnostics first;
  Content c1 = load_site(dir.path(), first, &cache);
  REQUIRE(first.error_count() == 0);
  REQUIRE(c1.documents.size() == 2);
  const fs::path a_en = dir.path() / "content/meetings/m1/a.en.md";

  // The text of one version: that document again, the other one untouched.
  write_file(a_en, "---\nsymbol: S/1\ntitle: A\ndate: 2020-01-01\ntype: report\n---\nEdited.\n");
  Diagnostics d;
  auto reloaded = reload_documents(dir.path(), c1, {a_en}, cache, d);
  REQUIRE(reloaded);
  CHECK(reloaded->documents == std::vector<int>{0});
  const Content* c2 = &reloaded->content;
  CHECK(d.items().empty());
  REQUIRE(c2->documents.size() == 2);
  CHECK(c2->documents[0].versions[0].body.text() == "Edited.");
  CHECK(c2->documents[0].versions[1].body == c1.documents[0].versions[1].body);
  CHECK(c2->documents[0].versions[1].title == "A fr");
  CHECK(c2->documents[1].versions[0].body == c1.documents[1].versions[0].body);

  // What changes more than a document's text is left to load_site().
  auto declines = [&](const std::vector<fs::path>& changed) {
    Diagnostics none;
    return !reload_documents(dir.path(), *c2, changed, cache, none);
  };
  // (Each write has another size: the cache knows a file by its size and
  // modification time, which the kernel keeps to a few milliseconds.)
  write_file(a_en, "---\nsymbol: S/33\ntitle: A\ndate: 2020-01-01\ntype: report\n---\nEdited.\n");
  CHECK(declines({a_en}));  // a new symbol may collide with another one
  write_file(a_en, "---\nsymbol: S/1\ntitle: A\ndate: 2020-13-01\ntype: report\n---\nEdit.\n");
  CHECK(declines({a_en}));  // invalid: load_site() reports it
  write_file(a_en, "---\nsymbol: S/1\ntitle: A\ndate: 2020-01-01\ntype: report\n---\nEdited!!\n");
  CHECK(!declines({a_en}));
  write_file(dir.path() / "content/meetings/m1/c.en.md",
             "---\nsymbol: S/4\ntitle: C\ndate: 2020-01-01\ntype: report\n---\nNew.\n");
  CHECK(declines({dir.path() / "content/meetings/m1/c.en.md"}));  // a new file
  write_file(a_en, "---\nsymbol: S/1\ntitle: A\ndate: 2020-01-01\ntype: report\n"
                   "page_aliases: [/old/a/]\n---\nEdited!!\n");
  CHECK(declines({a_en}));  // another page to publish
  CHECK(declines({dir.path() / "content/meetings/m1/meeting.yaml"}));
  CHECK(declines({dir.path() / "site.yaml"}));
  fs::remove(dir.path() / "content/meetings/m1/a.fr.md");
  CHECK(declines({dir.path() / "content/meetings/m1/a.fr.md"}));  // a removed file
  CHECK(declines({}));
}

TEST_CASE("load: iso must be an assigned ISO 3166-1 alpha-2 code, in upper case") {
  struct Case {
    const char* iso;
    const char* message;  // "" when the code is good
  };
  const Case cases[] = {
      {"AO", ""},
      {"SS", ""},
      {"PS", ""},
      {"to", "iso \"to\" must be upper case (TO)"},
      {"XX", "iso \"XX\" is not an assigned ISO 3166-1 alpha-2 code"},
      {"XK", "iso \"XK\" is not an assigned ISO 3166-1 alpha-2 code"},  // user-assigned
      {"EA", "iso \"EA\" is not an assigned ISO 3166-1 alpha-2 code"},  // reserved, in ICU
      {"YU", "iso \"YU\" is not an assigned ISO 3166-1 alpha-2 code"},  // withdrawn
      {"A1", "iso \"A1\" is not a two-letter code (ISO 3166-1 alpha-2)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.iso);
    Diagnostics diags;
    parse_country(std::string("iso: ") + c.iso + "\n", "x", "content/countries/x.yaml", diags);
    INFO(all_messages(diags));
    if (*c.message == 0) {
      CHECK(diags.items().empty());
    } else {
      REQUIRE(diags.items().size() == 1);
      CHECK(diags.items()[0].str() == std::string("content/countries/x.yaml:1: ") + c.message);
    }
  }
}

TEST_CASE("load: ISO codes in references are upper case too, and read upper-cased") {
  Diagnostics diags;
  auto m = parse_meeting("kind: msp\ntitle: { en: M }\nstart: 2025-12-01\nend: 2025-12-05\n"
                         "president: nl\n",
                         "msp22", "content/meetings/msp22/meeting.yaml", diags);
  REQUIRE(m);
  REQUIRE(m->president);
  CHECK(m->president->value == "NL");
  check_single(diags, "content/meetings/msp22/meeting.yaml:5: president \"nl\" must be upper case (NL)");
}
