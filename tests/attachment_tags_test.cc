// Documents tagged from their attachments (site-gen/attachments.h, issue
// 15): a report published as its PDFs alone, one per language version, is
// on the pages of the States its PDFs name, in every language, and in the
// search's country facet.
#include "site-gen/attachments.h"

#include <doctest/doctest.h>

#include "index/search.h"
#include "site-gen/build.h"
#include "site-gen/locale.h"
#include "site-gen/publish.h"
#include "tests/attachment_fixtures.h"
#include "tests/site_fixture.h"

#include <functional>

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const char* const kLanguages[] = {"en", "fr", "ar", "zh"};

// Angola, Cambodia and Mozambique are named only in the PDFs, each in its
// language: Angola in English, Cambodia in French, Mozambique in Arabic
// and in Chinese. Sudan is named by no one: "South Sudan" is not it.
std::map<std::string, std::string> pdf_only_site() {
  std::map<std::string, std::string> files = {
      {"site.yaml", "title: Mine Ban Convention\nlanguages: [en, fr, ar, zh]\n"},
      {"content/countries/angola.yaml", "iso: AO\nstatus: state-party\n"},
      {"content/countries/cambodia.yaml", "iso: KH\nstatus: state-party\n"},
      {"content/countries/mozambique.yaml", "iso: MZ\nstatus: state-party\n"},
      {"content/countries/sudan.yaml", "iso: SD\nstatus: state-party\n"},
      {"content/countries/south-sudan.yaml", "iso: SS\nstatus: state-party\n"},
      {"content/meetings/msp1/meeting.yaml",
       "kind: msp\nnumber: 1\ntitle: { en: First Meeting of the States Parties }\n"
       "start: 1999-05-03\nend: 1999-05-07\n"},
  };
  const struct {
    const char* lang;
    const char* title;
    std::vector<std::string> pages;
    bool right_to_left;
  } versions[] = {
      {"en", "Final report", {"Final report\nThe Meeting heard Angola.", "South Sudan spoke."}, false},
      {"fr", "Rapport final", {"Rapport final", "Le Cambodge a pris la parole."}, false},
      {"ar", "التقرير النهائي", {"التقرير النهائي\nتكلمت موزامبيق."}, true},
      {"zh", "最后报告", {"最后报告", "莫桑比克发言。"}, false},
  };
  for (const auto& v : versions) {
    const std::string pdf = std::string("report.") + v.lang + ".pdf";
    files["content/meetings/msp1/report." + std::string(v.lang) + ".md"] =
        "---\nsymbol: APLC/MSP.1/1999/4\ntitle: " + std::string(v.title) +
        "\ndate: 1999-05-07\ntype: final-report\noriginal: en\nfiles: [" + pdf + "]\n---\n";
    files["content/meetings/msp1/" + pdf] = make_unicode_pdf(v.pages, v.right_to_left);
  }
  return files;
}

struct Built {
  TempDir dir;
  BuildOptions options;
  BuildReport report;
  explicit Built(const std::map<std::string, std::string>& files,
                 const std::function<void(const fs::path&)>& more = nullptr) {
    write_site(dir.path(), files);
    if (more) more(dir.path());
    options.site = dir.path();
    options.out = dir.path() / "public";
    options.as_of = parse_iso_date("2026-03-01");
    options.jobs = 2;
    report = build_site(options);
  }
  std::string page(const std::string& rel) const { return read_file(options.out / rel); }
};

// The content of pdf_only_site() as far as read_attachments() looks: the
// English version and its PDF.
Content english_pdf_content() {
  Content content;
  content.attachments = {"content/meetings/msp1/report.en.pdf"};
  Document d;
  d.meeting = "msp1";
  DocumentVersion v;
  v.lang = "en";
  v.files = {Ref{"report.en.pdf", 7, nullptr}};
  d.versions = {v};
  content.documents.push_back(d);
  return content;
}

std::string messages(const BuildReport& r) {
  std::string s;
  for (const auto& d : r.diags.sorted()) s += d.str() + "\n";
  return s;
}

}  // namespace

TEST_CASE("attachments: a report published as its PDFs alone is on the pages of the States they name") {
  Built b(pdf_only_site());
  INFO(messages(b.report));
  REQUIRE(b.report.ok());
  const std::string doc = "/documents/aplc-msp-1-1999-4/";
  for (const char* lang : kLanguages) {
    CAPTURE(lang);
    for (const char* state : {"angola", "cambodia", "mozambique"}) {
      CAPTURE(state);
      CHECK(b.page(std::string(lang) + "/membership/" + state + "/index.html").find("/" + std::string(lang) + doc) !=
            std::string::npos);
    }
    CHECK(b.page(std::string(lang) + "/membership/sudan/index.html").find(doc) == std::string::npos);
    CHECK(b.page(std::string(lang) + "/membership/south-sudan/index.html").find(doc) != std::string::npos);
    // The document page lists them among its States.
    const std::string page = b.page(std::string(lang) + doc + "index.html");
    for (const char* state : {"angola", "cambodia", "mozambique", "south-sudan"})
      CHECK(page.find("/" + std::string(lang) + "/membership/" + state + "/") != std::string::npos);
  }

  // The country facet counts it, and the filter finds it, in every language.
  index::Searcher searcher(index_dir(b.options));
  REQUIRE(searcher.ok());
  for (const char* lang : kLanguages) {
    CAPTURE(lang);
    index::SearchRequest all;
    all.lang = lang;
    all.query = "";
    all.type = "final-report";
    index::SearchResponse r = searcher.search(all);
    CHECK(r.facets["country"]["AO"] == 1);
    CHECK(r.facets["country"]["KH"] == 1);
    CHECK(r.facets["country"]["MZ"] == 1);
    CHECK(r.facets["country"].count("SD") == 0);
    index::SearchRequest cambodia = all;
    cambodia.country = "KH";
    index::SearchResponse k = searcher.search(cambodia);
    REQUIRE(k.results.size() == 1);
    CHECK(k.results[0].url == "/" + std::string(lang) + doc);
  }
}

TEST_CASE("attachments: a PDF read by an earlier build is not read again, and a changed one is") {
  TempDir dir;
  write_site(dir.path(), pdf_only_site());
  const Content content = english_pdf_content();
  Diagnostics diags;
  auto first = read_attachments(content, dir.path(), 2, diags);
  REQUIRE(first->count("content/meetings/msp1/report.en.pdf"));
  const AttachmentText& a = first->at("content/meetings/msp1/report.en.pdf");
  CHECK(a.readable);
  CHECK(a.pages == 2);
  CHECK(a.text.find("Angola") != std::string::npos);
  CHECK(a.bytes == fs::file_size(dir.path() / "content/meetings/msp1/report.en.pdf"));
  // Unchanged: the same texts, not read again.
  CHECK(read_attachments(content, dir.path(), 2, diags, first) == first);
  // Changed: read again.
  write_file(dir.path() / "content/meetings/msp1/report.en.pdf", make_unicode_pdf({"Now Cambodia"}));
  auto second = read_attachments(content, dir.path(), 2, diags, first);
  CHECK(second != first);
  CHECK(second->at("content/meetings/msp1/report.en.pdf").text.find("Cambodia") != std::string::npos);
  CHECK(second->at("content/meetings/msp1/report.en.pdf").pages == 1);
  CHECK(diags.sorted().empty());
}

TEST_CASE("attachments: the document page lists each language's PDF with its language, size and pages") {
  Built b(pdf_only_site());
  REQUIRE(b.report.ok());
  const fs::path meeting = b.dir.path() / "content/meetings/msp1";
  // What each page says of the English PDF (two pages), in its language.
  const std::map<std::string, std::vector<std::string>> english_pdf = {
      {"en", {"English", "2 pages"}}, {"fr", {"anglais", "2 pages"}},
      {"ar", {"الإنجليزية", "صفحتان"}}, {"zh", {"英语", "2页"}}};
  for (const char* lang : kLanguages) {
    CAPTURE(lang);
    const std::string page = b.page(std::string(lang) + "/documents/aplc-msp-1-1999-4/index.html");
    for (const char* version : kLanguages) {
      const std::string pdf = std::string("report.") + version + ".pdf";
      CHECK(page.find("href=\"/" + std::string(lang) + "/documents/aplc-msp-1-1999-4/" + pdf + "\"") !=
            std::string::npos);
    }
    const size_t item = page.find("report.en.pdf</bdi></a>");
    REQUIRE(item != std::string::npos);
    const std::string facts = page.substr(item, page.find("</li>", item) - item);
    CAPTURE(facts);
    CHECK(facts.find(language_name("en", lang)) != std::string::npos);
    CHECK(facts.find(format_file_size(fs::file_size(meeting / "report.en.pdf"), lang)) != std::string::npos);
    for (const std::string& said : english_pdf.at(lang)) CHECK(facts.find(said) != std::string::npos);
    CHECK(page.find("file-note") == std::string::npos);  // every PDF has its text
  }
}

TEST_CASE("attachments: a PDF without text or a damaged one is a warning, and its page says it cannot be searched") {
  auto files = pdf_only_site();
  files["content/meetings/msp1/report.fr.pdf"] = make_pdf({""});            // a scan: no text layer
  files["content/meetings/msp1/report.zh.pdf"] = make_pdf({"x"}).substr(0, 200);  // cut short
  Built b(files);
  INFO(messages(b.report));
  REQUIRE(b.report.ok());
  const std::string all = messages(b.report);
  CHECK(all.find("content/meetings/msp1/report.fr.md:7: warning: attachment \"report.fr.pdf\" not indexed: it has no text") !=
        std::string::npos);
  CHECK(all.find("content/meetings/msp1/report.zh.md:7: warning: attachment \"report.zh.pdf\" not indexed: cannot read PDF") !=
        std::string::npos);
  const std::map<std::string, std::string> note = {{"en", "Its text cannot be searched."},
                                                   {"fr", "Son texte ne peut pas être recherché."},
                                                   {"ar", "لا يمكن البحث في نصه."},
                                                   {"zh", "无法搜索其文本。"}};
  for (const char* lang : kLanguages) {
    CAPTURE(lang);
    const std::string page = b.page(std::string(lang) + "/documents/aplc-msp-1-1999-4/index.html");
    for (const char* pdf : {"report.fr.pdf", "report.zh.pdf", "report.en.pdf"}) {
      CAPTURE(pdf);
      const size_t item = page.find(std::string(pdf) + "</bdi></a>");
      REQUIRE(item != std::string::npos);
      const std::string li = page.substr(item, page.find("</li>", item) - item);
      CHECK((li.find(note.at(lang)) != std::string::npos) == (std::string(pdf) != "report.en.pdf"));
    }
  }
  // Cambodia was named only in the French PDF, now without text.
  CHECK(b.page("en/membership/cambodia/index.html").find("/en/documents/aplc-msp-1-1999-4/") ==
        std::string::npos);
}

TEST_CASE("attachments: the build's cache keeps each file's text by its content, for the next build") {
  TempDir dir;
  write_site(dir.path(), pdf_only_site());
  const Content content = english_pdf_content();
  const fs::path cache = dir.path() / "cache";
  Diagnostics diags;
  auto first = read_attachments(content, dir.path(), 2, diags, nullptr, cache);
  const AttachmentText& a = first->at("content/meetings/msp1/report.en.pdf");
  REQUIRE(!a.cache_key.empty());
  REQUIRE(fs::is_regular_file(cache / a.cache_key));
  // Another process (no previous texts) reads the record, not the PDF: a
  // record changed by hand is what comes back.
  const std::string record = read_file(cache / a.cache_key);
  REQUIRE(record.find("Angola") != std::string::npos);
  write_file(cache / a.cache_key, record.substr(0, record.find("Final report")) + "Cached: Mozambique\n");
  auto again = read_attachments(content, dir.path(), 2, diags, nullptr, cache);
  CHECK(again->at("content/meetings/msp1/report.en.pdf").text == "Cached: Mozambique\n");
  CHECK(again->at("content/meetings/msp1/report.en.pdf").pages == 2);
  // A damaged record is not believed, nor one an older extraction wrote
  // (its header's number): the PDF is read again.
  const std::string header = record.substr(0, record.find('\n') + 1);
  write_file(cache / a.cache_key, header + "nonsense");
  auto repaired = read_attachments(content, dir.path(), 2, diags, nullptr, cache);
  CHECK(repaired->at("content/meetings/msp1/report.en.pdf").text.find("Angola") != std::string::npos);
  const std::string edited = record.substr(0, record.find("Final report")) + "Cached: Mozambique\n";
  write_file(cache / a.cache_key, "site-gen attachment text 2\n" + edited.substr(header.size()));
  repaired = read_attachments(content, dir.path(), 2, diags, nullptr, cache);
  CHECK(repaired->at("content/meetings/msp1/report.en.pdf").text.find("Mozambique") == std::string::npos);
  // New bytes, a new record; the old one, which nothing names, goes.
  write_file(dir.path() / "content/meetings/msp1/report.en.pdf", make_unicode_pdf({"Now Cambodia"}));
  auto changed = read_attachments(content, dir.path(), 2, diags, nullptr, cache);
  const AttachmentText& c = changed->at("content/meetings/msp1/report.en.pdf");
  CHECK(c.text.find("Cambodia") != std::string::npos);
  CHECK(c.cache_key != a.cache_key);
  CHECK(fs::is_regular_file(cache / c.cache_key));
  CHECK_FALSE(fs::exists(cache / a.cache_key));
  CHECK(diags.sorted().empty());
}

TEST_CASE("attachments: a build keeps the cache beside its output, and publishing keeps it") {
  Built b(pdf_only_site());
  REQUIRE(b.report.ok());
  const fs::path cache = build_cache_dir(b.options.out) / "attachments";
  auto records = [&] {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(cache, ec)) n += e.is_regular_file();
    return n;
  };
  CHECK(records() == 4);  // one per PDF
  BuildReport again = build_site(b.options);  // a new build, as a new process makes it
  REQUIRE(again.ok());
  CHECK(records() == 4);
  CHECK(b.page("en/membership/cambodia/index.html").find("/en/documents/aplc-msp-1-1999-4/") != std::string::npos);
}

TEST_CASE("attachments: a PDF reached through a link inside the site is read by its own name") {
  // The link's target has no extension (a store of files by hash, say):
  // its type is the name the document gives it.
  auto files = pdf_only_site();
  files["store/blob-1"] = files.at("content/meetings/msp1/report.en.pdf");
  files.erase("content/meetings/msp1/report.en.pdf");
  Built b(files, [](const fs::path& root) {
    fs::create_symlink("../../../store/blob-1", root / "content/meetings/msp1/report.en.pdf");
  });
  INFO(messages(b.report));
  REQUIRE(b.report.ok());
  CHECK(b.page("en/membership/angola/index.html").find("/en/documents/aplc-msp-1-1999-4/") != std::string::npos);
}

TEST_CASE("attachments: the \"Original:\" line of a UN first page names a language, not a State") {
  std::map<std::string, std::string> files = {
      {"site.yaml", "title: Mine Ban Convention\nlanguages: [en, fr, ar, zh, ru, es]\n"},
      {"content/countries/spain.yaml", "iso: ES\nstatus: state-party\n"},
      {"content/countries/france.yaml", "iso: FR\nstatus: state-party\n"},
      {"content/countries/russia.yaml", "iso: RU\nstatus: not-party\n"},
      {"content/meetings/msp1/meeting.yaml",
       "kind: msp\nnumber: 1\ntitle: { en: First Meeting of the States Parties }\n"
       "start: 1999-05-03\nend: 1999-05-07\n"},
  };
  // Each version's first page as the UN prints it, its original Spanish;
  // the Chinese and English ones name languages only, in every form.
  const std::map<std::string, std::string> first_pages = {
      {"zh", "APLC/MSP.1/1999/4\n原文：西班牙文\n西班牙语、法语、俄文和阿拉伯文本"},
      {"en", "APLC/MSP.1/1999/4\nOriginal: Spanish\nIn French and Russian"},
      {"fr", "APLC/MSP.1/1999/4\nOriginal : espagnol\nLa France a pris la parole."},
  };
  for (const auto& [lang, text] : first_pages) {
    files["content/meetings/msp1/report." + lang + ".md"] =
        "---\nsymbol: APLC/MSP.1/1999/4\ntitle: Report\ndate: 1999-05-07\ntype: report\noriginal: es\n"
        "files: [report." + lang + ".pdf]\n---\n";
    files["content/meetings/msp1/report." + lang + ".pdf"] = make_unicode_pdf({text});
  }
  // A State named in Chinese is still found.
  files["content/meetings/msp1/note.zh.md"] =
      "---\nsymbol: APLC/MSP.1/1999/5\ntitle: 说明\ndate: 1999-05-07\ntype: report\noriginal: zh\n"
      "---\n西班牙代表团发言。\n";
  Built b(files);
  INFO(messages(b.report));
  REQUIRE(b.report.ok());
  const std::string spain = b.page("en/membership/spain/index.html");
  CHECK(spain.find("aplc-msp-1-1999-4") == std::string::npos);
  CHECK(spain.find("aplc-msp-1-1999-5") != std::string::npos);
  CHECK(b.page("en/membership/russia/index.html").find("aplc-msp-1-1999-4") == std::string::npos);
  // France is named as a State in the French version ("La France").
  CHECK(b.page("en/membership/france/index.html").find("aplc-msp-1-1999-4") != std::string::npos);
}
