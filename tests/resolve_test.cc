// Resolve after an edit, as the preview server does it (reload_documents()
// then resolve_site() with the previous site): the same facts, lists and
// diagnostics as resolving the whole site again.
#include "site-gen/resolve.h"

#include <doctest/doctest.h>

#include "site-gen/load.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const Date kAsOf = *parse_iso_date("2026-03-01");

struct Doc {
  std::string meeting, name, symbol, date, type = "working-paper", countries, text;
};

std::string document_file(const Doc& d) {
  std::string s = "---\nsymbol: " + d.symbol + "\ntitle: Paper " + d.name + "\ndate: " + d.date +
                  "\ntype: " + d.type + "\noriginal: en\n";
  if (!d.countries.empty()) s += "countries: [" + d.countries + "]\n";
  return s + "---\n" + d.text + "\n";
}

// Three meetings and 150 documents (more than a chunk of SharedList), with
// dates shared by many documents so that the symbol orders them, and
// States and topics named in their texts and front matter.
std::vector<Doc> documents() {
  const char* texts[] = {"Angola reported on cooperation and assistance.", "Nothing to report.",
                         "South Sudan and Guinea spoke.", "Sudan completed mine clearance.",
                         "Estonia withdrew."};
  std::vector<Doc> docs;
  for (int n = 0; n < 150; ++n) {
    Doc d;
    d.meeting = "msp" + std::to_string(n % 3 + 1);
    d.name = "doc" + std::to_string(n);
    d.symbol = "APLC/" + d.meeting + "/" + std::to_string(1000 + n);
    d.date = "2025-0" + std::to_string(n % 7 + 1) + "-1" + std::to_string(n % 5);
    if (n % 25 == 3) d.type = "final-report";
    if (n % 11 == 0) d.countries = n % 2 ? "AO" : "SD, GN";
    d.text = texts[n % 5];
    docs.push_back(d);
  }
  return docs;
}

fs::path path_of(const Doc& d) { return "content/meetings/" + d.meeting + "/" + d.name + ".en.md"; }

void write_test_site(const fs::path& root, const std::vector<Doc>& docs) {
  write_site(
      root,
      {
          {"site.yaml",
           "title:\n  en: Mine Ban Convention\nbase_url: https://example.org/\n"
           "languages: [en, fr]\ntheme: default\n"},
          {"content/countries/angola.yaml", "iso: AO\nstatus: state-party\n"},
          {"content/countries/south-sudan.yaml", "iso: SS\nstatus: state-party\n"},
          {"content/countries/sudan.yaml", "iso: SD\nstatus: state-party\n"},
          {"content/countries/guinea.yaml", "iso: GN\nstatus: signatory\n"},
          {"content/countries/estonia.yaml",
           "iso: EE\nwithdrawal_notice: 2025-06-27\nwithdrawal_effective: 2025-12-27\n"},
          {"content/topics.yaml",
           "cooperation:\n  names: { en: Cooperation and assistance }\n"
           "  keywords: { en: [cooperation and assistance] }\n"
           "clearance:\n  names: { en: Mine clearance }\n  keywords: { en: [mine clearance] }\n"},
      });
  for (int m = 1; m <= 3; ++m)
    write_file(root / ("content/meetings/msp" + std::to_string(m) + "/meeting.yaml"),
               "kind: msp\nnumber: " + std::to_string(m) + "\ntitle:\n  en: Meeting " +
                   std::to_string(m) + "\nstart: 2025-0" + std::to_string(m) + "-01\nend: 2025-0" +
                   std::to_string(m) + "-05\nvenue: Geneva\n");
  for (const Doc& d : docs) write_file(root / path_of(d), document_file(d));
}

std::vector<std::string> messages(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.items()) out.push_back(d.str());
  return out;
}

void check_same_site(const Site& a, const Site& b) {
  REQUIRE(a.documents.size() == b.documents.size());
  for (size_t i = 0; i < a.documents.size(); ++i) {
    CAPTURE(a.content.documents[i].symbol);
    CHECK(a.documents[i].meeting == b.documents[i].meeting);
    CHECK(a.documents[i].countries == b.documents[i].countries);
    CHECK(a.documents[i].topics == b.documents[i].topics);
  }
  REQUIRE(a.countries.size() == b.countries.size());
  for (size_t k = 0; k < a.countries.size(); ++k) {
    CAPTURE(a.content.countries[k].iso);
    CHECK(a.countries[k].documents == b.countries[k].documents);
    CHECK(a.countries[k].names == b.countries[k].names);
    CHECK(a.countries[k].status.status == b.countries[k].status.status);
  }
  REQUIRE(a.meetings.size() == b.meetings.size());
  for (size_t m = 0; m < a.meetings.size(); ++m) {
    CAPTURE(a.content.meetings[m].id);
    CHECK(a.meetings[m].documents == b.meetings[m].documents);
    CHECK(a.meetings[m].final_report == b.meetings[m].final_report);
  }
  REQUIRE(a.topics.size() == b.topics.size());
  for (size_t t = 0; t < a.topics.size(); ++t)
    CHECK(a.topics[t].documents == b.topics[t].documents);
  CHECK(a.states_parties == b.states_parties);
  CHECK(a.document_facts_key == b.document_facts_key);
}

// A site on disk, resolved, and edited as the preview server edits it.
class EditedSite {
 public:
  EditedSite() : docs_(documents()) {
    write_test_site(dir_.path(), docs_);
    Diagnostics diags;
    site_ = resolve_site(load_site(dir_.path(), diags, &cache_), kAsOf, diags);
    INFO(messages(diags));
    REQUIRE(!diags.has_errors());
  }

  Doc& doc(int n) { return docs_[n]; }
  const Site& site() const { return *site_; }

  // Writes the documents `edited`, resolves with the previous site and
  // checks the result against resolving the whole site again.
  void resolve_after_edit(const std::vector<int>& edited) {
    std::vector<fs::path> changed;
    for (int n : edited) {
      write_file(dir_.path() / path_of(docs_[n]), document_file(docs_[n]));
      changed.push_back(dir_.path() / path_of(docs_[n]));
    }
    Diagnostics load_diags, diags;
    auto reloaded = reload_documents(dir_.path(), site_->content, changed, cache_, load_diags);
    REQUIRE(reloaded);
    auto after = resolve_site(std::move(reloaded->content), kAsOf, diags, site_.get());

    Diagnostics scratch_load_diags, scratch_diags;
    auto scratch = resolve_site(load_site(dir_.path(), scratch_load_diags), kAsOf, scratch_diags);
    CHECK(messages(diags) == messages(scratch_diags));
    check_same_site(*after, *scratch);
    previous_ = std::move(site_);
    site_ = std::move(after);
  }

  const Site& previous() const { return *previous_; }

 private:
  TempDir dir_;
  LoadCache cache_;
  std::vector<Doc> docs_;
  std::unique_ptr<Site> site_, previous_;
};

}  // namespace

TEST_CASE("resolve: after an edit of the text only, the facts and lists are the previous site's") {
  EditedSite s;
  s.doc(40).text += " More words, naming no State.";
  s.resolve_after_edit({40});
  // Shared, not copied: nothing that depends on the document changed.
  CHECK(&s.site().countries.all() == &s.previous().countries.all());
  CHECK(&s.site().meetings.all() == &s.previous().meetings.all());
  CHECK(&s.site().topics.all() == &s.previous().topics.all());
  CHECK(&s.site().documents[0] == &s.previous().documents[0]);
  CHECK(&s.site().documents[149] == &s.previous().documents[149]);
}

TEST_CASE("resolve: an edit that changes a document's States gives the lists made again") {
  EditedSite s;
  s.doc(40).text = "Sudan and Estonia, with cooperation and assistance.";  // was "Nothing"
  s.resolve_after_edit({40});
  CHECK(&s.site().documents[0] == &s.previous().documents[0]);
  s.doc(40).text = "Nothing to report.";
  s.resolve_after_edit({40});
  s.doc(41).countries = "EE, AO";
  s.resolve_after_edit({41});
  s.doc(44).countries = "";  // had SD, GN
  s.doc(45).text = "Guinea alone.";
  s.resolve_after_edit({44, 45});
}

TEST_CASE("resolve: an edit that moves a document in the lists gives the lists made again") {
  EditedSite s;
  SUBCASE("a newer date") {
    s.doc(42).date = "2026-01-01";
    s.resolve_after_edit({42});
    s.doc(42).date = "2025-03-10";  // the date many others have: the symbol places it
    s.resolve_after_edit({42});
  }
  SUBCASE("a final report comes first, goes, and the next one follows") {
    int first = -1;  // the final report of msp1 (documents 0, 3, 6, ...)
    for (int n = 0; n < 150; n += 3)
      if (s.doc(n).type == "final-report") first = n;
    REQUIRE(first >= 0);
    s.doc(30).type = "final-report";
    s.doc(30).date = "2026-02-01";
    s.resolve_after_edit({30});
    s.doc(30).type = "working-paper";
    s.resolve_after_edit({30});
    s.doc(first).type = "working-paper";
    s.resolve_after_edit({first});
    s.doc(first).type = "final-report";
    s.doc(first).date = "2025-01-10";
    s.resolve_after_edit({first});
  }
}

TEST_CASE("resolve: after an edit, unknown references are reported as in a full resolve") {
  EditedSite s;
  s.doc(40).countries = "AO, XX";
  s.resolve_after_edit({40});
}
