// Import: turns a folder of a meeting's official documents as the UN
// issues them (one PDF or DOCX file per language version) into document
// files of a site (SITE-FORMAT §1, `site-gen import`). Each file's symbol,
// language, distribution date, original language, title and type come
// from its first page (first_page.h), or from a CSV of metadata; the
// language versions of one symbol become one document, written as
// content/meetings/<meeting>/<slug>.<lang>.md with the file copied beside
// it as <slug>.<lang>.pdf (or .docx).
//
// It writes nothing it is unsure of silently: every file it could not
// import, and every value it had to guess, is in the report with the
// reason. It never replaces a file: one with the same bytes is left as it
// is (its modification time too), one with other bytes (an author's edit)
// is left alone and listed, so running it again on the same folder changes
// nothing. Files are written whole or not at all (a temporary file renamed
// into place).
// PDFs are read by worker processes (site-gen/pdf_workers.h), then a
// PDF's first page again here (pdf_first_page_text()): one import at a
// time in a process, not beside a build.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/diagnostic.h"

namespace sitegen {

struct ImportOptions {
  std::filesystem::path dir;         // the folder of files to import (not its subfolders)
  std::filesystem::path site = ".";  // the site folder, holding site.yaml
  // Where every file goes ("": the meeting its symbol names, APLC/MSP.22/...
  // the msp numbered 22, APLC/CONF/2019/... the review conference of 2019).
  // A CSV's meeting column overrides it for its rows.
  std::string meeting;
  // Metadata ("": none): a `file` column naming files of `dir`, and any of
  // symbol, lang, title, date, type, original, meeting; a value given
  // there is taken instead of what the first page says, and is no guess.
  std::filesystem::path csv;
  bool dry_run = false;  // report what would be written; write nothing at all
};

// One file of the site that the import wrote, would write, or found.
struct ImportedFile {
  enum class Outcome {
    written,      // new: it was not there
    would_write,  // --dry-run: it would be written
    unchanged,    // there already, with the same bytes: not touched
    left_alone,   // there already, with other bytes: not touched (listed)
  };
  std::string path;  // relative to the site root
  Outcome outcome = Outcome::written;
};

struct ImportReport {
  // Problems by the path of the imported file (a CSV's by its path and
  // line), all of them: an error is a file that was not imported (or a
  // CSV or site it could not use), a warning a value guessed or a file left
  // alone or skipped.
  Diagnostics problems;
  std::vector<ImportedFile> files;  // attachments before the documents naming them
  // Set when the options cannot be used (no such folder, no site, an
  // unknown --meeting): nothing else was done.
  std::string usage_error;
  // Set when the CSV or the site has a problem (in `problems`): no file was
  // read, nothing written.
  std::string stopped;
  int files_read = 0;  // PDF and DOCX files of the folder
  int documents = 0;   // symbols written (or that would be, or were there)
  bool dry_run = false;

  // 2 for a usage error, 1 when a file was not imported or the import
  // stopped, else 0 (warnings listed or not).
  int exit_code() const;
  // What was done, for stdout: a line per file ("wrote       PATH",
  // "would write PATH", "unchanged   PATH", "left alone  PATH"), then the
  // counts; summary() is both.
  std::string file_list() const;
  std::string totals() const;
  std::string summary() const;
};

ImportReport import_documents(const ImportOptions& options);

// The language a UN file name's suffix gives: "-E", "_F", "-S", "-A", "-R",
// "-C" (the UN's letters: English, French, Spanish, Arabic, Russian,
// Chinese) or a language code ".en", "-fr", "_zh" at the end of the name
// (before its extension); "" for none.
std::string language_of_file_name(std::string_view name);

// The symbol a file name spells with '_' for '/' (APLC_MSP.22_2025_WP.3-E.pdf
// gives APLC/MSP.22/2025/WP.3), its language suffix left out; "" when the
// name does not start with APLC_ (or APL_, the Oslo Conference's).
std::string symbol_of_file_name(std::string_view name);

// `text` as a YAML double-quoted scalar that reads back as the same text:
// quotes and backslashes escaped, and every control character and Unicode
// line break, so that an untrusted title stays one value on one line.
std::string yaml_quoted(std::string_view text);

}  // namespace sitegen
