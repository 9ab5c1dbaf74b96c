// Publish: the pages and the search index of a site, published together in
// one step. Beside the output `<parent>/<out>` lives a store,
// `<parent>/.<out>.site-gen/`, holding generations `gen-N/{tree,index}` and
// a symlink `current -> gen-N`; the output path is a symlink to
// `<store>/current/tree` and the index path one to `<store>/current/index`.
// A build writes generation N+1 (pages, and a copy of generation N's index
// that the Writer updates), syncs it, and publishes it by renaming a new
// `current` over the old one: before that rename readers see the old pages
// and the old index, after it the new ones, never a mix. A lock (flock on
// `<store>/lock`, held by the Publisher) refuses a second build of the same
// output at once. See docs/HACKING.md, "Publishing".
// Thread-safe: write() and link_file() may be called from
// several threads at once; the rest from one thread.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "site-gen/diagnostic.h"

namespace sitegen {

// The build's cache beside the published output `out`: `<store>/cache/`,
// kept by the publisher, safe to delete (site-gen/attachments.h keeps the
// attachments' text there).
std::filesystem::path build_cache_dir(const std::filesystem::path& out);

// The generation the output `out` and the index `index` (empty: none)
// publish, when both are our links to the store's current generation and
// it is there; else 0.
long published_generation(const std::filesystem::path& out, const std::filesystem::path& index);

struct PublishOptions {
  std::filesystem::path out;    // where the site is read (a symlink into the store)
  std::filesystem::path index;  // where its index is read; empty: no index
  // Writes into the published tree and index themselves, each file replaced
  // by a rename and left alone when its bytes are the same (the preview
  // server's rebuild of a few pages after an edit; the content was checked
  // before anything is written). commit() then does nothing.
  bool in_place = false;
  // The new generation's tree starts as the published one's files (hard
  // links, each replaced by a rename when written): an incremental build
  // writes only the pages an edit changed.
  bool seed_tree = false;
  // With seed_tree: the generation before the published one (kept by the
  // last build for the readers it had, who have had a build's time), to be
  // renamed into the new one instead, tree and index as they are, when it
  // is there: recycled() then tells the build, which must write again
  // every file in which that generation differs from the published one.
  long recycle = 0;
  // The new generation's index starts as a copy of the published one (the
  // Writer's update is incremental); false: it starts empty.
  bool copy_index = true;
  // commit() makes the new generation durable (syncfs) before publishing
  // it, and the rename after: a system crash leaves the old pair or the new.
  bool synced = true;
};

class Publisher {
 public:
  // Takes the lock, removes what killed builds left, moves an output or
  // index that is a plain folder (the layout before generations) into the
  // store, and prepares the next generation. On failure ok() is false.
  explicit Publisher(PublishOptions options);
  explicit Publisher(std::filesystem::path out) : Publisher(tree_only(std::move(out))) {}
  // Drops the new generation if commit() was not reached; releases the lock.
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // False after the first failure; every later write then fails at once
  // without trying (a full disk is one message, not one per file).
  bool ok() const { return !failed_; }
  // The first failure: the real file or folder, and what went wrong.
  Diagnostic failure() const;
  int failure_errno() const { return failure_errno_; }

  const std::filesystem::path& tree() const { return tree_; }
  // Where the Writer writes the index: the new generation's, or in place
  // the published one.
  const std::filesystem::path& index_dir() const { return index_stage_; }
  const std::filesystem::path& store() const { return store_; }
  // The new generation is PublishOptions::recycle's, renamed.
  bool recycled() const { return recycled_; }
  // The generation published when the Publisher was made (0: none).
  long published() const { return current_; }

  // Writes `data` at `rel` (relative to the output root), making folders.
  bool write(const std::string& rel, std::string_view data, std::string* error);
  // Links (or copies, across file systems) an existing file to `rel`.
  bool link_file(const std::filesystem::path& from, const std::string& rel, std::string* error);

  // Publishes the new generation's tree and index in one rename. Nothing is
  // published when it returns false.
  bool commit();

  // Test hook: when the environment variable SITE_GEN_TEST_CRASH_AT names
  // `step`, the process kills itself with SIGKILL there (the crash tests in
  // tests/publish_test.cc). Steps: pages-written, index-committed (build.cc),
  // synced, published, migrated-current, migrated-tree (here).
  static void crash_point(const char* step);

 private:
  static PublishOptions tree_only(std::filesystem::path out) {
    PublishOptions o;
    o.out = std::move(out);
    return o;
  }
  void fail(const std::filesystem::path& path, const std::string& message, int err);
  bool open_store();
  bool lock_store();
  void scan_generations();
  void remove_leftovers();
  bool migrate();
  bool prepare_generation();
  bool set_current(long gen);
  bool sync_store();
  bool ensure_link(const std::filesystem::path& path, const std::filesystem::path& target);
  bool swap_in_link(const std::filesystem::path& path, const std::filesystem::path& target);
  bool copy_file(const std::filesystem::path& from, const std::filesystem::path& to);
  bool copy_folder(const std::filesystem::path& from, const std::filesystem::path& to,
                   bool hard_links);
  std::filesystem::path gen_dir(long gen) const;

  PublishOptions opt_;
  std::filesystem::path out_, index_, store_, tree_, index_stage_;
  std::filesystem::path out_target_, index_target_;  // what the symlinks hold
  long current_ = 0, newest_ = 0, next_ = 0;         // generations; 0: none
  int lock_fd_ = -1;
  bool committed_ = false;
  bool recycled_ = false;
  std::atomic<bool> failed_{false};
  mutable std::mutex mu_;  // guards the failure
  Diagnostic failure_;
  int failure_errno_ = 0;
};

}  // namespace sitegen
