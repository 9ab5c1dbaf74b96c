// Attachment fixtures: PDF and DOCX files made byte by byte (PDF) or with
// libzip (DOCX), so tests need no binary files in the repository.
#pragma once

#include <unicode/ubidi.h>
#include <zip.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sitegen::testing {
namespace fs = std::filesystem;

// A PDF 1.4 file of `objects` (object i + 1 is objects[i], object 1 the
// catalog), the xref table's offsets counted here; `trailer_extra` goes
// into the trailer dictionary.
inline std::string pdf_file(const std::vector<std::string>& objects, const std::string& trailer_extra = "") {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n";
  pdf += "0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " +
         trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A PDF with one page per string, each showing it in Helvetica.
// `trailer_extra` goes into the trailer dictionary and `extra_objects`
// after the pages (numbered from there on).
inline std::string make_pdf(const std::vector<std::string>& pages,
                     const std::vector<std::string>& extra_objects = {},
                     const std::string& trailer_extra = "") {
  std::vector<std::string> objects;  // object i + 1
  std::string kids;
  const int first_page = 4;
  for (std::size_t i = 0; i < pages.size(); ++i)
    kids += std::to_string(first_page + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) +
                    " >>");
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const int content = first_page + 2 * static_cast<int>(i) + 1;
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 3 0 R >> >> /Contents " +
        std::to_string(content) + " 0 R >>");
    const std::string stream = "BT /F1 12 Tf 72 720 Td (" + pages[i] + ") Tj ET";
    objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream +
                      "\nendstream");
  }
  for (const std::string& o : extra_objects) objects.push_back(o);

  return pdf_file(objects, trailer_extra);
}

// The UTF-16 code units of UTF-8 `s` (the fixtures' text: valid UTF-8).
inline std::vector<unsigned> utf16_units(const std::string& s) {
  std::vector<unsigned> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    unsigned c = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
    for (int k = 1; k < len && i + k < s.size(); ++k) c = c << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    if (c >= 0x10000) {
      out.push_back(0xD800 + ((c - 0x10000) >> 10));
      out.push_back(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The UTF-16 units of one line of a right-to-left paragraph in the order
// a renderer draws them, left to right (ICU's bidi algorithm): a line of
// Arabic alone comes out reversed; "APLC/MSP.22/2025/WP.3" or "2025" in it
// keep their own order.
inline std::vector<unsigned> visual_order(const std::vector<unsigned>& units) {
  std::u16string logical(units.begin(), units.end());
  std::u16string visual(logical.size(), u' ');
  UErrorCode status = U_ZERO_ERROR;
  UBiDi* bidi = ubidi_openSized(static_cast<int32_t>(logical.size()), 0, &status);
  ubidi_setPara(bidi, logical.data(), static_cast<int32_t>(logical.size()), UBIDI_RTL, nullptr, &status);
  ubidi_writeReordered(bidi, visual.data(), static_cast<int32_t>(visual.size()), 0, &status);
  ubidi_close(bidi);
  REQUIRE(U_SUCCESS(status));
  return std::vector<unsigned>(visual.begin(), visual.end());
}

// A PDF like make_pdf's whose pages may hold any script: each page's text
// (UTF-8, lines apart at '\n') is shown with a Type0 font of Identity-H
// codes, a character's code its UTF-16 unit, and a ToUnicode map of every
// code used, as a PDF of a UN document made with an embedded font gives
// its text back (no glyphs are embedded: text extraction needs none).
// `right_to_left`: each line drawn from the right margin, its characters
// in visual order, as a PDF of an Arabic text has them: the line's runs
// right to left, and inside a run of Latin letters or digits (a symbol, a
// year) the characters left to right (visual_order()).
inline std::string make_unicode_pdf(const std::vector<std::string>& pages, bool right_to_left = false) {
  std::vector<std::string> objects;  // object i + 1
  const int first_page = 6;
  std::string kids;
  for (std::size_t i = 0; i < pages.size(); ++i) kids += std::to_string(first_page + 2 * i) + " 0 R ";
  std::set<unsigned> used;
  for (const std::string& p : pages)
    for (unsigned u : utf16_units(p))
      if (u != '\n') used.insert(u);
  auto hex4 = [](unsigned u) {
    char b[8];
    std::snprintf(b, sizeof b, "%04X", u);
    return std::string(b);
  };
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<unsigned> codes(used.begin(), used.end());
  for (std::size_t i = 0; i < codes.size(); i += 100) {
    const std::size_t n = std::min<std::size_t>(100, codes.size() - i);
    cmap += std::to_string(n) + " beginbfchar\n";
    for (std::size_t k = i; k < i + n; ++k) cmap += "<" + hex4(codes[k]) + "> <" + hex4(codes[k]) + ">\n";
    cmap += "endbfchar\n";
  }
  cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type0 /BaseFont /SiteGenTest /Encoding /Identity-H "
      "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>");
  objects.push_back(
      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SiteGenTest "
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 "
      "/CIDToGIDMap /Identity >>");
  objects.push_back("<< /Length " + std::to_string(cmap.size()) + " >>\nstream\n" + cmap + "\nendstream");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const int content = first_page + 2 * static_cast<int>(i) + 1;
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 3 0 R >> >> /Contents " + std::to_string(content) + " 0 R >>");
    std::string stream = "BT /F1 10 Tf\n";
    double y = 740;
    std::size_t b = 0;
    const std::string& text = pages[i];
    while (b <= text.size()) {
      std::size_t e = std::min(text.find('\n', b), text.size());
      std::vector<unsigned> units = utf16_units(text.substr(b, e - b));
      if (right_to_left) units = visual_order(units);
      const double width = 6.0 * static_cast<double>(units.size());  // DW 600 at 10 pt
      char at[64];
      std::snprintf(at, sizeof at, "1 0 0 1 %.1f %.1f Tm ", right_to_left ? 540.0 - width : 72.0, y);
      stream += at;
      stream += "<";
      for (unsigned u : units) stream += hex4(u);
      stream += "> Tj\n";
      y -= 14;
      b = e + 1;
    }
    stream += "ET";
    objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream +
                      "\nendstream");
  }
  return pdf_file(objects);
}

// A zip archive holding `members` (name → bytes), written with libzip.
inline void write_zip(const fs::path& file, const std::vector<std::pair<std::string, std::string>>& members) {
  int error = 0;
  zip_t* z = zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(z != nullptr);
  for (const auto& [name, bytes] : members) {
    // The bytes stay alive in `members` until zip_close.
    zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    REQUIRE(src != nullptr);
    if (zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(src);
      FAIL("zip_file_add: " << zip_strerror(z));
    }
  }
  REQUIRE(zip_close(z) == 0);
}

inline const char* const kContentTypes =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";

inline const char* const kRels =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

// A word/document.xml around `body` (the inside of w:body).
inline std::string document_xml(const std::string& body, const std::string& prolog = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + prolog +
         "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
         "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
         "<w:body>" +
         body + "<w:sectPr/></w:body></w:document>";
}

inline void write_docx(const fs::path& file, const std::string& document,
                std::vector<std::pair<std::string, std::string>> more = {}) {
  std::vector<std::pair<std::string, std::string>> members = {
      {"[Content_Types].xml", kContentTypes}, {"_rels/.rels", kRels}, {"word/document.xml", document}};
  for (auto& m : more) members.push_back(std::move(m));
  write_zip(file, members);
}

}  // namespace sitegen::testing
