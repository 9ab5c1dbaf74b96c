// Extracts the plain text of a document's attachments for the index: PDF
// through poppler-cpp, DOCX through libxml2 over the word/document.xml of
// the archive (libzip). Thread-safe (independent calls).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sitegen::index {

// The text of a PDF or DOCX file (by extension, case-insensitive); other
// types give "" without a warning. An unreadable or corrupt file, or a PDF
// without text (a scan), gives nullopt and a one-line reason in *warning
// (the build goes on). A PDF's pages are separated by '\f'. *pages,
// when given, gets a PDF's number of pages (0 for other types).
std::optional<std::string> attachment_text(const std::filesystem::path& file,
                                           std::string* warning, int* pages = nullptr);

// Poppler's text of a PDF page in logical order: each left-to-right run of
// a right-to-left line with the neutrals poppler put inside it on their
// side, and without the directional marks poppler adds (attachment_text()
// gives its text so).
std::string pdf_logical_text(std::string_view poppler_text);

}  // namespace sitegen::index
