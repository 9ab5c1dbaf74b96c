// The build state: what a build was made from, and the incremental build
// that publishes nothing when nothing changed since.
#include "site-gen/build_state.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <algorithm>
#include <sys/stat.h>

#include "site-gen/build.h"
#include "site-gen/new_site.h"
#include "site-gen/publish.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

struct NewSite {
  TempDir dir;
  BuildOptions options;
  NewSite() {
    std::string error;
    REQUIRE_MESSAGE(write_new_site(dir.path() / "site", &error), error);
    options.site = dir.path() / "site";
    options.out = dir.path() / "public";
    options.as_of = parse_iso_date("2026-03-01");
    options.jobs = 2;
    options.incremental = true;
  }
  fs::path root() const { return options.site; }
  BuildReport build() const {
    BuildReport r = build_site(options);
    std::string errors;
    for (const auto& d : r.diags.sorted()) errors += d.str() + "\n";
    REQUIRE_MESSAGE(r.ok(), errors);
    return r;
  }
  long generation() const { return published_generation(options.out, index_dir(options)); }
  std::string page(const std::string& rel) const { return read_file(options.out / rel); }
};

// A document of the new site, whichever it is.
fs::path some_document(const fs::path& root) {
  for (const auto& e : fs::recursive_directory_iterator(root / "content/meetings"))
    if (e.path().extension() == ".md") return e.path();
  FAIL("the new site has no document");
  return {};
}

// Replaces the first occurrence of `from` in the file.
void replace_in(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = read_file(file);
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  write_file(file, text);
}

}  // namespace

TEST_CASE("build state: stamps see an edit at once, a new file and a removed one") {
  NewSite s;
  const auto before = stamp_inputs(s.root(), "default");
  CHECK(inputs_unchanged(s.root(), before, stamp_inputs(s.root(), "default")));
  // A file the build does not read changes nothing.
  write_file(s.root() / "README.md", "notes\n");
  CHECK(inputs_unchanged(s.root(), before, stamp_inputs(s.root(), "default")));

  SUBCASE("the same size, the same moment: its bytes tell") {
    const fs::path doc = some_document(s.root());
    std::string text = read_file(doc);
    text.back() = text.back() == 'x' ? 'y' : 'x';
    struct stat st;
    REQUIRE(::stat(doc.c_str(), &st) == 0);
    write_file(doc, text);
    // Its time set back as a coarse clock would leave it.
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, doc.c_str(), times, 0) == 0);
    CHECK_FALSE(inputs_unchanged(s.root(), before, stamp_inputs(s.root(), "default")));
  }
  SUBCASE("a new file") {
    write_file(s.root() / "content/countries/notes.txt", "x");
    CHECK_FALSE(inputs_unchanged(s.root(), before, stamp_inputs(s.root(), "default")));
  }
  SUBCASE("a removed file") {
    fs::remove(some_document(s.root()));
    CHECK_FALSE(inputs_unchanged(s.root(), before, stamp_inputs(s.root(), "default")));
  }
  SUBCASE("site.yaml, a layout of the site, a file of its theme") {
    for (const char* rel : {"site.yaml", "layouts/home.mustache", "themes/default/x.css"}) {
      CAPTURE(rel);
      const auto now = stamp_inputs(s.root(), "default");
      write_file(s.root() / rel, read_file(s.root() / rel) + "\n");
      CHECK_FALSE(inputs_unchanged(s.root(), now, stamp_inputs(s.root(), "default")));
    }
  }
  SUBCASE("the theme installed with the tool is stamped") {
    bool found = false;
    for (const auto& st : before) found = found || st.path.rfind("theme:", 0) == 0;
    CHECK(found);
  }
}

TEST_CASE("build state: the changed inputs are those edited, added or removed") {
  NewSite s;
  auto before = stamp_inputs(s.root(), "default");  // just written: hashed
  size_t hashed = 0;
  for (const auto& st : before) hashed += st.hash != 0;
  CHECK(hashed > 0);
  auto now = before;
  // The same files seen later, their times no longer recent: not hashed.
  for (auto& st : now) st.hash = 0;
  CHECK(changed_inputs(s.root(), before, now).empty());
  CHECK(inputs_unchanged(s.root(), before, now));
  const fs::path doc = some_document(s.root());
  write_file(doc, read_file(doc) + "\nMore.\n");
  write_file(s.root() / "content/countries/notes.txt", "x");
  now = stamp_inputs(s.root(), "default");
  std::vector<fs::path> changed = changed_inputs(s.root(), before, now);
  std::sort(changed.begin(), changed.end());
  REQUIRE(changed.size() == 2);
  CHECK(changed[0] == "content/countries/notes.txt");
  CHECK(changed[1] == doc.lexically_relative(s.root()));
  fs::remove(doc);
  changed = changed_inputs(s.root(), now, stamp_inputs(s.root(), "default"));
  REQUIRE(changed.size() == 1);
  CHECK(changed[0] == doc.lexically_relative(s.root()));
}

TEST_CASE("build state: written and read back, and no state when damaged or of another version") {
  TempDir dir;
  BuildState s;
  s.key = "key\nwith lines";
  s.generation = 7;
  s.theme = "default";
  s.inputs = {{"content/a.md", 12, 345, 6789, 0}, {"site.yaml", 3, 4, 5, 99}};
  s.warnings = {{"content/countries/notes.txt", 1, "ignored", Severity::warning}};
  s.pages = 10;
  s.files = 20;
  const fs::path file = dir.path() / "cache/build-state";
  std::string error;
  REQUIRE(write_build_state(file, s, &error));
  auto back = read_build_state(file);
  REQUIRE(back);
  CHECK(back->key == s.key);
  CHECK(back->generation == 7);
  CHECK(back->inputs == s.inputs);
  REQUIRE(back->warnings.size() == 1);
  CHECK(back->warnings[0].str() == s.warnings[0].str());
  CHECK(back->pages == 10);
  CHECK(back->files == 20);

  std::string bytes = read_file(file);
  write_file(file, bytes.substr(0, bytes.size() - 9));
  CHECK_FALSE(read_build_state(file));
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 1;
  write_file(file, flipped);
  CHECK_FALSE(read_build_state(file));
  write_file(file, "site-gen build state\n\x02");
  CHECK_FALSE(read_build_state(file));
  CHECK_FALSE(read_build_state(dir.path() / "none"));
}

TEST_CASE("build: with nothing changed, an incremental build publishes nothing") {
  NewSite s;
  // A warning, which every build repeats.
  write_file(s.root() / "content/countries/notes.txt", "x");
  BuildReport first = s.build();
  CHECK_FALSE(first.unchanged);
  const long gen = s.generation();
  REQUIRE(gen > 0);
  CHECK(fs::exists(build_state_path(s.options.out)));

  BuildReport again = s.build();
  CHECK(again.unchanged);
  CHECK(s.generation() == gen);
  CHECK(again.pages == first.pages);
  CHECK(again.files == first.files);
  REQUIRE(again.diags.items().size() == first.diags.items().size());
  CHECK(again.diags.items().size() >= 1);
  CHECK(again.diags.sorted()[0].str() == first.diags.sorted()[0].str());

  SUBCASE("an edit builds, and shows") {
    const fs::path doc = some_document(s.root());
    replace_in(doc, "\n---\n", "\n---\nIncrementalWordOne\n\n");
    BuildReport r = s.build();
    CHECK_FALSE(r.unchanged);
    CHECK(s.generation() > gen);
    bool shown = false;
    for (const auto& e : fs::recursive_directory_iterator(s.options.out))
      if (e.is_regular_file() && read_file(e.path()).find("IncrementalWordOne") != std::string::npos)
        shown = true;
    CHECK(shown);
    CHECK(s.build().unchanged);
  }
  SUBCASE("another build date, index option or output builds") {
    s.options.as_of = parse_iso_date("2026-03-02");
    CHECK_FALSE(s.build().unchanged);
    CHECK(s.build().unchanged);
    s.options.write_index = false;
    CHECK_FALSE(s.build().unchanged);
    s.options.out = s.dir.path() / "elsewhere";
    CHECK_FALSE(s.build().unchanged);
  }
  SUBCASE("--clean builds") {
    s.options.clean = true;
    CHECK_FALSE(s.build().unchanged);
    CHECK(s.generation() > gen);
    s.options.clean = false;
    CHECK(s.build().unchanged);
  }
  SUBCASE("a state deleted, or damaged, builds") {
    fs::remove(build_state_path(s.options.out));
    CHECK_FALSE(s.build().unchanged);
    write_file(build_state_path(s.options.out), "site-gen build state\nrubbish");
    CHECK_FALSE(s.build().unchanged);
    CHECK(s.build().unchanged);
  }
  SUBCASE("a published tree removed by hand builds") {
    fs::remove(s.options.out);
    CHECK_FALSE(s.build().unchanged);
    CHECK(fs::exists(s.options.out / "en/index.html"));
  }
  SUBCASE("a failed build leaves the state and what was published") {
    const fs::path doc = some_document(s.root());
    const std::string good = read_file(doc);
    write_file(doc, "---\nsymbol: [\n---\n");
    BuildReport bad = build_site(s.options);
    CHECK_FALSE(bad.ok());
    CHECK(s.generation() == gen);
    write_file(doc, good);
    CHECK_FALSE(s.build().unchanged);  // its time says it was written again
  }
  SUBCASE("the preview server's rebuild in place forgets the state") {
    BuildOptions serve = s.options;
    serve.incremental = false;
    BuildReport full = build_site(serve);
    REQUIRE(full.ok());
    CHECK_FALSE(fs::exists(build_state_path(s.options.out)));
    CHECK_FALSE(s.build().unchanged);
  }
}

TEST_CASE("cli: site-gen build twice says nothing changed, and --clean builds") {
  NewSite s;
  const std::string args = "--site " + s.root().string() + " --out " + s.options.out.string() +
                           " --as-of 2026-03-01";
  RunResult a = run_site_gen("build " + args);
  REQUIRE_MESSAGE(a.exit_code == 0, a.output);
  CHECK(a.output.find("nothing changed") == std::string::npos);
  RunResult b = run_site_gen("build " + args);
  REQUIRE_MESSAGE(b.exit_code == 0, b.output);
  CHECK(b.output.find("nothing changed since the last build") != std::string::npos);
  RunResult c = run_site_gen("build --clean " + args);
  REQUIRE_MESSAGE(c.exit_code == 0, c.output);
  CHECK(c.output.find("nothing changed") == std::string::npos);
  CHECK(c.output.find("pages") != std::string::npos);
  RunResult d = run_site_gen("check --clean --site " + s.root().string());
  CHECK(d.exit_code == 2);
}
