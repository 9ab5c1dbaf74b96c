// Build state: what the last successful `site-gen build` of an output was
// made from (every file the build reads, by size, times and inode; the
// options; the tool), kept in the build's cache beside the output
// (publish.h, build_cache_dir), so that a build with nothing changed
// publishes nothing and says so. Versioned; safe to delete (the next build
// is then a full one); read by nothing but the build.
// Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/diagnostic.h"

namespace sitegen {

// One input file (or a problem entry, or a theme folder chosen) as the
// file system describes it. A file changed within the clock's granularity
// of the scan keeps the same time, as in git's "racy" index: such a file's
// bytes are hashed too (`hash`, 0 when not needed), and compared. Not the
// change time: publishing hard-links static files and attachments into the
// output, which changes theirs.
struct InputStamp {
  std::string path;  // relative to the site root, or absolute outside it
  int64_t size = -1, mtime_ns = 0;
  uint64_t inode = 0;
  uint64_t hash = 0;

  bool operator==(const InputStamp&) const = default;
};

struct BuildState {
  std::string key;                  // build_key(): tool, options, build date
  long generation = 0;              // the store's generation it published
  std::string theme;                // the theme named in site.yaml then
  std::vector<InputStamp> inputs;   // in walk order
  std::vector<Diagnostic> warnings;  // repeated by a build with nothing to do
  size_t pages = 0, files = 0;      // what it published
  // The site it published (site_snapshot.h), in the build cache: its size
  // and a hash of samples of its bytes, so that a snapshot that is not the
  // one written is not read.
  uint64_t snapshot_size = 0, snapshot_sample = 0;
  // When the build started from the published generation `base`'s files
  // (an incremental build): the pages it wrote, the only ones in which its
  // generation differs from that one. 0 and none after a full build.
  long base = 0;
  std::vector<std::string> written;
};

// A hash of a few spread-out pieces of `bytes` and of its size: cheap on a
// snapshot of hundreds of megabytes, and enough to tell another one.
uint64_t sample_hash(std::string_view bytes);

// Where the snapshot of an output's site is kept.
std::filesystem::path site_snapshot_path(const std::filesystem::path& out);

// The files that differ between two sets of stamps: changed, added or
// removed (paths as the stamps have them; "theme:..." for another theme
// folder).
std::vector<std::filesystem::path> changed_inputs(const std::filesystem::path& site_root,
                                                  const std::vector<InputStamp>& before,
                                                  const std::vector<InputStamp>& now);

// Every file a build of the site reads: site.yaml, content/, layouts/,
// partials/, i18n/, static/, themes/, and the folder of the theme `theme`
// when it is found outside the site (theme.h, theme_search_path). Taken
// before the build reads anything, so an edit made during the build is
// seen by the next one.
std::vector<InputStamp> stamp_inputs(const std::filesystem::path& site_root,
                                     const std::string& theme);

// Whether `recorded` still describes the files: same entries, same stamps,
// and for each hashed one the same bytes.
bool inputs_unchanged(const std::filesystem::path& site_root,
                      const std::vector<InputStamp>& recorded,
                      const std::vector<InputStamp>& now);

// What else a build's output depends on: the tool (its version and the
// executable's identity), the output and index paths, the index options
// and the build date.
std::string build_key(const std::string& options);

// The state file of an output (in its build cache).
std::filesystem::path build_state_path(const std::filesystem::path& out);

// nullopt when missing, of another version, or damaged.
std::optional<BuildState> read_build_state(const std::filesystem::path& file);
// Written beside and renamed over: a reader finds the old state or the new.
bool write_build_state(const std::filesystem::path& file, const BuildState& state,
                       std::string* error);
// After the published tree changed without a state (the preview server's
// rebuild in place): the next build is a full one.
void forget_build_state(const std::filesystem::path& out);

}  // namespace sitegen
