// Affected pages: after an edit, which pages depend on what changed between
// the previous site and the new one — a document's pages in every language,
// its meeting, the States and topics that list it (before and after the
// edit), the home pages and feeds; a State's own pages and the membership
// list. Anything harder to bound (names, meetings, navigation, aliases,
// the theme) means every page. Pure function; thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "site-gen/pages.h"
#include "site-gen/resolve.h"

namespace sitegen {

// True when every changed file (absolute or relative to site_root) is
// inside site_root/folder.
bool only_under(const std::filesystem::path& site_root,
                const std::vector<std::filesystem::path>& changed, const char* folder);

// The URLs to render again, or nullopt for all. `changed` are the edited
// files (absolute or relative to site_root); an edit outside content/ means
// all. `reloaded`: when reload_documents() made the content, the documents
// it parsed again; the others are the previous site's very objects, with
// their facts lent by resolve_site(), and are not compared.
std::optional<std::set<std::string>> affected_urls(const Site& before, const Site& after,
                                                   const std::filesystem::path& site_root,
                                                   const std::vector<std::filesystem::path>& changed,
                                                   const std::vector<int>* reloaded = nullptr);

}  // namespace sitegen
