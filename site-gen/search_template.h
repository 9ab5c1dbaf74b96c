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
// Thread-safe once loaded.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/build.h"
#include "site-gen/part_renderer.h"
#include "site-gen/theme.h"

namespace sitegen {

class FormatShapes;

// The keys a search fills in the layout.
const std::vector<std::string>& search_keys();

// Where the search page of `lang` lies in a published tree.
std::string search_template_path(const std::string& lang);

// The file of `lang`'s search page. "" and *error on a template error.
std::string make_search_template(const BuiltSite& site, const std::string& lang,
                                 std::string* error);

class SearchTemplate {
 public:
  // How much of the file a reader needs. eager: everything, its parts
  // compiled now (a server: a damaged part is an error at opening, and no
  // request compiles one). lazy: a part is compiled when a render first
  // shows it (a CGI request renders once, and most answers show a few of
  // the parts). languages: only the languages (a CGI request of the JSON);
  // such a template renders nothing.
  enum class Reading { eager, lazy, languages };

  // Reads the file written by make_search_template(); nullopt and *error
  // when it is missing or damaged.
  static std::optional<SearchTemplate> load(const std::filesystem::path& tree,
                                            const std::string& lang, std::string* error,
                                            Reading reading = Reading::eager);
  static std::optional<SearchTemplate> parse(std::string bytes, std::string* error,
                                             Reading reading = Reading::eager);

  const std::string& lang() const { return lang_; }
  const std::string& default_language() const { return default_lang_; }
  const std::vector<std::string>& languages() const { return languages_; }
  // site.yaml's base_url ("/" when the site did not say where it lives).
  const std::string& base_url() const { return base_url_; }
  // The UI string `key` (English when the language has none), else the key.
  std::string string(std::string_view key) const;
  // The label of a facet value in this language (a State's name, a topic's).
  std::string label(const std::string& facet, const std::string& value) const;
  // A language's name in itself ("français").
  std::string autonym(const std::string& lang) const;
  // A count and a day as this language writes them (locale.h's
  // format_number and format_date), without ICU where the build could
  // say how (site-gen/format_shapes.h).
  std::string number(unsigned long long n) const;
  std::string date(const Date& d) const;

  // The page with `search` (the search's data, as serve/search_page.h
  // makes it) in its parts. "" and *error on a template error.
  std::string render(const Data& search, std::string* error) const;
  // The same, with values of `more` (its root's keys) above `search`'s.
  std::string render(const Data& search, const FlatData* more, std::string* error) const;

 private:
  // A template part, compiled once: by our renderer (part_renderer.h)
  // where it can, else by kainjow, rendered under its lock or as a copy
  // when another thread holds it (rendering may set its error).
  struct Compiled {
    std::once_flag once, own_once;
    std::mutex lock;
    std::optional<Mustache> mustache;
    std::optional<PartRenderer> own;
    Mustache& get(std::string_view text);
    const PartRenderer* get_own(std::string_view text);
  };
  struct Part {
    bool literal = true;
    std::string_view text;  // HTML, or a mustache template (in bytes_)
    // The search key of a section ({{#key}} or {{^key}}), "" otherwise: a
    // section that will show nothing is neither compiled nor rendered.
    std::string key;
    bool inverted = false;
    std::shared_ptr<Compiled> compiled;  // of a template
  };
  std::string lang_, default_lang_, base_url_;
  std::vector<std::string> languages_;
  // The file, which the records below are views of: a CGI request reads
  // it once, and a record copied out of it (~480 of them) cost a fifth of
  // quest's whole run.
  std::shared_ptr<const std::string> bytes_;
  // Name and value, sorted by name (stable: of equal names the last one
  // counts, as the last one of a map's inserts would).
  using Records = std::vector<std::pair<std::string_view, std::string_view>>;
  Records strings_;  // UI strings
  Records page_;     // lang, dir, title...
  Records labels_;   // "facet\tvalue" and the value's label
  static const std::string_view* find(const Records& records, std::string_view name);
  std::vector<Part> parts_;
  // What every part sees under the search's data: page_ and t (strings_).
  // The page's own values (its strings, its page values), made once per
  // template: as flat data for our renderer, as kainjow's data only if a
  // part needs kainjow.
  struct Base {
    std::once_flag once, data_once;
    FlatData flat;
    Data data;
    const FlatData& get(const SearchTemplate& t);
    const Data& get_data(const SearchTemplate& t);
  };
  std::shared_ptr<Base> base_ = std::make_shared<Base>();
  std::shared_ptr<const FormatShapes> shapes_;  // null: through ICU
};

}  // namespace sitegen
