// Reads slot 3 as docs/index-format.md describes it (written by writer.cc).
#include "index/facet_table.h"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "index/layout.h"

namespace sitegen::index {
namespace {

using namespace layout;

// The 8 bytes before the fields: little-endian group id.
uint64_t group_id_of(std::string_view slot) {
  uint64_t gid = 0;
  for (int i = 0; i < 8; ++i) gid |= uint64_t(static_cast<unsigned char>(slot[i])) << (8 * i);
  return gid;
}

// Calls each(facet, value) for every non-empty value of a slot-3 value of
// at least 8 bytes; the last two fields are lists.
template <class F>
void for_each_value(std::string_view slot, F&& each) {
  std::string_view rest = slot.substr(8);
  for (int f = 0; f < 6; ++f) {
    size_t end = rest.find(kFieldSep);
    std::string_view field = rest.substr(0, end);
    while (!field.empty()) {
      size_t le = f >= 4 ? field.find(kListSep) : std::string_view::npos;
      std::string_view value = field.substr(0, le);
      if (!value.empty()) each(f, value);
      if (le == std::string_view::npos) break;
      field.remove_prefix(le + 1);
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
}

// Distinct groups per facet value, from group ids and value strings: the
// way for matches the table does not know. Each group gets a dense index,
// each value a bitset over those indexes.
class Tally {
 public:
  uint32_t group(uint64_t gid) {
    return groups_.emplace(gid, static_cast<uint32_t>(groups_.size())).first->second;
  }
  void add(uint32_t g, int facet, std::string_view value) {
    auto& m = values_[facet];
    auto it = m.find(value);
    if (it == m.end()) it = m.emplace(std::string(value), Bits{}).first;
    Bits& bits = it->second;
    if (bits.size() <= g / 64) bits.resize(g / 64 + 1);
    bits[g / 64] |= uint64_t(1) << (g % 64);
  }
  // A group's language versions mostly share all but their language (the
  // first field): a version whose other fields are those of the group's
  // previous one adds only its language, saving a lookup per value.
  void add_slot(std::string_view slot) {
    uint32_t g = group(group_id_of(slot));
    if (previous_.size() <= g) previous_.resize(g + 1);
    size_t sep = slot.find(kFieldSep, 8);
    if (sep != std::string_view::npos && previous_[g] == slot.substr(sep)) {
      if (sep > 8) add(g, 0, slot.substr(8, sep - 8));
      return;
    }
    for_each_value(slot, [&](int f, std::string_view v) { add(g, f, v); });
    if (sep != std::string_view::npos) previous_[g] = slot.substr(sep);
  }
  size_t finish(FacetCounts* facets) const {
    for (int f = 0; f < 6; ++f) {
      auto& out = (*facets)[kFacetNames[f]];
      out.clear();
      for (const auto& [value, bits] : values_[f]) {
        size_t n = 0;
        for (uint64_t w : bits) n += static_cast<size_t>(__builtin_popcountll(w));
        out[value] = n;
      }
    }
    return groups_.size();
  }

 private:
  struct SvHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Bits = std::vector<uint64_t>;
  std::unordered_map<uint64_t, uint32_t> groups_;
  std::unordered_map<std::string, Bits, SvHash, std::equal_to<>> values_[6];
  std::vector<std::string> previous_;  // by group: the fields after the language
};

// Calls each(rank) for every set bit, in increasing order.
template <class F>
void for_each_bit(const std::vector<uint64_t>& bits, F&& each) {
  for (size_t w = 0; w < bits.size(); ++w)
    for (uint64_t b = bits[w]; b; b &= b - 1)
      each(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(b))));
}

}  // namespace

// ---------------------------------------------------------------- FacetTable

FacetTable::Fingerprint FacetTable::fingerprint(const Xapian::Database& db) {
  return {db.get_uuid(), db.get_revision()};
}

bool FacetTable::describes(const Xapian::Database& db) const {
  try {
    return fingerprint(db) == fingerprint_;
  } catch (const Xapian::Error&) {
    return false;  // no longer a single local database
  }
}

std::shared_ptr<const FacetTable> FacetTable::build(const Xapian::Database& db) {
  auto t = std::make_shared<FacetTable>();
  if (db.size() != 1) return nullptr;  // several shards: a match spy sees their own docids
  try {
    t->fingerprint_ = fingerprint(db);
  } catch (const Xapian::UnimplementedError&) {
    return nullptr;  // a remote database: our match spy cannot run there
  }
  // Past this (a database with most documents deleted) decoding each match
  // is better than a table mostly of holes.
  Xapian::docid last = db.get_lastdocid();
  if (last > 64 * uint64_t(db.get_doccount()) + (1u << 20)) return nullptr;
  t->rank_of_.assign(size_t(last) + 1, kUnknown);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) t->rank_of_[*it] = kNoFacets;

  // Each document's group and values, in docid order.
  std::vector<Xapian::docid> dids;
  std::vector<uint32_t> groups, firsts = {0}, ids;
  std::unordered_map<uint64_t, uint32_t> group_index;
  std::unordered_map<std::string, uint32_t> value_index;  // facet digit + value
  for (auto v = db.valuestream_begin(kSlotFacets); v != db.valuestream_end(kSlotFacets); ++v) {
    const std::string slot = *v;
    if (slot.size() < 8 || v.get_docid() > last) continue;
    uint64_t gid = group_id_of(slot);
    auto [g, fresh] = group_index.emplace(gid, static_cast<uint32_t>(t->group_id_.size()));
    if (fresh) t->group_id_.push_back(gid);
    dids.push_back(v.get_docid());
    groups.push_back(g->second);
    for_each_value(slot, [&](int f, std::string_view value) {
      std::string key(1, char('0' + f));
      key.append(value);
      auto [id, added] = value_index.emplace(std::move(key), static_cast<uint32_t>(t->values_.size()));
      if (added) t->values_.push_back({f, std::string(value)});
      ids.push_back(id->second);
    });
    firsts.push_back(static_cast<uint32_t>(ids.size()));
  }

  // The dictionary in (facet, value) order, so that counts come out in the
  // order of the response's maps.
  std::vector<uint32_t> order(t->values_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Value &x = t->values_[a], &y = t->values_[b];
    return x.facet != y.facet ? x.facet < y.facet : x.text < y.text;
  });
  std::vector<uint32_t> renumber(order.size());
  std::vector<Value> sorted;
  sorted.reserve(order.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    renumber[order[i]] = i;
    sorted.push_back(std::move(t->values_[order[i]]));
  }
  t->values_ = std::move(sorted);

  // Ranks in group order: a counting sort by group, stable.
  size_t n = dids.size();
  std::vector<uint32_t> next(t->group_id_.size() + 1, 0);
  for (uint32_t g : groups) ++next[g + 1];
  std::partial_sum(next.begin(), next.end(), next.begin());
  std::vector<uint32_t> doc_at(n);
  for (uint32_t i = 0; i < n; ++i) doc_at[next[groups[i]]++] = i;
  t->group_of_.reserve(n);
  t->first_value_.reserve(n + 1);
  t->value_ids_.reserve(ids.size());
  for (uint32_t r = 0; r < n; ++r) {
    uint32_t i = doc_at[r];
    t->rank_of_[dids[i]] = r;
    t->group_of_.push_back(groups[i]);
    t->first_value_.push_back(static_cast<uint32_t>(t->value_ids_.size()));
    for (uint32_t k = firsts[i]; k < firsts[i + 1]; ++k) t->value_ids_.push_back(renumber[ids[k]]);
  }
  t->first_value_.push_back(static_cast<uint32_t>(t->value_ids_.size()));
  return t;
}

// -------------------------------------------------------------- FacetCounter

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  // The docid is known without reading the document: this is the point.
  uint32_t r = table_ ? table_->rank(doc.get_docid()) : FacetTable::kUnknown;
  if (r == FacetTable::kNoFacets) return;
  if (r != FacetTable::kUnknown) {
    seen_[r / 64] |= uint64_t(1) << (r % 64);
    ++docs_;
    return;
  }
  std::string slot = doc.get_value(layout::kSlotFacets);
  if (slot.size() < 8) return;
  ++docs_;
  others_.push_back(std::move(slot));
}

size_t FacetCounter::count(FacetCounts* facets) const {
  return others_.empty() && table_ ? count_from_table(facets) : count_decoding(facets);
}

// Ranks visit a group's documents one after the other, so a value is
// counted once per group by remembering the last group that counted it.
size_t FacetCounter::count_from_table(FacetCounts* facets) const {
  const FacetTable& t = *table_;
  std::vector<uint32_t> last(t.values_.size(), UINT32_MAX), n(t.values_.size(), 0);
  size_t groups = 0;
  uint32_t previous = UINT32_MAX;
  for_each_bit(seen_, [&](uint32_t r) {
    uint32_t g = t.group_of_[r];
    if (g != previous) ++groups;
    previous = g;
    for (uint32_t k = t.first_value_[r]; k < t.first_value_[r + 1]; ++k) {
      uint32_t v = t.value_ids_[k];
      if (last[v] != g) {
        last[v] = g;
        ++n[v];
      }
    }
  });
  std::map<std::string, size_t>* out[6];
  for (int f = 0; f < 6; ++f) {
    out[f] = &(*facets)[kFacetNames[f]];
    out[f]->clear();
  }
  for (size_t v = 0; v < n.size(); ++v)
    if (n[v]) out[t.values_[v].facet]->emplace_hint(out[t.values_[v].facet]->end(), t.values_[v].text, n[v]);
  return groups;
}

// Some matches are unknown to the table (the index changed since it was
// read): count everything by group id, as the slots say.
size_t FacetCounter::count_decoding(FacetCounts* facets) const {
  Tally tally;
  if (table_) {
    const FacetTable& t = *table_;
    for_each_bit(seen_, [&](uint32_t r) {
      uint32_t g = tally.group(t.group_id_[t.group_of_[r]]);
      for (uint32_t k = t.first_value_[r]; k < t.first_value_[r + 1]; ++k) {
        const auto& v = t.values_[t.value_ids_[k]];
        tally.add(g, v.facet, v.text);
      }
    });
  }
  for (const auto& slot : others_) tally.add_slot(slot);
  return tally.finish(facets);
}

size_t count_facet_values(const Xapian::ValueCountMatchSpy& spy, FacetCounts* facets,
                          size_t* docs) {
  Tally tally;
  size_t n = 0;
  for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
    const std::string slot = *v;
    if (slot.size() < 8) continue;
    n += v.get_termfreq();
    tally.add_slot(slot);
  }
  if (docs) *docs = n;
  return tally.finish(facets);
}

}  // namespace sitegen::index
