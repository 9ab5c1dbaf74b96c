// Search entries: what the build hands to the index — one entry per
// language version of every document, State, meeting, topic and general
// page, with its filters (States, topics, meeting, type, year) and its text,
// attachments included (their text read before: site-gen/attachments.h).
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "index/entry.h"
#include "site-gen/diagnostic.h"
#include "site-gen/pages.h"
#include "site-gen/resolve.h"

namespace sitegen {

// With `only`, just the entries of those pages (a rebuild after an edit).
std::vector<index::Entry> search_entries(const Site& site,
                                         const std::vector<const PlannedPage*>* only = nullptr);

}  // namespace sitegen
