// Which files may be published beside a document (SITE-FORMAT §2): passive
// types only, decided by the name and by the bytes. A file that a browser
// would run (HTML, SVG, XML with an XHTML script, ...) is served from the
// site's own origin, so one such attachment is a stored XSS.
// Thread-safe: each thread keeps its own libmagic handle.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sitegen {

// The accepted types, for messages: "PDF, office documents (...), ...".
std::string_view accepted_attachment_types();

// Why `name` (as written in files:) cannot be published, judged by its
// extension alone (case-insensitive); nullopt when the extension is on the
// allow-list.
std::optional<std::string> attachment_name_problem(std::string_view name);

// Why a file called `name` whose first bytes are `head` cannot be published:
// the extension must be on the allow-list and libmagic must find content of
// that type (a .pdf that is HTML is refused). nullopt when it may be.
std::optional<std::string> attachment_type_problem(std::string_view name, std::string_view head);

// The same for a file on disk (read without following it out of anything:
// the caller has resolved it); a file that cannot be read is a problem too.
std::optional<std::string> attachment_file_problem(const std::filesystem::path& file,
                                                   std::string_view name);

// How many bytes of a file the content check looks at.
// libmagic finds every accepted type in far fewer (a tar's header ends at
// 512, Office's zip members are named near the start), and its text checks
// cost time in proportion.
inline constexpr size_t kAttachmentSniffBytes = 16 * 1024;

}  // namespace sitegen
