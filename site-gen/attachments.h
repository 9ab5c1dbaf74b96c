// The attachments' text, read once for a build after the content is loaded:
// the documents are tagged with it (resolve.h: a PDF-only report is on the
// pages of the States it names), it is indexed (search_entries.h), and a
// document page shows each file's size and pages.
#pragma once

#include <filesystem>
#include <memory>

#include "site-gen/diagnostic.h"
#include "site-gen/model.h"

namespace sitegen {

// The text of every attachment that `content`'s documents name, read on
// `jobs` threads: only those that loading found usable (content.attachments:
// a link out of the site, a missing file or a FIFO is never opened, and
// resolve_site() reports it). A file that `previous` read with the same size and
// modification time is not read again; when that is every file, the result
// is `previous` itself. An unreadable file (encrypted, damaged) is a
// warning at the first files: line that names it, in every build; the
// build goes on. With a `cache` folder, what extraction gives is kept there
// by the file's content (a hash of its bytes), so that the next build, in
// another process, reads an unchanged PDF's bytes but does not parse it.
std::shared_ptr<const AttachmentTexts> read_attachments(
    const Content& content, const std::filesystem::path& root, int jobs, Diagnostics& diags,
    std::shared_ptr<const AttachmentTexts> previous = nullptr,
    const std::filesystem::path& cache = {});

}  // namespace sitegen
