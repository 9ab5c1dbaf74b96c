// Fallback: which text a page shows in a language that has none of its own
// (SITE-FORMAT §2: the original, else the default language). Used by the
// renderer and by the search entries, so a page and its index entry agree.
#pragma once

#include <optional>
#include <string>

#include "site-gen/model.h"
#include "site-gen/pages.h"

namespace sitegen {

// The version shown for `lang`: its own, else the original's, else the
// default language's, else the first that exists (nullptr if none).
const DocumentVersion* shown_version(const Document& d, const std::string& lang,
                                     const std::string& default_lang);

// Prose in `lang`, else in the default language, else any.
const Prose* shown_prose(const PerLang<Prose>& versions, const std::string& lang,
                         const std::string& default_lang);

// A per-language text in `lang`, else the default language's, else any ("" if none).
std::string text_in(const PerLang<std::string>& texts, const std::string& lang,
                    const std::string& default_lang);

// Whether the page in `lang`'s tree is a translation of its own: its main
// text is in `lang`. A document or general page without a version in `lang`
// is not (it shows another language's text); every other page is, as its
// facts, lists and UI are in `lang` even when a part of it (a State's or
// the home page's prose) is another language's. Only such pages are
// declared as translations (hreflang, the sitemap).
bool is_translation(const Site& site, const PlannedPage& page, const std::string& lang);

// The language of the text the page shows in `lang`'s tree: `lang` for a
// translation, else the fallback's (SITE-FORMAT §2).
std::string text_language(const Site& site, const PlannedPage& page, const std::string& lang);

// The languages whose prose (the part of a page that may be missing: a
// document's or page's text, a State's or the home page's prose) exists,
// in the site's order; empty for pages without prose.
std::vector<std::string> prose_languages(const Site& site, const PlannedPage& page);

// A page's hreflang alternates: each translation's URL, then "x-default"
// with the default language's, or, when that version is a fallback, the
// version of the language it shows. Empty for pages without translations
// (404 pages, the chooser, aliases).
struct Alternate {
  std::string hreflang;
  std::string url;  // site-absolute path
};
std::vector<Alternate> hreflang_alternates(const Site& site, const PlannedPage& page);

// The day a page's content last changed, from the content's own dates, so
// that the same input gives the same sitemap (a file's mtime is the day of
// its checkout or copy): a document's date; for a meeting or a topic the
// newest of its documents' dates; for a State the newest of its documents'
// dates and its own dates up to the build date (its status changes on
// them). nullopt for the other pages (lists, general pages, home), which
// have no such date: a wrong lastmod is worse than none.
std::optional<Date> last_modified(const Site& site, const PlannedPage& page);

}  // namespace sitegen
