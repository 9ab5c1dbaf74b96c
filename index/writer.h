// Writes the Xapian database of a site: one Xapian document per Entry, with
// the layout described in docs/index-format.md. Incremental: an entry whose
// hash is unchanged is not rewritten; entries gone from the site are
// deleted; everything happens in one transaction that commit() ends, so a
// failed build leaves the database exactly as it was.
// Not thread-safe (one writer per database, as Xapian requires).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "index/entry.h"

namespace sitegen::index {

enum class Sharding { none, by_language };

// synced: commit() returns once the changes are on disk. unsynced: the
// system writes them when it likes (Xapian's DB_NO_SYNC), which spares an
// fsync per commit (10-30 ms on this project's machines); a system crash may
// then leave the database unreadable, to be deleted and built again. For
// commits whose loss costs no more than a rebuild.
enum class Durability { synced, unsynced };

struct WriteStats {
  size_t added = 0, replaced = 0, unchanged = 0, deleted = 0;
};

// Call once at the start of a program, before any thread: Xapian (1.4)
// takes the flush threshold only from XAPIAN_FLUSH_THRESHOLD. Flushing every
// 100 documents instead of 10,000 keeps the pending posting maps small: a
// 3,000-document site indexes in 14 s instead of 20 s, the commit takes
// 0.3 s instead of 3 s, and the peak memory drops by a third. A value the
// user set is kept.
void tune_xapian_flushing();

// Whether the index at `dir` (or none there) has the layout `sharding`
// writes, so that a build can start from a copy of it.
bool layout_matches(const std::filesystem::path& dir, Sharding sharding);

class Writer {
 public:
  // Opens (or creates) the database at `dir`. With by_language, `dir` holds
  // one database per language and a stub file that searches them as one.
  // On failure ok() is false and error() says why.
  Writer(const std::filesystem::path& dir, Sharding sharding = Sharding::none,
         Durability durability = Durability::synced);
  ~Writer();  // cancels an uncommitted transaction

  bool ok() const;
  const std::string& error() const;

  // whole_site: the entries are the whole site, so entries in the database
  // and not among them are deleted. these_entries: a part of the site (after
  // an edit): only they are added or replaced.
  enum class Scope { whole_site, these_entries };

  // Adds, replaces, deletes. Call once, then commit() or let the Writer go
  // (cancel). Returns false on a Xapian error.
  bool update(const std::vector<Entry>& entries, WriteStats* stats,
              Scope scope = Scope::whole_site);
  bool commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitegen::index
