// Attachment text (index/attachment_text.h): PDFs and DOCX files generated
// here, in a temporary folder, byte by byte (PDF) or through libzip (DOCX).
#include "index/attachment_text.h"

#include <zip.h>

#include "tests/attachment_fixtures.h"
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

using sitegen::index::attachment_text;
using sitegen::index::pdf_logical_text;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system's temporary directory, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path = fs::temp_directory_path() /
           ("sitegen-attach-" + std::to_string(stamp) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path operator/(const std::string& name) const { return path / name; }
};

void write_file(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

std::string contains_msg(const std::string& haystack) { return "in: \"" + haystack + "\""; }

}  // namespace

// ---------------------------------------------------------------------------
// PDF

TEST_CASE("attachment_text: one-page PDF") {
  TempDir dir;
  const fs::path file = dir / "one.pdf";
  write_file(file, make_pdf({"Xylophonique landmine word"}));
  std::string warning;
  const auto text = attachment_text(file, &warning);
  REQUIRE(text.has_value());
  CHECK_MESSAGE(text->find("Xylophonique") != std::string::npos, contains_msg(*text));
  CHECK(text->find("landmine word") != std::string::npos);
  CHECK(warning.empty());
}

TEST_CASE("attachment_text: two-page PDF gives the text of both pages, one line apart") {
  TempDir dir;
  const fs::path file = dir / "two.PDF";  // the extension is case-insensitive
  write_file(file, make_pdf({"Firstpage Ottawa", "Secondpage Oslo"}));
  std::string warning;
  const auto text = attachment_text(file, &warning);
  REQUIRE(text.has_value());
  const auto first = text->find("Firstpage");
  const auto second = text->find("Secondpage");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(first < second);
  CHECK(text->substr(first, second - first).find('\n') != std::string::npos);
  CHECK(warning.empty());
}

TEST_CASE("attachment_text: PDFs in Latin, Cyrillic, Arabic and Chinese give their text, page by page") {
  // make_unicode_pdf's pages are shown as a PDF made with an embedded font
  // has them: codes of a Type0 font and a ToUnicode map; the Arabic lines
  // drawn right to left in visual order.
  struct Case {
    const char* name;
    std::vector<std::string> pages;
    bool right_to_left;
    std::vector<std::string> words;  // in the order they must come back
  };
  const std::vector<Case> cases = {
      {"latin.pdf", {"Angola and Cambodia\nreported clearance", "Page two: Mozambique"}, false,
       {"Angola and Cambodia", "reported clearance", "Page two: Mozambique"}},
      {"cyrillic.pdf", {"Ангола и Камбоджа\nразминирование", "Страница два: Мозамбик"}, false,
       {"Ангола и Камбоджа", "разминирование", "Страница два: Мозамбик"}},
      {"arabic.pdf",
       {"أنغولا وكمبوديا\nإزالة الألغام", "الصفحة الثانية موزامبيق"}, true,
       {"أنغولا وكمبوديا", "إزالة الألغام", "الصفحة الثانية موزامبيق"}},
      {"chinese.pdf", {"安哥拉和柬埔寨\n排雷", "第二页：莫桑比克"}, false,
       {"安哥拉和柬埔寨", "排雷", "第二页：莫桑比克"}},
  };
  TempDir dir;
  for (const Case& c : cases) {
    CAPTURE(c.name);
    write_file(dir / c.name, make_unicode_pdf(c.pages, c.right_to_left));
    std::string warning;
    const auto text = attachment_text(dir / c.name, &warning);
    REQUIRE(text.has_value());
    CHECK(warning.empty());
    size_t at = 0;
    for (const std::string& w : c.words) {
      const size_t found = text->find(w, at);
      CHECK_MESSAGE(found != std::string::npos, w << " " << contains_msg(*text));
      if (found != std::string::npos) at = found + w.size();
    }
    // Poppler's directional marks around right-to-left lines are gone.
    CHECK(text->find("\u202B") == std::string::npos);
    CHECK(text->find("\u202C") == std::string::npos);
    // The pages apart: poppler ends each with a form feed.
    const size_t feed = text->find('\f');
    CHECK(feed > text->find(c.words[1]));
    CHECK(feed < text->find(c.words.back()));
  }
}

TEST_CASE("attachment_text: a Latin name in an Arabic line keeps its punctuation outside it") {
  // Poppler puts the neutrals beside a left-to-right run inside it, in the
  // run's order ("التالية‪Papua New :‬"): then a name cut at the line's end
  // is cut by a colon and a full stop too, and only "Guinea" is left whole.
  TempDir dir;
  write_file(dir / "ar.pdf",
             make_unicode_pdf({"أُلقي بيان باسم الدولة التالية: Papua New\nGuinea. أبرزت الدول (2015)\n"
                               "المادة 7: أفغانستان"},
                              true));
  std::string warning;
  const auto text = attachment_text(dir / "ar.pdf", &warning);
  REQUIRE(text.has_value());
  CAPTURE(*text);
  CHECK(text->find("التالية: Papua New") != std::string::npos);
  CHECK(text->find("Guinea. أبرزت") != std::string::npos);
  CHECK(text->find("(2015)") != std::string::npos);
  CHECK(text->find("المادة 7: أفغانستان") != std::string::npos);
}

TEST_CASE("pdf_logical_text: each left-to-right run's neutrals on their side, the marks gone") {
  const std::string lre = "\u202A", rle = "\u202B", pdf = "\u202C";
  CHECK(pdf_logical_text(rle + "التالية" + lre + "Papua New :" + pdf + pdf) == "التالية: Papua New");
  CHECK(pdf_logical_text(lre + " .Guinea" + pdf + "أبرزت") == "Guinea. أبرزت");
  CHECK(pdf_logical_text("(" + lre + ")2015" + pdf) == "(2015)");
  CHECK(pdf_logical_text("المادة " + lre + " :7" + pdf + "أفغانستان") == "المادة 7: أفغانستان");
  CHECK(pdf_logical_text(lre + " : " + pdf) == " : ");  // neutrals alone: reversed
  CHECK(pdf_logical_text(lre + "APLC/MSP.5/2003/2" + pdf) == "APLC/MSP.5/2003/2");
  CHECK(pdf_logical_text("no marks (1)") == "no marks (1)");
  CHECK(pdf_logical_text(lre + "unclosed :") == "unclosed :");  // a run never closed stays
}

TEST_CASE("attachment_text: a Chinese line break inside a word is taken out, others are kept") {
  // Chinese breaks lines anywhere: 索马里 (Somalia) cut at a line end must
  // not read as 索马 and 马里 (Mali) for the tagger.
  TempDir dir;
  write_file(dir / "zh.pdf", make_unicode_pdf({"索马\n里代表团发言。\nAngola\nCambodia\n대한\n민국 "}));
  std::string warning;
  const auto text = attachment_text(dir / "zh.pdf", &warning);
  REQUIRE(text.has_value());
  CAPTURE(*text);
  CHECK(text->find("索马里代表团发言。") != std::string::npos);
  CHECK(text->find("发言。\nAngola\nCambodia") != std::string::npos);  // Latin lines stay apart
  CHECK(text->find("대한\n민국") != std::string::npos);                   // Hangul is spaced
}

TEST_CASE("attachment_text: corrupt or empty PDF gives nullopt and a warning") {
  TempDir dir;
  SUBCASE("garbage") {
    const fs::path file = dir / "bad.pdf";
    std::string bytes = "This is not a PDF at all.\n";
    for (int i = 0; i < 200; ++i) bytes += static_cast<char>((i * 37) & 0xff);
    write_file(file, bytes);
    std::string warning;
    CHECK_FALSE(attachment_text(file, &warning).has_value());
    CHECK(warning.find("cannot read PDF") != std::string::npos);
    CHECK(warning.find("bad.pdf") != std::string::npos);
    CHECK(warning.find('\n') == std::string::npos);
  }
  SUBCASE("truncated header only") {
    const fs::path file = dir / "trunc.pdf";
    write_file(file, "%PDF-1.4\n1 0 obj\n<< /Type /Cat");
    std::string warning;
    CHECK_FALSE(attachment_text(file, &warning).has_value());
    CHECK(warning.find("cannot read PDF") != std::string::npos);
  }
  SUBCASE("empty file") {
    const fs::path file = dir / "empty.pdf";
    write_file(file, "");
    std::string warning;
    CHECK_FALSE(attachment_text(file, &warning).has_value());
    CHECK(warning.find("cannot read PDF") != std::string::npos);
  }
  SUBCASE("a null warning pointer is allowed") {
    const fs::path file = dir / "empty.pdf";
    write_file(file, "");
    CHECK_FALSE(attachment_text(file, nullptr).has_value());
  }
}

TEST_CASE("attachment_text: PDF locked by a user password is refused") {
  TempDir dir;
  const fs::path file = dir / "locked.pdf";
  // Standard security handler, RC4 40-bit; /U cannot match the empty user
  // password, so poppler cannot open the document without one.
  const std::string u(32, 'U'), o(32, 'O');
  const std::string encrypt = "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O (" + o +
                              ") /U (" + u + ") >>";
  // Objects: catalog, pages, font, page, content, encrypt (6).
  write_file(file, make_pdf({"Secret text"}, {encrypt},
                            "/Encrypt 6 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> "
                            "<0123456789ABCDEF0123456789ABCDEF>]"));
  std::string warning;
  CHECK_FALSE(attachment_text(file, &warning).has_value());
  CHECK(warning == file.string() + ": encrypted PDF");
}

// ---------------------------------------------------------------------------
// DOCX

TEST_CASE("attachment_text: DOCX paragraphs, split runs, tabs, Chinese and Arabic") {
  TempDir dir;
  const fs::path file = dir / "report.docx";
  write_docx(file,
             document_xml(
                 // Paragraph 1: a word split over two runs, a tab, Chinese.
                 "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
                 "<w:r><w:rPr><w:b/></w:rPr><w:t>Xylo</w:t></w:r>"
                 "<w:r><w:t>phonique</w:t></w:r>"
                 "<w:r><w:tab/><w:t xml:space=\"preserve\">禁止地雷 </w:t></w:r>"
                 "<w:r><w:t>R&amp;D</w:t></w:r></w:p>"
                 // Paragraph 2: Arabic, a line break.
                 "<w:p><w:r><w:t>اتفاقية حظر الألغام</w:t><w:br/><w:t>Oslo</w:t></w:r></w:p>"
                 // An empty paragraph, then a table cell.
                 "<w:p/>"
                 "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
                 // Field code and deleted text are not shown text.
                 "<w:p><w:r><w:instrText>HYPERLINK \"x\"</w:instrText></w:r>"
                 "<w:del><w:r><w:delText>Removed</w:delText></w:r></w:del></w:p>"));
  std::string warning;
  const auto text = attachment_text(file, &warning);
  REQUIRE(text.has_value());
  CHECK(warning.empty());
  CHECK(*text == "Xylophonique\t禁止地雷 R&D\nاتفاقية حظر الألغام\nOslo\n\nCell\n\n");
}

TEST_CASE("attachment_text: DOCX footnotes are included, alternate content only once") {
  TempDir dir;
  const fs::path file = dir / "notes.docx";
  const std::string footnotes =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<w:footnotes xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
      "<w:footnote w:id=\"1\"><w:p><w:r><w:t>Footnoteword here</w:t></w:r></w:p></w:footnote>"
      "</w:footnotes>";
  write_docx(file,
             document_xml("<w:p><w:r><w:t>Body</w:t></w:r>"
                          "<w:r><mc:AlternateContent>"
                          "<mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r>"
                          "<w:t>Boxtext</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
                          "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r>"
                          "<w:t>Boxtext</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
                          "</mc:AlternateContent></w:r><w:r><w:t>After</w:t></w:r></w:p>"),
             {{"word/footnotes.xml", footnotes}});
  std::string warning;
  const auto text = attachment_text(file, &warning);
  REQUIRE(text.has_value());
  CHECK(warning.empty());
  CHECK(text->find("Body") != std::string::npos);
  CHECK(text->find("After") != std::string::npos);
  CHECK(text->find("Footnoteword here") != std::string::npos);
  const auto box = text->find("Boxtext");
  REQUIRE(box != std::string::npos);
  CHECK(text->find("Boxtext", box + 1) == std::string::npos);
}

TEST_CASE("attachment_text: bad DOCX files give nullopt and a warning") {
  TempDir dir;
  SUBCASE("a zip without word/document.xml") {
    const fs::path file = dir / "nodoc.docx";
    write_zip(file, {{"[Content_Types].xml", kContentTypes}, {"word/other.xml", "<x/>"}});
    std::string warning;
    CHECK_FALSE(attachment_text(file, &warning).has_value());
    CHECK(warning.find("word/document.xml") != std::string::npos);
    CHECK(warning.find("nodoc.docx") != std::string::npos);
  }
  SUBCASE("not a zip") {
    const fs::path file = dir / "plain.docx";
    write_file(file, "Just some text, not an archive.\n");
    std::string warning;
    CHECK_FALSE(attachment_text(file, &warning).has_value());
    CHECK(warning.find("not a zip") != std::string::npos);
  }
  SUBCASE("an empty file") {
    const fs::path file = dir / "empty.docx";
    write_file(file, "");
    std::string warning;
    CHECK_FALSE(attachment_text(file, &warning).has_value());
    CHECK_FALSE(warning.empty());
  }
  SUBCASE("malformed XML") {
    const fs::path file = dir / "broken.docx";
    write_docx(file, "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
                     "main\"><w:body><w:p><w:t>Unclosed</w:body>");
    std::string warning;
    CHECK_FALSE(attachment_text(file, &warning).has_value());
    CHECK(warning.find("word/document.xml") != std::string::npos);
    CHECK(warning.find('\n') == std::string::npos);
  }
  SUBCASE("a document.xml over the size limit (zip bomb)") {
    const fs::path file = dir / "bomb.docx";
    std::string huge = document_xml("<w:p><w:r><w:t>x</w:t></w:r></w:p>");
    huge.insert(huge.find("<w:document"), std::string(65u << 20, ' '));  // ~65 MiB of blanks
    write_docx(file, huge);
    CHECK(fs::file_size(file) < (1u << 20));  // it compresses to almost nothing
    std::string warning;
    CHECK_FALSE(attachment_text(file, &warning).has_value());
    CHECK(warning.find("too large") != std::string::npos);
  }
}

TEST_CASE("attachment_text: DOCX external entities are never loaded (XXE)") {
  TempDir dir;
  const fs::path secret = dir / "secret.txt";
  write_file(secret, "SECRETMARKER");
  const fs::path file = dir / "xxe.docx";
  const std::string prolog = "<!DOCTYPE w:document [<!ENTITY e SYSTEM \"file:///etc/passwd\">"
                             "<!ENTITY s SYSTEM \"file://" + secret.string() + "\">"
                             "<!ENTITY i \"internalvalue\">"
                             "<!ENTITY % p SYSTEM \"file://" + secret.string() + "\"> %p;]>\n";
  write_docx(file, document_xml("<w:p><w:r><w:t>Before &e; &s; &i; After</w:t></w:r></w:p>", prolog));
  std::string warning;
  const auto text = attachment_text(file, &warning);
  // Refusing the file would be fine too; loading the entities is not.
  if (text) {
    CHECK(text->find("root:") == std::string::npos);
    CHECK(text->find("SECRETMARKER") == std::string::npos);
    CHECK(text->find("Before") != std::string::npos);
  }
  CHECK(warning.find("SECRETMARKER") == std::string::npos);
}

// ---------------------------------------------------------------------------
// Other cases

TEST_CASE("attachment_text: other extensions give an empty text and no warning") {
  TempDir dir;
  for (const char* name : {"notes.txt", "photo.jpg", "old.doc", "noextension", "archive.docx.bak"}) {
    const fs::path file = dir / name;
    write_file(file, "%PDF-1.4 not looked at");
    std::string warning;
    const auto text = attachment_text(file, &warning);
    REQUIRE(text.has_value());
    CHECK(text->empty());
    CHECK(warning.empty());
  }
  std::string warning;
  const auto missing = attachment_text(dir / "absent.odt", &warning);
  REQUIRE(missing.has_value());
  CHECK(missing->empty());
  CHECK(warning.empty());
}

TEST_CASE("attachment_text: a missing file gives nullopt and \"file not found\"") {
  TempDir dir;
  for (const char* name : {"absent.pdf", "absent.docx"}) {
    std::string warning;
    CHECK_FALSE(attachment_text(dir / name, &warning).has_value());
    CHECK(warning == (dir / name).string() + ": file not found");
  }
  std::string warning;
  fs::create_directories(dir / "folder.pdf");
  CHECK_FALSE(attachment_text(dir / "folder.pdf", &warning).has_value());
  CHECK_FALSE(warning.empty());
}

TEST_CASE("attachment_text: independent calls run concurrently") {
  TempDir dir;
  const fs::path pdf = dir / "c.pdf", docx = dir / "c.docx", bad = dir / "c-bad.pdf";
  write_file(pdf, make_pdf({"Concurrentpdf one", "page two"}));
  write_docx(docx, document_xml("<w:p><w:r><w:t>Concurrentdocx</w:t></w:r></w:p>"));
  write_file(bad, "%PDF-1.4\ngarbage");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        std::string warning;
        switch ((t + i) % 3) {
          case 0: {
            const auto text = attachment_text(pdf, &warning);
            if (!text || text->find("Concurrentpdf") == std::string::npos) ++failures;
            break;
          }
          case 1: {
            const auto text = attachment_text(docx, &warning);
            if (!text || *text != "Concurrentdocx\n") ++failures;
            break;
          }
          default:
            if (attachment_text(bad, &warning) || warning.empty()) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures.load() == 0);
}
