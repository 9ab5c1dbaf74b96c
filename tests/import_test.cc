// site-gen import (site-gen/import.h, issue 15): a folder of UN documents,
// six language versions of two symbols made into PDFs here, imported into
// a site in a temporary folder, built, and imported again.
#include "site-gen/import.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "site-gen/build.h"
#include "site-gen/load.h"
#include "tests/site_fixture.h"
#include "tests/un_documents.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

const char* const kLanguages[] = {"ar", "en", "es", "fr", "ru", "zh"};

std::map<std::string, std::string> meetings_site() {
  return {
      {"site.yaml", "title: Mine Ban Convention\nlanguages: [en, fr, es, ar, ru, zh]\n"},
      {"content/countries/angola.yaml", "iso: AO\nstatus: state-party\n"},
      {"content/countries/cambodia.yaml", "iso: KH\nstatus: state-party\n"},
      {"content/countries/mozambique.yaml", "iso: MZ\nstatus: state-party\n"},
      {"content/countries/colombia.yaml", "iso: CO\nstatus: state-party\n"},
      {"content/countries/norway.yaml", "iso: NO\nstatus: state-party\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\nnumber: 22\ntitle: { en: Twenty-Second Meeting of the States Parties }\n"
       "start: 2025-12-01\nend: 2025-12-05\n"},
      {"content/meetings/revcon5/meeting.yaml",
       "kind: review-conference\nnumber: 5\ntitle: { en: Fifth Review Conference }\n"
       "start: 2024-11-25\nend: 2024-11-29\n"},
  };
}

// The working paper's files are named as UN ODS names them, the final
// report's with a language code.
std::string file_name(const UnDocument& d, const UnVersion& v) {
  if (d.type == "working-paper") {
    const std::map<std::string, std::string> letter = {{"ar", "A"}, {"en", "E"}, {"es", "S"},
                                                       {"fr", "F"}, {"ru", "R"}, {"zh", "C"}};
    return "APLC_MSP.22_2025_WP.3-" + letter.at(v.lang) + ".pdf";
  }
  return "final-report-" + v.lang + ".pdf";
}

// A site and a folder of the twelve PDFs, side by side.
struct Folder {
  TempDir dir;
  fs::path site, in;
  Folder() : site(dir.path() / "site"), in(dir.path() / "in") {
    write_site(site, meetings_site());
    for (const UnDocument& d : {working_paper(), final_report()})
      for (const UnVersion& v : d.versions) write_file(in / file_name(d, v), un_pdf(v));
  }
  ImportOptions options() const {
    ImportOptions o;
    o.dir = in;
    o.site = site;
    return o;
  }
  std::string doc(const std::string& rel) const {
    return read_file(site / "content/meetings" / rel);
  }
};

std::string messages(const ImportReport& r) {
  std::string s;
  for (const auto& d : r.problems.sorted()) s += d.str() + "\n";
  return s;
}

size_t count_of(const ImportReport& r, ImportedFile::Outcome o) {
  return std::count_if(r.files.begin(), r.files.end(),
                       [&](const ImportedFile& f) { return f.outcome == o; });
}

// Every file under a folder with its bytes and modification time.
std::map<std::string, std::pair<std::string, long long>> snapshot(const fs::path& root) {
  std::map<std::string, std::pair<std::string, long long>> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    struct stat st;
    REQUIRE(::stat(e.path().c_str(), &st) == 0);
    out[fs::relative(e.path(), root).string()] = {
        read_file(e.path()), st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
  }
  return out;
}

BuildReport build(const fs::path& site) {
  BuildOptions b;
  b.site = site;
  b.out = site / "public";
  b.as_of = parse_iso_date("2026-03-01");
  b.jobs = 2;
  return build_site(b);
}

std::string build_messages(const BuildReport& r) {
  std::string s;
  for (const auto& d : r.diags.sorted()) s += d.str() + "\n";
  return s;
}

}  // namespace

TEST_CASE(
    "import: six language versions of two symbols become two documents, which build and are "
    "tagged") {
  Folder f;
  const ImportReport r = import_documents(f.options());
  INFO(messages(r));
  CHECK(r.exit_code() == 0);
  CHECK(r.problems.items().empty());  // every first page read without a guess
  CHECK(r.files_read == 12);
  CHECK(r.documents == 2);
  CHECK(count_of(r, ImportedFile::Outcome::written) == 24);
  // The English working paper, as the import writes it.
  CHECK(f.doc("msp22/aplc-msp-22-2025-wp-3.en.md") ==
        "---\nsymbol: \"APLC/MSP.22/2025/WP.3\"\n"
        "title: \"Conclusions and recommendations on cooperation and assistance\"\n"
        "date: 2025-10-08\ntype: working-paper\noriginal: en\nfiles: "
        "[\"aplc-msp-22-2025-wp-3.en.pdf\"]\n---\n");
  for (const UnDocument& d : {working_paper(), final_report()}) {
    const std::string folder = d.type == "working-paper" ? "msp22/" : "revcon5/";
    const std::string slug = symbol_slug(d.symbol);
    for (const UnVersion& v : d.versions) {
      CAPTURE(v.lang);
      const std::string md = f.doc(folder + slug + "." + v.lang + ".md");
      CHECK(md.find("title: \"" + v.title + "\"\n") != std::string::npos);
      CHECK(md.find("date: " + d.date + "\n") != std::string::npos);
      CHECK(md.find("type: " + d.type + "\n") != std::string::npos);
      CHECK(f.doc(folder + slug + "." + v.lang + ".pdf") == read_file(f.in / file_name(d, v)));
    }
  }
  // The site builds, and each document is on the pages of the States its
  // PDFs name (on the first page and the second), in every language.
  const BuildReport b = build(f.site);
  INFO(build_messages(b));
  REQUIRE(b.ok());
  const std::map<std::string, std::string> named = {{"angola", "aplc-msp-22-2025-wp-3"},
                                                    {"cambodia", "aplc-msp-22-2025-wp-3"},
                                                    {"mozambique", "aplc-conf-2024-5"},
                                                    {"colombia", "aplc-conf-2024-5"}};
  for (const char* lang : kLanguages) {
    for (const auto& [state, slug] : named) {
      CAPTURE(lang);
      CAPTURE(state);
      const std::string page =
          read_file(f.site / "public" / lang / "membership" / state / "index.html");
      CHECK(page.find("/" + std::string(lang) + "/documents/" + slug + "/") != std::string::npos);
    }
    const std::string norway = read_file(f.site / "public" / lang / "membership/norway/index.html");
    CHECK(norway.find("/documents/") == std::string::npos);  // named by no PDF
  }
}

TEST_CASE("import: a re-run on the same folder changes nothing and says so") {
  Folder f;
  REQUIRE(import_documents(f.options()).exit_code() == 0);
  const auto before = snapshot(f.site / "content");
  const ImportReport again = import_documents(f.options());
  INFO(messages(again));
  CHECK(again.exit_code() == 0);
  CHECK(again.problems.items().empty());
  CHECK(count_of(again, ImportedFile::Outcome::unchanged) == 24);
  CHECK(count_of(again, ImportedFile::Outcome::written) == 0);
  CHECK(snapshot(f.site / "content") == before);  // the same files, bytes and modification times
  CHECK(again.summary().find("0 files written, 24 unchanged, 0 left alone") != std::string::npos);
  CHECK(again.summary().find("unchanged   content/meetings/msp22/aplc-msp-22-2025-wp-3.en.md\n") !=
        std::string::npos);
}

TEST_CASE("import: --dry-run says what it would write and writes nothing") {
  Folder f;
  const auto before = snapshot(f.dir.path());
  ImportOptions o = f.options();
  o.dry_run = true;
  const ImportReport r = import_documents(o);
  CHECK(r.exit_code() == 0);
  CHECK(count_of(r, ImportedFile::Outcome::would_write) == 24);
  CHECK(snapshot(f.dir.path()) == before);
  CHECK(r.summary().find("would write content/meetings/revcon5/aplc-conf-2024-5.zh.pdf\n") !=
        std::string::npos);
  CHECK(r.summary().find(
            "24 files would be written, 0 unchanged, 0 left alone; nothing was written") !=
        std::string::npos);
}

TEST_CASE("import: a file an author edited since is left alone and listed") {
  Folder f;
  REQUIRE(import_documents(f.options()).exit_code() == 0);
  const fs::path edited = f.site / "content/meetings/msp22/aplc-msp-22-2025-wp-3.fr.md";
  std::string text = read_file(edited);
  const size_t title = text.find("title: ");
  SUBCASE("a title corrected") {
    text.replace(title, text.find('\n', title) - title, "title: \"Conclusions corrigées\"");
    write_file(edited, text);
    const ImportReport r = import_documents(f.options());
    CHECK(r.exit_code() == 0);
    CHECK(messages(r) == (f.in / "APLC_MSP.22_2025_WP.3-F.pdf").string() +
                             ": warning: content/meetings/msp22/aplc-msp-22-2025-wp-3.fr.md "
                             "exists, differs; left alone\n");
    CHECK(count_of(r, ImportedFile::Outcome::left_alone) == 1);
    CHECK(count_of(r, ImportedFile::Outcome::unchanged) == 23);
  }
  SUBCASE("an edit that breaks the site: nothing is imported until it is fixed") {
    text.replace(title, 7, "title: Corrigé : ");
    write_file(edited, text);
    const ImportReport r = import_documents(f.options());
    CHECK(r.exit_code() == 1);
    CHECK(messages(r) == edited.string() + ":3: malformed YAML: illegal map value\n");
    CHECK(r.summary() ==
          "site-gen import: the site has errors (listed; site-gen check lists them too): nothing "
          "was imported\n");
    CHECK(r.files.empty());
  }
  CHECK(read_file(edited) == text);
}

TEST_CASE("import: an unreadable file is listed with its reason, and the others are imported") {
  Folder f;
  std::string garbage = "%PDF-1.4\nnot really a PDF\n";
  for (int i = 0; i < 300; ++i) garbage += static_cast<char>((i * 37) & 0xff);
  write_file(f.in / "broken.pdf", garbage);
  write_file(f.in / "fake.pdf", "<html><script>alert(1)</script></html>");
  write_file(f.in / "notes.txt", "to do");
  write_file(f.in / "scan.pdf", make_pdf({""}));  // no text layer
  write_file(f.in / "notes.pdf", make_unicode_pdf({"Notes of the meeting\n8 October 2025"}));
  write_file(f.in / "older/APLC_MSP.22_2025_WP.3-E.pdf", "not read");
  const ImportReport r = import_documents(f.options());
  const std::string all = messages(r);
  INFO(all);
  CHECK(r.exit_code() == 1);
  CHECK(r.files_read == 16);
  CHECK(all.find((f.in / "broken.pdf").string() + ": not imported: cannot read PDF") !=
        std::string::npos);
  CHECK(all.find((f.in / "fake.pdf").string() +
                 ": not imported: attachment \"fake.pdf\" is named .pdf but its content is") !=
        std::string::npos);
  CHECK(all.find((f.in / "scan.pdf").string() + ": not imported: it has no text (a scan without a "
                                                "text layer?) (a CSV row with its symbol, lang, "
                                                "title and date would import it as it is)") !=
        std::string::npos);
  CHECK(all.find((f.in / "notes.pdf").string() + ": not imported: no symbol (APLC/... or APL/...) "
                                                 "on its first page or in its name (give it in "
                                                 "the CSV)\n") != std::string::npos);
  CHECK(all.find((f.in / "older").string() +
                 ": warning: skipped: a folder (the import reads the files of its folder, not of "
                 "subfolders)\n") != std::string::npos);
  CHECK(all.find((f.in / "notes.txt").string() + ": warning: skipped: not a PDF or DOCX file") !=
        std::string::npos);
  CHECK(count_of(r, ImportedFile::Outcome::written) == 24);
  CHECK(r.summary().find("; 4 files not imported (listed)") != std::string::npos);
  CHECK(build(f.site).ok());
}

TEST_CASE("import: a DOCX version is read and copied like a PDF") {
  Folder f;
  std::string body;
  for (const char* p :
       {"APLC/MSP.22/2025/WP.4", "Distr.: General", "8 October 2025", "Original: English",
        "Twenty-second Meeting of the States Parties", "Item 11 of the provisional agenda",
        "Stockpile destruction", "1. Norway reported the destruction of its stockpile."})
    body += std::string("<w:p><w:r><w:t>") + p + "</w:t></w:r></w:p>";
  write_docx(f.in / "APLC_MSP.22_2025_WP.4-E.docx", document_xml(body));
  const ImportReport r = import_documents(f.options());
  INFO(messages(r));
  CHECK(r.exit_code() == 0);
  CHECK(r.problems.items().empty());
  CHECK(
      f.doc("msp22/aplc-msp-22-2025-wp-4.en.md") ==
      "---\nsymbol: \"APLC/MSP.22/2025/WP.4\"\ntitle: \"Stockpile destruction\"\ndate: 2025-10-08\n"
      "type: working-paper\noriginal: en\nfiles: [\"aplc-msp-22-2025-wp-4.en.docx\"]\n---\n");
  CHECK(f.doc("msp22/aplc-msp-22-2025-wp-4.en.docx") ==
        read_file(f.in / "APLC_MSP.22_2025_WP.4-E.docx"));
  const BuildReport b = build(f.site);
  INFO(build_messages(b));
  REQUIRE(b.ok());
  CHECK(read_file(f.site / "public/en/membership/norway/index.html")
            .find("/en/documents/aplc-msp-22-2025-wp-4/") != std::string::npos);
}

TEST_CASE(
    "import: a CSV's values win over the first page's, and a scan is imported from the CSV alone") {
  Folder f;
  write_file(f.in / "scan-e.pdf", make_pdf({""}));
  write_file(f.in / "meta.csv",
             "file,title,date,symbol,lang,type\r\n"
             "APLC_MSP.22_2025_WP.3-E.pdf,\"Conclusions: \"\"cooperation\"\", assistance # and "
             "more\",2025-10-09,,,\r\n"
             "scan-e.pdf,\"Article 7 report\nof "
             "Norway\",2025-04-30,APLC/MSP.22/2025/ART7/NO,en,article7-report\r\n");
  ImportOptions o = f.options();
  o.csv = f.in / "meta.csv";
  const ImportReport r = import_documents(o);
  const std::string all = messages(r);
  INFO(all);
  CHECK(r.exit_code() == 0);
  const std::string en = f.doc("msp22/aplc-msp-22-2025-wp-3.en.md");
  CHECK(en.find("title: \"Conclusions: \\\"cooperation\\\", assistance # and more\"\n") !=
        std::string::npos);
  CHECK(en.find("date: 2025-10-09\n") != std::string::npos);
  // The other versions share the date of the original (English) version.
  CHECK(f.doc("msp22/aplc-msp-22-2025-wp-3.fr.md").find("date: 2025-10-09\n") != std::string::npos);
  CHECK(all.find((f.in / "APLC_MSP.22_2025_WP.3-F.pdf").string() +
                 ": warning: date 2025-10-08 differs from 2025-10-09 (the en version's, the "
                 "original); 2025-10-09 "
                 "written") != std::string::npos);
  // The scan, by the CSV alone (no "Original:" line to read).
  CHECK(all.find((f.in / "scan-e.pdf").string() +
                 ": warning: its text cannot be read (it has no text (a scan without a text "
                 "layer?)); imported from "
                 "the CSV alone") != std::string::npos);
  const std::string scan = f.doc("msp22/aplc-msp-22-2025-art7-no.en.md");
  CHECK(scan ==
        "---\nsymbol: \"APLC/MSP.22/2025/ART7/NO\"\ntitle: \"Article 7 report of Norway\"\n"
        "date: 2025-04-30\ntype: article7-report\nfiles: "
        "[\"aplc-msp-22-2025-art7-no.en.pdf\"]\n---\n");
  // What the loader reads back is what the CSV said.
  Diagnostics diags;
  const Content content = load_site(f.site, diags);
  bool found = false;
  for (const Document& d : content.documents)
    if (d.symbol == "APLC/MSP.22/2025/WP.3") {
      found = true;
      CHECK(d.version("en")->title == "Conclusions: \"cooperation\", assistance # and more");
      CHECK(d.date.iso() == "2025-10-09");
    }
  CHECK(found);
  const BuildReport b = build(f.site);
  INFO(build_messages(b));
  CHECK(b.ok());
}

TEST_CASE("import: a bad CSV is reported at each of its lines, and nothing is written") {
  Folder f;
  ImportOptions o = f.options();
  o.csv = f.in / "meta.csv";
  const std::string csv = o.csv.string();
  SUBCASE("the header") {
    write_file(o.csv, "name,title,Title\nfinal-report-en.pdf,x,y\n");
    const ImportReport r = import_documents(o);
    CHECK(r.exit_code() == 1);
    CHECK(messages(r) == csv +
                             ":1: unknown column \"name\" (columns: file, symbol, lang, title, "
                             "date, type, original, meeting)\n" +
                             csv + ":1: column \"title\" appears twice\n" + csv +
                             ":1: no \"file\" column: each row names a file of the folder\n");
  }
  SUBCASE("the rows") {
    write_file(o.csv,
               "file,date,lang,type,meeting,original\n"
               "missing.pdf,,,,,\n"
               "final-report-en.pdf,2024-02-30,en,report,revcon5,en\n"
               "final-report-fr.pdf,,de,,,\n"
               "final-report-es.pdf,,,memo,msp99,xx\n"
               "final-report-ru.pdf,,\n"
               "\"final-report-zh.pdf,,,,,\n"
               "\n"
               "final-report-en.pdf,,,,,\n");
    const ImportReport r = import_documents(o);
    CHECK(r.exit_code() == 1);
    CHECK(
        messages(r) ==
        csv + ":2: no file \"missing.pdf\" in " + f.in.string() + "\n" + csv +
            ":3: invalid date \"2024-02-30\" (YYYY-MM-DD)\n" + csv +
            ":4: unknown language \"de\" for lang (site languages: en, fr, es, ar, ru, zh)\n" +
            csv +
            ":5: unknown type \"memo\" (types: agenda, programme, report, final-report, "
            "working-paper, "
            "extension-request, article7-report, statement, decision, other)\n" +
            csv + ":5: no meeting \"msp99\" in the site (content/meetings/msp99/meeting.yaml)\n" +
            csv +
            ":5: unknown language \"xx\" for original (site languages: en, fr, es, ar, ru, zh)\n" +
            csv + ":6: 3 fields where the header has 6\n" + csv +
            ":7: a quoted field is not closed\n");
    CHECK(r.summary() == "site-gen import: the CSV has problems (listed): nothing was imported\n");
  }
  SUBCASE("a row given twice") {
    write_file(o.csv, "file,title\nfinal-report-en.pdf,One\nfinal-report-en.pdf,Two\n");
    CHECK(messages(import_documents(o)) ==
          csv + ":3: another row for \"final-report-en.pdf\" at line 2\n");
  }
  CHECK_FALSE(fs::exists(f.site / "content/meetings/revcon5/aplc-conf-2024-5.en.md"));
  CHECK_FALSE(fs::exists(f.site / "content/meetings/msp22/aplc-msp-22-2025-wp-3.en.pdf"));
}

TEST_CASE("import: two files for one symbol's language are a conflict, and neither is written") {
  Folder f;
  write_file(f.in / "copy-of-final-report-en.pdf", un_pdf(final_report().versions[1]));
  const ImportReport r = import_documents(f.options());
  const std::string all = messages(r);
  CHECK(r.exit_code() == 1);
  CHECK(all.find((f.in / "final-report-en.pdf").string() +
                 ": not imported: copy-of-final-report-en.pdf is the en version of "
                 "APLC/CONF/2024/5 too; neither is "
                 "written") != std::string::npos);
  CHECK(all.find((f.in / "copy-of-final-report-en.pdf").string() +
                 ": not imported: final-report-en.pdf is the en version of APLC/CONF/2024/5 too") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(f.site / "content/meetings/revcon5/aplc-conf-2024-5.en.md"));
  CHECK(fs::exists(f.site / "content/meetings/revcon5/aplc-conf-2024-5.fr.md"));  // the others are
  CHECK(count_of(r, ImportedFile::Outcome::written) == 22);
}

TEST_CASE("import: the meeting is --meeting's, else the symbol's, which must be in the site") {
  Folder f;
  ImportOptions o = f.options();
  SUBCASE("no meeting for the symbol") {
    fs::remove_all(f.site / "content/meetings/revcon5");
    const ImportReport r = import_documents(o);
    CHECK(r.exit_code() == 1);
    CHECK(messages(r).find((f.in / "final-report-en.pdf").string() +
                           ": not imported: the site has no meeting for APLC/CONF/2024/5 (a review "
                           "conference that "
                           "began in 2024); give --meeting ID or a meeting column in the CSV\n") !=
          std::string::npos);
    CHECK(count_of(r, ImportedFile::Outcome::written) == 12);  // the working paper's
  }
  SUBCASE("--meeting") {
    o.meeting = "msp22";
    const ImportReport r = import_documents(o);
    CHECK(r.exit_code() == 0);
    CHECK(fs::exists(f.site / "content/meetings/msp22/aplc-conf-2024-5.en.md"));
  }
  SUBCASE("an unknown --meeting is a usage error") {
    o.meeting = "msp99";
    const ImportReport r = import_documents(o);
    CHECK(r.exit_code() == 2);
    CHECK(r.usage_error == "--meeting msp99: no such meeting in " + f.site.string() +
                               " (content/meetings/msp99/meeting.yaml)");
  }
}

TEST_CASE("import: a symbol the site has under another name is not written a second time") {
  Folder f;
  write_site(f.site, {{"content/meetings/revcon5/report.en.md",
                       "---\nsymbol: APLC/CONF/2024/5\ntitle: Final report\ndate: 2024-11-29\n"
                       "type: final-report\noriginal: en\n---\nText.\n"}});
  const ImportReport r = import_documents(f.options());
  CHECK(r.exit_code() == 1);
  CHECK(messages(r).find(
            (f.in / "final-report-fr.pdf").string() +
            ": not imported: APLC/CONF/2024/5 is in the site already, as "
            "content/meetings/revcon5/report.* (a second document would repeat its symbol)") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(f.site / "content/meetings/revcon5/aplc-conf-2024-5.fr.md"));
  CHECK(build(f.site).ok());
}

TEST_CASE(
    "import: a new language version of a document imported before takes the document's fields") {
  Folder f;
  const fs::path zh = f.dir.path() / "final-report-zh.pdf";
  fs::rename(f.in / "final-report-zh.pdf", zh);
  REQUIRE(import_documents(f.options()).exit_code() == 0);
  // The Chinese version comes later, its first page with another date.
  UnVersion v = final_report().versions[5];
  v.page1.replace(v.page1.find("2024年11月29日"), std::string("2024年11月29日").size(),
                  "2024年11月30日");
  write_file(f.in / "final-report-zh.pdf", un_pdf(v));
  const ImportReport r = import_documents(f.options());
  CHECK(r.exit_code() == 0);
  CHECK(
      messages(r) ==
      (f.in / "final-report-zh.pdf").string() +
          ": warning: date 2024-11-30 differs from 2024-11-29 (the site's document's); 2024-11-29 "
          "written\n");
  CHECK(f.doc("revcon5/aplc-conf-2024-5.zh.md").find("date: 2024-11-29\n") != std::string::npos);
  CHECK(count_of(r, ImportedFile::Outcome::written) == 2);
  CHECK(build(f.site).ok());
}

TEST_CASE("import: what it had to guess is listed") {
  Folder f;
  const auto shown = [&](const std::string& name) { return (f.in / name).string(); };
  // No symbol on the first page, only in the name; no "Original:" line;
  // a title that says no type.
  write_file(f.in / "APLC_MSP.22_2025_INF.1-F.pdf",
             make_unicode_pdf({"8 octobre 2025\nListe des participants"}));
  // The date below the meeting's name, not beside the symbol.
  write_file(
      f.in / "APLC_MSP.22_2025_INF.2-E.pdf",
      make_unicode_pdf({"APLC/MSP.22/2025/INF.2\nTwenty-second Meeting of the States Parties\n"
                        "8 October 2025\nOriginal: English\nList of participants"}));
  // A Spanish text whose name says French.
  write_file(f.in / "APLC_MSP.22_2025_INF.3-F.pdf",
             make_unicode_pdf({"APLC/MSP.22/2025/INF.3\n8 de octubre de 2025\nOriginal: "
                               "inglés\nLista de participantes"}));
  // No date at all: not imported.
  write_file(f.in / "APLC_MSP.22_2025_INF.4-E.pdf",
             make_unicode_pdf({"APLC/MSP.22/2025/INF.4\nList of participants"}));
  const ImportReport r = import_documents(f.options());
  const std::string all = messages(r);
  INFO(all);
  CHECK(r.exit_code() == 1);
  const std::string expected[] = {
      shown("APLC_MSP.22_2025_INF.1-F.pdf") +
          ": warning: symbol APLC/MSP.22/2025/INF.1 guessed from its name: its first page has "
          "none\n",
      shown("APLC_MSP.22_2025_INF.1-F.pdf") +
          ": warning: type other written: neither its symbol nor its title tells its type\n",
      shown("APLC_MSP.22_2025_INF.1-F.pdf") +
          ": warning: no \"Original:\" line found; original left out\n",
      shown("APLC_MSP.22_2025_INF.2-E.pdf") +
          ": warning: date 2025-10-08 guessed: it is printed below the meeting's name, not beside "
          "the symbol\n",
      shown("APLC_MSP.22_2025_INF.3-F.pdf") +
          ": warning: language es guessed: its text reads as es but the file name says fr\n",
      shown("APLC_MSP.22_2025_INF.4-E.pdf") +
          ": not imported: no date on its first page, nor on any other version's (give it in the "
          "CSV)\n",
  };
  for (const std::string& line : expected) CHECK_MESSAGE(all.find(line) != std::string::npos, line);
  CHECK(f.doc("msp22/aplc-msp-22-2025-inf-1.fr.md") ==
        "---\nsymbol: \"APLC/MSP.22/2025/INF.1\"\ntitle: \"Liste des participants\"\ndate: "
        "2025-10-08\n"
        "type: other\nfiles: [\"aplc-msp-22-2025-inf-1.fr.pdf\"]\n---\n");
  CHECK(fs::exists(f.site / "content/meetings/msp22/aplc-msp-22-2025-inf-3.es.md"));
  CHECK_FALSE(fs::exists(f.site / "content/meetings/msp22/aplc-msp-22-2025-inf-4.en.md"));
  CHECK(build(f.site).ok());
}

TEST_CASE(
    "import: an unsure title is listed, and versions with no original share the commonest date") {
  Folder f;
  const std::string masthead = "APLC/MSP.22/2025/INF.5\n";
  const std::string agenda =
      "Twenty-second Meeting of the States Parties\nItem 4 of the provisional agenda\n";
  write_file(f.in / "inf5-en.pdf",
             make_unicode_pdf({masthead + "9 October 2025\n" + agenda +
                               "General exchange of views\nList of participants\n1. Text."}));
  write_file(f.in / "inf5-fr.pdf",
             make_unicode_pdf({masthead + "8 octobre 2025\nListe des participants\n1. Texte."}));
  write_file(
      f.in / "inf5-es.pdf",
      make_unicode_pdf({masthead + "9 de octubre de 2025\nLista de participantes\n1. Texto."}));
  const ImportReport r = import_documents(f.options());
  const std::string all = messages(r);
  INFO(all);
  CHECK(r.exit_code() == 0);
  CHECK(all.find((f.in / "inf5-en.pdf").string() +
                 ": warning: title \"List of participants\" guessed: took \"General exchange of "
                 "views\" for the agenda item's name, not the title\n") != std::string::npos);
  CHECK(all.find((f.in / "inf5-fr.pdf").string() +
                 ": warning: date 2025-10-08 differs from 2025-10-09 (most versions'); 2025-10-09 "
                 "written\n") != std::string::npos);
  for (const char* lang : {"en", "fr", "es"})
    CHECK(f.doc("msp22/aplc-msp-22-2025-inf-5." + std::string(lang) + ".md")
              .find("date: 2025-10-09\n") != std::string::npos);
  CHECK(build(f.site).ok());
}

TEST_CASE("import: a file that cannot be written is listed, and leaves no file behind") {
  // No file may grow past 1 KB: the PDFs cannot be written, the document
  // files, which would name them, are not tried.
  Folder f;
  const std::string cmd = "sh -c \"trap '' XFSZ; ulimit -f 1; exec " +
                          std::string(SITE_GEN_BINARY) + " import " + f.in.string() + " --site " +
                          f.site.string() + "\"";
  const RunResult r = run_command(cmd);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find(
            (f.in / "final-report-en.pdf").string() +
            ": not imported: cannot write content/meetings/revcon5/aplc-conf-2024-5.en.pdf: ") !=
        std::string::npos);
  for (const char* meeting : {"msp22", "revcon5"}) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(f.site / "content/meetings" / meeting))
      names.push_back(e.path().filename().string());
    CHECK(names == std::vector<std::string>{"meeting.yaml"});  // no part of a file, no hidden one
  }
}

TEST_CASE("import: file names' language suffixes and symbols") {
  const struct {
    const char* name;
    const char* lang;
    const char* symbol;
  } cases[] = {
      {"APLC_MSP.22_2025_WP.3-E.pdf", "en", "APLC/MSP.22/2025/WP.3"},
      {"APLC_CONF_2019_5_Add.1-F.pdf", "fr", "APLC/CONF/2019/5/Add.1"},
      {"APLC_MSP.1_1999_4_S.docx", "es", "APLC/MSP.1/1999/4"},
      {"aplc_msp.22_2025_1.zh.pdf", "zh", "APLC/msp.22/2025/1"},
      {"report-ar.pdf", "ar", ""},
      {"report_RU.pdf", "ru", ""},
      {"wp3.en.pdf", "en", ""},
      {"report-x.pdf", "", ""},
      {"summary-e.pdf", "", ""},  // the UN's letters are capitals
      {"APLC_MSP.22_2025_1.pdf", "", "APLC/MSP.22/2025/1"},
      {"APLC_MSP 22.pdf", "", ""},
      {"APL_CONF_1997_27-F.pdf", "fr", "APL/CONF/1997/27"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(language_of_file_name(c.name) == c.lang);
    CHECK(symbol_of_file_name(c.name) == c.symbol);
  }
}

TEST_CASE("import: a quoted YAML value reads back as the text, whatever it holds") {
  const std::string texts[] = {
      "plain",
      "a: b # c",
      "\"quoted\" and \\backslash\\",
      "- not a list",
      "line\nbreak\tand tab",
      "null",
      "\xC2\x85next line\xE2\x80\xA8separator\xE2\x80\xA9paragraph",
      "\xEF\xBB\xBF"
      "bom \xEF\xBF\xBE \xEF\xBF\xBF",
      "العربية 中文 Русский",
      "{ flow: [x] }",
      "@at `tick` %percent &anchor *alias !tag |pipe >fold",
  };
  TempDir dir;
  write_site(dir.path(), meetings_site());
  for (size_t i = 0; i < std::size(texts); ++i)
    write_file(dir.path() / ("content/meetings/msp22/t" + std::to_string(i) + ".en.md"),
               "---\nsymbol: APLC/T/" + std::to_string(i) + "\ntitle: " + yaml_quoted(texts[i]) +
                   "\ndate: 2025-01-01\ntype: other\n---\n");
  Diagnostics diags;
  const Content content = load_site(dir.path(), diags);
  std::string all;
  for (const auto& d : diags.sorted()) all += d.str() + "\n";
  INFO(all);
  CHECK_FALSE(diags.has_errors());
  for (size_t i = 0; i < std::size(texts); ++i) {
    CAPTURE(i);
    const Document* doc = nullptr;
    for (const Document& d : content.documents)
      if (d.symbol == "APLC/T/" + std::to_string(i)) doc = &d;
    REQUIRE(doc != nullptr);
    CHECK(doc->version("en")->title == texts[i]);
  }
}

TEST_CASE(
    "import: the site-gen binary imports a folder, says what it wrote, and then that it is "
    "unchanged") {
  Folder f;
  const std::string args = "import " + f.in.string() + " --site " + f.site.string();
  const RunResult dry = run_site_gen(args + " --dry-run");
  CHECK(dry.exit_code == 0);
  CHECK(dry.output.find("24 files would be written") != std::string::npos);
  CHECK_FALSE(fs::exists(f.site / "content/meetings/msp22/aplc-msp-22-2025-wp-3.en.md"));
  const RunResult first = run_site_gen(args);
  CHECK(first.exit_code == 0);
  CHECK(first.output.find("wrote       content/meetings/msp22/aplc-msp-22-2025-wp-3.en.md\n") !=
        std::string::npos);
  CHECK(first.output.find("site-gen import: 12 files read, 2 documents; 24 files written, 0 "
                          "unchanged, 0 left alone\n") != std::string::npos);
  const RunResult second = run_site_gen(args);
  CHECK(second.exit_code == 0);
  CHECK(second.output.find("24 files written") == std::string::npos);
  CHECK(second.output.find("0 files written, 24 unchanged, 0 left alone") != std::string::npos);
  // A problem goes to stderr with the file's path, and the exit status says so.
  write_file(f.in / "broken.pdf", "%PDF-1.4\ngarbage");
  const RunResult broken =
      run_command("(" + std::string(SITE_GEN_BINARY) + " " + args + " >/dev/null)");
  CHECK(broken.exit_code == 1);
  CHECK(broken.output.find((f.in / "broken.pdf").string() + ": not imported: ") == 0);
  // Usage errors.
  CHECK(run_site_gen("import").exit_code == 2);
  CHECK(run_site_gen("import " + f.in.string() + " --site " + f.site.string() + " --nonsense x")
            .exit_code == 2);
  const RunResult missing =
      run_site_gen("import " + (f.dir.path() / "nowhere").string() + " --site " + f.site.string());
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("nowhere: not a folder") != std::string::npos);
}
