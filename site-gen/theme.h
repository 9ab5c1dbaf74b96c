// Theme: the layouts, UI strings and static files a site is rendered with.
// Layouts are looked up in the site's layouts/ first, then in the theme's
// (site themes/<name>/, then the themes installed with the tool). Partials
// are inlined when the theme is loaded and every layout is parsed once.
// A loaded Theme is read-only; renderer threads each borrow a copy of the
// parsed layouts (kainjow's render() is not const).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "site-gen/diagnostic.h"
#include "site-gen/model.h"

namespace sitegen {

using Mustache = kainjow::mustache::mustache;
using Data = kainjow::mustache::data;
using Layouts = std::map<std::string, Mustache>;  // by layout name

// Copies of a theme's layouts, lent to one thread at a time and kept for the
// next: the rebuild after an edit renders a handful of pages, and copying
// every layout for each of its threads cost more than rendering them.
// Thread-safe.
class LayoutPool {
 public:
  class Lease {
   public:
    Lease(LayoutPool* pool, std::unique_ptr<Layouts> copy)
        : pool_(pool), copy_(std::move(copy)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Layouts& operator*() { return *copy_; }

   private:
    LayoutPool* pool_;
    std::unique_ptr<Layouts> copy_;
  };

  // A spare copy, else a new copy of `layouts` (always the same layouts:
  // the theme's own).
  Lease take(const Layouts& layouts);

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Layouts>> spare_;
};

struct Theme {
  std::filesystem::path dir;                     // the theme folder used
  Layouts layouts;
  // Each layout's text with its partials inlined (site-gen/search_template.cc
  // makes the service's results page from the search layout's).
  std::map<std::string, std::string> sources;
  PerLang<std::map<std::string, std::string>> strings;  // i18n/<lang>.yaml
  std::vector<std::filesystem::path> static_roots;      // theme static/, then site static/

  bool has_layout(const std::string& name) const { return layouts.count(name) > 0; }
  // The UI string `key` in `lang`, else in English, else the key itself.
  const std::string& string(const std::string& lang, const std::string& key) const;
  // A copy of the layouts for the calling thread until the lease ends.
  LayoutPool::Lease borrow_layouts() const;

  std::shared_ptr<LayoutPool> pool = std::make_shared<LayoutPool>();
};

// The folders a theme called `name` is looked for in, in order: the site's
// themes/, $SITE_GEN_THEMES, beside the executable (../share/site-gen/themes),
// the installed data dir and the source tree the tool was built from.
std::vector<std::filesystem::path> theme_search_path(const std::filesystem::path& site_root,
                                                     const std::string& name);

// Loads the theme named in the site config. Missing layouts, unparsable
// templates or i18n files are diagnostics.
std::optional<Theme> load_theme(const std::filesystem::path& site_root, const SiteConfig& config,
                                Diagnostics& diags);

// Replaces each {{> name}} with the partial's text, recursively (8 deep).
std::string inline_partials(const std::string& text,
                            const std::map<std::string, std::string>& partials,
                            const std::string& path, Diagnostics& diags, int depth = 0);

// The layouts every theme must have.
const std::vector<std::string>& required_layouts();

}  // namespace sitegen
