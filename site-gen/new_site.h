// New site: what `site-gen new DIR` writes, a minimal site in the six UN
// languages that builds without a warning (site.yaml, one State, one
// meeting with one document in two languages, a topic, the home page's
// text), so that a new author starts from something that works and
// changes it.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sitegen {

// The new site's files: a path relative to the site folder, and its text.
const std::vector<std::pair<std::string, std::string>>& new_site_files();

// Writes new_site_files() into `dir`, which must not exist or be an empty
// folder (its parents are made; an existing folder is kept, with its owner
// and permissions). The files are written into a staging folder and renamed
// into place, so a failure leaves nothing behind; then false, with `*error`
// saying why ("DIR: not empty; ...").
bool write_new_site(const std::filesystem::path& dir, std::string* error);

}  // namespace sitegen
