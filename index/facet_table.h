// Facet counting for the searcher (slot 3 of docs/index-format.md). A search
// counts, for each facet value, the distinct groups among ALL its matches;
// decoding slot 3 of every match was a fifth of a search's time. So the
// facets of every document are read once per opened index into a
// FacetTable, and a search only marks the docids it matched. The writer
// also saves the table beside the database it describes (`facets.sitegen`,
// docs/index-format.md), so that a process that answers one search (CGI)
// maps it instead of reading slot 3 of every match.
// A FacetTable is immutable once built: share it between threads freely.
// A FacetCounter belongs to one search (one thread).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <string>
#include <vector>

namespace sitegen::index {

// Facet names in the order of the fields of slot 3.
inline constexpr const char* kFacetNames[6] = {"lang", "type", "meeting", "year", "country", "topic"};

// facet -> value -> distinct groups (the shape of SearchResponse::facets).
using FacetCounts = std::map<std::string, std::map<std::string, size_t>>;

// Every document's group and facet values, by docid, for one revision of
// one database.
class FacetTable {
 public:
  // Reads slot 3 of every document of `db`. nullptr when `db` has several
  // shards (Xapian 1.4 gives a match spy the docid within the shard, which
  // does not tell the shard, so such matches are decoded one by one), or
  // when its docids are too sparse to be worth a table. Throws Xapian::Error.
  static std::shared_ptr<const FacetTable> build(const Xapian::Database& db);

  // The file name of a saved table, in the database's directory.
  static constexpr const char* kFileName = "facets.sitegen";
  // Writes the table to `path` (through a temporary file and a rename).
  // False, with *error, when it cannot.
  bool save(const std::filesystem::path& path, std::string* error) const;
  // The table saved at `path`, mapped, when it describes `db` (same
  // database, same revision) and is whole; else nullptr (the caller then
  // builds one, or decodes each match).
  static std::shared_ptr<const FacetTable> load(const std::filesystem::path& path,
                                                const Xapian::Database& db);

  // Whether `db` is the database and revision the table was built from: a
  // handle opened later may see a newer commit.
  bool describes(const Xapian::Database& db) const;

  // Sentinels of rank().
  static constexpr uint32_t kUnknown = UINT32_MAX;       // not in the table
  static constexpr uint32_t kNoFacets = UINT32_MAX - 1;  // a document without slot 3
  // The document's position in group order (documents of one group are
  // adjacent), or a sentinel.
  uint32_t rank(Xapian::docid did) const {
    return did < rank_of_.size() ? rank_of_[did] : kUnknown;
  }
  size_t ranks() const { return group_of_.size(); }

 private:
  friend class FacetCounter;
  struct Value {
    uint32_t facet;  // index into kFacetNames
    uint32_t offset, length;  // of its text in texts_
  };
  struct Fingerprint {
    std::string uuid;
    Xapian::rev revision = 0;
    bool operator==(const Fingerprint&) const = default;
  };
  // Throws Xapian::InvalidOperationError for a database of several shards.
  static Fingerprint fingerprint(const Xapian::Database& db);
  std::string_view text(const Value& v) const { return texts_.substr(v.offset, v.length); }

  // Views into storage_: vectors of a built table, or a mapped file.
  std::span<const uint32_t> rank_of_;      // by docid
  std::span<const uint32_t> group_of_;     // by rank: dense group index
  std::span<const uint64_t> group_id_;     // by group index: slot 3's group id
  std::span<const uint32_t> first_value_;  // by rank, one past the end too: into value_ids_
  std::span<const uint32_t> value_ids_;    // into values_
  std::span<const Value> values_;          // the dictionary of (facet, value), sorted
  std::string_view texts_;                 // the values' texts, one after the other
  Fingerprint fingerprint_;
  struct Storage;
  std::shared_ptr<const Storage> storage_;
};

// The match spy of one search: sees every match (before collapsing) and
// counts the facets of those it saw. Docids the table does not know (or
// every match, without a table) are counted from their slot 3 as read.
class FacetCounter : public Xapian::MatchSpy {
 public:
  explicit FacetCounter(const FacetTable* table) : table_(table) {
    if (table_) seen_.resize((table_->ranks() + 63) / 64);
  }
  void operator()(const Xapian::Document& doc, double) override;
  std::string name() const override { return "sitegen::FacetCounter"; }

  // Matches with facets.
  size_t docs() const { return docs_; }
  // Sets each facet of *facets to its values' counts of distinct groups
  // (values without matches absent); returns the number of distinct groups.
  size_t count(FacetCounts* facets) const;

 private:
  size_t count_from_table(FacetCounts* facets) const;
  size_t count_decoding(FacetCounts* facets) const;

  const FacetTable* table_;
  size_t docs_ = 0;
  std::vector<uint64_t> seen_;       // a bit per rank of the table
  std::vector<std::string> others_;  // slot 3 of matches outside the table
};

// Counts the facets of the matches that Xapian's own ValueCountMatchSpy on
// slot 3 saw: each distinct slot-3 value is a (group, version's facets)
// pair, so distinct groups per facet value come out exactly as with
// FacetCounter, however many shards (or language versions) a group spans.
// This is the way for databases with several or remote shards: that spy is
// serialisable and registered by xapian-tcpsrv, ours are not. Returns the
// number of distinct groups; *docs gets the number of matches with facets.
size_t count_facet_values(const Xapian::ValueCountMatchSpy& spy, FacetCounts* facets, size_t* docs);

}  // namespace sitegen::index
