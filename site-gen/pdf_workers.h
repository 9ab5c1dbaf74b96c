// PDF text read in worker processes (issue 15, point 2): poppler keeps
// state shared by its documents, so one process reads one PDF at a time;
// a process per core reads them on all cores. A worker is also a wall
// between the build and a hostile file: a PDF that crashes poppler, or
// keeps it busy past a time limit, costs its own text only (a warning),
// and the worker is started again for the files after it.
//
// The worker is the program `site-gen-pdf-text` (pdf_text_main.cc), found
// beside the running one; where there is none (a program of its own that
// links the library), the PDFs are read in this process, one at a time.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sitegen {

struct PdfText {
  std::optional<std::string> text;  // nullopt: unreadable, `warning` says why
  std::string warning;              // without the file's name
  int pages = 0;
};

struct PdfWorkerOptions {
  // The worker program; "" finds it beside the running program, and
  // without one there the PDFs are read in this process.
  std::filesystem::path program;
  // How long one file may take.
  std::chrono::milliseconds time_limit{std::chrono::minutes(2)};
};

// The worker program beside the running one, "" if there is none.
std::filesystem::path default_pdf_worker();

// The text of each file (index::attachment_text), in the order given, read
// by up to `jobs` workers at once.
std::vector<PdfText> read_pdfs(const std::vector<std::filesystem::path>& files, int jobs,
                               const PdfWorkerOptions& options = {});

// The worker's side: answers each request on `in` with the file's text on
// `out`, until `in` ends. Returns the exit status.
int serve_pdf_requests(int in, int out);

}  // namespace sitegen
