// Tagger: finds which of many names occur in a text, in one pass. Used to tag
// documents with the States and topics they name (SITE-FORMAT §1).
// Matching is case-insensitive (Unicode case folding), on whole words for
// scripts written with spaces and anywhere in a run of CJK characters, and
// leftmost-longest: "South Sudan" is not Sudan, 几内亚比绍 is not 几内亚,
// 索马里 is not 马里, "Nigeria" is not Niger, изучили does not name Чили.
// Thread-safe once built: find() is const and may run on many threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen {

class NameMatcher {
 public:
  struct Match {
    size_t begin = 0, end = 0;  // byte offsets into the searched text
    int id = 0;
  };

  NameMatcher();
  ~NameMatcher();
  NameMatcher(NameMatcher&&) noexcept;
  NameMatcher& operator=(NameMatcher&&) noexcept;

  // Adds a name meaning `id` (several names may share an id). Empty names
  // are ignored. Requires: build() not yet called.
  void add(std::string_view name, int id);
  // Builds the automaton (Aho-Corasick over case-folded code points).
  void build();

  // The non-overlapping leftmost-longest whole-word matches, in text order.
  std::vector<Match> find(std::string_view text) const;
  // The distinct ids found, sorted.
  std::vector<int> find_ids(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitegen
