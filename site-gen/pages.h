// Pages: which pages the site publishes and at which URLs (SITE-FORMAT §2),
// decided before anything is rendered so that links can be checked and a
// bad site rejected without touching the output.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "site-gen/diagnostic.h"
#include "site-gen/resolve.h"

namespace sitegen {

enum class PageKind {
  home, membership, country, meetings, meeting, document, topics, topic, page, search,
  not_found, chooser, alias
};

// The layout a kind is rendered with ("home", "404", ...).
const char* layout_name(PageKind kind);

struct PlannedPage {
  PageKind kind;
  std::string lang;    // empty for the language chooser and the root 404
  int item = -1;       // index into the Content vector of that kind
  std::string url;     // "/fr/membership/angola/"; files end without '/'
  std::string target;  // alias pages: where they redirect to
};

// URLs of the pages of one kind in one language.
std::string home_url(const std::string& lang);
std::string country_url(const Site& site, const std::string& lang, int i);
std::string meeting_url(const Site& site, const std::string& lang, int i);
std::string document_url(const Site& site, const std::string& lang, int i);
std::string topic_url(const Site& site, const std::string& lang, int i);
std::string page_url(const Site& site, const std::string& lang, int i);
// The URL of the same page in another language (aliases: their target).
std::string url_in(const Site& site, const PlannedPage& page, const std::string& lang);

// The file a URL is written to, relative to the output root.
std::string output_path(const std::string& url);

// Every page of the site, in a stable order. Reports page_aliases that are
// malformed or collide with a page, and page slugs that collide with the
// built-in sections.
std::vector<PlannedPage> plan_pages(const Site& site, Diagnostics& diags);

// The planned pages, each also found by its URL: a rebuild after an edit
// renders and indexes a few pages named by URL, and finding them must not
// walk every page. Not copyable (the index points into the pages).
class Plan {
 public:
  explicit Plan(std::vector<PlannedPage> pages);
  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;

  const std::vector<PlannedPage>& pages() const { return pages_; }
  // The page published at `url`, or nullptr.
  const PlannedPage* find(std::string_view url) const;

 private:
  std::vector<PlannedPage> pages_;
  std::unordered_map<std::string_view, size_t> by_url_;
};

// Reports each internal link in a body that leads to no published page or
// file. `published` holds every URL and file path the build writes
// (pages with their trailing '/', files such as /css/site.css).
void check_links(const Site& site, const std::set<std::string>& published, Diagnostics& diags);
// The same for the given documents only.
void check_document_links(const Site& site, const std::set<std::string>& published,
                          const std::vector<int>& documents, Diagnostics& diags);

}  // namespace sitegen
