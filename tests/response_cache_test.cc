// The search answer cache of the server: hits, misses, its bound, and
// invalidation that no answer of the old index survives.
#include "serve/response_cache.h"

#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <string>
#include <chrono>
#include <thread>
#include <vector>

using namespace sitegen;
using serve::ResponseCache;

namespace {

ResponseCache::Body body(const std::string& s) { return std::make_shared<const std::string>(s); }

}  // namespace

TEST_CASE("response cache: a hit returns what was inserted, a miss nothing") {
  ResponseCache cache(4);
  CHECK(cache.find("a") == nullptr);
  cache.insert("a", body("answer a"), cache.generation());
  REQUIRE(cache.find("a") != nullptr);
  CHECK(*cache.find("a") == "answer a");
  CHECK(cache.find("b") == nullptr);
  cache.insert("a", body("again"), cache.generation());  // a racing search for the same key
  CHECK(*cache.find("a") == "again");
  CHECK(cache.size() == 1);
}

TEST_CASE("response cache: bounded, the least recently used goes first") {
  ResponseCache cache(3);
  uint64_t g = cache.generation();
  cache.insert("a", body("a"), g);
  cache.insert("b", body("b"), g);
  cache.insert("c", body("c"), g);
  CHECK(cache.find("a"));  // now the most recently used
  cache.insert("d", body("d"), g);
  CHECK(cache.size() == 3);
  CHECK(cache.find("b") == nullptr);
  CHECK(cache.find("a"));
  CHECK(cache.find("c"));
  CHECK(cache.find("d"));
  for (int i = 0; i < 100; ++i) cache.insert("k" + std::to_string(i), body("x"), g);
  CHECK(cache.size() == 3);

  ResponseCache off(0);
  off.insert("a", body("a"), off.generation());
  CHECK(off.find("a") == nullptr);
  CHECK(off.size() == 0);
}

TEST_CASE("response cache: invalidate forgets, and refuses answers begun before it") {
  ResponseCache cache(8);
  uint64_t before = cache.generation();
  cache.insert("a", body("old index"), before);
  cache.invalidate();
  CHECK(cache.find("a") == nullptr);
  CHECK(cache.size() == 0);
  // A search that read the generation before the swap finishes after it.
  cache.insert("b", body("old index"), before);
  CHECK(cache.find("b") == nullptr);
  uint64_t after = cache.generation();
  CHECK(after != before);
  cache.insert("b", body("new index"), after);
  CHECK(*cache.find("b") == "new index");
}

TEST_CASE("response cache: the stale-insert rule holds under concurrent invalidation") {
  // Readers follow the server's protocol: read the generation, then the
  // index (here a number the writer bumps before invalidating). Once an
  // invalidation has returned, no reader may find an older index's answer.
  ResponseCache cache(16);
  std::atomic<int> index{0}, invalidated{0};
  std::atomic<bool> done{false};
  std::atomic<int> stale{0}, hits{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&, t] {
      for (int i = 0; !done; ++i) {
        std::string key = "q" + std::to_string((i + t) % 8);
        int must = invalidated.load();
        uint64_t g = cache.generation();
        int seen = index.load();
        if (auto hit = cache.find(key)) {
          ++hits;
          if (std::stoi(*hit) < must) ++stale;
        } else {
          cache.insert(key, body(std::to_string(seen)), g);
        }
      }
    });
  for (int i = 1; i <= 2000; ++i) {
    index.store(i);  // swap in the new index...
    cache.invalidate();  // ...then invalidate
    invalidated.store(i);
    if (i % 100 == 0) {
      // Let the readers find answers between invalidations: on a loaded
      // machine (the sanitizer run) the writer could otherwise finish
      // before any reader hit the cache, and the test would show nothing.
      int before = hits.load();
      for (int w = 0; w < 200 && hits.load() == before; ++w)
        std::this_thread::sleep_for(std::chrono::microseconds(250));
    }
  }
  done = true;
  for (auto& r : readers) r.join();
  CHECK(stale == 0);
  CHECK(hits > 0);
}

TEST_CASE("response cache: keys tell every field and the endpoint apart") {
  using serve::search_cache_key;
  index::SearchRequest a;
  a.query = "mines";
  a.lang = "en";
  std::vector<index::SearchRequest> variants(16, a);
  variants[1].query = "mine";
  // A trailing space ends the last word (no prefix match): another answer.
  variants[13].query = "mines ";
  variants[2].lang = "fr";
  variants[3].lang_only = true;
  variants[4].country = "AO";
  variants[5].topic = "AO";
  variants[6].meeting = "m";
  variants[7].type = "t";
  variants[8].year = "2020";
  variants[9].from = "2020";
  variants[10].to = "2020";
  variants[11].sort = "date";
  variants[12].page = 2;
  variants[14].exact = true;  // as typed: another answer than the corrected one
  variants[15].fallbacks = 0;  // a facet link's: no fallback tiers
  std::set<std::string> keys;
  for (const auto& v : variants) keys.insert(search_cache_key("api", v));
  CHECK(keys.size() == variants.size());
  index::SearchRequest b = a;
  b.page_size = 20;
  CHECK(search_cache_key("api", a) != search_cache_key("api", b));
  CHECK(search_cache_key("api", a) != search_cache_key("page/en", a));
  CHECK(search_cache_key("api", a) == search_cache_key("api", index::SearchRequest(a)));
  // Length-prefixed: moving bytes between fields makes another key.
  index::SearchRequest c = a, d = a;
  c.country = "A";
  c.topic = "B";
  d.country = "AB";
  CHECK(search_cache_key("api", c) != search_cache_key("api", d));
  std::multimap<std::string, std::string> p1 = {{"q", "mines"}}, p2 = {{"q", "mines"}, {"x", ""}};
  CHECK(search_cache_key("page/en", a, &p1) != search_cache_key("page/en", a, &p2));
}

TEST_CASE("response cache: bounded in bytes, keys included, whatever the entry count") {
  const size_t budget = 64 * 1024;
  ResponseCache cache(100000, budget);
  uint64_t g = cache.generation();
  // 1,100 answers with long junk keys: each ~5 KB, the budget holds a dozen.
  const std::string junk(2000, 'j');
  for (int i = 0; i < 1100; ++i) {
    std::string key = "q" + std::to_string(i) + junk;
    cache.insert(key, body(std::string(1000, 'b')), g);
    REQUIRE(cache.bytes() <= budget);
    CHECK(cache.find(key));  // the newest is always kept
  }
  CHECK(cache.size() == budget / ResponseCache::cost("q1000" + junk, std::string(1000, 'b')));
  CHECK(cache.find("q0" + junk) == nullptr);  // the oldest went first
  // Replacing an entry counts its new size only.
  size_t before = cache.bytes();
  cache.insert("q1099" + junk, body(std::string(1000, 'c')), g);
  CHECK(cache.bytes() == before);
  // An answer too large for the budget is not kept, and evicts nothing.
  cache.insert("huge", body(std::string(budget, 'h')), g);
  CHECK(cache.find("huge") == nullptr);
  CHECK(cache.bytes() == before);
  cache.invalidate();
  CHECK(cache.bytes() == 0);
}
