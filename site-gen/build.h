// Build: the whole pipeline of `site-gen build` and `site-gen check`:
// load content, resolve references, plan pages and check links, render,
// publish atomically. Nothing is written unless the content is free of errors.
#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "site-gen/date.h"
#include "site-gen/diagnostic.h"
#include "site-gen/load.h"
#include "site-gen/pages.h"
#include "site-gen/parallel.h"
#include "site-gen/render.h"
#include "site-gen/resolve.h"
#include "site-gen/theme.h"

namespace sitegen {

struct BuildOptions {
  std::filesystem::path site = ".";  // the site folder (holds site.yaml)
  std::filesystem::path out;          // default: <site>/public
  std::filesystem::path index;        // default: the output folder's name + "-index", beside it
  bool write_index = true;            // false: pages only
  bool shard_index = false;           // one Xapian database per language, searched as one
  std::optional<Date> as_of;          // default: today (UTC)
  int jobs = default_jobs();          // renderer threads
  bool write = true;                  // false: `check` validates only
  LoadCache* cache = nullptr;         // parsed files kept between builds (serve)
  // `site-gen build`: keeps a build state beside the output (build_state.h)
  // and publishes nothing when nothing changed since the build it
  // describes. clean (--clean): builds in full all the same.
  bool incremental = false;
  bool clean = false;
};

// What a successful build was made from, kept by the preview server to
// render search pages with the same site, theme and renderer.
struct BuiltSite {
  std::unique_ptr<Site> site;
  // Shared with the next build when an edit leaves it as it is, with the
  // warnings it was loaded with (repeated by each build).
  std::shared_ptr<const Theme> theme;
  Diagnostics theme_warnings;
  std::unique_ptr<Renderer> renderer;  // refers to *site and *theme
  // Shared with the next build when an edit leaves the pages as they are.
  std::shared_ptr<const Plan> plan;
  std::shared_ptr<const std::set<std::string>> published;  // every URL and file written
};

struct BuildReport {
  Diagnostics diags;
  size_t pages = 0;        // HTML pages written
  size_t files = 0;        // every file written (pages, feeds, static, attachments)
  // The site's: pages and files published, written by this build or not
  // (after an edit, `pages` are those rendered again).
  size_t site_pages = 0, site_files = 0;
  size_t indexed = 0, index_unchanged = 0, index_deleted = 0;  // search entries
  double seconds = 0;
  std::vector<std::pair<std::string, double>> stages;  // name, seconds: for --verbose
  double index_seconds = 0;  // the index's own time, which overlaps "render"
  // Nothing changed since the last build (incremental): nothing was
  // written; pages, files and the warnings are that build's.
  bool unchanged = false;
  // An incremental build made its generation of the one before the
  // published one (publish.h, PublishOptions::recycle).
  bool recycled = false;
  std::shared_ptr<const BuiltSite> model;  // set when the build succeeded
  bool ok() const { return !diags.has_errors(); }
};

BuildReport build_site(const BuildOptions& options);

// The preview server's build after an edit of the files `changed`: checks
// everything as build_site() does, then renders again only the pages that
// depend on what changed since `previous` (see affected.h), in place.
BuildReport rebuild_site(const BuildOptions& options, const BuiltSite& previous,
                         const std::vector<std::filesystem::path>& changed);

// Where the output and the index go when the options leave them empty.
std::filesystem::path output_dir(const BuildOptions& options);
std::filesystem::path index_dir(const BuildOptions& options);

}  // namespace sitegen
