#include "site-gen/files.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sitegen {
namespace fs = std::filesystem;
namespace {

std::string not_regular(mode_t mode) {
  if (S_ISFIFO(mode)) return "it is a FIFO (named pipe), not a regular file";
  if (S_ISSOCK(mode)) return "it is a socket, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "it is a device, not a regular file";
  if (S_ISDIR(mode)) return "it is a folder, not a file";
  return "it is not a regular file";
}

// Why `path` could not be reached (errno `e` from stat, open or realpath).
std::string unreachable(const fs::path& path, int e) {
  struct stat lst;
  if ((e == ENOENT || e == ENOTDIR) && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
    return "it is a symbolic link whose target does not exist";
  switch (e) {
    case ENOENT:
    case ENOTDIR:
      return "no such file";
    case EACCES:
    case EPERM:
      return "permission denied";
    case ELOOP:
      return "it is a symbolic link loop (the links lead back to each other)";
    default:
      return std::strerror(e);
  }
}

void set(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
}

// An open descriptor of a regular file, or -1 with *why. The type is looked
// at before the open, which would block on a FIFO and can have an effect on
// a device, and again after it, in case the file was replaced meanwhile
// (O_NONBLOCK keeps that open from blocking).
int open_regular(const fs::path& path, std::string* why, size_t* size) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    set(why, unreachable(path, errno));
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    set(why, not_regular(st.st_mode));
    return -1;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    set(why, unreachable(path, errno));
    return -1;
  }
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    set(why, not_regular(st.st_mode));
    ::close(fd);
    return -1;
  }
  *size = size_t(st.st_size);
  return fd;
}

// Reads from `fd` into a string until end of file or `limit` bytes. `hint`
// (the size fstat gave) spares growing the string: 18,000 content files are
// read this way, and an ifstream copied each through a stream buffer and an
// ostringstream. The size is only a hint: the file may change while read.
std::optional<std::string> read_fd(int fd, size_t hint, size_t limit, std::string* why) {
  std::string out;
  out.resize(std::min(hint, limit));
  size_t used = 0;
  char more[4096];
  while (used < limit) {
    bool room = used < out.size();
    size_t want = room ? out.size() - used : std::min(sizeof more, limit - used);
    ssize_t n = ::read(fd, room ? out.data() + used : more, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      set(why, std::strerror(errno));
      return std::nullopt;
    }
    if (n == 0) break;
    if (!room) out.append(more, size_t(n));
    used += size_t(n);
  }
  out.resize(used);
  return out;
}

std::optional<std::string> read_regular(const fs::path& path, size_t limit, std::string* why) {
  size_t size = 0;
  int fd = open_regular(path, why, &size);
  if (fd < 0) return std::nullopt;
  auto out = read_fd(fd, size, limit, why);
  ::close(fd);
  return out;
}

bool is_under(const std::string& path, const std::string& folder) {
  if (folder == "/") return true;
  return path == folder ||
         (path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
          path[folder.size()] == '/');
}

}  // namespace

std::optional<std::string> read_whole_file(const fs::path& path, std::string* why) {
  return read_regular(path, std::string::npos, why);
}

std::optional<std::string> read_file_head(const fs::path& path, size_t limit, std::string* why) {
  return read_regular(path, limit, why);
}

std::string SiteEntry::name() const {
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? rel : rel.substr(slash + 1);
}

SiteTree::SiteTree(const fs::path& root) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec) root_ = fs::absolute(root, ec).lexically_normal();
}

bool SiteTree::inside(const fs::path& real) const {
  return is_under(real.native(), root_.native());
}

// `maybe_link`: `path` may be or pass through a symbolic link, so it is
// resolved with realpath(3) (which also finds loops of links: ELOOP);
// otherwise it is a real path already (a plain entry of a resolved folder).
SiteEntry SiteTree::classify(std::string rel, const fs::path& path, bool maybe_link,
                             const std::vector<fs::path>* within) const {
  SiteEntry e;
  e.rel = std::move(rel);
  fs::path real = path;
  if (maybe_link) {
    char* r = ::realpath(path.c_str(), nullptr);
    if (!r) {
      int err = errno;
      struct stat lst;
      if ((err == ENOENT || err == ENOTDIR) && ::lstat(path.c_str(), &lst) != 0) return e;
      e.kind = SiteEntry::Kind::problem;
      e.problem = unreachable(path, err);
      return e;
    }
    real = r;
    ::free(r);
    if (!inside(real)) {
      e.kind = SiteEntry::Kind::problem;
      e.problem = "it leads to " + real.string() +
                  ", outside the site folder (symbolic links are followed only within the site)";
      return e;
    }
  }
  struct stat st;
  if (::stat(real.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT && !maybe_link) return e;  // removed meanwhile
    e.kind = SiteEntry::Kind::problem;
    e.problem = unreachable(path, err);
    return e;
  }
  e.resolved = real;
  if (S_ISREG(st.st_mode)) {
    e.kind = SiteEntry::Kind::file;
  } else if (S_ISDIR(st.st_mode)) {
    if (within && maybe_link)
      for (const fs::path& w : *within)
        if (is_under(w.native(), real.native())) {
          e.kind = SiteEntry::Kind::problem;
          fs::path shown = real.lexically_relative(root_);
          e.problem = "it is a symbolic link loop: it leads back to " +
                      (shown.empty() || shown == "." ? std::string("the site folder")
                                                     : shown.generic_string()) +
                      ", which holds it";
          return e;
        }
    e.kind = SiteEntry::Kind::folder;
    if (within) e.within = *within;
    e.within.push_back(real);
  } else {
    e.kind = SiteEntry::Kind::problem;
    e.problem = not_regular(st.st_mode);
  }
  return e;
}

SiteEntry SiteTree::find(const std::string& rel) const {
  return classify(rel, rel.empty() ? root_ : root_ / rel, true, nullptr);
}

std::vector<SiteEntry> SiteTree::list(const SiteEntry& folder, std::string* error) const {
  std::vector<SiteEntry> out;
  if (!folder.is_folder()) return out;
  std::error_code ec;
  fs::directory_iterator it(folder.resolved, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    std::string rel = folder.rel.empty() ? name : folder.rel + "/" + name;
    // The type readdir(3) gave: a plain file or folder costs no more calls
    // (18,000 of them in a large archive); anything else is looked at.
    std::error_code type_ec;
    fs::file_type type = it->symlink_status(type_ec).type();
    if (!type_ec && type == fs::file_type::regular) {
      SiteEntry e;
      e.kind = SiteEntry::Kind::file;
      e.rel = std::move(rel);
      e.resolved = it->path();
      out.push_back(std::move(e));
    } else {
      bool maybe_link = type_ec || type == fs::file_type::symlink ||
                        type == fs::file_type::unknown || type == fs::file_type::none;
      SiteEntry e = classify(std::move(rel), it->path(), maybe_link, &folder.within);
      if (e.kind != SiteEntry::Kind::missing) out.push_back(std::move(e));
    }
  }
  if (ec && error) *error = "cannot list the folder: " + ec.message();
  std::sort(out.begin(), out.end(),
            [](const SiteEntry& a, const SiteEntry& b) { return a.rel < b.rel; });
  return out;
}

int write_whole_file(const std::filesystem::path& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  int err = 0;
  for (size_t done = 0; done < data.size();) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    done += size_t(n);
  }
  if (::close(fd) != 0 && !err) err = errno;
  return err;
}

bool replace_file(const std::filesystem::path& path, std::string_view bytes, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(getpid());
  int err = write_whole_file(tmp, bytes);
  if (!err && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err) {
    *error = path.string() + ": cannot write: " + std::strerror(err);
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace sitegen
