// PDFs read in worker processes (site-gen/pdf_workers.h): the same text as
// in this process, in every script; a worker that crashes or hangs costs
// the file it was reading, and the files after it are read by a new one.
#include "site-gen/pdf_workers.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "index/attachment_text.h"
#include "tests/attachment_fixtures.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

// A worker program written for the test: a script of `body`.
fs::path script(const fs::path& dir, const std::string& name, const std::string& body) {
  const fs::path p = dir / name;
  write_file(p, body);
  chmod(p.c_str(), 0755);
  return p;
}

// A stand-in worker: answers "read: <path>", but dies of SIGSEGV on a file
// whose name says "crash" and never answers one that says "hang".
const char* const kFakeWorker = R"(#!/usr/bin/env python3
import os, signal, sys, time
data = b''
while True:
    chunk = os.read(0, 4096)
    if not chunk:
        break
    data += chunk
    while b'\0' in data:
        path, data = data.split(b'\0', 1)
        if b'crash' in path:
            os.kill(os.getpid(), signal.SIGSEGV)
        if b'hang' in path:
            time.sleep(60)
        text = b'read: ' + path
        os.write(1, b'T 1 %d\n' % len(text) + text)
)";

}  // namespace

TEST_CASE("pdf workers: a worker reads what this process reads, in every script, and says why it cannot") {
  const fs::path worker = default_pdf_worker();
  REQUIRE_MESSAGE(!worker.empty(), "site-gen-pdf-text is built beside the tests");
  TempDir dir;
  std::vector<fs::path> files;
  const std::vector<std::vector<std::string>> texts = {
      {"Angola", "Cambodia"}, {"Разминирование"}, {"إزالة الألغام"}, {"排雷工作", "地雷"}};
  for (size_t i = 0; i < texts.size(); ++i) {
    files.push_back(dir.path() / ("doc" + std::to_string(i) + ".pdf"));
    write_file(files.back(), make_unicode_pdf(texts[i], i == 2));
  }
  files.push_back(dir.path() / "damaged.pdf");
  write_file(files.back(), make_pdf({"x"}).substr(0, 200));
  files.push_back(dir.path() / "scan.pdf");
  write_file(files.back(), make_pdf({""}));
  files.push_back(dir.path() / "missing.pdf");

  const std::vector<PdfText> read = read_pdfs(files, 2, {worker});
  REQUIRE(read.size() == files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    CAPTURE(files[i]);
    std::string warning;
    int pages = 0;
    const std::optional<std::string> here = index::attachment_text(files[i], &warning, &pages);
    CHECK(read[i].text == here);
    CHECK(read[i].pages == pages);
    // The reason without the file's name, which the build's message gives.
    if (!here) CHECK(files[i].string() + ": " + read[i].warning == warning);
  }
  CHECK(read[0].text->find("Cambodia") != std::string::npos);
  CHECK(read[0].pages == 2);
  CHECK(!read[4].text);
  CHECK(read[5].warning.find("no text") != std::string::npos);
}

TEST_CASE("pdf workers: a crash or a hang costs one file, and a new worker reads the next") {
  TempDir dir;
  const fs::path fake = script(dir.path(), "worker", kFakeWorker);
  std::vector<fs::path> files;
  for (const char* name : {"a.pdf", "crash.pdf", "b.pdf", "hang.pdf", "c.pdf"}) files.push_back(dir.path() / name);
  PdfWorkerOptions options{fake, std::chrono::milliseconds(3000)};
  // One worker, so each file comes after the one that ended the last.
  const std::vector<PdfText> read = read_pdfs(files, 1, options);
  REQUIRE(read.size() == 5);
  for (size_t i : {0, 2, 4}) {
    CAPTURE(i);
    CAPTURE(read[i].warning);
    REQUIRE(read[i].text);
    CHECK(*read[i].text == "read: " + files[i].string());
  }
  CHECK(!read[1].text);
  CHECK(read[1].warning == "the PDF reader stopped on it (a damaged or hostile file?)");
  CHECK(!read[3].text);
  CHECK(read[3].warning.find("took longer than") != std::string::npos);
}

TEST_CASE("pdf workers: a worker that cannot start or answers nonsense leaves each file a reason") {
  TempDir dir;
  const fs::path nonsense = script(dir.path(), "nonsense", "#!/bin/sh\necho 'hello'\ncat >/dev/null\n");
  const std::vector<fs::path> files = {dir.path() / "a.pdf", dir.path() / "b.pdf"};
  for (const PdfText& t : read_pdfs(files, 2, {nonsense, std::chrono::milliseconds(2000)})) {
    CHECK(!t.text);
    CHECK(t.warning == "the PDF reader stopped on it (a damaged or hostile file?)");
  }
  for (const PdfText& t : read_pdfs(files, 2, {dir.path() / "no-such-program"})) {
    CHECK(!t.text);
    CHECK(t.warning.find("cannot start the PDF reader") != std::string::npos);
  }
}
