// Reading files and walking the site folder, the one way every module does
// it. Nothing here blocks on a FIFO or a device, follows a symbolic link out
// of the site, or throws: a file that cannot be used says why in words an
// author can act on.
// Thread-safe: the functions and SiteTree's const members may be called from
// several threads at once.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen {

// The bytes of a regular file, or nullopt if it cannot be read; with `why`,
// the reason ("it is a FIFO (named pipe), not a regular file", "permission
// denied", ...). A FIFO, socket or device is never opened (opening one can
// block forever, or have an effect).
std::optional<std::string> read_whole_file(const std::filesystem::path& path,
                                           std::string* why = nullptr);
// At most the first `limit` bytes of a regular file (content sniffing).
std::optional<std::string> read_file_head(const std::filesystem::path& path, size_t limit,
                                          std::string* why = nullptr);

// Writes `data` to `path` (created or truncated, mode 0644); 0, or the
// errno of what failed.
int write_whole_file(const std::filesystem::path& path, std::string_view data);

// Writes `bytes` beside `path` and renames it over, making the folders:
// a reader finds the old file or the new one, whole. False, with `*error`
// naming the file and why, when it could not.
bool replace_file(const std::filesystem::path& path, std::string_view bytes,
                  std::string* error);

// One path in the site, after following symbolic links that stay inside it.
struct SiteEntry {
  enum class Kind { file, folder, missing, problem };
  Kind kind = Kind::missing;
  std::string rel;                 // relative to the site root, '/'-separated
  std::filesystem::path resolved;  // the real path (inside the site) of a file or folder
  std::string problem;             // why it cannot be used, for Kind::problem
  // For a folder: the real paths of the folders a walk went through to reach
  // it, itself last. A link to one of them (or above) is a loop.
  std::vector<std::filesystem::path> within;

  bool is_file() const { return kind == Kind::file; }
  bool is_folder() const { return kind == Kind::folder; }
  std::string name() const;
};

// The site folder, whose links are followed only when they lead to a file
// or folder inside it (canonical paths compared with the canonical root).
class SiteTree {
 public:
  explicit SiteTree(const std::filesystem::path& root);
  const std::filesystem::path& root() const { return root_; }

  // What `rel` is: every folder on the way is resolved too, so a path
  // through a link out of the site is a problem.
  SiteEntry find(const std::string& rel) const;
  // The entries of a folder found by find() or list(), sorted by name,
  // dot files (editor and OS litter) skipped; problems are entries too. A
  // folder that cannot be listed gives no entries and `*error`.
  std::vector<SiteEntry> list(const SiteEntry& folder, std::string* error) const;

 private:
  SiteEntry classify(std::string rel, const std::filesystem::path& path, bool maybe_link,
                     const std::vector<std::filesystem::path>* within) const;
  bool inside(const std::filesystem::path& real) const;
  std::filesystem::path root_;  // canonical
};

}  // namespace sitegen
