#include "site-gen/publish.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "site-gen/files.h"

namespace sitegen {
namespace fs = std::filesystem;
namespace {

constexpr const char* kGenPrefix = "gen-";
constexpr const char* kCacheName = "cache";  // build_cache_dir()

std::string errno_text(int err) { return std::strerror(err); }

// "gen-12" -> 12; anything else -> 0.
long generation_number(const std::string& name) {
  if (name.rfind(kGenPrefix, 0) != 0 || name.size() == 4) return 0;
  long n = 0;
  for (size_t i = 4; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || n > 100000000) return 0;
    n = n * 10 + (name[i] - '0');
  }
  return n;
}

// An absolute path whose folder is canonical and whose last component is
// kept as it is (it may be our symlink, which must not be resolved).
fs::path anchored(const fs::path& p) {
  fs::path abs = fs::absolute(p).lexically_normal();
  if (!abs.has_filename()) abs = abs.parent_path();
  std::error_code ec;
  fs::path parent = fs::weakly_canonical(abs.parent_path(), ec);
  if (ec) parent = abs.parent_path();
  return parent / abs.filename();
}

// Deleting a previous tree (20,000 files for a large archive) took as long
// as rendering it; nobody waits for it, so an `rm` that outlives us does it
// (a shell starts it in the background and exits, so no zombie is left to a
// long-running preview server). A build killed meanwhile leaves the rest to
// the next build, which removes whatever it does not know in the store.
void remove_in_background(const std::vector<fs::path>& paths) {
  if (paths.empty()) return;
  std::vector<std::string> args = {"sh", "-c", "rm -rf -- \"$@\" &", "sh"};
  for (const auto& p : paths) args.push_back(p.string());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Without our descriptors: the preview server's listening socket must not
  // outlive it in an `rm` still running.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  pid_t pid;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == 0) {
    int status;
    waitpid(pid, &status, 0);
    return;
  }
  std::error_code ec;
  for (const auto& p : paths) fs::remove_all(p, ec);
}

// What went wrong copying a file, and on which side (the message names
// the file that failed: an unreadable source is not a full disk).
struct CopyError {
  int err = 0;
  bool reading = false;
};

// Copies one file's bytes in the kernel (copy_file_range: a reflink where
// the file system can, else no trip through user space).
CopyError copy_contents(const fs::path& from, const fs::path& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return {errno, true};
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    int e = errno;
    ::close(in);
    return {e, false};
  }
  int err = 0;
  bool reading = false;
  bool fallback = false;
  for (;;) {
    ssize_t n = copy_file_range(in, nullptr, out, nullptr, size_t(1) << 30, 0);
    if (n > 0) continue;
    if (n == 0) break;
    if (errno == EINTR) continue;
    if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP) {
      fallback = true;
    } else {
      err = errno;
    }
    break;
  }
  if (fallback) {
    char buf[1 << 16];
    for (;;) {
      ssize_t n = ::read(in, buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        err = errno;
        reading = true;
        break;
      }
      for (ssize_t done = 0; done < n;) {
        ssize_t w = ::write(out, buf + done, size_t(n - done));
        if (w < 0) {
          if (errno == EINTR) continue;
          err = errno;
          break;
        }
        done += w;
      }
      if (err) break;
    }
  }
  ::close(in);
  if (::close(out) != 0 && !err) err = errno;
  return {err, reading};
}

// Writes a whole file; 0 or an errno (a full disk shows in write or close).
// A name no other build uses (a leftover of a killed build may be being
// removed in the background under an older one).
std::string unique_suffix() {
  static std::atomic<unsigned> n{0};
  return std::to_string(getpid()) + "-" + std::to_string(++n);
}

// The deepest folder of `p` that exists: the one a failed mkdir was in.
fs::path existing_ancestor(fs::path p) {
  std::error_code ec;
  while (p.has_parent_path() && p != p.parent_path()) {
    p = p.parent_path();
    if (fs::is_directory(p, ec)) return p;
  }
  return p;
}

}  // namespace

void Publisher::crash_point(const char* step) {
  static const char* at = std::getenv("SITE_GEN_TEST_CRASH_AT");
  if (at && std::strcmp(at, step) == 0) ::raise(SIGKILL);
}

namespace {
fs::path store_of(const fs::path& anchored_out) {
  return anchored_out.parent_path() / ("." + anchored_out.filename().string() + ".site-gen");
}
}  // namespace

fs::path build_cache_dir(const fs::path& out) { return store_of(anchored(out)) / kCacheName; }

long published_generation(const fs::path& out, const fs::path& index) {
  const fs::path o = anchored(out), store = store_of(o);
  std::error_code ec;
  long n = generation_number(fs::read_symlink(store / "current", ec).filename().string());
  if (ec || n == 0) return 0;
  const fs::path current = fs::path(store.filename()) / "current";
  if (fs::read_symlink(o, ec) != current / "tree" || ec) return 0;
  const fs::path gen = store / (kGenPrefix + std::to_string(n));
  if (!index.empty()) {
    const fs::path i = anchored(index);
    fs::path target = fs::read_symlink(i, ec);
    if (ec || (target != current / "index" && target != store / "current" / "index")) return 0;
    if (!fs::is_directory(gen / "index", ec)) return 0;
  }
  return fs::is_directory(gen / "tree", ec) ? n : 0;
}

Publisher::Publisher(PublishOptions options) : opt_(std::move(options)) {
  out_ = anchored(opt_.out);
  fs::path parent = out_.parent_path();
  store_ = store_of(out_);
  out_target_ = fs::path(store_.filename()) / "current" / "tree";
  if (!opt_.index.empty()) {
    index_ = anchored(opt_.index);
    // Beside the output, a relative link (the pair can be moved together);
    // elsewhere (another disk, say) an absolute one.
    index_target_ = index_.parent_path() == parent
                        ? fs::path(store_.filename()) / "current" / "index"
                        : store_ / "current" / "index";
  }
  if (!open_store() || !lock_store()) return;
  if (opt_.in_place) {
    tree_ = out_;
    index_stage_ = index_;
    return;
  }
  scan_generations();
  remove_leftovers();
  if (!migrate()) return;
  prepare_generation();
}

Publisher::~Publisher() {
  if (!committed_ && !opt_.in_place && next_ > 0) remove_in_background({gen_dir(next_)});
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

Diagnostic Publisher::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

void Publisher::fail(const fs::path& path, const std::string& message, int err) {
  std::lock_guard lock(mu_);
  if (failed_) return;
  failure_ = Diagnostic{path.string(), 0, message, Severity::error};
  failure_errno_ = err;
  failed_ = true;
}

fs::path Publisher::gen_dir(long gen) const { return store_ / (kGenPrefix + std::to_string(gen)); }

bool Publisher::open_store() {
  std::error_code ec;
  if (fs::is_directory(store_, ec)) return true;
  fs::path parent = store_.parent_path();
  if (!fs::is_directory(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) {
      fs::path in = existing_ancestor(parent);
      fail(in,
           "cannot create the folder " + parent.lexically_relative(in).string() + ": " +
               ec.message(),
           ec.value());
      return false;
    }
  }
  if (::mkdir(store_.c_str(), 0755) != 0 && errno != EEXIST) {
    int e = errno;
    fail(parent, "cannot create the folder " + store_.filename().string() + ": " + errno_text(e),
         e);
    return false;
  }
  return true;
}

// The lock file holds the pid of the build that has it, for the message.
bool Publisher::lock_store() {
  fs::path path = store_ / "lock";
  lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) {
    int e = errno;
    fail(store_, "cannot create the lock file: " + errno_text(e), e);
    return false;
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    if (e == EWOULDBLOCK) {
      char buf[32] = {};
      ssize_t n = ::pread(lock_fd_, buf, sizeof buf - 1, 0);
      std::string pid = n > 0 ? std::string(buf, size_t(n)) : "";
      while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
      fail(store_,
           "another site-gen build of this site is running" +
               (pid.empty() ? std::string() : " (pid " + pid + ")"),
           e);
    } else {
      fail(store_, "cannot lock: " + errno_text(e), e);
    }
    ::close(lock_fd_);
    lock_fd_ = -1;
    return false;
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, pid.data(), pid.size(), 0) < 0) {
    int e = errno;
    fail(path, "cannot write: " + errno_text(e), e);
    return false;
  }
  return true;
}

void Publisher::scan_generations() {
  std::error_code ec;
  current_ = generation_number(fs::read_symlink(store_ / "current", ec).filename().string());
  if (ec) current_ = 0;
  for (const auto& e : fs::directory_iterator(store_, ec)) {
    long n = generation_number(e.path().filename().string());
    if (n > newest_) newest_ = n;
  }
  if (current_ > newest_) newest_ = current_;
}

// What killed builds left and what is no longer published: in the store,
// anything but the lock, `current` and the current generation (the
// previous one, kept after the last publish for the readers that had it
// open, has had its time: removing it now keeps the disk needed at two
// generations, as before generations); beside the output and the index,
// our swap names and the staging folders of the layout before generations
// (when their build is gone). We hold the lock, so none of it belongs to a
// running build.
void Publisher::remove_leftovers() {
  std::vector<fs::path> trash;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(store_, ec)) {
    std::string name = e.path().filename().string();
    if (name == "lock" || name == "current" || name == kCacheName) continue;
    long n = generation_number(name);
    if (n > 0 && (n == current_ || (opt_.seed_tree && n == opt_.recycle))) continue;
    trash.push_back(e.path());
  }
  for (const fs::path& p : {out_, index_}) {
    if (p.empty()) continue;
    std::string ours = "." + p.filename().string() + ".site-gen-";
    std::string staging = "." + p.filename().string() + ".staging-";
    for (const auto& e : fs::directory_iterator(p.parent_path(), ec)) {
      std::string name = e.path().filename().string();
      if (name.rfind(ours, 0) == 0) {
        trash.push_back(e.path());
      } else if (name.rfind(staging, 0) == 0) {
        long pid = std::atol(name.c_str() + staging.size());
        if (pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH) trash.push_back(e.path());
      }
    }
  }
  remove_in_background(trash);
}

bool Publisher::copy_file(const fs::path& from, const fs::path& to) {
  CopyError e = copy_contents(from, to);
  if (!e.err) return true;
  if (e.reading)
    fail(from, "cannot read: " + errno_text(e.err), e.err);
  else
    fail(to, "cannot write (a copy of " + from.string() + "): " + errno_text(e.err), e.err);
  return false;
}

bool Publisher::copy_folder(const fs::path& from, const fs::path& to, bool hard_links) {
  std::error_code ec;
  if (!fs::create_directories(to, ec) && ec) {
    fail(to, "cannot create the folder: " + ec.message(), ec.value());
    return false;
  }
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    // Lexically: fs::relative() resolves links, and a published link to
    // /etc/passwd would make its copy's path /etc/passwd.
    fs::path dest = to / it->path().lexically_relative(from);
    std::error_code e2;
    if (it->is_symlink(e2)) {
      fs::copy_symlink(it->path(), dest, e2);
    } else if (it->is_directory(e2)) {
      fs::create_directory(dest, e2);
    } else if (it->is_regular_file(e2)) {
      if (hard_links) fs::create_hard_link(it->path(), dest, e2);
      if (!hard_links || e2) {
        if (!copy_file(it->path(), dest)) return false;
        e2.clear();
      }
    }
    if (e2) {
      fail(dest, "cannot copy " + it->path().string() + ": " + e2.message(), e2.value());
      return false;
    }
  }
  if (ec) {
    fail(from, "cannot read: " + ec.message(), ec.value());
    return false;
  }
  return true;
}

bool Publisher::sync_store() {
  if (!opt_.synced) return true;
  int fd = ::open(store_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  // One syncfs for the whole generation instead of an fsync per file (a
  // large archive writes 20,000): it also carries the index, which the
  // Writer commits without syncing for that reason.
  int rc = fd < 0 ? -1 : ::syncfs(fd);
  int e = errno;
  if (fd >= 0) ::close(fd);
  if (rc != 0) {
    fail(store_, "cannot write to disk: " + errno_text(e), e);
    return false;
  }
  return true;
}

// The single step that publishes: `current` replaced by a rename.
bool Publisher::set_current(long gen) {
  fs::path tmp = store_ / ("current.new-" + unique_suffix());
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_directory_symlink(kGenPrefix + std::to_string(gen), tmp, ec);
  if (!ec) fs::rename(tmp, store_ / "current", ec);
  if (ec) {
    fail(store_ / "current", "cannot publish: " + ec.message(), ec.value());
    return false;
  }
  if (opt_.synced) {
    int fd = ::open(store_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  return true;
}

// A missing output or index path becomes our symlink (made beside it and
// renamed there, so it never exists half made).
bool Publisher::ensure_link(const fs::path& path, const fs::path& target) {
  std::error_code ec;
  fs::file_status st = fs::symlink_status(path, ec);
  if (fs::is_symlink(st) && fs::read_symlink(path, ec) == target) return true;
  fs::path tmp =
      path.parent_path() / ("." + path.filename().string() + ".site-gen-link-" + unique_suffix());
  fs::remove(tmp, ec);
  ec.clear();
  fs::create_directories(path.parent_path(), ec);
  ec.clear();
  fs::create_directory_symlink(target, tmp, ec);
  if (!ec) fs::rename(tmp, path, ec);
  if (ec) {
    fail(path, "cannot create the symlink to " + target.string() + ": " + ec.message(), ec.value());
    return false;
  }
  return true;
}

// A plain folder (the layout before generations) exchanged with our symlink
// in one rename (renameat2 can exchange a folder and a symlink), then
// removed. The store's current generation already holds its copy.
bool Publisher::swap_in_link(const fs::path& path, const fs::path& target) {
  fs::path tmp =
      path.parent_path() / ("." + path.filename().string() + ".site-gen-old-" + unique_suffix());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  ec.clear();
  fs::create_directory_symlink(target, tmp, ec);
  if (ec) {
    fail(path.parent_path(),
         "cannot create the symlink " + tmp.filename().string() + ": " + ec.message(), ec.value());
    return false;
  }
  if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0) {
    int e = errno;
    fs::remove(tmp, ec);
    fail(path,
         "cannot replace the folder with a symlink into " + store_.string() + ": " + errno_text(e),
         e);
    return false;
  }
  remove_in_background({tmp});  // now the old folder
  return true;
}

// The first build over the layout before generations (a plain `public/`
// and `public-index/`): a generation holding the same pages (hard links:
// pages are only ever replaced by a rename, never rewritten) and a copy of
// the index (Xapian rewrites its files in place) is published, and then
// each folder exchanged with its symlink. Each step leaves a consistent
// pair; a crash between them is finished by the next build.
bool Publisher::migrate() {
  enum class State { absent, ours, folder };
  auto state_of = [&](const fs::path& p, const fs::path& target, State* s) {
    if (p.empty()) return *s = State::absent, true;
    std::error_code ec;
    fs::file_status st = fs::symlink_status(p, ec);
    if (!fs::exists(st)) return *s = State::absent, true;
    if (fs::is_symlink(st) && fs::read_symlink(p, ec) == target) return *s = State::ours, true;
    if (fs::is_directory(p, ec)) return *s = State::folder, true;  // or a symlink to one
    fail(p,
         "is not a folder (site-gen publishes a symlink into " + store_.string() +
             " there): move it away or choose another path",
         ENOTDIR);
    return false;
  };
  State so, si;
  if (!state_of(out_, out_target_, &so) || !state_of(index_, index_target_, &si)) return false;
  if (so != State::folder && si != State::folder) return true;
  long k = ++newest_;
  fs::path g = gen_dir(k);
  if (::mkdir(g.c_str(), 0755) != 0) {
    int e = errno;
    fail(g, "cannot create the folder: " + errno_text(e), e);
    return false;
  }
  next_ = k;  // dropped by the destructor until published
  fs::path cur = current_ ? gen_dir(current_) : fs::path();
  std::error_code ec;
  if (so == State::folder) {
    if (!copy_folder(out_, g / "tree", true)) return false;
  } else if (!cur.empty() && fs::is_directory(cur / "tree", ec)) {
    if (!copy_folder(cur / "tree", g / "tree", true)) return false;
  }
  if (si == State::folder) {
    if (!copy_folder(index_, g / "index", false)) return false;
  } else if (si == State::ours && !cur.empty() && fs::is_directory(cur / "index", ec)) {
    if (!copy_folder(cur / "index", g / "index", false)) return false;
  }
  if (!sync_store() || !set_current(k)) return false;
  next_ = 0;
  current_ = k;
  crash_point("migrated-current");
  if (so == State::folder && !swap_in_link(out_, out_target_)) return false;
  crash_point("migrated-tree");
  if (si == State::folder && !swap_in_link(index_, index_target_)) return false;
  return true;
}

bool Publisher::prepare_generation() {
  next_ = ++newest_;
  fs::path g = gen_dir(next_);
  tree_ = g / "tree";
  index_stage_ = opt_.index.empty() ? fs::path() : g / "index";
  std::error_code ec;
  // An older generation renamed is the new one, at no cost: the build
  // writes again every file in which it differs from the published one.
  if (opt_.seed_tree && opt_.recycle > 0 && opt_.recycle != current_) {
    fs::path old = gen_dir(opt_.recycle);
    if (opt_.copy_index && fs::is_directory(old / "tree", ec) &&
        (index_stage_.empty() || fs::is_directory(old / "index", ec)) &&
        ::rename(old.c_str(), g.c_str()) == 0) {
      recycled_ = true;
      return true;
    }
  }
  fs::create_directories(tree_, ec);
  if (ec) {
    fail(store_,
         "cannot create the folder " + tree_.lexically_relative(store_).string() + ": " +
             ec.message(),
         ec.value());
    return false;
  }
  if (opt_.seed_tree && current_ && !copy_folder(gen_dir(current_) / "tree", tree_, true))
    return false;
  fs::path published = current_ ? gen_dir(current_) / "index" : fs::path();
  if (!index_stage_.empty() && opt_.copy_index && !published.empty() &&
      fs::is_directory(published, ec))
    return copy_folder(published, index_stage_, false);
  return true;
}

bool Publisher::write(const std::string& rel, std::string_view data, std::string* error) {
  if (failed_) {
    *error = failure().message;
    return false;
  }
  fs::path path = tree_ / rel;
  // In place, a file whose bytes are the same is left alone: most pages an
  // edit renders again come out the same (the other languages' versions of
  // an edited document), and each new file costs an inode, which ext4 finds
  // slowly among the thousands a build has just deleted.
  // A seeded tree's files are the published ones' (hard links): they are
  // replaced the same way, never written through.
  const bool replace = opt_.in_place || opt_.seed_tree;
  if (replace)
    if (auto old = read_whole_file(path); old && *old == data) return true;
  // In place, a reader must never see half a file: write beside, then rename.
  fs::path target = path;
  if (replace) path += ".tmp-" + std::to_string(getpid());
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    fail(path.parent_path(), "cannot create the folder: " + ec.message(), ec.value());
    *error = failure().message;
    return false;
  }
  if (int err = write_whole_file(path, data)) {
    std::error_code ignored;
    fs::remove(path, ignored);
    fail(path, "cannot write: " + errno_text(err), err);
    *error = failure().message;
    return false;
  }
  if (replace) {
    fs::rename(path, target, ec);
    if (ec) {
      fail(target, "cannot write: " + ec.message(), ec.value());
      *error = failure().message;
      return false;
    }
  }
  return true;
}

bool Publisher::link_file(const fs::path& from, const std::string& rel, std::string* error) {
  if (failed_) {
    *error = failure().message;
    return false;
  }
  fs::path to = tree_ / rel;
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  if (ec) {
    fail(to.parent_path(), "cannot create the folder: " + ec.message(), ec.value());
    *error = failure().message;
    return false;
  }
  fs::remove(to, ec);
  fs::create_hard_link(from, to, ec);
  if (ec && !copy_file(from, to)) {
    *error = failure().message;
    return false;
  }
  return true;
}

bool Publisher::commit() {
  if (failed_) return false;
  if (opt_.in_place) return true;
  if (!sync_store()) return false;
  if (!ensure_link(out_, out_target_)) return false;
  if (!index_.empty() && !ensure_link(index_, index_target_)) return false;
  crash_point("synced");
  if (!set_current(next_)) return false;
  committed_ = true;
  crash_point("published");
  // The generation just replaced stays for the readers that have it open;
  // the one before goes.
  std::vector<fs::path> old;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(store_, ec)) {
    long n = generation_number(e.path().filename().string());
    if (n > 0 && n != next_ && n != current_) old.push_back(e.path());
  }
  remove_in_background(old);
  return true;
}

}  // namespace sitegen
