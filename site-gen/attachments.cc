// Attachments' text: see attachments.h.
#include "site-gen/attachments.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "index/attachment_text.h"
#include "site-gen/files.h"
#include "site-gen/parallel.h"

namespace sitegen {
namespace fs = std::filesystem;

std::shared_ptr<const AttachmentTexts> read_attachments(const Content& content, const fs::path& root,
                                                        int jobs, Diagnostics& diags,
                                                        std::shared_ptr<const AttachmentTexts> previous) {
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
  std::vector<std::pair<fs::path, AttachmentText*>> todo;  // the real file
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
    todo.emplace_back(e.resolved, &a);
  }
  parallel_for(todo.size(), jobs, [&](size_t i) {
    AttachmentText& a = *todo[i].second;
    std::optional<std::string> text = index::attachment_text(todo[i].first, &a.warning, &a.pages);
    a.readable = text.has_value();
    // The reason comes as "<file>: reason"; the message names the file already.
    if (const std::string prefix = todo[i].first.string() + ": "; a.warning.rfind(prefix, 0) == 0)
      a.warning.erase(0, prefix.size());
    if (text) a.text = std::move(*text);
    // A PDF of images only (a scanned report) has no text to tag or search:
    // said as an unreadable one is.
    std::string ext = todo[i].first.extension().string();
    for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (a.readable && ext == ".pdf" &&
        std::all_of(a.text.begin(), a.text.end(), [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); })) {
      a.readable = false;
      a.warning = "it has no text (a scan without a text layer?)";
    }
    a.hash = std::hash<std::string>()(a.text);
  });
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
