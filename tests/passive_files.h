// Small files of each passive attachment type (SITE-FORMAT §2) and of the
// active types refused, made byte by byte so that tests need no binary
// files in the repository. Each is the least that libmagic recognises.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/attachment_fixtures.h"

namespace sitegen::testing {

inline std::string bytes(const char* data, size_t size) { return std::string(data, size); }

// A tar archive of one file "x" holding "hi\n" (a 512-byte ustar header).
inline std::string make_tar() {
  std::string header(512, '\0');
  auto put = [&](size_t at, const std::string& s) { header.replace(at, s.size(), s); };
  put(0, "x");
  put(100, "0000644");
  put(108, "0000000");
  put(116, "0000000");
  put(124, "00000000003");
  put(136, "00000000000");
  put(156, "0");
  put(257, "ustar");
  put(263, "00");
  header.replace(148, 8, "        ");
  unsigned sum = 0;
  for (unsigned char c : header) sum += c;
  char chk[8];
  std::snprintf(chk, sizeof chk, "%06o", sum);
  header.replace(148, 7, std::string(chk, 6) + '\0');
  std::string body = "hi\n";
  body.resize(512, '\0');
  return header + body + std::string(1024, '\0');
}

// name -> bytes of a valid passive file of that type (DOCX, XLSX, ODT and zip
// are written with libzip by write_passive_zips()).
inline std::vector<std::pair<std::string, std::string>> passive_samples() {
  return {
      {"report.pdf", make_pdf({"Hello"})},
      {"scan.PDF", make_pdf({"Upper case extension"})},
      {"old.doc", bytes("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) + std::string(1024, '\0')},
      {"letter.rtf", "{\\rtf1\\ansi Hello}\n"},
      {"notes.txt", "Plain notes.\n"},
      {"empty.txt", ""},
      {"table.csv", "iso,name\nAO,Angola\n"},
      {"map.png",
       bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89", 33)},
      {"photo.jpg", bytes("\xff\xd8\xff\xe0\0\x10JFIF\0\1\1\0\0\1\0\1\0\0", 20)},
      {"photo.JPEG", bytes("\xff\xd8\xff\xe0\0\x10JFIF\0\1\1\0\0\1\0\1\0\0", 20)},
      {"anim.gif", bytes("GIF89a\1\0\1\0\0\0\0;", 14)},
      {"pic.webp", bytes("RIFF\x24\0\0\0WEBPVP8 \x18\0\0\0", 20)},
      {"scan.tiff", bytes("II*\0\x08\0\0\0", 8)},
      {"data.gz",
       bytes("\x1f\x8b\x08\0\0\0\0\0\0\x03\xcb\xc8\xe4\x02\0\x7a\x7a\x6f\xed\x03\0\0\0", 23)},
      {"data.7z", bytes("7z\xbc\xaf\x27\x1c\0\4", 8) + std::string(100, '\0')},
      {"data.tar", make_tar()},
  };
}

inline void write_passive_zips(const fs::path& dir) {
  write_docx(dir / "paper.docx", document_xml("<w:p><w:r><w:t>Hello</w:t></w:r></w:p>"));
  write_zip(dir / "bundle.zip", {{"a.txt", "a"}});
  write_zip(dir / "sheet.xlsx", {{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<w/>"}});
  write_zip(dir / "text.odt", {{"mimetype", "application/vnd.oasis.opendocument.text"},
                               {"content.xml", "<office:document-content/>"}});
}

// name -> bytes of files a browser would run scripts in, or that are not
// what their name says. Each must be refused.
inline std::vector<std::pair<std::string, std::string>> active_samples() {
  const std::string html = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n";
  const std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n";
  return {
      {"image.svg", svg},
      {"page.html", html},
      {"page.htm", html},
      {"PAGE.HTML", html},
      {"annex/inner.html", html},
      {"feed.xml",
       "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
       "<script>alert(1)</script></html>\n"},
      {"page.xhtml",
       "<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>"},
      {"fake.pdf", html},
      {"fake.png", svg},
      {"notes.txt", "hello <script>alert(1)</script>\n"},
      {"spaced.txt", "\n\n   <script>alert(1)</script>"},
      {"noext", "plain\n"},
      {"script.js", "alert(1)\n"},
  };
}

}  // namespace sitegen::testing
