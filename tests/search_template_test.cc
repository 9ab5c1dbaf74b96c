// The search page file as a server reads it (site-gen/search_template.h):
// its records looked up where they lie in the file, and the UI strings a
// part can name all there when it renders, however the part names them.
#include "site-gen/search_template.h"

#include <doctest/doctest.h>

#include "site-gen/date.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;

namespace {

void record(std::string& out, char type, const std::string& name, const std::string& value) {
  out += std::string(1, type) + ' ' + std::to_string(name.size()) + ' ' +
         std::to_string(value.size()) + '\n' + name + value + '\n';
}

std::string header() {
  std::string f;
  record(f, 'V', "site-gen search page", "1");
  record(f, 'l', "lang", "en");
  record(f, 'l', "language", "en");
  return f;
}

}  // namespace

TEST_CASE("search template: a string or label given twice is its last, in any order") {
  std::string f = header();
  record(f, 't', "b_key", "first");
  record(f, 't', "a_key", "A");
  record(f, 't', "b_key", "second");
  record(f, 'f', "topic\tzeta", "Zeta topic");
  record(f, 'f', "country\tAO", "Angola");
  record(f, 'f', "country\tAO", "Angola (Republic of)");
  record(f, 'f', "autonym\tfr", "français");
  std::string error;
  auto t = SearchTemplate::parse(f, &error);
  REQUIRE_MESSAGE(t, error);
  CHECK(t->string("a_key") == "A");
  CHECK(t->string("b_key") == "second");
  CHECK(t->string("missing") == "missing");
  CHECK(t->label("country", "AO") == "Angola (Republic of)");
  CHECK(t->label("topic", "zeta") == "Zeta topic");
  CHECK(t->label("topic", "other") == "other");
  CHECK(t->autonym("fr") == "français");
}

TEST_CASE("search template: every string a part names shows, by path, in a section, spaced, raw") {
  std::string f = header();
  for (const char* k : {"by_path", "in_section", "spaced", "raw", "amp", "partial_like", "other"})
    record(f, 't', k, std::string("<") + k + ">");
  record(f, 't', "changed", "C");
  record(f, 'p', "lang", "en");
  record(f, 'L', "", "<main>");
  record(f, 'T', "#results",
         "{{#results}}{{t.by_path}}|{{#t}}{{in_section}}{{/t}}|{{ t.spaced }}|{{{t.raw}}}|"
         "{{& t.amp}}|{{#t}}{{^missing}}{{partial_like}}{{/missing}}{{/t}}{{/results}}");
  record(f, 'L', "", "</main>");
  std::string error;
  auto t = SearchTemplate::parse(f, &error);
  REQUIRE_MESSAGE(t, error);
  Data search;
  Data results(Data::type::list);
  results.push_back(Data());
  search.set("results", results);
  CHECK(t->render(search, &error) ==
        "<main>&lt;by_path&gt;|&lt;in_section&gt;|&lt;spaced&gt;|<raw>|<amp>|&lt;partial_like&gt;"
        "</main>");
  CHECK(error.empty());

  // A part that changes the delimiters: its tags are not {{…}}.
  std::string g = header();
  record(g, 't', "changed", "C");
  record(g, 'T', "", "{{=<% %>=}}<%t.changed%>");
  auto u = SearchTemplate::parse(g, &error);
  REQUIRE_MESSAGE(u, error);
  CHECK(u->render(Data(), &error) == "C");
}

TEST_CASE("search template: the build writes the labels sorted, as a reader looks them up") {
  TempDir dir;
  write_site(
      dir.path() / "site",
      {{"site.yaml", "title: Test\nlanguages: [fr, en]\n"},
       {"content/countries/zambia.yaml", "iso: ZM\nstatus: state-party\n"},
       {"content/countries/angola.yaml", "iso: AO\nstatus: state-party\n"},
       {"content/topics.yaml", "zeta:\n  names: { en: Zeta }\nalpha:\n  names: { en: Alpha }\n"},
       {"content/pages/about.en.md", "---\ntitle: About\n---\nx\n"}});
  BuildOptions opt;
  opt.site = dir.path() / "site";
  opt.out = dir.path() / "out";
  opt.as_of = parse_iso_date("2026-01-01");
  opt.jobs = 1;
  REQUIRE(build_site(opt).ok());
  std::string file = read_file(opt.out / search_template_path("en"));
  std::vector<std::string> names;
  for (size_t pos = 0; pos < file.size();) {
    size_t eol = file.find('\n', pos);
    REQUIRE(eol != std::string::npos);
    size_t name_len = 0, value_len = 0;
    REQUIRE(std::sscanf(file.c_str() + pos + 2, "%zu %zu", &name_len, &value_len) == 2);
    if (file[pos] == 'f') names.push_back(file.substr(eol + 1, name_len));
    pos = eol + 1 + name_len + value_len + 1;
  }
  CHECK(names.size() >= 8);  // two countries, two topics, two languages' names and autonyms
  CHECK(std::is_sorted(names.begin(), names.end()));
  std::string error;
  auto t = SearchTemplate::parse(file, &error);
  REQUIRE_MESSAGE(t, error);
  CHECK(t->label("topic", "alpha") == "Alpha");
  CHECK(t->autonym("fr") == "français");
}
