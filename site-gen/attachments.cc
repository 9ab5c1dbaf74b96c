// Attachments' text: see attachments.h.
#include "site-gen/attachments.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>

#include <unistd.h>

#include "index/attachment_text.h"
#include "site-gen/files.h"
#include "site-gen/parallel.h"
#include "site-gen/pdf_workers.h"

namespace sitegen {
namespace fs = std::filesystem;
namespace {

// A record of the disk cache: what extraction gave for a file's bytes.
// Its number changes with what extraction gives (3: left-to-right runs of
// right-to-left lines mended), so that no build believes an older text.
constexpr std::string_view kRecordHeader = "site-gen attachment text 3\n";

// The cache's name for a file's content: a hash of its bytes and their
// number (a different file of the same hash and size is not expected).
std::string content_key(const std::string& bytes) {
  char name[40];
  std::snprintf(name, sizeof name, "%016zx-%zu", std::hash<std::string_view>()(bytes), bytes.size());
  return name;
}

// The record: header, "<pages> <readable>\n", the warning's line, then the
// text.
bool is_pdf(const fs::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".pdf";
}

std::string record_of(const AttachmentText& a) {
  std::string warning = a.warning;
  std::replace(warning.begin(), warning.end(), '\n', ' ');
  return std::string(kRecordHeader) + std::to_string(a.pages) + " " + (a.readable ? "1" : "0") + "\n" +
         warning + "\n" + a.text;
}

bool from_record(const std::string& r, AttachmentText* a) {
  if (r.compare(0, kRecordHeader.size(), kRecordHeader) != 0) return false;
  size_t line = r.find('\n', kRecordHeader.size());
  if (line == std::string::npos) return false;
  int pages = -1, readable = -1;
  if (std::sscanf(r.c_str() + kRecordHeader.size(), "%d %d", &pages, &readable) != 2 || pages < 0 ||
      (readable != 0 && readable != 1))
    return false;
  size_t warning_end = r.find('\n', line + 1);
  if (warning_end == std::string::npos) return false;
  a->pages = pages;
  a->readable = readable == 1;
  a->warning = r.substr(line + 1, warning_end - line - 1);
  a->text = r.substr(warning_end + 1);
  return true;
}

// Written whole or not at all (a temporary file renamed): two builds may
// share the cache.
void write_record(const fs::path& dir, const std::string& key, const AttachmentText& a) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path tmp = dir / (key + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary);
    f << record_of(a);
    if (!f) return;
  }
  fs::rename(tmp, dir / key, ec);
  if (ec) fs::remove(tmp, ec);
}

}  // namespace

std::shared_ptr<const AttachmentTexts> read_attachments(const Content& content, const fs::path& root,
                                                        int jobs, Diagnostics& diags,
                                                        std::shared_ptr<const AttachmentTexts> previous,
                                                        const fs::path& cache) {
  // Each file with the first files: line that names it, where its warning
  // is reported (the author wrote the name there).
  struct Named {
    const DocumentVersion* version;
    const Ref* ref;
  };
  std::map<std::string, Named> files;
  for (const Document& d : content.documents)
    for (const DocumentVersion& v : d.versions)
      for (const Ref& f : v.files) files.try_emplace("content/meetings/" + d.meeting + "/" + f.value, Named{&v, &f});

  const SiteTree tree(root);
  auto out = std::make_shared<AttachmentTexts>();
  // The file by the name the author gave (its extension says its type,
  // where a link inside the site may lead to a name without one).
  std::vector<std::pair<fs::path, AttachmentText*>> todo;
  bool as_before = previous && previous->size() <= files.size();
  size_t kept = 0;
  for (const auto& [rel, named] : files) {
    if (!std::binary_search(content.attachments.begin(), content.attachments.end(), rel)) continue;
    std::error_code ec;
    const fs::path file = root / rel;
    const std::uintmax_t bytes = fs::file_size(file, ec);
    const std::int64_t mtime =
        ec ? 0
           : std::chrono::duration_cast<std::chrono::nanoseconds>(fs::last_write_time(file, ec).time_since_epoch())
                 .count();
    AttachmentText& a = (*out)[rel];
    if (previous && !ec)
      if (auto it = previous->find(rel);
          it != previous->end() && it->second.bytes == bytes && it->second.mtime_ns == mtime) {
        a = it->second;
        ++kept;
        continue;
      }
    as_before = false;
    // Only a file inside the site, through links that stay in it: never
    // what a link out of it, a FIFO or a device leads to (loading reports
    // those, and the build stops).
    const SiteEntry e = tree.find(rel);
    if (e.kind != SiteEntry::Kind::file) {
      out->erase(rel);
      continue;
    }
    a.bytes = bytes;
    a.mtime_ns = ec ? 0 : mtime;  // never matched again when unknown
    todo.emplace_back(file, &a);
  }
  // What the disk cache does not hold is read: PDFs in worker processes
  // on all cores (pdf_workers.h), the others on threads here.
  std::vector<std::string> keys(todo.size());  // in the disk cache
  std::vector<char> cached(todo.size(), 0);
  parallel_for(todo.size(), jobs, [&](size_t i) {
    AttachmentText& a = *todo[i].second;
    if (cache.empty()) return;
    if (std::optional<std::string> bytes = read_whole_file(todo[i].first)) {
      keys[i] = a.cache_key = content_key(*bytes);
      if (std::optional<std::string> r = read_whole_file(cache / keys[i]); r && from_record(*r, &a)) {
        a.hash = std::hash<std::string>()(a.text);
        cached[i] = 1;
      }
    }
  });
  std::vector<size_t> pdfs, others;
  for (size_t i = 0; i < todo.size(); ++i)
    if (!cached[i]) (is_pdf(todo[i].first) ? pdfs : others).push_back(i);
  auto keep = [&](size_t i, std::optional<std::string> text) {
    AttachmentText& a = *todo[i].second;
    a.readable = text.has_value();
    if (text) a.text = std::move(*text);
    a.hash = std::hash<std::string>()(a.text);
    if (!keys[i].empty()) write_record(cache, keys[i], a);
  };
  std::vector<fs::path> pdf_paths;
  for (size_t i : pdfs) pdf_paths.push_back(todo[i].first);
  std::vector<PdfText> pdf_texts = read_pdfs(pdf_paths, jobs);
  parallel_for(pdfs.size(), jobs, [&](size_t k) {
    AttachmentText& a = *todo[pdfs[k]].second;
    a.pages = pdf_texts[k].pages;
    a.warning = std::move(pdf_texts[k].warning);
    keep(pdfs[k], std::move(pdf_texts[k].text));
  });
  parallel_for(others.size(), jobs, [&](size_t k) {
    const size_t i = others[k];
    AttachmentText& a = *todo[i].second;
    std::optional<std::string> text = index::attachment_text(todo[i].first, &a.warning, &a.pages);
    // The reason comes as "<file>: reason"; the message names the file already.
    if (const std::string prefix = todo[i].first.string() + ": "; a.warning.rfind(prefix, 0) == 0)
      a.warning.erase(0, prefix.size());
    keep(i, std::move(text));
  });
  if (!cache.empty()) {
    // The records of files no build names any more go; another build's
    // record being written is left.
    std::set<std::string> used;
    for (const auto& [rel, a] : *out) used.insert(a.cache_key);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(cache, ec)) {
      const std::string name = e.path().filename().string();
      if (!used.count(name) && name.find(".tmp-") == std::string::npos) fs::remove(e.path(), ec);
    }
  }
  for (const auto& [rel, a] : *out) {
    if (a.readable) continue;
    const Named& n = files.at(rel);
    diags.warning(n.version->source.path, n.ref->line,
                  "attachment \"" + n.ref->value + "\" not indexed: " + a.warning);
  }
  if (as_before && kept == previous->size()) return previous;
  return out;
}

}  // namespace sitegen
