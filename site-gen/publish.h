// Publish: writes a new output tree beside the published one and swaps the
// two only when everything was written, so a failed build leaves the
// published tree exactly as it was.
// Thread-safe: write() may be called from several threads at once.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace sitegen {

class Publisher {
 public:
  // Prepares an empty staging folder beside `out` (same file system, so the
  // final swap is a rename).
  explicit Publisher(std::filesystem::path out);
  // Writes into the published tree itself, each file replaced by a rename
  // and left alone when its bytes are the same (the preview server's rebuild
  // of a few pages after an edit; the content was checked before anything is
  // written). commit() then does nothing.
  static Publisher in_place(std::filesystem::path out);
  // Removes the staging folder if commit() was not reached.
  ~Publisher();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::filesystem::path& staging() const { return staging_; }

  // Writes `data` at `rel` (relative to the output root), making folders.
  bool write(const std::string& rel, std::string_view data, std::string* error);
  // Links (or copies, across file systems) an existing file to `rel`.
  bool link_file(const std::filesystem::path& from, const std::string& rel, std::string* error);
  // Copies a folder's files recursively under the output root.
  bool copy_tree(const std::filesystem::path& from, std::string* error);

  // Atomically replaces the published tree with the staging one
  // (renameat2 RENAME_EXCHANGE), then removes the old tree.
  bool commit(std::string* error);

 private:
  Publisher() = default;
  std::filesystem::path out_, staging_;
  std::string error_;
  bool committed_ = false;
  bool in_place_ = false;
};

}  // namespace sitegen
