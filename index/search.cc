// Reads the layout of docs/index-format.md (written by writer.cc; keep the
// prefixes, value slots and document data in step with it).
#include "index/search.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <pthread.h>
#include <sched.h>
#include <xapian.h>

#include <algorithm>
#include <optional>
#include <atomic>
#include <cctype>
#include <charconv>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "index/analyzer.h"
#include "index/facet_table.h"
#include "index/layout.h"
#include "index/han_words.h"
#include "index/query_words.h"
#include "index/snippet.h"
#include "index/spelling.h"
#include "index/text.h"
#include "site-gen/utf8.h"

namespace sitegen::index {
namespace {

using namespace layout;

constexpr int kMaxPageSize = 50;
constexpr int kMaxPage = 1000;
constexpr size_t kMaxQuery = 1000;
constexpr size_t kPoolSize = 8;
constexpr double kExactSymbolBoost = 1000.0;

std::string lower_ascii(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return r;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

bool has_cjk(std::string_view s) {
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c >= 0x2E80 && is_cjk(c)) return true;
  }
  return false;
}

// ---------------------------------------------------------------- escaping

void append_json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    if (int32_t run = plain_run(s, i, [](unsigned char b) {
          return b >= 0x20 && b < 0x7f && b != '"' && b != '\\' && b != '<' && b != '>' &&
                 b != '&';
        })) {
      out.append(s.data() + i, run);
      i += run;
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c >= 0x80 && c != 0x2028 && c != 0x2029) {
      out.append(s.data() + start, size_t(i - start));  // valid: as it is
      continue;
    }
    if (c < 0) c = 0xFFFD;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        // Controls, and what could end a <script> or start a comment when
        // the JSON is embedded in HTML.
        if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&' || c == 0x2028 ||
            c == 0x2029) {
          out += "\\u";
          for (int k = 12; k >= 0; k -= 4) out += hex[(c >> k) & 15];
        } else {
          append_utf8(out, c);
        }
    }
  }
  out += '"';
}

// ---------------------------------------------------------- document data

// Views into the document data it was decoded from, which must outlive it:
// the excerpts are kilobytes, and most are only scanned for the snippet.
struct DocData {
  std::string_view url, title, symbol, lang, date, kind, text_lang;
  std::vector<std::string> languages;
  std::string_view text, attachment;
  // An attachment page's (index/entry.h): the file, relative to url, and
  // its page (0: none).
  std::string_view file;
  int file_page = 0;
};

bool get_field(std::string_view data, size_t& pos, std::string_view& out) {
  uint64_t n = 0;
  int shift = 0;
  while (true) {
    if (pos >= data.size() || shift > 56) return false;
    unsigned char c = data[pos++];
    n |= uint64_t(c & 0x7f) << shift;
    if (!(c & 0x80)) break;
    shift += 7;
  }
  if (n > data.size() - pos) return false;
  out = data.substr(pos, n);
  pos += n;
  return true;
}

DocData decode(std::string_view data) {
  DocData d;
  if (data.empty() || data[0] != '1') return d;
  size_t pos = 1;
  std::string_view langs;
  for (std::string_view* f : {&d.url, &d.title, &d.symbol, &d.lang, &d.date, &d.kind, &d.text_lang,
                         &langs, &d.text, &d.attachment})
    if (!get_field(data, pos, *f)) break;
  std::string_view page;
  if (get_field(data, pos, d.file) && get_field(data, pos, page))
    std::from_chars(page.data(), page.data() + page.size(), d.file_page);
  size_t b = 0;
  while (b < langs.size()) {
    size_t e = langs.find(',', b);
    if (e == std::string::npos) e = langs.size();
    if (e > b) d.languages.emplace_back(langs.substr(b, e - b));
    b = e + 1;
  }
  return d;
}

std::string make_snippet(const DocData& d, const Highlight& hl) {
  const std::string lang(d.text_lang.empty() ? d.lang : d.text_lang);
  // A topic's attachment text is its keywords (site-gen/search_entries.cc):
  // searched, never shown.
  const std::string_view attachment = d.kind == "topic" ? std::string_view() : d.attachment;
  std::string s = snippet_of(d.text, hl, lang);
  if (s.empty()) s = snippet_of(attachment, hl, lang);
  if (s.empty()) s = leading_excerpt(d.text.empty() ? attachment : d.text);
  return s;
}

// ----------------------------------------------------------------- queries

// NEAR, ADJ, NEAR/n, ADJ/n.
bool is_proximity(std::string_view t) {
  for (std::string_view op : {"NEAR", "ADJ"}) {
    if (t.substr(0, op.size()) != op) continue;
    std::string_view rest = t.substr(op.size());
    if (rest.empty()) return true;
    if (rest[0] == '/' && rest.size() > 1 &&
        std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return true;
  }
  return false;
}

bool is_operator(std::string_view t) {
  return t == "AND" || t == "OR" || t == "NOT" || t == "XOR" || is_proximity(t);
}

std::string strip_punct(std::string_view t) {
  size_t b = 0, e = t.size();
  while (b < e && (t[b] == '(' || t[b] == '"' || t[b] == '+' || t[b] == '-')) ++b;
  while (e > b && (t[e - 1] == ')' || t[e - 1] == '"' || t[e - 1] == ',' || t[e - 1] == ';')) --e;
  return std::string(t.substr(b, e - b));
}

// Normalises word by word, keeping the query syntax's operators (which
// must stay upper case).
std::string normalize_query(std::string_view q, const std::string& lang) {
  std::string out;
  for (const auto& tok : split_ws(q)) {
    if (!out.empty()) out += ' ';
    if (is_operator(strip_punct(tok)))
      out += tok;
    else
      out += normalize_for_search(tok, lang);
  }
  return out;
}

// "APLC / MSP.22 / 2025" -> "APLC/MSP.22/2025".
std::string join_slashes(std::string_view q) {
  std::string out;
  for (size_t i = 0; i < q.size();) {
    if (is_space(q[i])) {
      size_t j = i;
      while (j < q.size() && is_space(q[j])) ++j;
      bool slash = (!out.empty() && out.back() == '/') || (j < q.size() && q[j] == '/');
      if (!slash && !out.empty() && j < q.size()) out += ' ';
      i = j;
    } else {
      out += q[i++];
    }
  }
  return out;
}

bool looks_like_symbol(std::string_view t) {
  if (t.empty() || t.size() > 200) return false;
  bool alnum = false, slash = false;
  for (char c : t) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u))
      alnum = true;
    else if (c == '/')
      slash = true;
    else if (c != '.' && c != '-' && c != '_' && c != '(' && c != ')')
      return false;
  }
  if (!alnum) return false;
  if (slash) return true;
  // Letters, a dot, digits: "MSP.22", "wp.3".
  size_t i = 0;
  while (i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) ++i;
  return i > 0 && i + 1 < t.size() && t[i] == '.' &&
         std::isdigit(static_cast<unsigned char>(t[i + 1]));
}

std::string symbol_key(std::string_view t) {
  std::string k = upper_ascii(t);
  size_t b = 0, e = k.size();
  while (b < e && (k[b] == '/' || k[b] == '.')) ++b;
  while (e > b && (k[e - 1] == '/' || k[e - 1] == '.')) --e;
  return k.substr(b, e - b);
}

struct SymbolSplit {
  std::vector<std::string> keys, originals;
  std::string rest;
  bool rest_negated = false;
};

SymbolSplit split_symbols(std::string_view q) {
  SymbolSplit sp;
  std::vector<std::string> rest;
  bool in_quotes = false;
  for (const auto& tok : split_ws(join_slashes(q))) {
    bool quoted = in_quotes;
    in_quotes ^= (std::count(tok.begin(), tok.end(), '"') % 2) == 1;
    std::string core = strip_punct(tok);
    if (!quoted && !in_quotes && tok.find('"') == std::string::npos && looks_like_symbol(core)) {
      std::string key = symbol_key(core);
      if (!key.empty() && key.size() + 4 <= kMaxTerm) {
        sp.keys.push_back(key);
        sp.originals.push_back(core);
        continue;
      }
    }
    rest.push_back(tok);
  }
  // Operators left dangling by taking the symbols out.
  while (!rest.empty() && (rest.front() == "AND" || rest.front() == "OR")) rest.erase(rest.begin());
  if (!rest.empty() && rest.front() == "NOT") {
    sp.rest_negated = true;
    rest.erase(rest.begin());
  }
  while (!rest.empty() && is_operator(rest.back())) rest.pop_back();
  for (const auto& r : rest) sp.rest += (sp.rest.empty() ? "" : " ") + r;
  return sp;
}

// No FLAG_SPELLING_CORRECTION: the index has no Xapian spelling table any
// more; typos are corrected per language (index/spelling.h).
constexpr unsigned kFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                            Xapian::QueryParser::FLAG_CJK_NGRAM;

// Xapian may offer a more frequent neighbour of a word that is indexed
// ("mine" -> "mines"); a suggestion is only for queries with an unknown word.
bool has_unknown_word(const Xapian::Database& db, const std::string& normalized) {
  for (const auto& token : split_ws(normalized)) {
    if (is_operator(token) || token.find_first_of(":*") != std::string::npos) continue;
    std::string word = strip_punct(token);
    if (!word.empty() && !db.term_exists(Xapian::Unicode::tolower(word))) return true;
  }
  return false;
}

// Whether a NEAR or ADJ has beside it a word that is no term to the
// parser: one of our marked words (a field), or CJK characters (n-grams).
// Xapian 1.4.22 reads such a NEAR as a syntax error, and leaks the terms
// it had made (96 bytes and more): a slow leak for the service, one per
// distinct query, so such a query is not given to it.
bool proximity_beside_non_term(const std::string& text) {
  const std::vector<std::string> toks = split_ws(text);
  auto non_term = [&](size_t i) {
    return i < toks.size() && (has_cjk(toks[i]) || is_marked_word(strip_punct(toks[i])));
  };
  for (size_t i = 0; i < toks.size(); ++i)
    if (is_proximity(toks[i]) && ((i > 0 && non_term(i - 1)) || non_term(i + 1))) return true;
  return false;
}

// Never throws a parse error: a malformed query is read as plain words.
// The words as typed are searched besides their stems in the asker's
// language, so a query also finds texts in other languages (a Chinese
// document's English attachment, an English name in a Russian text).
// `extra`: more flags (FLAG_PARTIAL for a word being typed).
Xapian::Query parse_syntax(Xapian::QueryParser& qp, const std::string& text, unsigned extra) {
  const unsigned flags = kFlags | extra;
  if (proximity_beside_non_term(text)) return Xapian::Query();  // read without it: parse()
  try {
    // Xapian 1.4.22's parser leaks the n-gram terms of a CJK run (96 bytes
    // and more) when the query around them does not parse ("NOT x
    // title:雷z"): a slow leak for the service, one per distinct query. So
    // such a query is parsed first without the n-grams, with the same
    // syntax (a run is one word) and nothing to leak, and given up on here
    // if that fails.
    if (has_cjk(text)) qp.parse_query(text, flags & ~Xapian::QueryParser::FLAG_CJK_NGRAM);
    Xapian::Query q = qp.parse_query(text, flags);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    Xapian::Query as_typed = qp.parse_query(text, flags);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    return Xapian::Query(Xapian::Query::OP_OR, q, as_typed);
  } catch (const Xapian::QueryParserError&) {
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  }
  try {
    return qp.parse_query(text, Xapian::QueryParser::FLAG_CJK_NGRAM);
  } catch (const Xapian::QueryParserError&) {
  }
  return Xapian::Query();
}

// Whether Xapian 1.4 can match q's phrases and NEARs: their parts must be
// terms, or ORs of terms. Our own words (a Han run's words, an Arabic
// word's forms: query_words.h) and the parser's wildcards are not, and fail
// only when matched ("OP_NEAR and OP_PHRASE only currently support leaf
// subqueries").
bool positions_matchable(const Xapian::Query& q, bool in_positional = false) {
  const auto op = q.get_type();
  if (in_positional) {
    if (op == Xapian::Query::LEAF_TERM || op == Xapian::Query::LEAF_MATCH_NOTHING) return true;
    if (op != Xapian::Query::OP_OR) return false;
  }
  const bool positional = op == Xapian::Query::OP_NEAR || op == Xapian::Query::OP_PHRASE;
  for (size_t i = 0; i < q.get_num_subqueries(); ++i)
    if (!positions_matchable(q.get_subquery(i), in_positional || positional)) return false;
  return true;
}

// `text` with its NEAR and ADJ as AND, and without its phrases' quotes.
std::string without_proximity(const std::string& text) {
  std::string out;
  for (const auto& tok : split_ws(text)) {
    if (!out.empty()) out += ' ';
    if (is_proximity(tok)) {
      out += "AND";
      continue;
    }
    for (char c : tok)
      if (c != '"') out += c;
  }
  return out;
}

// A query that Xapian can match: one whose phrases or proximity it cannot
// match (above) asks for the same words without them, rather than failing.
// The parser itself refuses some of them (Xapian::UnimplementedError).
std::optional<Xapian::Query> parse_matchable(Xapian::QueryParser& qp, const std::string& text,
                                             unsigned extra) {
  try {
    Xapian::Query q = parse_syntax(qp, text, extra);
    if (positions_matchable(q)) return q;
  } catch (const Xapian::UnimplementedError&) {
  }
  return std::nullopt;
}

// The parser also reads a NEAR beside a Han run or a field's words as a
// syntax error, which parse_syntax answers with an empty query.
Xapian::Query parse(Xapian::QueryParser& qp, const std::string& text, unsigned extra = 0) {
  auto q = parse_matchable(qp, text, extra);
  if (q && !q->empty()) return *q;
  const std::string plain = without_proximity(text);
  if (plain == text) return q.value_or(Xapian::Query());
  return parse_matchable(qp, plain, extra).value_or(Xapian::Query());
}

std::vector<std::string> wildcard_prefixes(const std::string& normalized) {
  std::vector<std::string> out;
  for (const auto& tok : split_ws(normalized)) {
    std::string core = strip_punct(tok);
    if (core.size() > 1 && core.back() == '*') {
      core.pop_back();
      size_t colon = core.find(':');
      if (colon != std::string::npos) core = core.substr(colon + 1);
      if (!core.empty()) out.push_back(Xapian::Unicode::tolower(core));
    }
  }
  return out;
}

std::string date_key(const std::string& s, bool upper) {
  std::string d;
  for (char c : s)
    if (c >= '0' && c <= '9')
      d += c;
    else if (c != '-')
      return "";
  if (d.size() == 4) return d + (upper ? "9999" : "0000");
  if (d.size() == 6) return d + (upper ? "99" : "00");
  if (d.size() == 8) return d;
  return "";
}

Xapian::Query build_filter(const SearchRequest& r) {
  std::vector<Xapian::Query> f;
  if (!r.country.empty()) f.emplace_back(bounded_term("XC", upper_ascii(trim(r.country))));
  if (!r.topic.empty()) f.emplace_back(bounded_term("XT", trim(r.topic)));
  if (!r.meeting.empty()) f.emplace_back(bounded_term("XM", trim(r.meeting)));
  if (!r.type.empty()) f.emplace_back(bounded_term("XY", trim(r.type)));
  if (!r.year.empty()) f.emplace_back(bounded_term("XD", trim(r.year)));
  if (r.lang_only && !r.lang.empty()) f.emplace_back(bounded_term("XL", r.lang));
  // Slot 0 is the date and then a tie-break (a group id, a language):
  // date_bytes_end takes in all of the upper day; the date 0000-00-01
  // leaves out the documents without a date (zero bytes).
  const std::string from_day = date_key(trim(r.from), false), to_day = date_key(trim(r.to), true);
  const std::string from = from_day.empty() ? "" : date_bytes(from_day),
                    to = to_day.empty() ? "" : date_bytes_end(to_day);
  if (!from.empty() && !to.empty())
    f.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSlotDate, from, to);
  else if (!from.empty())
    f.emplace_back(Xapian::Query::OP_VALUE_GE, kSlotDate, from);
  else if (!to.empty())
    f.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSlotDate, date_bytes("00000001"), to);
  if (f.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, f.begin(), f.end());
}

struct Handle {
  Xapian::Database db;
  uint64_t generation;
  // Whether a search found a shard our match spy cannot run on (remote).
  bool remote = false;
};

// What one search reads: a database handle, and the facets of its
// documents when known (nullptr: read from each match).
struct Source {
  Xapian::Database& db;
  const FacetTable* facets;
  bool* remote;  // Handle::remote
  // The words of a language, for typo correction (null: none).
  std::function<std::shared_ptr<const Vocabulary>(const std::string& lang)> vocabulary;
};

// Which of a query's results (after collapsing) execute() returns: by
// default the request's page; a fallback tier (run_tiers) asks for the
// part of the page that falls to it.
struct Window {
  Xapian::doccount first, count;
};

// The data of a group's version in `lang`: its entry or attachment page
// that matches `q` best (its own PDF's page, where the hit was in another
// language's), else its document entry. "" when it has none.
std::string asker_version(Xapian::Database& db, const Xapian::Query& q,
                          const std::string& group_slot, const std::string& lang) {
  const Xapian::Query version(Xapian::Query::OP_AND, Xapian::Query(group_term(group_slot)),
                              Xapian::Query(bounded_term("XL", lang)));
  Xapian::Enquire best(db);
  best.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, version));
  best.set_sort_by_relevance_then_value(kSlotDate, true);
  Xapian::MSet m = best.get_mset(0, 1);
  if (!m.empty()) return m.begin().get_document().get_data();
  Xapian::Enquire own(db);
  own.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, version,
                              Xapian::Query(std::string(kAttachmentPageTerm))));
  own.set_weighting_scheme(Xapian::BoolWeight());
  m = own.get_mset(0, 1);
  return m.empty() ? std::string() : m.begin().get_document().get_data();
}

// Runs one query; fills total, results and facets. Returns the number of
// matching documents.
size_t execute(const Source& src, const Xapian::Query& main, const Xapian::Query& filter,
               const SearchRequest& req, const Highlight& hl, SearchResponse& resp,
               const Window* window = nullptr) {
  Xapian::Database& db = src.db;
  Xapian::Query q = filter.empty() ? main : Xapian::Query(Xapian::Query::OP_FILTER, main, filter);
  Xapian::Enquire enq(db);
  enq.set_query(q);
  // Always collapsed, also for one language (where a group has one version
  // but for a duplicate symbol): the total, every facet count and the
  // results then count the same thing, groups.
  enq.set_collapse_key(kSlotGroup);
  // Ties are broken by a value, not by docid: docids differ between one
  // database and the same documents in shards, and the answers must not.
  // Only value slots, no KeyMaker: Xapian's remote protocol sends no
  // KeyMaker to a remote shard.
  // Slot 0 is unique per document: a date order has no ties left for
  // relevance, so it is by date, then group, then language.
  if (req.sort == "date" || main.get_type() == Xapian::Query::LEAF_MATCH_ALL)
    enq.set_sort_by_value(kSlotDate, true);
  else
    enq.set_sort_by_relevance_then_value(kSlotDate, true);
  // The spy sees every match (before collapsing: Xapian calls match spies
  // first), so facets and total count distinct groups: a page in six
  // languages counts once. Ours (FacetCounter, with the table of one local
  // database when it is read), unless a shard is remote: then Xapian's
  // ValueCountMatchSpy, which runs there too (index/facet_table.h).
  Xapian::doccount first =
      window ? window->first : static_cast<Xapian::doccount>((req.page - 1) * req.page_size);
  // At least one asked for: the spies are Xapian's to run either way, and
  // what is not wanted is dropped below.
  const Xapian::doccount wanted = window ? window->count : Xapian::doccount(req.page_size);
  const Xapian::doccount asked = std::max<Xapian::doccount>(wanted, 1);
  size_t groups = 0, docs = 0;
  Xapian::MSet mset;
  bool counted = false;
  if (!*src.remote) {
    // Two passes: the counts see every match, but need neither weights,
    // nor an order, nor collapsing (FacetCounter counts groups itself), so
    // they are Xapian's cheapest walk of the matches; the page is then
    // Xapian's usual top-k search, which weighs and collapses only the
    // candidates for it. In one pass every match was weighed, its sort
    // value and collapse key read and compared: most of a search's time.
    Xapian::Enquire counting(db);
    counting.set_query(q);
    counting.set_weighting_scheme(Xapian::BoolWeight());
    counting.set_docid_order(Xapian::Enquire::ASCENDING);
    FacetCounter spy(src.facets);
    counting.add_matchspy(&spy);
    try {
      counting.get_mset(0, 0, db.get_doccount());
      groups = spy.count(&resp.facets);
      docs = spy.docs();
      counted = true;
    } catch (const Xapian::UnimplementedError&) {
      // A remote shard refused our spy (before any shard was sent the
      // query): this handle's searches use Xapian's from now on.
      *src.remote = true;
    }
    if (counted) mset = enq.get_mset(first, asked);
  }
  if (!counted) {
    Xapian::ValueCountMatchSpy spy(kSlotFacets);
    enq.add_matchspy(&spy);
    mset = enq.get_mset(first, asked, db.get_doccount());
    groups = count_facet_values(spy, &resp.facets, &docs);
  }
  resp.total = groups;
  resp.results.clear();
  for (auto it = mset.begin(); it != mset.end() && resp.results.size() < wanted; ++it) {
    Xapian::Document doc = it.get_document();
    std::string data = doc.get_data(), other_data;  // what d views
    DocData d = decode(data);
    if (!req.lang_only && !req.lang.empty() && d.lang != req.lang &&
        std::find(d.languages.begin(), d.languages.end(), req.lang) != d.languages.end()) {
      other_data = asker_version(db, q, doc.get_value(kSlotGroup), req.lang);
      if (!other_data.empty()) d = decode(other_data);
    }
    SearchResult r;
    r.url = d.url;
    r.title = d.title;
    r.symbol = d.symbol;
    r.lang = d.lang;
    r.date = d.date;
    r.kind = d.kind;
    r.languages = std::move(d.languages);
    r.snippet = make_snippet(d, hl);
    if (!d.file.empty()) {
      r.file = d.file;
      r.file_page = d.file_page;
      r.file_url = r.url + r.file + (d.file_page > 0 ? "#page=" + std::to_string(d.file_page) : "");
    }
    resp.results.push_back(std::move(r));
  }
  return docs;
}

// ------------------------------------------------------------- fallbacks
//
// Never a needless empty page (issue 11, points 1 and 5): when the query as
// asked finds few results, the answer goes on with the documents that have
// only some of the words (relaxed), and with a language filter, with the
// other languages' documents. Each step is a tier, run only while the
// results so far are fewer than kFewResults; a tier leaves out the groups
// the tiers before it found, so the answer lists each group once, exact
// ones first, and total and facets are the tiers' sums (exact: the groups
// are disjoint). The usual search is one tier: nothing more is run.

// A page, not "nothing": the few documents that happen to hold every word
// of a mistyped or longer query are seldom the one wanted (a known-item
// query typed with one stray or common word), and what follows them costs
// the visitor nothing since they stay first. With three, a Russian report
// that lacks only "мины" of five words was lost behind the 3-9 documents
// that have them all (bench/quality, "longer": Russian recall@10 0.85 with
// 3, 0.95 with 10); a query with a page of exact answers pays for no
// second search.
constexpr size_t kFewResults = 10;

struct Tier {
  Xapian::Query query;
  bool all_languages = false;  // a lang_only filter dropped
  bool relaxed = false;        // not every word required
};

// The groups (collapse keys) of at most n of q's matches.
std::vector<std::string> groups_of(Xapian::Database& db, const Xapian::Query& q, size_t n) {
  Xapian::Enquire enq(db);
  enq.set_query(q);
  enq.set_collapse_key(kSlotGroup);
  enq.set_weighting_scheme(Xapian::BoolWeight());
  std::vector<std::string> out;
  Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(n));
  for (auto it = m.begin(); it != m.end(); ++it) out.push_back(it.get_collapse_key());
  return out;
}

// Runs the tiers (the first is the query as asked) into resp: results of
// the request's page, total, facets, and which fallbacks the answer shows.
// Returns the total.
size_t run_tiers(const Source& src, const std::vector<Tier>& tiers, const SearchRequest& req,
                 const Highlight& hl, SearchResponse& resp) {
  SearchRequest all = req;
  all.lang_only = false;  // execute() then shows each hit in req.lang where it can
  const Xapian::Query filter = build_filter(req);
  const Xapian::Query filter_all = req.lang_only ? build_filter(all) : filter;
  const size_t first = static_cast<size_t>(req.page - 1) * req.page_size,
               end = first + static_cast<size_t>(req.page_size);
  size_t offset = 0;                // results of the tiers so far
  std::vector<Xapian::Query> seen;  // their groups, while few
  resp.total = 0;
  resp.exact_total = 0;
  resp.fallbacks = 0;
  resp.results.clear();
  for (auto& [name, values] : resp.facets) values.clear();
  for (size_t i = 0; i < tiers.size(); ++i) {
    const Tier& t = tiers[i];
    if (i > 0 && (offset >= kFewResults || (req.fallbacks >= 0 && int(i) > req.fallbacks))) break;
    if (i > 0) resp.fallbacks = static_cast<int>(i);
    if (t.query.empty()) continue;
    Xapian::Query main = t.query;
    if (!seen.empty())
      main = Xapian::Query(Xapian::Query::OP_AND_NOT, main,
                           Xapian::Query(Xapian::Query::OP_OR, seen.begin(), seen.end()));
    const Xapian::Query& f = t.all_languages ? filter_all : filter;
    // This tier's results are the answer's offset, offset + 1, ...
    const size_t from = std::max(first, offset);
    Window w{static_cast<Xapian::doccount>(from - offset),
             static_cast<Xapian::doccount>(end > from ? end - from : 0)};
    SearchResponse part;
    execute(src, main, f, t.all_languages ? all : req, hl, part, &w);
    const size_t groups = part.total;
    resp.total += groups;
    if (!t.relaxed) resp.exact_total += groups;
    for (auto& [facet, values] : part.facets)
      for (auto& [value, n] : values) resp.facets[facet][value] += n;
    for (auto& r : part.results) resp.results.push_back(std::move(r));
    if (groups > 0 && t.relaxed) resp.relaxed = true;
    if (groups > 0 && t.all_languages) resp.other_languages = true;
    if (groups > 0 && offset + groups < kFewResults && i + 1 < tiers.size()) {
      Xapian::Query found = f.empty() ? main : Xapian::Query(Xapian::Query::OP_FILTER, main, f);
      for (const auto& g : groups_of(src.db, found, kFewResults))
        seen.emplace_back(group_term(g));
    }
    offset += groups;
  }
  if (resp.fallbacks > 0 && !tiers[0].query.empty()) {
    // A Languages link asks for its language alone, as asked, no fallbacks
    // (serve/search_page.cc): its count is that, every language's version
    // of the query as asked, not the tiers' (where a group found in one
    // language is counted in that one only).
    SearchResponse each;
    Window none{0, 0};
    execute(src, tiers[0].query, filter_all, all, hl, each, &none);
    resp.facets["lang"] = std::move(each.facets["lang"]);
  }
  return resp.total;
}

// The tiers for a query: as asked; with a language filter, in every
// language; then with only some of the words (`relaxed`, empty when the
// query has nothing to relax), in the language and in every language.
std::vector<Tier> tiers_for(const SearchRequest& req, Xapian::Query exact,
                            Xapian::Query relaxed = Xapian::Query()) {
  std::vector<Tier> tiers{{std::move(exact)}};
  if (req.lang_only && !req.lang.empty()) tiers.push_back({tiers[0].query, true, false});
  if (!relaxed.empty()) {
    tiers.push_back({relaxed, false, true});
    if (req.lang_only && !req.lang.empty()) tiers.push_back({relaxed, true, true});
  }
  return tiers;
}

// The words of a normalised query, its operators left out (a Han run typed
// without spaces counts its words): a query of one word has nothing to
// relax.
size_t word_count(const std::string& normalized) {
  size_t n = 0;
  for (const auto& tok : split_ws(normalized)) {
    if (is_operator(tok) || strip_punct(tok).empty()) continue;
    // A run of Han characters typed without spaces holds words too.
    size_t han = 0;
    for (const auto& run : han_runs(tok)) han += segment_han(run).size();
    n += std::max<size_t>(1, han);
  }
  return n;
}

// ------------------------------------------------------- half-typed words
//
// Search as you type (issue 11, point 4): the last word of a query matches
// as a prefix (Xapian's FLAG_PARTIAL: the word's expansions as a synonym,
// OR'd with the word itself, so a document with the whole word ranks
// first), from its third letter, unless the query ends with whitespace: the
// visitor finished that word. The form and /js/search.js send q as typed,
// trailing space included (SearchRequest::query is never trimmed before
// run_search), so "mine" finds "mines" and "minefield", "mine " only "mine"
// and its stems.

constexpr size_t kPartialFrom = 3;  // letters

bool is_arabic_letter(UChar32 c) { return c >= 0x0620 && c <= 0x064A; }

bool all_arabic(std::string_view s) {
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (!is_arabic_letter(c)) return false;
  }
  return n > 0;
}

// The last whitespace-separated word of s, without the query syntax's
// punctuation.
std::string last_word(std::string_view s) {
  std::vector<std::string> toks = split_ws(s);
  return toks.empty() ? std::string() : strip_punct(toks.back());
}

// Whether the last word of `raw` (the query as typed) is still being typed;
// `normalized` is its normalisation, whose last word is looked at (French
// elisions dropped, accents folded, Arabic clitics taken off, as the index
// has them). Letters are counted in the word as the index has it, but in
// Arabic as typed: "الألغا" (six letters) is "غا" once its article is off
// (the analyzer takes off ال as long as two letters stay), which the
// prefix must still find "غام" (الألغام) by.
bool last_word_partial(std::string_view raw, const std::string& normalized) {
  if (raw.empty() || is_space(raw.back())) return false;
  std::vector<std::string> toks = split_ws(normalized);
  if (toks.empty()) return false;
  const std::string& last = toks.back();
  if (is_operator(last) || last.front() == '-' || last.find_first_of("\"*()") != std::string::npos)
    return false;  // an exclusion, a phrase, a wildcard already, a group
  // Xapian's NEAR and ADJ take terms only, and read themselves as words
  // beside the wildcard of a partial word.
  if (toks.size() > 1 && is_proximity(toks[toks.size() - 2])) return false;
  std::string core = strip_punct(last);
  if (size_t colon = core.find(':'); colon != std::string::npos) core = core.substr(colon + 1);
  int32_t i = 0, n = static_cast<int32_t>(core.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(core.data(), i, n, c);
    // Han is typed through an input method that enters whole words, and
    // its n-grams are no words to complete.
    if (c < 0 || is_cjk(c)) return false;
  }
  if (all_arabic(core))
    return code_points(core) >= 2 && code_points(last_word(raw)) >= kPartialFrom;
  return code_points(core) >= kPartialFrom;
}

// More forms of a partial Arabic word whose clitics the analyzer kept
// because too few letters would be left of a whole word (it takes وال بال
// كال فال off only with three left): the same chain taken off with two
// left, so "والتد" finds "التدابير" as "تد*". Empty for other words.
std::vector<std::string> arabic_partial_forms(const std::string& word) {
  if (!all_arabic(word)) return {};
  static const char* const kChains[] = {"\u0648\u0627\u0644", "\u0628\u0627\u0644",
                                        "\u0643\u0627\u0644", "\u0641\u0627\u0644"};
  for (const char* chain : kChains) {
    const std::string_view c(chain);
    if (word.compare(0, c.size(), c) == 0 && code_points(word.substr(c.size())) >= 2)
      return {word.substr(c.size())};
  }
  return {};
}

// normalized with its last word replaced by `word`.
std::string with_last_word(const std::string& normalized, const std::string& word) {
  size_t e = normalized.size();
  while (e > 0 && is_space(normalized[e - 1])) --e;
  size_t b = e;
  while (b > 0 && !is_space(normalized[b - 1])) --b;
  return normalized.substr(0, b) + word;
}

// The prefix the snippets highlight for a partial last word.
std::string partial_prefix(const std::string& normalized) {
  std::vector<std::string> toks = split_ws(normalized);
  if (toks.empty()) return "";
  std::string core = strip_punct(toks.back());
  if (size_t colon = core.find(':'); colon != std::string::npos) core = core.substr(colon + 1);
  return Xapian::Unicode::tolower(core);
}

// What the spelling check looks at: the query, without its last word when
// that is being typed and begins some word of the index (a word being
// typed is no misspelling; one that begins none may be one).
std::string spelling_text(const Xapian::Database& db, std::string_view raw,
                          const std::string& normalized) {
  if (!last_word_partial(raw, normalized)) return normalized;
  std::vector<std::string> toks = split_ws(normalized);
  std::string core = Xapian::Unicode::tolower(strip_punct(toks.back()));
  if (db.allterms_begin(core) == db.allterms_end(core)) return normalized;
  return trim(with_last_word(normalized, ""));
}

// The query for `normalized`, the normalisation of `raw` (the words as
// typed, trailing whitespace included), its last word a prefix while it is
// being typed. That word is normalised as a whole one (analyzer.h: accents
// folded, French elisions and Arabic clitics taken off), so its prefix
// meets the words as the index has them; it is left to Xapian's
// FLAG_PARTIAL as it is, the other words go through our own query words
// (query_words.h: Han runs, Arabic clitic forms). relaxed: any of the words
// (OR) instead of all: BM25 adds up the weights of the words a document
// has, so those with more of the words, and with the rarer ones, come
// first. The prefix for the snippets goes to *prefixes.
Xapian::Query parse_words(Xapian::QueryParser& qp, const Xapian::Database& db,
                          const std::string& normalized, std::string_view raw, bool relaxed,
                          std::vector<std::string>* prefixes = nullptr) {
  const bool partial = last_word_partial(raw, normalized);
  const unsigned flags = partial ? unsigned(Xapian::QueryParser::FLAG_PARTIAL) : 0u;
  auto marked = [&](const std::string& text) {
    if (!partial) return mark_query_words(text, db, relaxed);
    std::string head = trim(with_last_word(text, ""));
    std::string last = text.substr(head.size());
    return head.empty() ? trim(last) : mark_query_words(head, db, relaxed) + " " + trim(last);
  };
  // Some of the words, near each other or not (a phrase stays one).
  std::string words;
  for (const auto& tok : split_ws(normalized))
    if (!relaxed || !is_proximity(tok)) words += (words.empty() ? "" : " ") + tok;
  if (relaxed) qp.set_default_op(Xapian::Query::OP_OR);
  Xapian::Query q = parse(qp, marked(words), flags);
  if (partial) {
    const std::string prefix = partial_prefix(normalized);
    std::vector<std::string> forms = arabic_partial_forms(prefix);
    for (const auto& form : forms) {
      Xapian::Query alt = parse(qp, marked(with_last_word(words, form)), flags);
      if (!alt.empty()) q = Xapian::Query(Xapian::Query::OP_OR, q, alt);
    }
    if (prefixes) {
      prefixes->push_back(prefix);
      prefixes->insert(prefixes->end(), forms.begin(), forms.end());
    }
  }
  if (relaxed) qp.set_default_op(Xapian::Query::OP_AND);
  // Weight only: Arabic words as written rank their texts first (a word
  // being typed too: the texts with it whole, as FLAG_PARTIAL ranks them).
  if (Xapian::Query w = arabic_written_boost(raw, db); !q.empty() && !w.empty())
    q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, w);
  return q;
}

// The answer to the words `q` (read in `qlang`; the visitor still `typing`
// its last word): a query without symbols, or whose symbols found nothing
// (`symbols` then ranks their documents first among the relaxed ones). The
// query as asked, and while it finds few, the fallbacks (run_tiers).
// A query of four words or more, plain ones, split into those that a third
// or more of the documents of its language have ("мины", "совещание" in the
// Convention's reports: `common`) and the others (`rare`, in their order, a
// word still being typed last). A long query is seldom typed word for word
// from one text: a report that lacks only "мины" of five words is no worse
// an answer than the twenty that have them all, and was lost behind them
// (bench/quality, "longer"). Two words and three stay all required, as a
// known-item query of rare words wants. None when the query has operators,
// phrases, fields or wildcards, when fewer than two rare words or no common
// one would be left, or when the language has too few documents for
// "a third" to mean anything.
struct CommonSplit {
  std::string rare, common;
};

// At least this many documents of the language.
constexpr Xapian::doccount kCommonFrom = 50;

std::optional<CommonSplit> split_common(const Xapian::Database& db, const std::string& normalized,
                                        std::string_view raw, const std::string& qlang) {
  std::vector<std::string> toks = split_ws(normalized);
  if (toks.size() < 4) return std::nullopt;
  Xapian::doccount n = qlang.empty() ? 0 : db.get_termfreq("XL" + qlang);
  if (n < kCommonFrom) return std::nullopt;
  const Xapian::Stem stem(stemmer_language(qlang));
  const bool typing = last_word_partial(raw, normalized);
  CommonSplit out;
  for (size_t i = 0; i < toks.size(); ++i) {
    const std::string& t = toks[i];
    if (is_operator(t) || t.find_first_of("\"()*:+") != std::string::npos || t[0] == '-')
      return std::nullopt;
    std::string word = Xapian::Unicode::tolower(strip_punct(t));
    bool common = false;
    if (!word.empty() && !(typing && i + 1 == toks.size())) {
      Xapian::doccount tf = db.get_termfreq(word);
      if (!stem.is_none()) tf = std::max(tf, db.get_termfreq("Z" + stem(word)));
      common = tf >= n / 3;
    }
    std::string& part = common ? out.common : out.rare;
    part += (part.empty() ? "" : " ") + t;
  }
  if (out.common.empty() || split_ws(out.rare).size() < 2) return std::nullopt;
  return out;
}

void search_text(const Source& src, Xapian::QueryParser& qp, const std::string& q, bool typing,
                 const std::string& qlang, const Xapian::Query& symbols, const SearchRequest& req,
                 Highlight hl, SearchResponse& resp) {
  std::string norm = normalize_query(q, qlang);
  const std::string raw = typing ? q : q + " ";
  Xapian::Query main;
  if (auto split = split_common(src.db, norm, raw, qlang)) {
    // The common words of a long query narrow nothing; they still rank.
    const std::string rare_raw = typing ? split->rare : split->rare + " ";
    main = Xapian::Query(
        Xapian::Query::OP_AND_MAYBE,
        parse_words(qp, src.db, split->rare, rare_raw, false, &hl.wildcards),
        parse_words(qp, src.db, split->common, split->common + " ", true));
  } else {
    main = parse_words(qp, src.db, norm, raw, false, &hl.wildcards);
  }
  hl.add_query(main);
  for (auto& w : wildcard_prefixes(norm)) hl.wildcards.push_back(std::move(w));
  if (main.empty()) {
    // Nothing searchable in the query ("*", punctuation): no results, but
    // facets and total of the empty answer.
    execute(src, Xapian::Query::MatchNothing, build_filter(req), req, hl, resp);
    resp.exact_total = resp.total;
    return;
  }
  Xapian::Query relaxed;
  if (word_count(norm) > 1) {
    relaxed = parse_words(qp, src.db, norm, raw, true);
    // A symbol's documents first among those with some of the words.
    if (!symbols.empty() && !relaxed.empty())
      relaxed = Xapian::Query(Xapian::Query::OP_OR, symbols, relaxed);
  }
  run_tiers(src, tiers_for(req, main, relaxed), req, hl, resp);
}

// Whether the index has a word's stem in `qlang`: another form of a word of
// its texts ("разминированию" for "разминирование") is not a typo.
std::function<bool(const std::string&)> stem_known(const Xapian::Database& db,
                                                   const std::string& qlang) {
  const std::string name = stemmer_language(qlang);
  if (name.empty()) return {};
  return [&db, stemmer = Xapian::Stem(name)](const std::string& word) {
    return db.term_exists("Z" + stemmer(word));
  };
}

// Typos forgiven (issue 11, point 3): when `resp` (the answer to `q` as
// typed) found none or few, and `q` has words the index does not know in
// `qlang`, the query with them corrected from that language's own words
// (index/spelling.h) is searched too, and answers instead if it finds more:
// its results, total and facets, with `corrected` saying what was searched.
// With enough results as typed, a correction is only offered (`suggestion`),
// and only looked for when a word is in no language of the index (a term
// lookup, not the vocabulary).
void correct_typos(const Source& src, Xapian::QueryParser& qp, const std::string& q, bool typing,
                   const std::string& qlang, const Xapian::Query& symbols,
                   const SearchRequest& req, const Highlight& hl, SearchResponse& resp) {
  if (!src.vocabulary) return;
  // Fewer exact results than this, and a query with words its language
  // does not know is searched again with them corrected (the relaxed
  // results of a typo are no answer to it).
  const bool few = resp.exact_total < kFewResults;
  const std::string norm = normalize_query(q, qlang);
  const std::string raw = typing ? q : q + " ";
  // A word being typed that begins some word of the index is no typo.
  const std::string spelt = spelling_text(src.db, raw, norm);
  if (!few && !has_unknown_word(src.db, spelt)) return;
  std::string typed;
  if (spelt != norm) typed = partial_prefix(norm);
  auto known = [stem = stem_known(src.db, qlang), typed](const std::string& word) {
    return word == typed || (stem && stem(word));
  };
  QueryCorrection c = correct_query(q, qlang, *src.vocabulary(qlang), known);
  if (!c.changed) return;
  if (!few) {
    resp.suggestion = c.query;
    return;
  }
  SearchResponse other;
  other.query = resp.query;
  other.page = resp.page;
  for (const char* f : kFacetNames) other.facets[f];
  search_text(src, qp, c.query, typing, qlang, symbols, req, hl, other);
  if (other.exact_total <= resp.exact_total) return;
  other.corrected = c.query;
  resp = std::move(other);
}

void run_search(const Source& src, const SearchRequest& req, SearchResponse& resp) {
  Xapian::Database& db = src.db;
  const std::string& qlang = req.query_lang.empty() ? req.lang : req.query_lang;
  Xapian::Stem stemmer(stemmer_language(qlang));
  Xapian::QueryParser qp;
  qp.set_stemmer(stemmer);
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_database(db);
  qp.set_default_op(Xapian::Query::OP_AND);
  qp.set_max_expansion(200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                       Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
  qp.add_prefix("title", "S");
  add_query_word_processors(qp, stemmer);

  Xapian::Query filter = build_filter(req);
  Highlight hl;
  hl.stemmer = stemmer;
  const std::string stem_lang = stemmer_language(qlang);
  hl.suffix_stems = stem_lang == "english" || stem_lang == "french" || stem_lang == "spanish" ||
                    stem_lang == "russian";
  std::string q = trim(req.query);
  if (q.empty()) {
    // Browsing (filters only): relevance means nothing, newest first.
    SearchRequest browse = req;
    browse.sort = "date";
    // Not Xapian::Query::MatchAll: that is one static object whose
    // reference count (not atomic) the server's threads raced on, and a
    // lost count freed it under a search (a crash under load).
    execute(src, Xapian::Query(std::string()), filter, browse, hl, resp);
    resp.exact_total = resp.total;
    return;
  }
  // Whether the visitor is still typing the last word (no space after it).
  const bool typing = !is_space(req.query.back());

  SymbolSplit sp = split_symbols(q);
  Xapian::Query symbols;
  if (!sp.keys.empty()) {
    std::vector<Xapian::Query> syms;
    for (const auto& k : sp.keys)
      syms.emplace_back(Xapian::Query::OP_OR,
                        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query("XSYM" + k),
                                      kExactSymbolBoost),
                        Xapian::Query("XSYP" + k));
    symbols = Xapian::Query(Xapian::Query::OP_OR, syms.begin(), syms.end());
    Xapian::Query main = symbols;
    Highlight shl = hl;
    bool unknown = false;  // a suggestion only then
    if (!sp.rest.empty()) {
      std::string norm = normalize_query(sp.rest, qlang);
      // The rest's last word is the query's only when no symbol follows it.
      const std::vector<std::string> typed = split_ws(q);
      const bool rest_last = !looks_like_symbol(strip_punct(typed.back()));
      const std::string raw = typing && rest_last ? sp.rest : sp.rest + " ";
      unknown = has_unknown_word(db, spelling_text(db, raw, norm));
      Xapian::Query text = parse_words(qp, db, norm, raw, false, &shl.wildcards);
      shl.add_query(text);
      for (auto& w : wildcard_prefixes(norm)) shl.wildcards.push_back(std::move(w));
      if (!text.empty())
        main = Xapian::Query(sp.rest_negated ? Xapian::Query::OP_AND_NOT : Xapian::Query::OP_AND,
                             main, text);
    }
    // Symbols first: the symbol with the words, in any language; fewer
    // words only after the whole query as text (below).
    if (run_tiers(src, tiers_for(req, main), req, shl, resp) > 0) {
      if (unknown && !req.exact && src.vocabulary) {
        QueryCorrection c =
            correct_query(sp.rest, qlang, *src.vocabulary(qlang), stem_known(db, qlang));
        std::string s;
        for (const auto& o : sp.originals) s += o + " ";
        if (c.changed) resp.suggestion = s + c.query;
      }
      return;
    }
  }

  search_text(src, qp, q, typing, qlang, symbols, req, hl, resp);
  if (!req.exact && req.fallbacks < 0)
    correct_typos(src, qp, q, typing, qlang, symbols, req, hl, resp);
}

}  // namespace

// ---------------------------------------------------------------- Searcher

namespace {

// The real folder behind `dir`'s links, or `dir` when it cannot be resolved
// (opening it then says why).
std::filesystem::path resolved(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path real = std::filesystem::canonical(dir, ec);
  return ec ? dir : real;
}

}  // namespace

struct Searcher::Impl {
  // The folder as given, and where it led when the searcher was opened or
  // last reopened: a build publishes its index as a new folder behind the
  // same symlink (site-gen/publish.h), and the handles of one generation
  // must all open the same one, not some the old index and some the new.
  std::filesystem::path given;
  std::filesystem::path dir;  // guarded by mu
  std::mutex mu;
  std::vector<std::unique_ptr<Handle>> pool;
  uint64_t generation = 0;
  std::atomic<bool> ok{false};
  std::string error;

  // The facets of the index of one generation, read into a table on a
  // thread of their own as soon as it is opened (Facets::table): the first
  // search after a rebuild must not wait for every document's facets (the
  // preview server's edit is visible when that search answers), so until
  // the table is there searches decode their own matches' facets.
  Facets mode = Facets::table;
  std::mutex facets_mu;
  std::shared_ptr<const FacetTable> facets;
  uint64_t facets_generation = 0;
  uint64_t saved_tried = UINT64_MAX;  // the generation whose saved table was tried
  std::mutex reader_mu;  // reopen() may be called from several threads
  std::thread facets_reader;

  // Each language's words (index/spelling.h) of one generation, read when a
  // search first needs them (most never do: only those with few results).
  std::mutex vocabulary_mu;
  uint64_t vocabulary_generation = 0;
  std::map<std::string, std::shared_ptr<const Vocabulary>> vocabularies;

  std::shared_ptr<const Vocabulary> vocabulary(const std::string& lang, uint64_t gen) {
    std::filesystem::path at;
    bool current;
    {
      std::lock_guard<std::mutex> lock(mu);
      at = dir;
      current = gen == generation;
    }
    if (!current) return Vocabulary::load(at, lang);  // a handle of an older index
    std::lock_guard<std::mutex> lock(vocabulary_mu);
    if (vocabulary_generation != gen) {
      vocabularies.clear();
      vocabulary_generation = gen;
    }
    std::shared_ptr<const Vocabulary>& v = vocabularies[lang];
    if (!v) v = Vocabulary::load(at, lang);
    return v;
  }

  // Reads the facets of generation `gen` on another thread (the previous
  // reading, if any, ends first).
  void read_facets(uint64_t gen) {
    if (mode != Facets::table) return;
    std::lock_guard<std::mutex> lock(reader_mu);
    if (facets_reader.joinable()) facets_reader.join();
    std::filesystem::path at;
    {
      std::lock_guard<std::mutex> dir_lock(mu);
      at = dir;
    }
    facets_reader = std::thread([this, gen, at] {
      // Only when a core is free: the searches that decode their own
      // matches meanwhile come first (after a rebuild on 2 cores, this
      // reading made the first search wait 10-20 ms for a core).
      sched_param idle{};
      pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
      std::shared_ptr<const FacetTable> table;
      try {
        Xapian::Database db(at.string());
        table = FacetTable::load(at / FacetTable::kFileName, db);
        if (!table) table = FacetTable::build(db);
      } catch (const Xapian::Error&) {
        return;  // a writer committed meanwhile: searches decode their matches
      }
      std::lock_guard<std::mutex> table_lock(facets_mu);
      if (gen < facets_generation) return;
      facets = std::move(table);
      facets_generation = gen;
    });
  }

  // The table for h, or nullptr when it is not read yet, or h is of another
  // generation or sees another revision of the index than the table (its
  // matches are then decoded one by one, as right and slower).
  std::shared_ptr<const FacetTable> facet_table(const Handle& h) {
    {
      std::lock_guard<std::mutex> lock(facets_mu);
      if (facets && facets_generation == h.generation) return facets->describes(h.db) ? facets : nullptr;
      if (saved_tried == h.generation) return nullptr;
      saved_tried = h.generation;
    }
    // The table the writer saved beside the index, once per generation: a
    // mapping, there at once (a CGI request reads nothing else of it).
    std::filesystem::path at;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (h.generation != generation) return nullptr;
      at = dir;
    }
    auto saved = FacetTable::load(at / FacetTable::kFileName, h.db);
    if (!saved) return nullptr;
    std::lock_guard<std::mutex> lock(facets_mu);
    if (!facets || facets_generation < h.generation) {
      facets = saved;
      facets_generation = h.generation;
    }
    return saved;
  }

  std::unique_ptr<Handle> take(std::string* err) {
    uint64_t gen;
    std::filesystem::path at;
    {
      std::lock_guard<std::mutex> lock(mu);
      while (!pool.empty()) {
        std::unique_ptr<Handle> h = std::move(pool.back());
        pool.pop_back();
        if (h->generation == generation) return h;
      }
      gen = generation;
      at = dir;
    }
    try {
      return std::make_unique<Handle>(Handle{Xapian::Database(at.string()), gen});
    } catch (const Xapian::Error& e) {
      *err = "cannot open the search index " + given.string() + ": " + e.get_msg();
      return nullptr;
    }
  }
  void give(std::unique_ptr<Handle> h) {
    std::lock_guard<std::mutex> lock(mu);
    if (h->generation == generation && pool.size() < kPoolSize) pool.push_back(std::move(h));
  }
  void open() {
    std::string err;
    auto h = take(&err);
    std::lock_guard<std::mutex> lock(mu);
    ok = h != nullptr;
    error = err;
    if (h && h->generation == generation && pool.size() < kPoolSize) pool.push_back(std::move(h));
  }
};

Searcher::Searcher(const std::filesystem::path& index_dir, Facets facets, Folder folder)
    : impl_(std::make_unique<Impl>()) {
  impl_->given = index_dir;
  impl_->dir = folder == Folder::real ? index_dir : resolved(index_dir);
  impl_->mode = facets;
  impl_->open();
  if (impl_->ok) impl_->read_facets(0);
}

Searcher::~Searcher() {
  std::lock_guard<std::mutex> lock(impl_->reader_mu);
  if (impl_->facets_reader.joinable()) impl_->facets_reader.join();
}
bool Searcher::ok() const { return impl_->ok; }
const std::string& Searcher::error() const { return impl_->error; }

void Searcher::reopen() {
  uint64_t gen;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    gen = ++impl_->generation;
    impl_->dir = resolved(impl_->given);
    impl_->pool.clear();
  }
  impl_->open();
  if (impl_->ok) impl_->read_facets(gen);
}

SearchResponse Searcher::search(const SearchRequest& request) const {
  SearchRequest req = request;
  req.page_size = req.page_size <= 0 ? 10 : std::min(req.page_size, kMaxPageSize);
  req.page = std::clamp(req.page, 1, kMaxPage);
  req.query = utf8_prefix(req.query, kMaxQuery);
  req.lang = lower_ascii(trim(req.lang));
  req.query_lang = lower_ascii(trim(req.query_lang));

  for (int attempt = 0;; ++attempt) {
    SearchResponse resp;
    resp.query = req.query;
    resp.page = req.page;
    for (const char* f : kFacetNames) resp.facets[f];
    std::string err;
    std::unique_ptr<Handle> h = impl_->take(&err);
    if (!h) {
      resp.error = err;
      return resp;
    }
    try {
      std::shared_ptr<const FacetTable> facets = impl_->facet_table(*h);
      const uint64_t gen = h->generation;
      auto vocabulary = [this, gen](const std::string& lang) {
        return impl_->vocabulary(lang, gen);
      };
      run_search(Source{h->db, facets.get(), &h->remote, vocabulary}, req, resp);
      impl_->give(std::move(h));
      return resp;
    } catch (const Xapian::DatabaseModifiedError& e) {
      // A writer committed twice while we read: read the new revision.
      if (attempt >= 3) {
        resp.error = e.get_description();
        return resp;
      }
      try {
        h->db.reopen();
        impl_->give(std::move(h));
      } catch (const Xapian::Error&) {
      }
    } catch (const Xapian::Error& e) {
      SearchResponse fail;
      fail.query = req.query;
      fail.page = req.page;
      for (const char* f : kFacetNames) fail.facets[f];
      fail.error = e.get_description();
      return fail;
    }
  }
}

// ---------------------------------------------------------------- rendering

std::string to_json(const SearchResponse& r) {
  std::string o;
  o.reserve(1024 + 768 * r.results.size());  // about a result's size: no growing by copies
  o = "{\"query\":";
  append_json_string(o, r.query);
  o += ",\"total\":" + std::to_string(r.total) + ",\"page\":" + std::to_string(r.page) +
       ",\"results\":[";
  for (size_t i = 0; i < r.results.size(); ++i) {
    const SearchResult& x = r.results[i];
    if (i) o += ',';
    o += '{';
    const std::pair<const char*, const std::string*> fields[] = {
        {"url", &x.url},   {"title", &x.title}, {"symbol", &x.symbol},  {"lang", &x.lang},
        {"date", &x.date}, {"kind", &x.kind},   {"snippet", &x.snippet}};
    for (const auto& [k, v] : fields) {
      o += '"';
      o += k;
      o += "\":";
      append_json_string(o, *v);
      o += ',';
    }
    o += "\"languages\":[";
    for (size_t j = 0; j < x.languages.size(); ++j) {
      if (j) o += ',';
      append_json_string(o, x.languages[j]);
    }
    o += ']';
    if (!x.file.empty()) {
      o += ",\"file\":{\"name\":";
      append_json_string(o, x.file);
      o += ",\"url\":";
      append_json_string(o, x.file_url);
      o += ",\"page\":" + std::to_string(x.file_page) + '}';
    }
    o += '}';
  }
  o += "],\"facets\":{";
  static const char* order[] = {"country", "topic", "meeting", "type", "year", "lang"};
  for (size_t f = 0; f < 6; ++f) {
    if (f) o += ',';
    o += '"';
    o += order[f];
    o += "\":{";
    auto it = r.facets.find(order[f]);
    if (it != r.facets.end()) {
      bool first = true;
      for (const auto& [value, count] : it->second) {
        if (!first) o += ',';
        first = false;
        append_json_string(o, value);
        o += ':' + std::to_string(count);
      }
    }
    o += '}';
  }
  o += "},\"corrected\":";
  append_json_string(o, r.corrected);
  // Before "suggestion", which stays last but for "error".
  o += ",\"relaxed\":";
  o += r.relaxed ? "true" : "false";
  o += ",\"exact_total\":" + std::to_string(r.exact_total);
  o += ",\"other_languages\":";
  o += r.other_languages ? "true" : "false";
  o += ",\"fallbacks\":" + std::to_string(r.fallbacks);
  o += ",\"suggestion\":";
  append_json_string(o, r.suggestion);
  if (!r.error.empty()) {
    o += ",\"error\":";
    append_json_string(o, r.error);
  }
  o += '}';
  return o;
}

namespace {

// The snippet for a terminal: <mark> as [..], entities decoded.
std::string snippet_text(std::string_view html) {
  std::string out;
  for (size_t i = 0; i < html.size();) {
    if (html.compare(i, 6, "<mark>") == 0) {
      out += '[';
      i += 6;
    } else if (html.compare(i, 7, "</mark>") == 0) {
      out += ']';
      i += 7;
    } else if (html[i] == '&') {
      static const std::pair<std::string_view, char> ents[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
      bool done = false;
      for (const auto& [e, c] : ents)
        if (html.compare(i, e.size(), e) == 0) {
          out += c;
          i += e.size();
          done = true;
          break;
        }
      if (!done) out += html[i++];
    } else {
      out += html[i++];
    }
  }
  return out;
}

}  // namespace

std::string to_text(const SearchResponse& r) {
  std::string o;
  if (!r.error.empty()) return "error: " + r.error + "\n";
  o += std::to_string(r.total) + (r.total == 1 ? " result" : " results");
  if (r.page > 1) o += " (page " + std::to_string(r.page) + ")";
  o += "\n";
  if (!r.corrected.empty())
    o += "Showing results for: " + r.corrected + "\nSearch instead for: " + r.query +
         " (with --exact)\n";
  if (!r.suggestion.empty()) o += "Did you mean: " + r.suggestion + "\n";
  if (r.relaxed)
    o += r.exact_total == 0
             ? "No document contains all the words; showing those with most of them.\n"
             : "Few documents contain all the words; after them, those with most of them.\n";
  if (r.other_languages)
    o += "Few results in the language asked; results in the other languages follow (in that "
         "language where a version exists).\n";
  for (const auto& x : r.results) {
    o += "\n" + x.title + "\n  ";
    std::string meta;
    for (const std::string* f : {&x.symbol, &x.date, &x.lang})
      if (!f->empty()) meta += (meta.empty() ? "" : " · ") + *f;
    if (!meta.empty()) o += meta + "\n  ";
    o += x.url + "\n";
    if (!x.file.empty())
      o += "  in " + x.file + (x.file_page > 0 ? ", page " + std::to_string(x.file_page) : "") +
           ": " + x.file_url + "\n";
    if (!x.snippet.empty()) o += "  " + snippet_text(x.snippet) + "\n";
  }
  bool header = false;
  static const char* order[] = {"country", "topic", "meeting", "type", "year", "lang"};
  for (const char* f : order) {
    auto it = r.facets.find(f);
    if (it == r.facets.end() || it->second.empty()) continue;
    if (!header) o += "\nFacets:\n";
    header = true;
    o += std::string("  ") + f + ":";
    for (const auto& [v, c] : it->second) o += " " + v + " (" + std::to_string(c) + ")";
    o += "\n";
  }
  return o;
}

}  // namespace sitegen::index
