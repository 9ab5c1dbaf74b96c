// Fuzz target: front matter and YAML loading. Each input goes through every
// string entry point (split_front_matter, parse_site_config, parse_country,
// parse_meeting, parse_topics: the YAML of its front matter if it has one,
// else all of it), then is loaded by load_site() as a document version
// (Markdown, or HTML for inputs of odd length) and as a page of a small site
// written once at start-up. The property: no crash, no sanitizer report, no
// exception, and every diagnostic has a path and a line between 0 and the
// last line of the file it names.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "site-gen/diagnostic.h"
#include "site-gen/front_matter.h"
#include "site-gen/load.h"

namespace {

namespace fs = std::filesystem;

fs::path g_site;

// Lines as the loader counts them: a CR alone, a CRLF and an LF each end one.
int line_count(std::string_view text) {
  std::string lines = sitegen::normalize_text(text);
  return 1 + static_cast<int>(std::count(lines.begin(), lines.end(), '\n'));
}

[[noreturn]] void fail(const char* entry, std::string_view input, const std::string& why) {
  std::fprintf(stderr, "\n%s: %s\n--- input (%zu bytes)\n%.*s\n---\n", entry, why.c_str(),
               input.size(), static_cast<int>(input.size()), input.data());
  __builtin_trap();
}

// `file`: the path the input was given as, whose lines bound the diagnostics.
void check(const char* entry, std::string_view input, const sitegen::Diagnostics& diags,
           const std::string& file) {
  int lines = line_count(input);
  for (const auto& d : diags.items()) {
    if (d.path.empty()) fail(entry, input, "a diagnostic without a path: " + d.str());
    if (d.line < 0) fail(entry, input, "a diagnostic with a negative line: " + d.str());
    if (d.path == file && d.line > lines)
      fail(entry, input,
           "a diagnostic past the file's last line (" + std::to_string(lines) + "): " + d.str());
  }
}

void write(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc).write(text.data(), text.size());
}

void remove_site() {
  std::error_code ec;
  fs::remove_all(g_site, ec);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_site = fs::temp_directory_path() / ("site-gen-front-matter-fuzz-" + std::to_string(getpid()));
  write(g_site / "site.yaml", "title: Fuzz\nlanguages: [en, fr, ar, zh]\n");
  write(g_site / "content/meetings/msp1/meeting.yaml",
        "kind: msp\ntitle: { en: First Meeting }\nstart: 1999-05-03\nend: 1999-05-07\n");
  write(g_site / "content/countries/angola.yaml", "iso: AO\nsigned: 1997-12-04\n");
  write(g_site / "content/topics.yaml", "victims:\n  names: { en: Victim assistance }\n");
  std::atexit(remove_site);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    sitegen::FrontMatter fm = sitegen::split_front_matter(input);
    sitegen::FrontMatter optional =
        sitegen::split_front_matter(input, sitegen::FrontMatterNeed::optional);
    if (!fm.ok() && fm.error_line < 0) fail("split_front_matter", input, "negative error line");
    if (fm.present && fm.yaml_line < 1) fail("split_front_matter", input, "yaml_line < 1");
    if (optional.ok() && optional.body_line < 1) fail("split_front_matter", input, "body_line < 1");
    std::string yaml = fm.present ? fm.yaml : std::string(input);
    {
      sitegen::Diagnostics d;
      (void)sitegen::parse_site_config(yaml, "site.yaml", d);
      check("parse_site_config", yaml, d, "site.yaml");
    }
    {
      sitegen::Diagnostics d;
      (void)sitegen::parse_country(yaml, "angola", "content/countries/angola.yaml", d);
      check("parse_country", yaml, d, "content/countries/angola.yaml");
    }
    {
      sitegen::Diagnostics d;
      (void)sitegen::parse_meeting(yaml, "msp1", "content/meetings/msp1/meeting.yaml", d);
      check("parse_meeting", yaml, d, "content/meetings/msp1/meeting.yaml");
    }
    {
      sitegen::Diagnostics d;
      (void)sitegen::parse_topics(yaml, "content/topics.yaml", d);
      check("parse_topics", yaml, d, "content/topics.yaml");
    }
    // A document version and a page, through the loader.
    std::string doc =
        size % 2 ? "content/meetings/msp1/wp1.en.html" : "content/meetings/msp1/wp1.en.md";
    std::string page = "content/pages/about.fr.md";
    write(g_site / doc, input);
    write(g_site / page, input);
    sitegen::Diagnostics d;
    (void)sitegen::load_site(g_site, d);
    check("load_site (document)", input, d, doc);
    check("load_site (page)", input, d, page);
    fs::remove(g_site / doc);
  } catch (const std::exception& e) {
    fail("an exception", input, e.what());
  }
  return 0;
}
