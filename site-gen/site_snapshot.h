// Site snapshot: a resolved site written to bytes and read back, so that
// an incremental `site-gen build` in a new process starts from the site the
// last build published, as the preview server starts from the one it keeps
// in memory: it parses again only the files that changed and renders again
// only the pages that depend on them (build.h, affected.h). Everything of
// the content and of its facts is kept, the tagging matchers excepted (made
// again when needed). Thread-safe: no shared state.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "site-gen/resolve.h"

namespace sitegen {

std::string snapshot_site(const Site& site);
// nullptr when the bytes are not a whole snapshot of this version.
std::unique_ptr<Site> restore_site(std::string_view bytes);

}  // namespace sitegen
