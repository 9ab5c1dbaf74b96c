// Reads slot 3 as docs/index-format.md describes it (written by writer.cc).
#include "index/facet_table.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "index/layout.h"

namespace sitegen::index {
namespace {

namespace fs = std::filesystem;

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

struct FacetTable::Storage {
  // A built table's own arrays.
  std::vector<uint32_t> rank_of, group_of, first_value, value_ids;
  std::vector<uint64_t> group_id;
  std::vector<Value> values;
  std::string texts;
  // Or a saved table's mapping.
  void* map = nullptr;
  size_t map_size = 0;
  ~Storage() {
    if (map) munmap(map, map_size);
  }
};

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
  auto st = std::make_shared<Storage>();
  st->rank_of.assign(size_t(last) + 1, kUnknown);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) st->rank_of[*it] = kNoFacets;

  // Each document's group and values, in docid order.
  struct Text {
    uint32_t facet;
    std::string text;
  };
  std::vector<Text> values;
  std::vector<Xapian::docid> dids;
  std::vector<uint32_t> groups, firsts = {0}, ids;
  std::unordered_map<uint64_t, uint32_t> group_index;
  std::unordered_map<std::string, uint32_t> value_index;  // facet digit + value
  for (auto v = db.valuestream_begin(kSlotFacets); v != db.valuestream_end(kSlotFacets); ++v) {
    const std::string slot = *v;
    if (slot.size() < 8 || v.get_docid() > last) continue;
    uint64_t gid = group_id_of(slot);
    auto [g, fresh] = group_index.emplace(gid, static_cast<uint32_t>(st->group_id.size()));
    if (fresh) st->group_id.push_back(gid);
    dids.push_back(v.get_docid());
    groups.push_back(g->second);
    for_each_value(slot, [&](int f, std::string_view value) {
      std::string key(1, char('0' + f));
      key.append(value);
      auto [id, added] = value_index.emplace(std::move(key), static_cast<uint32_t>(values.size()));
      if (added) values.push_back({uint32_t(f), std::string(value)});
      ids.push_back(id->second);
    });
    firsts.push_back(static_cast<uint32_t>(ids.size()));
  }

  // The dictionary in (facet, value) order, so that counts come out in the
  // order of the response's maps.
  std::vector<uint32_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Text &x = values[a], &y = values[b];
    return x.facet != y.facet ? x.facet < y.facet : x.text < y.text;
  });
  std::vector<uint32_t> renumber(order.size());
  st->values.reserve(order.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    renumber[order[i]] = i;
    const Text& v = values[order[i]];
    st->values.push_back({v.facet, uint32_t(st->texts.size()), uint32_t(v.text.size())});
    st->texts += v.text;
  }

  // Ranks in group order: a counting sort by group, stable.
  size_t n = dids.size();
  std::vector<uint32_t> next(st->group_id.size() + 1, 0);
  for (uint32_t g : groups) ++next[g + 1];
  std::partial_sum(next.begin(), next.end(), next.begin());
  std::vector<uint32_t> doc_at(n);
  for (uint32_t i = 0; i < n; ++i) doc_at[next[groups[i]]++] = i;
  st->group_of.reserve(n);
  st->first_value.reserve(n + 1);
  st->value_ids.reserve(ids.size());
  for (uint32_t r = 0; r < n; ++r) {
    uint32_t i = doc_at[r];
    st->rank_of[dids[i]] = r;
    st->group_of.push_back(groups[i]);
    st->first_value.push_back(static_cast<uint32_t>(st->value_ids.size()));
    for (uint32_t k = firsts[i]; k < firsts[i + 1]; ++k) st->value_ids.push_back(renumber[ids[k]]);
  }
  st->first_value.push_back(static_cast<uint32_t>(st->value_ids.size()));
  t->rank_of_ = st->rank_of;
  t->group_of_ = st->group_of;
  t->group_id_ = st->group_id;
  t->first_value_ = st->first_value;
  t->value_ids_ = st->value_ids;
  t->values_ = st->values;
  t->texts_ = st->texts;
  t->storage_ = std::move(st);
  return t;
}

// ------------------------------------------------------------ saved tables
//
// The file (docs/index-format.md, "Facet table"): a header, then the
// arrays in the order below, each from an offset that is a multiple of 8,
// in this machine's byte order (the header says which).

namespace {

constexpr char kMagic[8] = {'S', 'G', 'F', 'A', 'C', 'E', 'T', '1'};
constexpr uint32_t kByteOrder = 0x01020304;

struct Header {
  char magic[8];
  uint32_t byte_order;
  uint32_t uuid_size;
  char uuid[64];
  uint64_t revision;
  uint64_t docids, ranks, groups, value_ids, values, text;
};
static_assert(sizeof(Header) % 8 == 0);

size_t padded(size_t n) { return (n + 7) & ~size_t(7); }

}  // namespace

bool FacetTable::save(const fs::path& path, std::string* error) const {
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.byte_order = kByteOrder;
  if (fingerprint_.uuid.size() > sizeof h.uuid) {
    *error = "a database uuid of " + std::to_string(fingerprint_.uuid.size()) + " bytes";
    return false;
  }
  h.uuid_size = uint32_t(fingerprint_.uuid.size());
  std::memcpy(h.uuid, fingerprint_.uuid.data(), fingerprint_.uuid.size());
  h.revision = fingerprint_.revision;
  h.docids = rank_of_.size();
  h.ranks = group_of_.size();
  h.groups = group_id_.size();
  h.value_ids = value_ids_.size();
  h.values = values_.size();
  h.text = texts_.size();
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    auto put = [&](const void* data, size_t bytes) {
      out.write(static_cast<const char*>(data), std::streamsize(bytes));
      static const char zeros[8] = {};
      out.write(zeros, std::streamsize(padded(bytes) - bytes));
    };
    put(&h, sizeof h);
    put(rank_of_.data(), rank_of_.size_bytes());
    put(group_of_.data(), group_of_.size_bytes());
    put(group_id_.data(), group_id_.size_bytes());
    put(first_value_.data(), first_value_.size_bytes());
    put(value_ids_.data(), value_ids_.size_bytes());
    put(values_.data(), values_.size_bytes());
    put(texts_.data(), texts_.size());
    if (!out.flush()) {
      *error = "cannot write " + tmp.string();
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    *error = "cannot write " + path.string() + ": " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

std::shared_ptr<const FacetTable> FacetTable::load(const fs::path& path, const Xapian::Database& db) {
  Fingerprint want;
  try {
    if (db.size() != 1) return nullptr;
    want = fingerprint(db);
  } catch (const Xapian::Error&) {
    return nullptr;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat sb {};
  void* map = MAP_FAILED;
  if (fstat(fd, &sb) == 0 && size_t(sb.st_size) >= sizeof(Header))
    map = mmap(nullptr, size_t(sb.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return nullptr;
  auto st = std::make_shared<Storage>();
  st->map = map;
  st->map_size = size_t(sb.st_size);

  const auto* base = static_cast<const char*>(map);
  Header h;
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.byte_order != kByteOrder ||
      h.uuid_size > sizeof h.uuid || std::string_view(h.uuid, h.uuid_size) != want.uuid ||
      h.revision != want.revision)
    return nullptr;
  // Every count below 2^32 (the arrays hold 32-bit indexes), so that the
  // sizes cannot overflow, and the file exactly as long as they say.
  for (uint64_t n : {h.docids, h.ranks, h.groups, h.value_ids, h.values, h.text})
    if (n >= (uint64_t(1) << 32)) return nullptr;
  size_t at = sizeof h;
  const size_t sizes[] = {h.docids * 4, h.ranks * 4, h.groups * 8, (h.ranks + 1) * 4,
                          h.value_ids * 4, h.values * sizeof(Value), h.text};
  size_t offsets[std::size(sizes)];
  for (size_t k = 0; k < std::size(sizes); ++k) {
    offsets[k] = at;
    at += padded(sizes[k]);
  }
  if (at != st->map_size) return nullptr;
  auto t = std::make_shared<FacetTable>();
  t->fingerprint_ = want;
  auto u32 = [&](size_t k, size_t n) {
    return std::span<const uint32_t>(reinterpret_cast<const uint32_t*>(base + offsets[k]), n);
  };
  t->rank_of_ = u32(0, h.docids);
  t->group_of_ = u32(1, h.ranks);
  t->group_id_ = std::span<const uint64_t>(reinterpret_cast<const uint64_t*>(base + offsets[2]), h.groups);
  t->first_value_ = u32(3, h.ranks + 1);
  t->value_ids_ = u32(4, h.value_ids);
  t->values_ = std::span<const Value>(reinterpret_cast<const Value*>(base + offsets[5]), h.values);
  t->texts_ = std::string_view(base + offsets[6], h.text);
  // The dictionary is checked whole (a few hundred values); the per-rank
  // arrays where they are read (FacetCounter), so that a search touches
  // only the pages of its matches.
  for (const Value& v : t->values_)
    if (v.facet >= std::size(kFacetNames) || v.offset > h.text || v.length > h.text - v.offset)
      return nullptr;
  if (t->first_value_.back() != h.value_ids) return nullptr;
  t->storage_ = std::move(st);
  return t;
}

// -------------------------------------------------------------- FacetCounter

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  // The docid is known without reading the document: this is the point.
  uint32_t r = table_ ? table_->rank(doc.get_docid()) : FacetTable::kUnknown;
  if (r == FacetTable::kNoFacets) return;
  if (r != FacetTable::kUnknown && r < table_->ranks()) {
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
    // Bounds as well as order: a saved table is read where it is used.
    const uint32_t end = std::min<uint32_t>(t.first_value_[r + 1], uint32_t(t.value_ids_.size()));
    for (uint32_t k = t.first_value_[r]; k < end; ++k) {
      uint32_t v = t.value_ids_[k];
      if (v >= n.size()) continue;
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
    if (n[v]) out[t.values_[v].facet]->emplace_hint(out[t.values_[v].facet]->end(), t.text(t.values_[v]), n[v]);
  return groups;
}

// Some matches are unknown to the table (the index changed since it was
// read): count everything by group id, as the slots say.
size_t FacetCounter::count_decoding(FacetCounts* facets) const {
  Tally tally;
  if (table_) {
    const FacetTable& t = *table_;
    for_each_bit(seen_, [&](uint32_t r) {
      const uint32_t gi = t.group_of_[r];
      uint32_t g = tally.group(gi < t.group_id_.size() ? t.group_id_[gi] : uint64_t(gi));
      const uint32_t end = std::min<uint32_t>(t.first_value_[r + 1], uint32_t(t.value_ids_.size()));
      for (uint32_t k = t.first_value_[r]; k < end; ++k) {
        if (t.value_ids_[k] >= t.values_.size()) continue;
        const auto& v = t.values_[t.value_ids_[k]];
        tally.add(g, int(v.facet), t.text(v));
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
