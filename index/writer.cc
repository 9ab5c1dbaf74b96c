// The layout written here is described in docs/index-format.md; search.cc
// reads the same prefixes, value slots and document data (keep them in step).
#include "index/writer.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "index/analyzer.h"
#include "index/facet_table.h"
#include "index/han_words.h"
#include "index/layout.h"
#include "index/spelling.h"
#include "index/text.h"

namespace sitegen::index {
namespace {

using namespace layout;

namespace fs = std::filesystem;

constexpr size_t kTextExcerpt = 4096;
constexpr size_t kAttachmentExcerpt = 1024;
// An attachment page's text is kept whole up to this, for its snippets: a
// page of a report is a few kilobytes.
constexpr size_t kPageExcerpt = 16384;





// Uppercased, without spaces: "aplc / msp.22" -> "APLC/MSP.22".
std::string symbol_key(std::string_view s) {
  std::string r;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) r += c;
  return upper_ascii(r);
}

bool is_delim(char c) { return c == '/' || c == '.'; }

// XSYM<key> for the exact symbol; XSYP<span> for every run of whole
// components (split at '/' and '.'), so "APLC/MSP.22", "MSP.22" and
// "MSP.22/2025" all find APLC/MSP.22/2025/WP.3.
void add_symbol_terms(Xapian::Document& doc, const std::string& symbol) {
  std::string key = symbol_key(symbol);
  if (key.empty()) return;
  if (key.size() + 4 <= kMaxTerm) doc.add_term("XSYM" + key);
  std::vector<size_t> starts{0}, ends;
  for (size_t i = 0; i < key.size(); ++i)
    if (is_delim(key[i])) {
      ends.push_back(i);
      starts.push_back(i + 1);
    }
  ends.push_back(key.size());
  for (size_t s : starts)
    for (size_t e : ends)
      if (e > s && e - s + 4 <= kMaxTerm) doc.add_term("XSYP" + key.substr(s, e - s));
}

std::string digits_of(std::string_view s) {
  std::string d;
  for (char c : s)
    if (c >= '0' && c <= '9') d += c;
  return d;
}

void put_field(std::string& out, std::string_view s) {
  uint64_t n = s.size();
  while (n >= 0x80) {
    out += char((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += char(n);
  out.append(s);
}

std::string join(const std::vector<std::string>& v, char sep) {
  std::string r;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) r += sep;
    r += v[i];
  }
  return r;
}

// The language a stored document's text was analysed in (its data's
// text_lang field, see docs/index-format.md), for taking its words back
// out of that language's vocabulary.
std::string text_lang_of(const Xapian::Document& doc) {
  const std::string data = doc.get_data();
  if (data.empty() || data[0] != '1') return "";
  size_t pos = 1;
  std::string_view field;
  for (int i = 0; i < 7; ++i) {
    uint64_t n = 0;
    for (int shift = 0;; shift += 7) {
      if (pos >= data.size() || shift > 56) return "";
      unsigned char c = data[pos++];
      n |= uint64_t(c & 0x7f) << shift;
      if (!(c & 0x80)) break;
    }
    if (n > data.size() - pos) return "";
    field = std::string_view(data).substr(pos, n);
    pos += n;
  }
  return std::string(field);
}

// The Arabic words of a field as written, before normalize_for_search
// took their article off (layout.h): no positions, wdf as the field's
// words.
void add_written_forms(Xapian::Document& doc, const std::vector<std::string>& forms,
                       Xapian::termcount wdf_inc = 1) {
  for (const auto& f : forms)
    if (f.size() + kArabicWrittenPrefix.size() <= kMaxTerm)
      doc.add_term(std::string(kArabicWrittenPrefix) + f, wdf_inc);
}

// The last byte of slot 0: within a group and language, a document's own
// entry sorts first (slot 0 is sorted in reverse), then its attachment
// pages in page order, so that the one a date order or a tie in relevance
// keeps of the group is the document, or the first page that matched.
std::string entry_rank(const Entry& e) {
  if (e.file.empty()) return "\xff";
  return std::string(1, static_cast<char>(0xfe - std::min(e.file_page, 0xfd)));
}

Xapian::Document make_document(const Entry& e, const std::string& hash) {
  Xapian::Document doc;
  const std::string& tlang = e.text_lang.empty() ? e.lang : e.text_lang;
  Xapian::TermGenerator tg;
  tg.set_document(doc);
  tg.set_stemmer(Xapian::Stem(stemmer_language(tlang)));
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);

  // index_text: tg's, with runs of Han characters as words (han_words.h).
  std::vector<std::string> written;
  std::string title = normalize_for_search(e.title, tlang, &written);
  // An attachment page has its document's title, so that a query of words
  // from both finds it, but not its `title:` and symbol terms: those find
  // the document's own entry.
  const bool attachment_page = !e.file.empty();
  index_text(tg, doc, title, 5);
  add_written_forms(doc, written, 5);
  written.clear();
  tg.increase_termpos();
  if (!attachment_page) index_text(tg, doc, title, 1, "S");
  tg.increase_termpos();
  if (!e.symbol.empty() && !attachment_page) {
    index_text(tg, doc, normalize_for_search(e.symbol, tlang));
    tg.increase_termpos();
  }
  index_text(tg, doc, normalize_for_search(e.text, tlang, &written));
  if (!e.attachment_text.empty()) {
    tg.increase_termpos();
    index_text(tg, doc, normalize_for_search(e.attachment_text, tlang, &written));
  }
  add_written_forms(doc, written);

  const std::string group = e.group.empty() ? e.url : e.group;
  const std::string date = digits_of(e.date);
  const std::string year = date.size() >= 4 ? date.substr(0, 4) : "";
  std::vector<std::string> countries;
  for (const auto& c : e.countries) countries.push_back(upper_ascii(c));

  const uint64_t gid = fnv64(group);
  doc.add_boolean_term(bounded_term("Q", entry_id(e)));
  if (attachment_page) {
    doc.add_boolean_term(std::string(kAttachmentPageTerm));
    doc.add_boolean_term(bounded_term(kParentPrefix, e.url));
  }
  doc.add_boolean_term(group_term(group_bytes(gid)));
  doc.add_boolean_term(bounded_term("XL", e.lang));
  if (!e.kind.empty()) doc.add_boolean_term(bounded_term("XK", e.kind));
  if (!e.type.empty()) doc.add_boolean_term(bounded_term("XY", e.type));
  if (!e.meeting.empty()) doc.add_boolean_term(bounded_term("XM", e.meeting));
  if (!year.empty()) doc.add_boolean_term("XD" + year);
  for (const auto& c : countries) doc.add_boolean_term(bounded_term("XC", c));
  for (const auto& t : e.topics) doc.add_boolean_term(bounded_term("XT", t));
  if (!attachment_page) add_symbol_terms(doc, e.symbol);

  doc.add_value(kSlotGroup, group_bytes(gid));
  doc.add_value(kSlotHash, hash);
  std::string facets;
  for (int i = 0; i < 8; ++i) facets += char((gid >> (8 * i)) & 0xff);
  facets += e.lang + kFieldSep + e.type + kFieldSep + e.meeting + kFieldSep + year + kFieldSep +
            join(countries, kListSep) + kFieldSep + join(e.topics, kListSep);
  doc.add_value(kSlotFacets, facets);
  // The date order, ties broken by group and language, not by docid: the
  // docids of shards differ from those of one database (index-format.md).
  doc.add_value(kSlotDate, date_bytes(date) + group_bytes(gid) + e.lang + entry_rank(e));

  std::vector<std::string> languages = e.languages;
  if (languages.empty()) languages.push_back(e.lang);
  std::string data = "1";
  for (std::string_view f :
       {std::string_view(e.url), std::string_view(e.title), std::string_view(e.symbol),
        std::string_view(e.lang), std::string_view(e.date), std::string_view(e.kind),
        std::string_view(tlang)})
    put_field(data, f);
  put_field(data, join(languages, ','));
  put_field(data, utf8_prefix(e.text, attachment_page ? kPageExcerpt : kTextExcerpt));
  put_field(data, utf8_prefix(e.attachment_text, kAttachmentExcerpt));
  if (attachment_page) {
    put_field(data, e.file);
    put_field(data, std::to_string(e.file_page));
  }
  doc.set_data(data);
  return doc;
}

// Empties Xapian's spelling table, which indexes of format 2 kept (one for
// all languages) and nothing reads any more: an index built on from an old
// one would otherwise carry it for ever. Once: the table then stays empty.
void drop_xapian_spelling(Xapian::WritableDatabase& db) {
  std::vector<std::pair<std::string, Xapian::termcount>> words;
  for (auto t = db.spellings_begin(); t != db.spellings_end(); ++t)
    words.emplace_back(*t, t.get_termfreq());
  for (const auto& [word, n] : words) db.remove_spelling(word, n);
}

bool safe_shard_name(const std::string& lang) {
  if (lang.empty() || lang.size() > 16) return false;
  return std::all_of(lang.begin(), lang.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// The facet table of a committed database, beside it (FacetTable::load):
// a search then maps it rather than decode each match's facets, or read
// every document's (docs/index-format.md, "Facet table"). One that cannot
// be written or made (docids too sparse) is no error: searches decode, as
// they do for a table of another revision, which the reader tells apart.
void save_facets(const Xapian::Database& db, const fs::path& dir) {
  const fs::path path = dir / FacetTable::kFileName;
  std::string error;
  std::error_code ec;
  auto table = FacetTable::build(db);
  if (!table || !table->save(path, &error)) fs::remove(path, ec);
}

// The ids (Q terms) of the attachment pages of the document at `url` that
// are not in `keep`.
void stale_attachment_pages(const Xapian::Database& db, const std::string& url,
                            const std::unordered_set<std::string>& keep,
                            std::vector<std::string>& gone) {
  const std::string parent = bounded_term(kParentPrefix, url);
  for (auto p = db.postlist_begin(parent); p != db.postlist_end(parent); ++p) {
    auto t = db.termlist_begin(*p);
    t.skip_to("Q");
    if (t != db.termlist_end(*p) && (*t)[0] == 'Q' && !keep.count(*t)) gone.push_back(*t);
  }
}

struct Shard {
  Xapian::WritableDatabase db;
  bool in_transaction = false;
};

}  // namespace

struct Writer::Impl {
  fs::path dir;
  Sharding sharding;
  Durability durability;
  std::map<std::string, Shard> shards;  // "" when not sharded
  bool ok = false, committed = false, updated = false;
  int make_threads = std::max(1u, std::thread::hardware_concurrency());
  std::string error;

  Shard* open_shard(const std::string& name) {
    auto it = shards.find(name);
    if (it != shards.end()) return &it->second;
    fs::path p = name.empty() ? dir : dir / name;
    int flags = Xapian::DB_CREATE_OR_OPEN;
    if (durability == Durability::unsynced) flags |= Xapian::DB_NO_SYNC;
    Shard s{Xapian::WritableDatabase(p.string(), flags)};
    s.db.begin_transaction(true);
    s.in_transaction = true;
    return &shards.emplace(name, std::move(s)).first->second;
  }

  // One database's share of the update. Making a Xapian document (text
  // analysis) is half the cost and independent per entry, so batches are
  // made on worker threads while this thread adds the previous batch.
  void update_db(Shard& shard, const std::vector<const Entry*>& entries, bool delete_others,
                 WriteStats& st) {
    Xapian::WritableDatabase& db = shard.db;
    // Each language's words, for typo correction (index/spelling.h).
    VocabularyChanges spelling;
    std::mutex spelling_mu;
    std::unordered_set<std::string> keep;
    struct Todo {
      const Entry* entry;
      std::string qterm, hash;
    };
    std::vector<Todo> todo;
    for (const Entry* e : entries) {
      std::string qterm = bounded_term("Q", entry_id(*e));
      std::string hash = hex16(entry_hash(*e));
      bool seen_now = !keep.insert(qterm).second;
      Xapian::PostingIterator p = db.postlist_begin(qterm);
      if (p != db.postlist_end(qterm)) {
        Xapian::Document old = db.get_document(*p);
        if (old.get_value(kSlotHash) == hash) {
          if (!seen_now) ++st.unchanged;
          continue;
        }
        spelling.count(old, text_lang_of(old), -1);
        ++st.replaced;
      } else {
        ++st.added;
      }
      todo.push_back({e, std::move(qterm), std::move(hash)});
    }
    constexpr size_t kBatch = 128;
    auto make_batch = [&](size_t from) {
      size_t n = std::min(kBatch, todo.size() - from);
      std::vector<Xapian::Document> docs(n);
      std::atomic<size_t> next{0};
      auto work = [&] {
        VocabularyChanges words;
        for (size_t i; (i = next.fetch_add(1)) < n;) {
          const Entry& e = *todo[from + i].entry;
          docs[i] = make_document(e, todo[from + i].hash);
          words.count(docs[i], e.text_lang.empty() ? e.lang : e.text_lang, +1);
        }
        std::lock_guard lock(spelling_mu);
        spelling.merge(words);
      };
      std::vector<std::thread> helpers;
      for (int t = 1; t < make_threads; ++t) helpers.emplace_back(work);
      work();
      for (auto& t : helpers) t.join();
      return docs;
    };
    std::future<std::vector<Xapian::Document>> next_batch;
    if (!todo.empty()) next_batch = std::async(std::launch::async, make_batch, 0);
    for (size_t from = 0; from < todo.size(); from += kBatch) {
      std::vector<Xapian::Document> docs = next_batch.get();
      if (from + kBatch < todo.size())
        next_batch = std::async(std::launch::async, make_batch, from + kBatch);
      for (size_t i = 0; i < docs.size(); ++i) {
        db.replace_document(todo[from + i].qterm, docs[i]);
      }
    }
    std::vector<std::string> gone;
    if (delete_others) {
      for (auto t = db.allterms_begin("Q"); t != db.allterms_end("Q"); ++t)
        if (!keep.count(*t)) gone.push_back(*t);
    } else {
      // A document updated alone takes with it the pages its attachments
      // no longer have.
      for (const Entry* e : entries)
        if (e->file.empty()) stale_attachment_pages(db, e->url, keep, gone);
    }
    for (const auto& qterm : gone) {
      for (auto p = db.postlist_begin(qterm); p != db.postlist_end(qterm); ++p) {
        Xapian::Document old = db.get_document(*p);
        spelling.count(old, text_lang_of(old), -1);
      }
      db.delete_document(qterm);
      ++st.deleted;
    }
    spelling.apply(db);
    drop_xapian_spelling(db);
  }
};

bool layout_matches(const fs::path& dir, Sharding sharding) {
  std::error_code ec;
  if (sharding == Sharding::none) return !fs::exists(dir / "XAPIANDB", ec);
  return !fs::exists(dir / "iamglass", ec) && !fs::exists(dir / "iamchert", ec);
}

void tune_xapian_flushing() { setenv("XAPIAN_FLUSH_THRESHOLD", "100", /*overwrite=*/0); }

Writer::Writer(const fs::path& dir, Sharding sharding, Durability durability)
    : impl_(std::make_unique<Impl>()) {
  impl_->dir = dir;
  impl_->sharding = sharding;
  impl_->durability = durability;
  try {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (sharding == Sharding::none) {
      if (fs::exists(dir / "XAPIANDB")) {
        impl_->error = dir.string() + " holds a sharded index (XAPIANDB); remove it first";
        return;
      }
      impl_->open_shard("");
    } else {
      if (fs::exists(dir / "iamglass") || fs::exists(dir / "iamchert")) {
        impl_->error = dir.string() + " holds an unsharded index; remove it first";
        return;
      }
      // Existing shards take part, so entries gone from the site are deleted.
      for (const auto& d : fs::directory_iterator(dir, ec)) {
        std::string name = d.path().filename().string();
        if (d.is_directory() && safe_shard_name(name) && fs::exists(d.path() / "iamglass"))
          impl_->open_shard(name);
      }
    }
    impl_->ok = true;
  } catch (const Xapian::Error& e) {
    impl_->error = e.get_description();
    impl_->shards.clear();
  }
}

Writer::~Writer() {
  if (!impl_->committed)
    for (auto& [name, s] : impl_->shards) {
      try {
        if (s.in_transaction) s.db.cancel_transaction();
        s.in_transaction = false;
      } catch (const Xapian::Error&) {
      }
    }
  for (auto& [name, s] : impl_->shards) {
    try {
      s.db.close();
    } catch (const Xapian::Error&) {
    }
  }
}

bool Writer::ok() const { return impl_->ok; }
const std::string& Writer::error() const { return impl_->error; }

bool Writer::update(const std::vector<Entry>& entries, WriteStats* stats, Scope scope) {
  WriteStats st;
  if (!impl_->ok) return false;
  if (impl_->updated || impl_->committed) {
    impl_->error = "Writer::update called twice";
    return false;
  }
  impl_->updated = true;
  try {
    std::map<std::string, std::vector<const Entry*>> by_shard;
    for (const auto& e : entries) {
      if (impl_->sharding == Sharding::none) {
        by_shard[""].push_back(&e);
      } else {
        std::string name = e.lang;
        if (!safe_shard_name(name)) name = "und";
        by_shard[name].push_back(&e);
      }
    }
    if (impl_->sharding == Sharding::by_language && by_shard.empty() && impl_->shards.empty())
      impl_->open_shard("en");  // an empty stub cannot be opened
    for (const auto& [name, list] : by_shard) impl_->open_shard(name);
    // Shards are independent databases: each is written on its own thread.
    static const std::vector<const Entry*> none;
    std::vector<std::thread> threads;
    std::vector<WriteStats> shard_stats(impl_->shards.size());
    std::vector<std::string> errors(impl_->shards.size());
    size_t i = 0;
    for (auto& named_shard : impl_->shards) {
      // Not a structured binding: clang 14 cannot capture one in a lambda.
      const auto& name = named_shard.first;
      auto& shard = named_shard.second;
      auto it = by_shard.find(name);
      const auto& list = it == by_shard.end() ? none : it->second;
      auto work = [this, &shard, &list, &shard_stats, &errors, i, scope] {
        try {
          impl_->update_db(shard, list, scope == Scope::whole_site, shard_stats[i]);
        } catch (const Xapian::Error& e) {
          errors[i] = e.get_description();
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      };
      if (impl_->shards.size() == 1)
        work();
      else
        threads.emplace_back(work);
      ++i;
    }
    for (auto& t : threads) t.join();
    for (size_t k = 0; k < errors.size(); ++k) {
      if (!errors[k].empty()) {
        impl_->error = errors[k];
        impl_->ok = false;
        return false;
      }
      st.added += shard_stats[k].added;
      st.replaced += shard_stats[k].replaced;
      st.unchanged += shard_stats[k].unchanged;
      st.deleted += shard_stats[k].deleted;
    }
  } catch (const Xapian::Error& e) {
    impl_->error = e.get_description();
    impl_->ok = false;
    return false;
  }
  if (stats) *stats = st;
  return true;
}

bool Writer::commit() {
  if (!impl_->ok || impl_->committed) return false;
  try {
    for (auto& [name, s] : impl_->shards) {
      s.db.commit_transaction();
      s.in_transaction = false;
    }
    impl_->committed = true;
    if (impl_->sharding == Sharding::none)
      for (auto& [name, s] : impl_->shards) save_facets(s.db, impl_->dir);
    if (impl_->sharding == Sharding::by_language) {
      // The stub lists every shard; relative paths are relative to it.
      fs::path tmp = impl_->dir / "XAPIANDB.tmp";
      {
        std::ofstream out(tmp, std::ios::trunc);
        for (const auto& [name, s] : impl_->shards) out << "auto " << name << "\n";
        if (!out.flush()) {
          impl_->error = "cannot write " + tmp.string();
          return false;
        }
      }
      std::error_code ec;
      fs::rename(tmp, impl_->dir / "XAPIANDB", ec);
      if (ec) {
        impl_->error =
            "cannot write the stub " + (impl_->dir / "XAPIANDB").string() + ": " + ec.message();
        return false;
      }
    }
  } catch (const Xapian::Error& e) {
    impl_->error = e.get_description();
    return false;
  }
  return true;
}

}  // namespace sitegen::index
