// Finished answers of the search endpoints, by canonical request, for the
// life of one index: readers ask the same few queries again and again, and
// each costs a full match (facets count every result). Bounded in entries
// and in bytes (keys, bodies and bookkeeping), least recently used out
// first: requests with long junk parameters cannot grow it past its budget.
// Thread-safe: one mutex, held only to look up, insert or invalidate, never
// while a search runs.
//
// Invalidation without stale answers: a handler reads generation() BEFORE
// it takes the index (and site) it will answer from, and passes it to
// insert(); the server swaps in the new index BEFORE it calls invalidate().
// An answer from the old index then either is inserted before invalidate()
// (and forgotten by it) or carries the old generation (and is refused).
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "index/search.h"

namespace sitegen::serve {

class ResponseCache {
 public:
  using Body = std::shared_ptr<const std::string>;

  static constexpr size_t kDefaultBytes = 32 << 20;
  // capacity 0: caches nothing. An answer larger than a quarter of the
  // budget is not kept.
  explicit ResponseCache(size_t capacity = 1024, size_t byte_budget = kDefaultBytes)
      : capacity_(capacity), budget_(byte_budget) {}

  // The generation to pass to insert(), read before taking the index.
  uint64_t generation() const;
  // The answer for `key`, or nullptr.
  Body find(const std::string& key);
  // Keeps `body` for `key`, unless invalidate() was called since
  // `generation` was read (the answer may be the old index's).
  void insert(const std::string& key, Body body, uint64_t generation);
  // Forgets every answer and refuses those of searches begun before.
  void invalidate();
  size_t size() const;
  // What the kept answers cost, never above the budget.
  size_t bytes() const;
  // The cost of one entry: its key (kept twice), its body and bookkeeping.
  static size_t cost(const std::string& key, const std::string& body);

 private:
  using Order = std::list<std::string>;  // most recently used first
  struct Entry {
    Body body;
    Order::iterator use;
  };
  void evict_last();
  const size_t capacity_;
  const size_t budget_;
  mutable std::mutex mu_;
  uint64_t generation_ = 0;
  size_t bytes_ = 0;
  Order order_;
  std::unordered_map<std::string, Entry> entries_;
};

// The canonical key of a parsed search request: `endpoint` (what turns the
// answer into a body: "api", "page/en"...), every field of `request`, and
// the raw `params` when the body shows them (a page's links keep them),
// each length-prefixed so that no two requests share a key.
std::string search_cache_key(std::string_view endpoint, const index::SearchRequest& request,
                             const std::multimap<std::string, std::string>* params = nullptr);

}  // namespace sitegen::serve
