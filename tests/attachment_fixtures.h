// Attachment fixtures: PDF and DOCX files made byte by byte (PDF) or with
// libzip (DOCX), so tests need no binary files in the repository.
#pragma once

#include <zip.h>

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sitegen::testing {
namespace fs = std::filesystem;

// A PDF 1.4 with one page per string, each showing it in Helvetica; the xref
// table's offsets are counted here. `trailer_extra` goes into the trailer
// dictionary and `extra_objects` after the pages (numbered from there on).
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
