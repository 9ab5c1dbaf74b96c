// The search results page of one language, as the build publishes it for
// the servers that answer searches (`site-gen serve` and `search-server`):
// the theme's search layout rendered with everything the site gives it
// (header, navigation, strings), its search parts (query, total, results,
// facets, pages, suggestion, error) left as small mustache templates, and
// the labels of the facet values. A server fills those parts with a search's
// results; it needs neither the site's content nor its theme.
//
// Written into the published tree at `.site-gen/search/<lang>` (a hidden
// folder: never served), so that it is published with the pages and the
// index of its generation.
//
// Within a search part the theme sees the search's own data over a few of
// the page's values: t (the UI strings), lang, dir, site_title, home_url,
// search_url, title and url. An inverted section of a search key
// ({{^results}}) is a search part too.
// Thread-safe once loaded: render() compiles its parts for each call.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "site-gen/build.h"
#include "site-gen/theme.h"

namespace sitegen {

// The keys a search fills in the layout.
const std::vector<std::string>& search_keys();

// Where the search page of `lang` lies in a published tree.
std::string search_template_path(const std::string& lang);

// The file of `lang`'s search page. "" and *error on a template error.
std::string make_search_template(const BuiltSite& site, const std::string& lang,
                                 std::string* error);

class SearchTemplate {
 public:
  // Reads the file written by make_search_template(); nullopt and *error
  // when it is missing or damaged.
  static std::optional<SearchTemplate> load(const std::filesystem::path& tree,
                                            const std::string& lang, std::string* error);
  static std::optional<SearchTemplate> parse(const std::string& bytes, std::string* error);

  const std::string& lang() const { return lang_; }
  const std::string& default_language() const { return default_lang_; }
  const std::vector<std::string>& languages() const { return languages_; }
  // The UI string `key` (English when the language has none), else the key.
  const std::string& string(const std::string& key) const;
  // The label of a facet value in this language (a State's name, a topic's).
  std::string label(const std::string& facet, const std::string& value) const;

  // The page with `search` (the search's data, as serve/search_page.h
  // makes it) in its parts. "" and *error on a template error.
  std::string render(const Data& search, std::string* error) const;

 private:
  struct Part {
    bool literal = true;
    std::string text;  // HTML, or a mustache template
  };
  std::string lang_, default_lang_;
  std::vector<std::string> languages_;
  std::map<std::string, std::string> strings_;  // UI strings
  std::map<std::string, std::string> page_;     // lang, dir, title...
  std::map<std::string, std::map<std::string, std::string>> labels_;
  std::vector<Part> parts_;
};

}  // namespace sitegen
