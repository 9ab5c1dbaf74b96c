// An entry of the search index: one language version of one page, as the
// site build hands it over (the index knows nothing of the site model).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sitegen::index {

struct Entry {
  std::string url;     // unique id of the entry: "/fr/documents/aplc-msp-22-2025-wp-3/"
  std::string kind;    // document | state | meeting | topic | page
  std::string lang;    // language of the page (its tree), e.g. "fr"
  std::string text_lang;  // language of the text (differs on a fallback page)
  std::string title;
  std::string symbol;  // documents only; all language versions share it
  std::string date;    // YYYY-MM-DD or empty
  std::string type;    // document type, documents only
  std::string meeting; // meeting id (documents and meetings)
  std::vector<std::string> countries;  // ISO codes (document tags; a State page: its own)
  std::vector<std::string> topics;     // topic ids
  std::string text;    // body text, plain; an attachment page's: that page's text
  // Words searched but never quoted in a snippet (a topic's keywords).
  std::string attachment_text;
  // An attachment's page is an entry of its own, beside its document's
  // (url: the document page's), so that a hit in a PDF is shown with
  // that page's text and links to it: `file` is the attachment's name,
  // which is its URL relative to the document page, and `file_page` the
  // page, from 1 (0: a file without pages, DOCX).
  std::string file;
  int file_page = 0;
  // Collapses the language versions of one thing into one result: the
  // symbol for documents, else the page path without its language.
  std::string group;
  // The languages this group exists in (for "languages" in results).
  std::vector<std::string> languages;
};

// The entry's unique id in the index: its url; an attachment page's, the
// link to that page ("/en/documents/x/x.pdf#page=3").
std::string entry_id(const Entry& e);

// A stable hash of everything indexed from an entry, so a rebuild re-indexes
// only entries whose hash changed.
uint64_t entry_hash(const Entry& e);

}  // namespace sitegen::index
