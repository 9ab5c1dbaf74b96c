// Build: the whole pipeline of `site-gen build` and `site-gen check`:
// load content, resolve references, plan pages and check links, render,
// publish atomically. Nothing is written unless the content is free of errors.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "site-gen/date.h"
#include "site-gen/diagnostic.h"
#include "site-gen/parallel.h"

namespace sitegen {

struct BuildOptions {
  std::filesystem::path site = ".";  // the site folder (holds site.yaml)
  std::filesystem::path out;          // default: <site>/public
  std::optional<Date> as_of;          // default: today (UTC)
  int jobs = default_jobs();          // renderer threads
  bool write = true;                  // false: `check` validates only
};

struct BuildReport {
  Diagnostics diags;
  size_t pages = 0;        // HTML pages written
  size_t files = 0;        // every file written (pages, feeds, static, attachments)
  double seconds = 0;
  std::vector<std::pair<std::string, double>> stages;  // name, seconds: for --verbose
  bool ok() const { return !diags.has_errors(); }
};

BuildReport build_site(const BuildOptions& options);

}  // namespace sitegen
