// The query side of the index, shared by `site-gen search` and the server's
// /api/search: parses a query in its language, filters, counts facets,
// collapses language versions, makes snippets, suggests spellings, and
// renders the answer as the JSON object of SITE-FORMAT §3 / issue "Search".
// A Searcher is safe to use from several threads (each search opens its own
// Xapian::Database handle or takes one from a pool); reopen() picks up a
// newly committed index. Facets are counted from a table of every
// document's facets, read once per opening (index/facet_table.h), or from
// each search's own matches.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sitegen::index {

// Every field is part of the key of the server's answer cache
// (serve/response_cache.cc): a new field goes there too.
struct SearchRequest {
  std::string query;
  std::string lang;      // the asker's language; with `lang_only`, a filter
  bool lang_only = false;  // --lang given: that language's versions only
  // The language the query is read in (normalisation, stemming, spelling)
  // when it is not `lang`: a results page in one language filtered to
  // another (/en/search/?q=mines&lang=es reads "mines" as English, as the
  // page without the filter did, so a Languages facet's count is what its
  // link finds). Empty: `lang`.
  std::string query_lang;
  std::string country, topic, meeting, type, year;  // filters, may be empty
  std::string from, to;  // YYYY-MM-DD (or YYYY, YYYY-MM), inclusive
  std::string sort = "relevance";  // relevance | date
  int page = 1;          // 1-based
  int page_size = 10;    // capped at 50
  // The words as typed, never corrected (a "search instead for" link): a
  // query with unknown words and few results is otherwise searched with
  // its typos corrected (index/spelling.h).
  bool exact = false;
  // How many fallback tiers (relaxed, other languages: docs/search-answers.md)
  // may follow the query as asked: -1 as the counts decide; N >= 0 at most
  // N, without correcting typos. An answer's links ask for what it ran
  // (SearchResponse::fallbacks), so that a narrower answer, which finds
  // fewer, is completed no further than the count its facet link showed.
  int fallbacks = -1;
};

struct SearchResult {
  std::string url, title, symbol, lang, date, kind;
  std::string snippet;  // HTML: escaped text with <mark> around matches
  std::vector<std::string> languages;
  // A hit in an attachment: the snippet is from its page `file_page` (0: a
  // file without pages), which file_url links to ("x.pdf#page=3").
  std::string file, file_url;
  int file_page = 0;
};

struct SearchResponse {
  std::string query;
  size_t total = 0;  // distinct results (after collapsing)
  int page = 1;
  std::vector<SearchResult> results;
  // facet -> value -> distinct documents; facets: country, topic, meeting,
  // type, year, lang.
  std::map<std::string, std::map<std::string, size_t>> facets;
  // The query searched instead of `query` when its typos were corrected
  // (the results, total and facets are this one's); "" when `query` was.
  std::string corrected;
  // A correction offered, not searched ("did you mean"): the query found
  // enough as typed. "" when none.
  std::string suggestion;
  std::string error;       // set when the index cannot be opened
  // Fallbacks when the query as asked finds few results (index/search.cc,
  // kFewResults): they come after those, in this order, each counted in
  // total and facets. relaxed: documents with only some of the words;
  // other_languages: with a language filter (lang_only), documents of the
  // other languages, shown in that language where a version exists.
  // exact_total: the results first in the list that have every word
  // (meaningful when relaxed).
  bool relaxed = false;
  bool other_languages = false;
  size_t exact_total = 0;
  // The fallback tiers run (found something or not), for the links to ask.
  int fallbacks = 0;
};

// How a Searcher counts facets. table: every document's facets are read
// into a table on another thread as soon as the index is opened, and
// searches use it once it is there (a server: the table makes broad
// searches faster, and no search waits for it). per_search: each search
// decodes the facets of its own matches (a single search, for which reading
// every document's would cost more).
enum class Facets { table, per_search };

class Searcher {
 public:
  // Folder::real: index_dir is the real folder already, no link to follow
  // (a SearchSite's caller resolves a generation's tree and index together).
  enum class Folder { resolve, real };
  explicit Searcher(const std::filesystem::path& index_dir, Facets facets = Facets::table,
                    Folder folder = Folder::resolve);
  ~Searcher();
  bool ok() const;
  const std::string& error() const;
  void reopen();

  SearchResponse search(const SearchRequest& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// {"query", "total", "page", "results": [...], "facets": {...}, "corrected",
//  "suggestion", "relaxed", "exact_total", "other_languages"}
std::string to_json(const SearchResponse& response);
// A readable listing for the terminal.
std::string to_text(const SearchResponse& response);

}  // namespace sitegen::index
