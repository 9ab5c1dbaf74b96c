// `site-gen new DIR`: the site it writes builds without a warning in six
// languages, and a folder that is not empty is refused with nothing written.
#include "site-gen/new_site.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "site-gen/build.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

// Every entry of `dir`, relative, sorted: what a refused `new` must leave.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    out.push_back(fs::relative(e.path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

const char* kLanguages[] = {"en", "fr", "es", "ar", "ru", "zh"};

}  // namespace

TEST_CASE("new: the site it writes builds without a warning, every page in six languages") {
  TempDir tmp;
  const fs::path site = tmp.path() / "mysite";
  std::string error;
  REQUIRE_MESSAGE(write_new_site(site, &error), error);
  for (const auto& [rel, text] : new_site_files()) CHECK(read_file(site / rel) == text);

  BuildOptions opt;
  opt.site = site;
  opt.as_of = parse_iso_date("2026-01-15");
  opt.jobs = 2;
  BuildReport report = build_site(opt);
  for (const auto& d : report.diags.items()) FAIL_CHECK(d.str());  // no error, no warning
  REQUIRE(report.ok());

  const fs::path out = site / "public";
  for (const char* lang : kLanguages) {
    CAPTURE(lang);
    const std::string l = lang;
    const std::string home = read_file(out / l / "index.html");
    CHECK(home.find("lang=\"" + l + "\"") != std::string::npos);
    // The State, tagged with the document whose text names it.
    const std::string canada = read_file(out / l / "membership/canada/index.html");
    CHECK(canada.find("/" + l + "/documents/aplc-msp-1-1999-4/") != std::string::npos);
    CHECK(canada.find("APLC/MSP.1/1999/4") != std::string::npos);
    const std::string meeting = read_file(out / l / "meetings/msp1/index.html");
    CHECK(meeting.find("/" + l + "/documents/aplc-msp-1-1999-4/") != std::string::npos);
    CHECK(fs::exists(out / l / "documents/aplc-msp-1-1999-4/index.html"));
    const std::string topic = read_file(out / l / "topics/victim-assistance/index.html");
    CHECK(topic.find("/" + l + "/documents/aplc-msp-1-1999-4/") != std::string::npos);
  }
  CHECK(read_file(out / "ar/index.html").find("dir=\"rtl\"") != std::string::npos);
  CHECK(
      read_file(out / "en/meetings/msp1/index.html").find("First Meeting of the States Parties") !=
      std::string::npos);
  CHECK(read_file(out / "zh/meetings/msp1/index.html").find("缔约国第一届会议") !=
        std::string::npos);
  CHECK(read_file(out / "fr/documents/aplc-msp-1-1999-4/index.html")
            .find("Rapport final de la première Assemblée des États parties") != std::string::npos);
  // Canada is a State Party as of the build date, by its dates alone.
  CHECK(read_file(out / "en/membership/canada/index.html").find("1 March 1999") !=
        std::string::npos);
  CHECK(report.indexed > 0);
}

TEST_CASE("new: a folder that is not empty, or a file, is refused and nothing is written") {
  TempDir tmp;
  const fs::path site = tmp.path() / "mysite";
  write_file(site / "notes.txt", "an author's notes\n");
  write_file(tmp.path() / "afile", "x");
  const std::vector<std::string> before = entries(tmp.path());

  std::string error;
  CHECK_FALSE(write_new_site(site, &error));
  CHECK(error.find("not empty") != std::string::npos);
  CHECK(error.find("nothing was written") != std::string::npos);
  CHECK_FALSE(write_new_site(tmp.path() / "afile", &error));
  CHECK(error.find("not a folder") != std::string::npos);
  CHECK(entries(tmp.path()) == before);
  CHECK(read_file(site / "notes.txt") == "an author's notes\n");
}

TEST_CASE("new: an empty folder or one whose parents are missing becomes the site, whole") {
  TempDir tmp;
  // An empty folder made for the author: the same folder afterwards, with
  // its permissions, holding the site and nothing else.
  fs::create_directories(tmp.path() / "empty");
  fs::permissions(tmp.path() / "empty", fs::perms::owner_all);
  struct stat before {};
  REQUIRE(stat((tmp.path() / "empty").c_str(), &before) == 0);
  std::string error;
  REQUIRE_MESSAGE(write_new_site(tmp.path() / "empty/", &error), error);
  CHECK(fs::exists(tmp.path() / "empty/site.yaml"));
  struct stat after {};
  REQUIRE(stat((tmp.path() / "empty").c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);
  CHECK((after.st_mode & 07777) == 0700);
  CHECK(entries(tmp.path() / "empty") ==
        std::vector<std::string>{
            "content", "content/_index.en.md", "content/countries", "content/countries/canada.yaml",
            "content/meetings", "content/meetings/msp1", "content/meetings/msp1/final-report.en.md",
            "content/meetings/msp1/final-report.fr.md", "content/meetings/msp1/meeting.yaml",
            "content/topics.yaml", "site.yaml"});
  REQUIRE_MESSAGE(write_new_site(tmp.path() / "a/b/site", &error), error);
  CHECK(fs::exists(tmp.path() / "a/b/site/content/meetings/msp1/meeting.yaml"));
  // Nothing is left beside them: the files were staged and renamed in.
  for (const auto& e : fs::directory_iterator(tmp.path()))
    CHECK(e.path().filename().string().find("site-gen-new") == std::string::npos);
  for (const auto& e : fs::directory_iterator(tmp.path() / "a/b"))
    CHECK(e.path().filename() == "site");
}

TEST_CASE("new: the command writes the site once, then refuses, and a usage error is 2") {
  TempDir tmp;
  const std::string dir = (tmp.path() / "mysite").string();
  RunResult first = run_site_gen("new '" + dir + "'");
  CHECK_MESSAGE(first.exit_code == 0, first.output);
  CHECK(first.output.find("site-gen build --site") != std::string::npos);
  RunResult build = run_site_gen("build --jobs 2 --site '" + dir + "'");
  CHECK_MESSAGE(build.exit_code == 0, build.output);
  CHECK(build.output.find("warning") == std::string::npos);
  CHECK(fs::exists(fs::path(dir) / "public/es/index.html"));

  RunResult again = run_site_gen("new '" + dir + "'");
  CHECK(again.exit_code == 1);
  CHECK(again.output.find("not empty") != std::string::npos);
  CHECK(run_site_gen("new").exit_code == 2);
  CHECK(run_site_gen("new a b").exit_code == 2);
  CHECK(run_site_gen("new --site x y").exit_code == 2);
}
