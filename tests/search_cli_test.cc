// End-to-end search: a small site built with the site-gen binary, then
// queried with `site-gen search`, as a user would.
#include <doctest/doctest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "index/search.h"

#include "tests/attachment_fixtures.h"
#include "tests/site_fixture.h"

using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> search_site() {
  return {
      {"site.yaml", "title: Test\nbase_url: https://example.org/\nlanguages: [en, fr, ar, zh]\n"},
      {"content/countries/denmark.yaml", "iso: DK\nstatus: state-party\n"},
      {"content/countries/turkiye.yaml", "iso: TR\nstatus: state-party\naliases: { en: [Turkey] }\n"},
      {"content/countries/south-sudan.yaml", "iso: SS\nstatus: state-party\n"},
      {"content/countries/sudan.yaml", "iso: SD\nstatus: state-party\n"},
      {"content/topics.yaml",
       "cooperation:\n  names: { en: Cooperation and assistance, fr: Coopération et assistance }\n"
       "  keywords: { en: [cooperation and assistance], fr: [coopération et assistance] }\n"},
      {"content/meetings/msp21/meeting.yaml",
       "kind: msp\ntitle: { en: Twenty-First Meeting }\nstart: 2023-11-20\nend: 2023-11-24\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\nend: 2025-12-05\n"},
      {"content/meetings/msp22/report.en.md",
       "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report of the Twenty-Second Meeting\n"
       "date: 2025-12-05\ntype: final-report\noriginal: en\n---\n"
       "Denmark reported on cooperation and assistance in mine clearance. Mines were cleared.\n"},
      {"content/meetings/msp22/report.fr.md",
       "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Rapport final de la vingt-deuxième Assemblée\n"
       "date: 2025-12-05\ntype: final-report\noriginal: en\n---\n"
       "Le Danemark a rendu compte de la coopération et de l'assistance.\n"},
      {"content/meetings/msp22/report.ar.md",
       "---\nsymbol: APLC/MSP.22/2025/5\ntitle: التقرير الختامي\ndate: 2025-12-05\n"
       "type: final-report\noriginal: en\n---\nقدمت الدانمرك تقريرا عن إزالة الألغام.\n"},
      {"content/meetings/msp22/wp3.zh.md",
       "---\nsymbol: APLC/MSP.22/2025/WP.3\ntitle: 合作和援助\ndate: 2025-10-08\n"
       "type: working-paper\noriginal: en\nfiles: [annex.pdf, note.docx]\n---\n"
       "土耳其和南苏丹的合作与援助。\n"},
      {"content/meetings/msp21/agenda.en.md",
       "---\nsymbol: APLC/MSP.21/2023/1\ntitle: \"<script>alert(1)</script> Agenda\"\n"
       "date: 2023-11-20\ntype: agenda\n---\nThe agenda of the meeting, with Sudan.\n"},
  };
}

struct SearchSite {
  TempDir dir;
  fs::path site() const { return dir.path() / "site"; }
  fs::path index() const { return dir.path() / "site" / "public-index"; }
  RunResult build(const std::string& more = "") const {
    return run_site_gen("build --site " + site().string() + " --as-of 2026-01-01 " + more);
  }
  RunResult search(const std::string& args) const {
    return run_site_gen("search --index " + index().string() + " --json " + args);
  }
};

std::unique_ptr<SearchSite> make_site() {
  auto s = std::make_unique<SearchSite>();
  write_site(s->site(), search_site());
  write_file(s->site() / "content/meetings/msp22/annex.pdf", make_pdf({"Xylophonique annex"}));
  write_docx(s->site() / "content/meetings/msp22/note.docx",
             document_xml("<w:p><w:r><w:t>Quasimodogeniti note</w:t></w:r></w:p>"));
  RunResult r = s->build();
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return s;
}

}  // namespace

TEST_CASE("search: the build writes the index beside the published tree") {
  auto s = make_site();
  CHECK(fs::is_directory(s->index()));
  CHECK_FALSE(fs::exists(s->site() / "public" / "public-index"));
}

TEST_CASE("search: words found only in a PDF and only in a DOCX attachment") {
  auto s = make_site();
  for (const char* word : {"Xylophonique", "Quasimodogeniti"}) {
    CAPTURE(word);
    RunResult r = s->search(word);
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("\"symbol\":\"APLC/MSP.22/2025/WP.3\"") != std::string::npos);
    CHECK(r.output.find("\"total\":1") != std::string::npos);
  }
}

TEST_CASE("search: a symbol finds its document first, in any case and spacing") {
  auto s = make_site();
  for (const char* q : {"'APLC/MSP.22/2025/5'", "'aplc/msp.22/2025/5'", "'APLC / MSP.22 / 2025 / 5'"}) {
    CAPTURE(q);
    RunResult r = s->search(q);
    INFO(r.output);
    size_t first = r.output.find("\"symbol\":");
    REQUIRE(first != std::string::npos);
    CHECK(r.output.find("\"symbol\":\"APLC/MSP.22/2025/5\"") == first);
  }
  RunResult prefix = s->search("MSP.22");
  CHECK(prefix.output.find("APLC/MSP.22/2025/5") != std::string::npos);
  CHECK(prefix.output.find("APLC/MSP.22/2025/WP.3") != std::string::npos);
  CHECK(prefix.output.find("APLC/MSP.21/2023/1") == std::string::npos);
}

TEST_CASE("search: filters and facets count a document once across its languages") {
  auto s = make_site();
  RunResult r = s->search("--country DK ''");
  INFO(r.output);
  CHECK(r.output.find("APLC/MSP.22/2025/5") != std::string::npos);
  CHECK(r.output.find("APLC/MSP.21/2023/1") == std::string::npos);
  RunResult all = s->search("--type final-report report");
  INFO(all.output);
  CHECK(all.output.find("\"DK\":1") != std::string::npos);
  RunResult fr = s->search("--lang fr cooperation");
  INFO(fr.output);
  CHECK(fr.output.find("\"url\":\"/fr/documents/aplc-msp-22-2025-5/\"") != std::string::npos);
}

TEST_CASE("search: hostile titles come out escaped") {
  auto s = make_site();
  RunResult r = s->search("agenda");
  INFO(r.output);
  CHECK(r.output.find("APLC/MSP.21/2023/1") != std::string::npos);
  CHECK(r.output.find("<script>") == std::string::npos);
}

TEST_CASE("search: a rebuild re-indexes only what changed, and a failed one leaves the index") {
  auto s = make_site();
  // Built again in full (with nothing changed, a build publishes nothing).
  RunResult again = s->build("--clean");
  INFO(again.output);
  CHECK(again.output.find(" 0 search entries indexed") != std::string::npos);
  std::string before = s->search("Denmark").output;

  write_file(s->site() / "content/meetings/msp22/report.en.md",
             "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
             "type: final-report\noriginal: en\n---\nDenmark and Zanzibarite.\n");
  RunResult changed = s->build();
  INFO(changed.output);
  CHECK(changed.output.find(" 0 search entries indexed") == std::string::npos);
  CHECK(s->search("Zanzibarite").output.find("\"total\":1") != std::string::npos);

  std::string good = s->search("Zanzibarite").output;
  write_file(s->site() / "content/meetings/msp22/bad.en.md", "---\nsymbol: X\n");  // unclosed
  RunResult failed = s->build();
  CHECK(failed.exit_code == 1);
  CHECK(s->search("Zanzibarite").output == good);
}

// A build publishes its index as a new folder behind the same symlink: a
// searcher opened before answers from the index it opened, on every handle
// of its pool (some opened after the build), until it is reopened.
TEST_CASE("search: a searcher keeps the index it opened until reopen, on every handle") {
  auto s = make_site();
  sitegen::index::Searcher searcher(s->index());
  REQUIRE(searcher.ok());
  write_file(s->site() / "content/meetings/msp22/report.en.md",
             "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
             "type: final-report\noriginal: en\n---\nDenmark and Zanzibarite.\n");
  RunResult changed = s->build();
  REQUIRE(changed.exit_code == 0);
  sitegen::index::SearchRequest ask;
  ask.query = "Zanzibarite";
  ask.lang = "en";
  // Searches at once take handles of their own, opened now.
  std::atomic<int> found{0}, failed{0};
  std::latch start(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 50; ++i) {
        auto r = searcher.search(ask);
        if (!r.error.empty()) ++failed;
        if (r.total > 0) ++found;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(failed == 0);
  CHECK(found == 0);
  searcher.reopen();
  CHECK(searcher.search(ask).total == 1);
}

TEST_CASE("search: a typo is corrected and searched, a known word never") {
  auto s = make_site();
  // "mine" and "mines" are both indexed: Xapian would offer the more frequent one.
  RunResult known = s->search("mine");
  INFO(known.output);
  CHECK(known.output.find("\"corrected\":\"\",") != std::string::npos);
  CHECK(known.output.find("\"suggestion\":\"\"") != std::string::npos);
  RunResult typo = s->search("clearence");
  INFO(typo.output);
  CHECK(typo.output.find("\"query\":\"clearence\",\"total\":1,") != std::string::npos);
  CHECK(typo.output.find("\"corrected\":\"clearance\",") != std::string::npos);
  CHECK(typo.output.find("\"suggestion\":\"\"") != std::string::npos);
  RunResult text = run_site_gen("search --index " + s->index().string() + " clearence");
  INFO(text.output);
  CHECK(text.output.find("Showing results for: clearance\nSearch instead for: clearence") !=
        std::string::npos);
  RunResult exact = s->search("clearence --exact");
  INFO(exact.output);
  CHECK(exact.output.find("\"total\":0,") != std::string::npos);
  CHECK(exact.output.find("\"corrected\":\"\"") != std::string::npos);
}
