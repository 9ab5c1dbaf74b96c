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

struct WriteStats {
  size_t added = 0, replaced = 0, unchanged = 0, deleted = 0;
};

class Writer {
 public:
  // Opens (or creates) the database at `dir`. With by_language, `dir` holds
  // one database per language and a stub file that searches them as one.
  // On failure ok() is false and error() says why.
  Writer(const std::filesystem::path& dir, Sharding sharding = Sharding::none);
  ~Writer();  // cancels an uncommitted transaction

  bool ok() const;
  const std::string& error() const;

  // Indexes the whole site: adds, replaces, deletes. Call once, then
  // commit() or let the Writer go (cancel). Returns false on a Xapian error.
  bool update(const std::vector<Entry>& entries, WriteStats* stats);
  bool commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitegen::index
