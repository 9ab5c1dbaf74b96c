// Search into attachments (issue 15, point 4): a hit in a PDF is shown
// with a snippet of the page it is on, links to that page (x.pdf#page=N)
// and says it was found in the PDF, in the JSON, the terminal's text and
// the results page, in Latin, Cyrillic, Arabic and Chinese scripts; the
// document stays one result, counted once.
#include <doctest/doctest.h>

#include "index/search.h"
#include "index/writer.h"
#include "site-gen/build.h"
#include "site-gen/locale.h"
#include "tests/attachment_fixtures.h"
#include "tests/preview_site.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const std::string kDoc = "/documents/aplc-msp-1-1999-4/";

// One report in five languages, each version published as its PDF, the
// English one with a body too. Battambang is on page 3 of the English PDF
// (page 2 is blank), on page 2 of the others, each in its script; Kampong
// Cham only on the English PDF's first page; "opened" only in the body,
// Maputo in the body and on the English PDF's page 3.
const struct {
  const char* lang;
  const char* title;
  std::vector<std::string> pages;
  const char* battambang;  // the word as its PDF writes it
  int page;                // the page it is on
} kVersions[] = {
    {"en", "Final report", {"Final report\nKampong Cham spoke.", " ", "Clearance in Battambang went on, as agreed in Maputo."},
     "Battambang", 3},
    {"fr", "Rapport final", {"Rapport final", "Le déminage à Battambang a continué."}, "Battambang", 2},
    {"ru", "Заключительный доклад", {"Заключительный доклад", "Разминирование в Баттамбанге продолжалось."},
     "Баттамбанге", 2},
    {"ar", "التقرير النهائي", {"التقرير النهائي", "استمرت إزالة الألغام في باتامبانغ."}, "باتامبانغ", 2},
    {"zh", "最后报告", {"最后报告", "马德望省的排雷工作继续进行。"}, "马德望", 2},
};

std::map<std::string, std::string> archive_site() {
  std::map<std::string, std::string> files = {
      {"site.yaml", "title: Mine Ban Convention\nlanguages: [en, fr, ru, ar, zh]\n"},
      {"content/meetings/msp1/meeting.yaml",
       "kind: msp\nnumber: 1\ntitle: { en: First Meeting of the States Parties }\n"
       "start: 1999-05-03\nend: 1999-05-07\n"},
  };
  for (const auto& v : kVersions) {
    const std::string pdf = std::string("report.") + v.lang + ".pdf";
    files["content/meetings/msp1/report." + std::string(v.lang) + ".md"] =
        "---\nsymbol: APLC/MSP.1/1999/4\ntitle: " + std::string(v.title) +
        "\ndate: 1999-05-07\ntype: final-report\noriginal: en\nfiles: [" + pdf + "]\n---\n" +
        (std::string(v.lang) == "en" ? "The Meeting opened in Maputo.\n" : "");
    files["content/meetings/msp1/" + pdf] = make_unicode_pdf(v.pages, std::string(v.lang) == "ar");
  }
  return files;
}

struct Archive : PreviewSite {
  Archive() : PreviewSite(archive_site()) {}
  index::SearchResponse search(const std::string& query, const std::string& lang, bool lang_only,
                               const std::string& sort = "") const {
    index::Searcher searcher(dir.path() / "public-index");
    REQUIRE(searcher.ok());
    index::SearchRequest req;
    req.query = query;
    req.lang = lang;
    req.lang_only = lang_only;
    if (!sort.empty()) req.sort = sort;
    return searcher.search(req);
  }
};

const Archive& archive() {
  static Archive a;
  return a;
}

}  // namespace

TEST_CASE("attachment search: a hit in a PDF gives its page, a snippet of it and a link to it, in every script") {
  for (const auto& v : kVersions) {
    CAPTURE(v.lang);
    const index::SearchResponse r = archive().search(v.battambang, v.lang, true);
    REQUIRE(r.results.size() == 1);
    CHECK(r.total == 1);
    const index::SearchResult& hit = r.results[0];
    const std::string url = "/" + std::string(v.lang) + kDoc;
    const std::string pdf = std::string("report.") + v.lang + ".pdf";
    CHECK(hit.url == url);
    CHECK(hit.title == v.title);
    CHECK(hit.file == pdf);
    CHECK(hit.file_page == v.page);
    CHECK(hit.file_url == url + pdf + "#page=" + std::to_string(v.page));
    // The snippet is the page's text, the word marked; not the title page.
    CAPTURE(hit.snippet);
    CHECK(hit.snippet.find("<mark>") != std::string::npos);
    CHECK(hit.snippet.find(v.pages[0]) == std::string::npos);
  }
}

TEST_CASE("attachment search: the document is one result, its own text before its PDF's") {
  // All languages: one group, one result, counted once in every facet.
  const index::SearchResponse all = archive().search("Battambang", "en", false);
  REQUIRE(all.results.size() == 1);
  CHECK(all.total == 1);
  CHECK(all.facets.at("type").at("final-report") == 1);
  // A word of the body: the document's own text is shown, no file.
  const index::SearchResponse body = archive().search("opened", "en", true);
  REQUIRE(body.results.size() == 1);
  CHECK(body.results[0].file.empty());
  CHECK(body.results[0].snippet.find("<mark>opened</mark>") != std::string::npos);
  // In both the body and the PDF: one result, the entry that ranks first;
  // in date order, where all tie, the document's own text.
  const index::SearchResponse ranked = archive().search("Maputo", "en", true);
  REQUIRE(ranked.results.size() == 1);
  CHECK(ranked.total == 1);
  CHECK((ranked.results[0].file.empty() || ranked.results[0].file_page == 3));
  const index::SearchResponse dated = archive().search("Maputo", "en", true, "date");
  REQUIRE(dated.results.size() == 1);
  CHECK(dated.results[0].file.empty());
  CHECK(dated.results[0].snippet.find("<mark>Maputo</mark>") != std::string::npos);
  // Words of the title and of a page: found, on that page.
  const index::SearchResponse mixed = archive().search("final Kampong", "en", true);
  REQUIRE(mixed.results.size() == 1);
  CHECK(mixed.results[0].file_page == 1);
  CHECK_FALSE(mixed.relaxed);
}

TEST_CASE("attachment search: asked in another language, the hit is shown in the asker's version's PDF") {
  // "Battambang" is in the English and the French PDF: a French asker
  // searching every language gets the French version and its page.
  const index::SearchResponse r = archive().search("Battambang", "fr", false);
  REQUIRE(r.results.size() == 1);
  CHECK(r.results[0].url == "/fr" + kDoc);
  CHECK(r.results[0].file == "report.fr.pdf");
  CHECK(r.results[0].file_page == 2);
  // Kampong Cham is in the English PDF only: the French version, its own
  // text (no page of another language's file is claimed for it).
  const index::SearchResponse k = archive().search("Kampong", "fr", false);
  REQUIRE(k.results.size() == 1);
  CHECK(k.results[0].url == "/fr" + kDoc);
  CHECK(k.results[0].file.empty());
}

TEST_CASE("attachment search: the JSON, the terminal's text and the results page say where it was found") {
  const index::SearchResponse r = archive().search("Battambang", "en", true);
  const std::string json = index::to_json(r);
  CHECK(json.find("\"file\":{\"name\":\"report.en.pdf\",\"url\":\"/en" + kDoc +
                  "report.en.pdf#page=3\",\"page\":3}") != std::string::npos);
  const std::string text = index::to_text(r);
  CHECK(text.find("  in report.en.pdf, page 3: /en" + kDoc + "report.en.pdf#page=3\n") != std::string::npos);
  // A result without a file has no "file" in the JSON.
  CHECK(index::to_json(archive().search("opened", "en", true)).find("\"file\"") == std::string::npos);

  for (const auto& v : kVersions) {
    CAPTURE(v.lang);
    const std::string lang = v.lang;
    const std::string html = archive().get("/" + lang + "/search/?q=" + httplib::detail::encode_query_param(v.battambang) +
                                           "&lang=" + lang);
    const std::string link = "<a href=\"/" + lang + kDoc + "report." + lang + ".pdf#page=" +
                             std::to_string(v.page) + "\" hreflang=\"" + lang + "\"><bdi dir=\"auto\">";
    const size_t at = html.find(link);
    REQUIRE(at != std::string::npos);
    const std::string label = html.substr(at + link.size(), html.find("</bdi>", at) - at - link.size());
    std::string said = theme_string(lang, "search_in_file_page");
    REQUIRE(!said.empty());
    said.replace(said.find("{file}"), 6, "report." + lang + ".pdf");
    said.replace(said.find("{page}"), 6, format_number(v.page, lang));
    CHECK(label == said);
  }
}

TEST_CASE("attachment search: a document updated alone leaves none of its PDF's old pages in the index") {
  TempDir dir;
  index::Entry doc;
  doc.url = "/en/documents/x/";
  doc.kind = "document";
  doc.lang = doc.text_lang = "en";
  doc.title = "Report";
  doc.group = "doc:X";
  doc.text = "Body.";
  auto pages = [&](const std::vector<std::string>& texts) {
    std::vector<index::Entry> out = {doc};
    for (size_t i = 0; i < texts.size(); ++i) {
      index::Entry p = doc;
      p.file = "x.pdf";
      p.file_page = int(i + 1);
      p.text = texts[i];
      out.push_back(p);
    }
    return out;
  };
  auto found = [&](const std::string& word) {
    index::Searcher s(dir.path());
    index::SearchRequest req;
    req.query = word;
    req.lang = "en";
    req.lang_only = true;
    index::SearchResponse r = s.search(req);
    return r.results.empty() ? -1 : r.results[0].file_page;
  };
  {
    index::Writer w(dir.path());
    REQUIRE(w.update(pages({"Angola.", "Cambodia.", "Mozambique."}), nullptr));
    REQUIRE(w.commit());
  }
  CHECK(found("Mozambique") == 3);
  {
    // The PDF replaced by a shorter one: its document's entries alone.
    index::Writer w(dir.path());
    index::WriteStats stats;
    REQUIRE(w.update(pages({"Angola."}), &stats, index::Writer::Scope::these_entries));
    REQUIRE(w.commit());
    CHECK(stats.deleted == 2);
  }
  CHECK(found("Angola") == 1);
  CHECK(found("Cambodia") == -1);
  CHECK(found("Mozambique") == -1);
}
