// The index layout shared by the writer and the searcher (described in
// docs/index-format.md): value slots, field separators, and the helpers that
// turn values into terms. One definition, so the two sides cannot drift.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sitegen::index::layout {

// The date (date_bytes), then the group id (group_bytes), then the
// language, then a byte that puts a document's entry before its
// attachments' pages: the date order, and a tie-break that does not depend
// on docids.
// Slots 0 and 1 are at most 15 bytes, which std::string keeps without an
// allocation: Xapian copies both for every match of a collapsed search
// sorted by relevance then value (a broad query's every document).
constexpr Xapian::valueno kSlotDate = 0;
constexpr Xapian::valueno kSlotGroup = 1;   // group_bytes of the group key (collapse)
constexpr Xapian::valueno kSlotHash = 2;    // entry_hash, 16 hex digits
constexpr Xapian::valueno kSlotFacets = 3;  // 8-byte group id + facet fields
constexpr char kFieldSep = '\x1f';
constexpr char kListSep = '\x1e';
constexpr size_t kMaxTerm = 240;  // Xapian's limit is 245 bytes
// An attachment page's entry (index/entry.h) has the boolean term "XA" and
// its document's url after "XP".
constexpr std::string_view kAttachmentPageTerm = "XA";
constexpr std::string_view kParentPrefix = "XP";

// An Arabic word as written, with the article or its combination with a
// conjunction or preposition that normalize_for_search takes off
// ("والتخطيط", indexed as "تخطيط" too): weight only, so that a query for
// a rare written form ranks the texts that have it first.
constexpr std::string_view kArabicWrittenPrefix = "XW";

uint64_t fnv64(std::string_view s);
std::string hex16(uint64_t v);

// A group's id (fnv64 of its key, as in slot 3) as 8 bytes, most
// significant first: slot 1, and the group's place in slot 0's order.
std::string group_bytes(uint64_t gid);
// The boolean term of a group, from slot 1's value: "XG" + its hex digits.
std::string group_term(std::string_view group_slot);
// YYYYMMDD as 4 bytes, most significant first (ordered as the dates are);
// "" or a date that is not 8 digits: four zero bytes, before every date.
std::string date_bytes(std::string_view yyyymmdd);
// After every slot 0 of a day given by date_bytes (an inclusive bound).
std::string date_bytes_end(std::string_view yyyymmdd);

// prefix + value, or, if too long for a Xapian term, a truncation made
// unique by the hash of the whole value.
std::string bounded_term(std::string_view prefix, std::string_view value);

std::string upper_ascii(std::string_view s);

}  // namespace sitegen::index::layout
