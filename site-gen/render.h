// Render: turns planned pages into HTML with the theme's layouts, and writes
// the Atom feeds and the sitemap. The template data of each page follows
// docs/templates.md. Data shared by many pages (UI strings, document
// summaries) is built once per language when the Renderer is made.
// Thread-safe: render() may run on many threads, each with its own Layouts.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "site-gen/pages.h"
#include "site-gen/resolve.h"
#include "site-gen/theme.h"

namespace sitegen {

class Renderer {
 public:
  // `previous` (the renderer of the last build, still alive) lends what
  // depends only on the theme, the day and the States when those are the same.
  Renderer(const Site& site, const Theme& theme, const Renderer* previous = nullptr);
  ~Renderer();

  // The HTML of one page. `layouts` is the calling thread's copy of the
  // theme's layouts. On a template error returns "" and sets *error.
  std::string render(const PlannedPage& page, Layouts& layouts, std::string* error) const;
  // The same with more data over the page's own (the server's search results).
  std::string render(const PlannedPage& page, Layouts& layouts, const Data& extra,
                     std::string* error) const;

  // The Atom feed of the newest documents in a language.
  std::string feed(const std::string& lang) const;
  // The sitemap of all pages with their hreflang alternates.
  // Only translations are listed (a fallback page is none), each with its
  // last modification date where the content gives one (last_modified()).
  std::string sitemap(const std::vector<PlannedPage>& pages) const;
  // /robots.txt: every crawler allowed, and where the sitemap is when
  // base_url is a full URL.
  std::string robots_txt() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Escapes text for XML/HTML attribute values and text nodes.
std::string xml_escape(std::string_view text);

}  // namespace sitegen
