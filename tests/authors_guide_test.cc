// The author's guide (docs/authors-guide.md) cannot rot: its examples that
// name a file (```yaml file=content/...) are one site, built here without
// an error or a warning, and the addresses its tables give are pages of it.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <sstream>

#include "site-gen/build.h"
#include "site-gen/load.h"
#include "tests/attachment_fixtures.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kGuide = fs::path(SITE_GEN_SOURCE_DIR) / "docs/authors-guide.md";

// Each fenced block whose info string holds file=PATH: PATH -> its text.
std::map<std::string, std::string> guide_files(const std::string& guide) {
  std::map<std::string, std::string> files;
  std::istringstream in(guide);
  std::string line, path, text;
  bool inside = false;
  const std::regex open(R"(^```\w* file=(\S+)\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!inside && std::regex_match(line, m, open)) {
      inside = true;
      path = m[1].str();
      text.clear();
    } else if (inside && line == "```") {
      inside = false;
      CHECK_MESSAGE(files.emplace(path, text).second, "two examples of " << path);
    } else if (inside) {
      text += line + "\n";
    }
  }
  CHECK_FALSE(inside);
  return files;
}

// The attachments the examples name, each written as a small PDF.
std::set<std::string> named_files(const std::map<std::string, std::string>& files) {
  std::set<std::string> out;
  const std::regex list(R"(\nfiles: \[([^\]]*)\])");
  for (const auto& [path, text] : files)
    for (std::sregex_iterator it(text.begin(), text.end(), list), end; it != end; ++it) {
      std::istringstream names((*it)[1].str());
      std::string name;
      while (std::getline(names, name, ','))
        out.insert(
            (fs::path(path).parent_path() / name.substr(name.find_first_not_of(' '))).string());
    }
  return out;
}

}  // namespace

TEST_CASE("authors' guide: its examples are a site that builds without a warning") {
  const std::string guide = read_file(kGuide);
  REQUIRE_FALSE(guide.empty());
  const auto files = guide_files(guide);
  // An example of every kind of file the format has.
  for (const char* kind :
       {R"(site\.yaml)", R"(content/countries/[a-z-]+\.yaml)",
        R"(content/countries/[a-z-]+\.en\.md)", R"(content/meetings/[a-z0-9-]+/meeting\.yaml)",
        R"(content/meetings/[a-z0-9-]+/[a-z0-9-]+\.en\.md)",
        R"(content/meetings/[a-z0-9-]+/[a-z0-9-]+\.fr\.md)",
        R"(content/meetings/[a-z0-9-]+/[a-z0-9-]+\.en\.html)", R"(content/topics\.yaml)",
        R"(content/pages/[a-z-]+\.en\.md)", R"(content/_index\.en\.md)"}) {
    CAPTURE(kind);
    CHECK(std::any_of(files.begin(), files.end(),
                      [&](const auto& f) { return std::regex_match(f.first, std::regex(kind)); }));
  }
  const auto attachments = named_files(files);
  CHECK(attachments.size() >= 1);

  TempDir tmp;
  write_site(tmp.path(), files);
  for (const auto& a : attachments)
    write_file(tmp.path() / a, make_pdf({"Cooperation and assistance with Angola."}));
  BuildOptions opt;
  opt.site = tmp.path();
  opt.as_of = parse_iso_date("2026-01-15");
  opt.jobs = 2;
  BuildReport report = build_site(opt);
  for (const auto& d : report.diags.items()) FAIL_CHECK(d.str());
  REQUIRE(report.ok());

  const fs::path out = tmp.path() / "public";
  for (const auto& [path, text] : files) {
    CAPTURE(path);
    std::smatch m;
    if (std::regex_match(path, m, std::regex(R"(content/countries/([a-z-]+)\.yaml)")))
      CHECK(fs::exists(out / "en/membership" / m[1].str() / "index.html"));
    if (std::regex_match(path, m, std::regex(R"(content/meetings/([a-z0-9-]+)/meeting\.yaml)")))
      CHECK(fs::exists(out / "en/meetings" / m[1].str() / "index.html"));
    if (std::regex_match(path, m, std::regex(R"(content/pages/([a-z-]+)\.([a-z]+)\.md)")))
      CHECK(fs::exists(out / m[2].str() / m[1].str() / "index.html"));
    if (std::regex_search(text, m, std::regex(R"(\nsymbol: (\S+))")))
      CHECK(fs::exists(out / "en/documents" / symbol_slug(m[1].str()) / "index.html"));
  }
  for (const auto& a : attachments) {
    CAPTURE(a);
    const std::string name = fs::path(a).filename().string();
    CHECK(fs::exists(out / "en/documents/aplc-msp-22-2025-wp-3" / name));
  }
  // The addresses the guide's tables give (`/en/...` in a table row) are pages.
  std::istringstream in(guide);
  std::string line;
  const std::regex address(R"(`(/en/[^`]*)`)");
  int addresses = 0;
  while (std::getline(in, line)) {
    if (line.rfind("|", 0) != 0) continue;
    for (std::sregex_iterator it(line.begin(), line.end(), address), end; it != end; ++it) {
      const std::string url = (*it)[1].str();
      CAPTURE(url);
      CHECK(fs::exists(out / url.substr(1) / "index.html"));
      ++addresses;
    }
  }
  CHECK(addresses >= 9);
  // What the guide says of tagging: the document is on the page of a State
  // its text names, and on its topic's.
  CHECK(read_file(out / "en/membership/south-sudan/index.html").find("aplc-msp-22-2025-5") !=
        std::string::npos);
  CHECK(read_file(out / "en/topics/cooperation-assistance/index.html")
            .find("aplc-msp-22-2025-wp-3") != std::string::npos);
}
