// The incremental `site-gen build`: after each edit of a series, of every
// kind, the published tree and the search answers are those of a clean
// build of the same files.
#include <doctest/doctest.h>

#include <map>

#include "index/search.h"
#include "site-gen/build.h"
#include "site-gen/build_state.h"
#include "site-gen/new_site.h"
#include "site-gen/publish.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

// Every file of a published tree by its path, with its bytes.
std::map<std::string, std::string> tree_of(const fs::path& out) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.is_regular_file())
      files[e.path().lexically_relative(out).generic_string()] = read_file(e.path());
  return files;
}

std::string answers(const fs::path& index_dir) {
  index::Searcher searcher(index_dir);
  std::string all;
  for (const char* lang : {"en", "fr", "zh"})
    for (const char* q : {"Maputo", "victim assistance", "Ottawa", "Zanzibarite", "Norway",
                          "mines", "Oslo", "APLC/MSP.1/1999/4", "APLC/MSP.2/2000/1"}) {
      index::SearchRequest r;
      r.query = std::string(q) + " ";
      r.lang = lang;
      all += index::to_json(searcher.search(r)) + "\n";
      r.country = "NO";
      all += index::to_json(searcher.search(r)) + "\n";
    }
  return all;
}

class Series {
 public:
  Series() {
    std::string error;
    REQUIRE_MESSAGE(write_new_site(root(), &error), error);
    // More to edit: a second State, meeting and document, a general page.
    write_site(root(), {
        {"content/countries/norway.yaml",
         "iso: NO\nsigned: 1997-12-03\nratified: 1998-07-09\nentry_into_force: 1999-03-01\n"},
        {"content/countries/norway.en.md", "---\ntitle: Norway\n---\nNorway hosted Oslo.\n"},
        {"content/meetings/msp2/meeting.yaml",
         "kind: msp\nnumber: 2\ntitle:\n  en: Second Meeting of the States Parties\n"
         "start: 2000-09-11\nend: 2000-09-15\nvenue: Geneva\n"},
        {"content/meetings/msp2/report.en.md",
         "---\nsymbol: APLC/MSP.2/2000/1\ntitle: Final report\ndate: 2000-09-15\n"
         "type: final-report\noriginal: en\n---\nNorway and Canada reported on mines.\n"},
        {"content/pages/about.en.md", "---\ntitle: About\nweight: 1\n---\nThe Convention.\n"},
    });
    options_.site = root();
    options_.out = dir_.path() / "public";
    options_.as_of = parse_iso_date("2026-03-01");
    options_.jobs = 2;
    options_.incremental = true;
    REQUIRE(build_ok(options_).site_pages > 0);
  }

  fs::path root() const { return dir_.path() / "site"; }
  void write(const std::string& rel, const std::string& text) { write_file(root() / rel, text); }
  void edit(const std::string& rel, const std::string& from, const std::string& to) {
    std::string text = read_file(root() / rel);
    size_t at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, rel << " has no \"" << from << "\"");
    text.replace(at, from.size(), to);
    write(rel, text);
  }

  // Builds incrementally, then cleanly into another output, and compares.
  BuildReport check() {
    BuildReport inc = build_ok(options_);
    BuildOptions clean = options_;
    clean.incremental = false;
    clean.out = dir_.path() / ("clean-" + std::to_string(++clean_builds_));
    build_ok(clean);
    const auto a = tree_of(options_.out), b = tree_of(clean.out);
    std::vector<std::string> differ;
    for (const auto& [path, bytes] : b)
      if (!a.count(path) || a.at(path) != bytes) differ.push_back(path);
    for (const auto& [path, bytes] : a)
      if (!b.count(path)) differ.push_back(path + " (not in the clean build)");
    std::string list;
    for (const auto& d : differ) list += d + "\n";
    CHECK_MESSAGE(differ.empty(), list);
    CHECK(answers(index_dir(options_)) == answers(index_dir(clean)));
    return inc;
  }

 private:
  static BuildReport build_ok(const BuildOptions& o) {
    BuildReport r = build_site(o);
    std::string errors;
    for (const auto& d : r.diags.sorted()) errors += d.str() + "\n";
    REQUIRE_MESSAGE(r.ok(), errors);
    return r;
  }

  TempDir dir_;
  BuildOptions options_;
  int clean_builds_ = 0;
};

}  // namespace

TEST_CASE("incremental build: after each edit of a series, the tree and search of a clean build") {
  Series s;
  const std::string report = "content/meetings/msp2/report.en.md";

  INFO("a document's text");
  s.edit(report, "reported on mines.", "reported on mines. Zanzibarite.");
  BuildReport r = s.check();
  CHECK(r.pages < r.site_pages);  // it was incremental
  CHECK(r.pages >= 1);

  INFO("a document's text naming another State");
  s.edit(report, "Zanzibarite.", "Zanzibarite. France too.");
  r = s.check();
  // Made of the generation before the published one, with the last
  // build's pages written again.
  CHECK(r.recycled);

  INFO("a document's front matter: its title and a topic");
  s.edit(report, "title: Final report", "title: Final report of the Second Meeting");
  s.edit(report, "original: en", "original: en\ntopics: [victim-assistance]");
  r = s.check();
  CHECK(r.pages < r.site_pages);

  INFO("a State's dates");
  s.edit("content/countries/norway.yaml", "ratified: 1998-07-09", "ratified: 1998-07-10");
  s.check();

  INFO("a State's prose");
  s.edit("content/countries/norway.en.md", "hosted Oslo.", "hosted Oslo in 1997.");
  s.check();

  INFO("a topic's keywords");
  s.edit("content/topics.yaml", "\"mine survivors\"", "\"mine survivors\", \"reported on mines\"");
  s.check();

  INFO("a new document");
  s.write("content/meetings/msp2/wp1.en.md",
          "---\nsymbol: APLC/MSP.2/2000/WP.1\ntitle: Working paper\ndate: 2000-09-12\n"
          "type: working-paper\noriginal: en\n---\nOn victim assistance in Norway.\n");
  s.check();

  INFO("a new language version of a document");
  s.write("content/meetings/msp2/wp1.fr.md",
          "---\nsymbol: APLC/MSP.2/2000/WP.1\ntitle: Document de travail\ndate: 2000-09-12\n"
          "type: working-paper\noriginal: en\n---\nSur l'assistance aux victimes en Norvège.\n");
  s.check();

  INFO("a removed document");
  fs::remove(s.root() / "content/meetings/msp2/wp1.en.md");
  fs::remove(s.root() / "content/meetings/msp2/wp1.fr.md");
  s.check();

  INFO("a general page");
  s.edit("content/pages/about.en.md", "The Convention.", "The Ottawa Convention.");
  s.check();

  INFO("a layout of the site's own");
  const fs::path theme_layout = fs::path(SITE_GEN_SOURCE_DIR) / "themes/default/layouts/page.mustache";
  std::string layout = read_file(theme_layout);
  REQUIRE(!layout.empty());
  s.write("layouts/page.mustache", layout + "\n<!-- the site's own page layout -->\n");
  r = s.check();
  CHECK(r.pages == r.site_pages);  // every page

  INFO("a UI string of the site's own");
  s.write("i18n/en.yaml", "nav_search: \"Find\"\n");
  s.check();

  INFO("site.yaml");
  s.edit("site.yaml", "base_url:", "# edited\nbase_url:");
  s.check();

  INFO("nothing: nothing published");
  BuildReport same = s.check();
  CHECK(same.unchanged);

  INFO("a document's text again, after all that");
  s.edit(report, "France too.", "France too. Oslo.");
  r = s.check();
  CHECK(r.pages < r.site_pages);
  CHECK_FALSE(r.recycled);  // the last build was a full one

  INFO("another document's text, then the first one's again");
  s.edit("content/meetings/msp1/final-report.en.md", "Maputo Declaration",
         "Maputo Declaration (1999)");
  r = s.check();
  CHECK(r.recycled);
  s.edit(report, "Oslo.", "Oslo. Geneva.");
  r = s.check();
  CHECK(r.recycled);
  CHECK(r.pages < r.site_pages);
}

TEST_CASE("incremental build: a snapshot that is not the state's is not used") {
  Series s;
  const fs::path out = s.root().parent_path() / "public";
  write_file(site_snapshot_path(out), "site-gen site snapshot\nrubbish");
  s.edit("content/meetings/msp2/report.en.md", "on mines.", "on mines. Zanzibarite.");
  BuildReport r = s.check();
  CHECK(r.pages == r.site_pages);  // built in full, and right
}
