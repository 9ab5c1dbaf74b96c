// Pages: which pages the site publishes and at which URLs (SITE-FORMAT §2),
// decided before anything is rendered so that links can be checked and a
// bad site rejected without touching the output.
#pragma once

#include <optional>
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

// Whether `rel`, a path relative to the output root (as output_path() gives
// it), stays inside the output and names one file: not empty, not absolute,
// no empty, "." or ".." segment, no backslash (a separator on some hosts) and
// no NUL. Every page plan_pages() returns passes it; a publisher can refuse
// any path that does not.
bool is_safe_output_path(std::string_view rel);

// The URL a page alias publishes its redirect at: percent-decoded, "." and
// ".." segments resolved, duplicate slashes and a final index.html dropped,
// "/old/path/" for a folder, "/old/page.html" for a name with an extension.
// nullopt, with the reason in *why ("leaves the site's root", ...), when it
// cannot be published.
std::optional<std::string> normalize_page_alias(std::string_view alias, std::string* why);

// Every page of the site, in a stable order, each at its own URL inside the
// output. `files` are the other files the build publishes (the sitemap, the
// feeds, the theme's static files, attachments), site-absolute like
// "/css/site.css". Reports (and leaves out) a page whose URL is not a safe
// path or is already another page's or a file's; page slugs that collide
// with the built-in sections; and page_aliases that are malformed, leave the
// root, or would replace a page (any kind, any language, the page itself), a
// published file or another alias.
std::vector<PlannedPage> plan_pages(const Site& site, const std::set<std::string>& files,
                                    Diagnostics& diags);

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
