// The index layout shared by the writer and the searcher (described in
// docs/index-format.md): value slots, field separators, and the helpers that
// turn values into terms. One definition, so the two sides cannot drift.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sitegen::index::layout {

// YYYYMMDD (or "!" without a full date), then the group id of slot 3 as 16
// hex digits, then the language: the date order, and a tie-break that does
// not depend on docids.
constexpr Xapian::valueno kSlotDate = 0;
constexpr Xapian::valueno kSlotGroup = 1;   // group key (collapse)
constexpr Xapian::valueno kSlotHash = 2;    // entry_hash, 16 hex digits
constexpr Xapian::valueno kSlotFacets = 3;  // 8-byte group id + facet fields
constexpr char kFieldSep = '\x1f';
constexpr char kListSep = '\x1e';
constexpr size_t kMaxTerm = 240;  // Xapian's limit is 245 bytes

// An Arabic word as written, with the article or its combination with a
// conjunction or preposition that normalize_for_search takes off
// ("والتخطيط", indexed as "تخطيط" too): weight only, so that a query for
// a rare written form ranks the texts that have it first.
constexpr std::string_view kArabicWrittenPrefix = "XW";

uint64_t fnv64(std::string_view s);
std::string hex16(uint64_t v);

// prefix + value, or, if too long for a Xapian term, a truncation made
// unique by the hash of the whole value.
std::string bounded_term(std::string_view prefix, std::string_view value);

std::string upper_ascii(std::string_view s);

}  // namespace sitegen::index::layout
