#include "site-gen/publish.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "site-gen/files.h"

namespace sitegen {
namespace fs = std::filesystem;
namespace {

// Deleting the previous tree (20,000 files for a large archive) took as long
// as rendering it; nobody waits for it, so a detached `rm` does it. It is
// renamed first so that a later build never meets it half deleted.
void remove_in_background(const fs::path& dir) {
  fs::path trash = dir;
  trash += ".old";
  std::error_code ec;
  fs::rename(dir, trash, ec);
  if (ec) trash = dir;
  std::string path = trash.string();
  char* argv[] = {const_cast<char*>("rm"), const_cast<char*>("-rf"), const_cast<char*>("--"),
                  path.data(), nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, "rm", nullptr, nullptr, argv, environ) != 0) fs::remove_all(trash, ec);
}

}  // namespace

Publisher::Publisher(fs::path out) : out_(std::move(out)) {
  std::error_code ec;
  fs::path parent = fs::absolute(out_, ec).parent_path();
  fs::create_directories(parent, ec);
  staging_ = parent / ("." + out_.filename().string() + ".staging-" + std::to_string(getpid()));
  fs::remove_all(staging_, ec);
  if (!fs::create_directories(staging_, ec))
    error_ = "cannot create " + staging_.string() + ": " + ec.message();
}

Publisher Publisher::in_place(fs::path out) {
  Publisher p;
  p.out_ = out;
  p.staging_ = std::move(out);
  p.in_place_ = true;
  return p;
}

Publisher::~Publisher() {
  if (!committed_ && !in_place_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

bool Publisher::write(const std::string& rel, std::string_view data, std::string* error) {
  fs::path path = staging_ / rel;
  // In place, a file whose bytes are the same is left alone: most pages an
  // edit renders again come out the same (the other languages' versions of
  // an edited document), and each new file costs an inode, which ext4 finds
  // slowly among the thousands a build has just deleted.
  if (in_place_)
    if (auto old = read_whole_file(path); old && *old == data) return true;
  // In place, a reader must never see half a file: write beside, then rename.
  fs::path target = path;
  if (in_place_) path += ".tmp-" + std::to_string(getpid());
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (f) f.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!f) {
      *error = "cannot write " + path.string() + ": " + std::strerror(errno);
      return false;
    }
  }
  if (in_place_) {
    fs::rename(path, target, ec);
    if (ec) {
      *error = "cannot write " + target.string() + ": " + ec.message();
      return false;
    }
  }
  return true;
}

bool Publisher::link_file(const fs::path& from, const std::string& rel, std::string* error) {
  fs::path to = staging_ / rel;
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::remove(to, ec);
  fs::create_hard_link(from, to, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  }
  if (ec) {
    *error = "cannot copy " + from.string() + " to " + to.string() + ": " + ec.message();
    return false;
  }
  return true;
}

bool Publisher::copy_tree(const fs::path& from, std::string* error) {
  std::error_code ec;
  if (!fs::is_directory(from, ec)) return true;
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (!link_file(it->path(), fs::relative(it->path(), from).generic_string(), error))
      return false;
  }
  if (ec) {
    *error = "cannot read " + from.string() + ": " + ec.message();
    return false;
  }
  return true;
}

bool Publisher::commit(std::string* error) {
  if (in_place_) return true;
  std::error_code ec;
  if (fs::exists(out_, ec)) {
    if (renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, out_.c_str(), RENAME_EXCHANGE) != 0) {
      *error = "cannot publish " + out_.string() + ": " + std::strerror(errno);
      return false;
    }
    committed_ = true;
    remove_in_background(staging_);  // now holds the previous tree
    return true;
  }
  if (std::rename(staging_.c_str(), out_.c_str()) != 0) {
    *error = "cannot publish " + out_.string() + ": " + std::strerror(errno);
    return false;
  }
  committed_ = true;
  return true;
}

}  // namespace sitegen
