// Load: reads a site folder (SITE-FORMAT §1) into the Content model. Every
// problem that can be seen in one file, or across files of one kind, is
// reported as a Diagnostic (path:line: message) and loading goes on, so one
// run reports them all. References between files (countries, topics,
// meetings, links) are checked later by the resolver.
// Not thread-safe across calls sharing a Diagnostics.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/diagnostic.h"
#include "site-gen/model.h"

namespace sitegen {

// Document files parsed by an earlier load_site(), kept for the next one (the
// preview server loads the site after every edit): a file whose size,
// modification time and inode are unchanged is not read or parsed again.
// Thread-safe.
class LoadCache {
 public:
  LoadCache();
  ~LoadCache();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

// Reads site.yaml and everything under content/. Paths in diagnostics and in
// Source are relative to site_root (e.g. "content/countries/angola.yaml").
Content load_site(const std::filesystem::path& site_root, Diagnostics& diags,
                  LoadCache* cache = nullptr);

// After an edit of document text files only: `previous` with those
// documents parsed again (the rest as they were). nullopt when the change is
// more than that (a file added or removed, anything but a document's
// language version, a new symbol, an invalid file): load_site() then reads
// everything and reports what is wrong. A few milliseconds where
// load_site() takes 200 on 3,000 documents, even from the cache: the
// preview server's answer to one edit.
// The pages and files published stay the same: a document whose attachments
// or page aliases changed is left to load_site() too.
struct Reloaded {
  Content content;
  std::vector<int> documents;  // indices of the documents parsed again
};
std::optional<Reloaded> reload_documents(const std::filesystem::path& site_root,
                                         const Content& previous,
                                         const std::vector<std::filesystem::path>& changed,
                                         LoadCache& cache, Diagnostics& diags);

// Entry points over strings, for tests; `path` is used in diagnostics.
std::optional<SiteConfig> parse_site_config(std::string_view yaml, const std::string& path,
                                            Diagnostics& diags);
std::optional<Country> parse_country(std::string_view yaml, const std::string& slug,
                                     const std::string& path, Diagnostics& diags);
std::optional<Meeting> parse_meeting(std::string_view yaml, const std::string& id,
                                     const std::string& path, Diagnostics& diags);
// Whether an id can be one segment of a URL and of a path under the output:
// lower-case ASCII letters, digits and hyphens, not starting with a hyphen
// (never empty, ".", ".." or "a/b"). Topic ids, meeting folders, country
// and page file names must be such; content/ and bench/make-corpus use only
// these.
bool is_url_segment(std::string_view id);

// The URL slug of a document symbol: lower case, each run of characters
// other than ASCII letters and digits becomes one '-', none at either end
// (APLC/MSP.22/2025/WP.3 -> aplc-msp-22-2025-wp-3).
std::string symbol_slug(std::string_view symbol);

std::vector<Topic> parse_topics(std::string_view yaml, const std::string& path,
                                Diagnostics& diags);

}  // namespace sitegen
