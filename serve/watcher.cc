// Watcher: inotify on every folder under the watched paths, following
// folders created (or moved in) later. See watcher.h.
#include "serve/watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <unordered_map>

namespace sitegen::serve {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint32_t kDirMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                              IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF |
                              IN_ONLYDIR | IN_EXCL_UNLINK;

bool ends_with(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// Editor litter and version-control folders: never reported, never watched.
bool ignored_name(const std::string& name) {
  if (name.empty()) return true;
  if (name == ".git" || name == "4913" || name == ".DS_Store") return true;
  if (name.back() == '~') return true;
  if (name[0] == '#') return true;  // emacs auto-save #file#
  if (name.rfind(".#", 0) == 0) return true;  // emacs lock
  return ends_with(name, ".swp") || ends_with(name, ".swx") || ends_with(name, ".swpx");
}

// "content/" -> "content", "a/./b" -> "a/b"; keeps relative paths relative.
fs::path normalize(const fs::path& p) {
  fs::path n = p.lexically_normal();
  if (n.has_parent_path() && n.filename().empty()) n = n.parent_path();
  return n;
}

int clamp_ms(Clock::duration d) {
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(d).count();
  if (ms < 0) return 0;
  if (ms > INT_MAX) return INT_MAX;
  return static_cast<int>(ms);
}

}  // namespace

struct Watcher::Impl {
  struct Dir {
    fs::path path;
    bool all = false;             // every entry is reported (recursive watch)
    std::set<std::string> names;  // else only these entries (file roots, missing roots)
  };
  struct Root {
    fs::path path;
    bool is_dir = false;
  };
  // Changes collected during one wait(), in first-seen order.
  struct Batch {
    struct Entry {
      size_t seq;
      bool created;  // first event in this batch was a creation
    };
    std::map<std::string, Entry> entries;
    size_t next = 0;
    bool any = false;  // a relevant event arrived (even if later cancelled)
    std::vector<fs::path> overflow;  // events were lost: just these (the roots)

    void add(const fs::path& p, bool created = false) {
      any = true;
      entries.try_emplace(p.string(), Entry{next++, created});
    }
    // A file created and removed again within the batch never existed as far
    // as the site is concerned (atomic savers' temp files).
    void remove(const fs::path& p) {
      any = true;
      auto it = entries.find(p.string());
      if (it != entries.end() && it->second.created)
        entries.erase(it);
      else
        add(p);
    }
    std::vector<fs::path> take() {
      if (!overflow.empty()) return overflow;
      std::vector<std::pair<size_t, std::string>> v;
      for (auto& [k, e] : entries) v.emplace_back(e.seq, k);
      std::sort(v.begin(), v.end());
      std::vector<fs::path> out;
      for (auto& [s, k] : v) out.emplace_back(k);
      return out;
    }
  };

  int ifd = -1;
  int efd = -1;
  std::string err;
  std::atomic<bool> stopped{false};
  std::mutex wait_mu;  // one wait() at a time

  std::vector<Root> roots;
  std::set<std::string> root_dirs;
  std::unordered_map<int, Dir> dirs;
  std::map<std::string, int> by_path;

  void note_error(const fs::path& p, int e) {
    if (e == ENOENT || e == ENOTDIR) return;  // vanished meanwhile: not an error
    if (err.empty()) err = "cannot watch " + p.string() + ": " + std::strerror(e);
  }

  // Watches `dir` (adding nothing else). Returns its descriptor, or -1.
  // `fresh` tells whether it wasn't watched recursively before.
  int watch(const fs::path& dir, bool* fresh = nullptr) {
    int wd = inotify_add_watch(ifd, dir.empty() ? "." : dir.c_str(), kDirMask);
    if (wd < 0) {
      note_error(dir, errno);
      return -1;
    }
    auto [it, inserted] = dirs.try_emplace(wd);
    if (inserted) {
      it->second.path = dir;
      by_path[dir.string()] = wd;
    }
    if (fresh) *fresh = inserted || !it->second.all;
    return wd;
  }

  // Watches `top` and every folder below it; files found are added to
  // `report` when given (a folder that appeared with content already inside).
  // Folders already watched recursively are only looked into again when
  // reporting or when `rescan` (events were lost).
  void add_tree(const fs::path& top, Batch* report, bool rescan = false) {
    std::vector<fs::path> todo = {top};
    std::set<int> visited;  // one folder reached twice (symlinks, loops)
    while (!todo.empty()) {
      fs::path dir = std::move(todo.back());
      todo.pop_back();
      bool fresh = false;
      int wd = watch(dir, &fresh);
      if (wd < 0 || !visited.insert(wd).second) continue;
      Dir& d = dirs[wd];
      if (!fresh && !report && !rescan) continue;
      d.all = true;
      std::error_code ec;
      fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
      for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (ignored_name(name)) continue;
        std::error_code ec2;
        if (it->is_directory(ec2)) {
          todo.push_back(it->path());
        } else if (report) {
          report->add(it->path());
        }
      }
    }
  }

  // Forgets the watches on `top` and below (it moved away).
  void remove_tree(const fs::path& top) {
    std::string key = top.string();
    std::string prefix = key + "/";
    for (auto it = by_path.lower_bound(key); it != by_path.end();) {
      if (it->first != key && it->first.compare(0, prefix.size(), prefix) != 0) break;
      inotify_rm_watch(ifd, it->second);
      dirs.erase(it->second);
      it = by_path.erase(it);
    }
  }

  // Watches the folder holding `p` for `p`'s name only: a watched file, or a
  // root folder that doesn't exist (yet) or went away.
  void track_in_parent(const fs::path& p) {
    fs::path parent = p.parent_path();  // "" for "content": the current folder
    std::error_code ec;
    if (!fs::is_directory(parent.empty() ? fs::path(".") : parent, ec)) return;
    int wd = watch(parent);
    if (wd >= 0) dirs[wd].names.insert(p.filename().string());
  }

  void add_root(const Root& r, bool rescan) {
    if (r.is_dir) {
      std::error_code ec;
      if (fs::is_directory(r.path, ec))
        add_tree(r.path, nullptr, rescan);
      else
        track_in_parent(r.path);
    } else {
      track_in_parent(r.path);
    }
  }

  void handle(const inotify_event& ev, Batch& batch) {
    if (ev.mask & IN_Q_OVERFLOW) {
      // Events were lost: everything may have changed, which is reported
      // as the roots themselves. Pick up folders created meanwhile too.
      batch.any = true;
      batch.overflow.clear();
      for (const Root& r : roots) {
        batch.overflow.push_back(r.path);
        add_root(r, true);
      }
      return;
    }
    auto it = dirs.find(ev.wd);
    if (ev.mask & IN_IGNORED) {
      if (it != dirs.end()) {
        auto p = by_path.find(it->second.path.string());
        if (p != by_path.end() && p->second == ev.wd) by_path.erase(p);
        dirs.erase(it);
      }
      return;
    }
    if (it == dirs.end()) return;
    Dir& d = it->second;
    std::string name = ev.len ? std::string(ev.name) : std::string();

    if (name.empty()) {  // the watched folder itself
      if (!(ev.mask & (IN_DELETE_SELF | IN_MOVE_SELF))) return;
      fs::path self = d.path;
      if (!root_dirs.count(self.string())) return;  // parent reports it
      batch.remove(self);
      if (ev.mask & IN_MOVE_SELF) remove_tree(self);
      track_in_parent(self);  // notice it coming back
      return;
    }
    if (!d.all && !d.names.count(name)) return;
    if (ignored_name(name)) return;
    fs::path full = d.path / name;

    if (ev.mask & IN_ISDIR) {
      if (ev.mask & (IN_CREATE | IN_MOVED_TO)) {
        // Its content may already be there (mkdir -p && write, cp -r, mv).
        add_tree(full, &batch);
        batch.any = true;
      } else if (ev.mask & (IN_DELETE | IN_MOVED_FROM)) {
        batch.add(full);
        if (ev.mask & IN_MOVED_FROM) remove_tree(full);
      }
      return;
    }
    if (ev.mask & (IN_DELETE | IN_MOVED_FROM))
      batch.remove(full);
    else if (ev.mask & IN_CREATE)
      batch.add(full, true);
    else if (ev.mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB))
      batch.add(full);
  }

  // Reads every queued event. Returns whether a relevant one arrived.
  bool drain(Batch& batch) {
    alignas(inotify_event) char buf[64 * 1024];
    bool relevant = false;
    for (;;) {
      ssize_t n = read(ifd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        break;  // EAGAIN: queue empty
      }
      if (n == 0) break;
      for (ssize_t off = 0; off < n;) {
        const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
        bool before = batch.any;
        batch.any = false;
        handle(*ev, batch);
        relevant = relevant || batch.any;
        batch.any = before || batch.any;
        off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      }
    }
    return relevant;
  }

  enum class Ready { timeout, events, stop };

  Ready poll_until(Clock::time_point deadline) {
    for (;;) {
      pollfd fds[2] = {{efd, POLLIN, 0}, {ifd, POLLIN, 0}};
      int r = ::poll(fds, 2, clamp_ms(deadline - Clock::now()));
      if (r < 0) {
        if (errno == EINTR) continue;
        return Ready::stop;  // cannot wait at all: behave as stopped
      }
      if (stopped.load() || (fds[0].revents & POLLIN)) return Ready::stop;
      if (r == 0) {
        if (Clock::now() >= deadline) return Ready::timeout;
        continue;  // woke a little early (rounding)
      }
      if (fds[1].revents & (POLLERR | POLLHUP | POLLNVAL)) return Ready::stop;
      if (fds[1].revents & POLLIN) return Ready::events;
    }
  }
};

Watcher::Watcher(const std::vector<fs::path>& paths) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (s.ifd < 0) {
    s.err = std::string("inotify_init1: ") + std::strerror(errno);
    return;
  }
  s.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s.efd < 0) {
    s.err = std::string("eventfd: ") + std::strerror(errno);
    close(s.ifd);
    s.ifd = -1;
    return;
  }
  std::set<std::string> seen;
  for (const fs::path& given : paths) {
    fs::path p = normalize(given);
    if (p.empty() || !seen.insert(p.string()).second) continue;
    std::error_code ec;
    auto st = fs::status(p, ec);
    // Missing paths are assumed to be folders (content/, static/ ...) that
    // may be created later; a missing file root is watched by name anyway.
    Impl::Root r{p, !fs::exists(st) || fs::is_directory(st)};
    if (r.is_dir) s.root_dirs.insert(p.string());
    s.roots.push_back(r);
    s.add_root(r, false);
  }
}

Watcher::~Watcher() {
  if (impl_->ifd >= 0) close(impl_->ifd);
  if (impl_->efd >= 0) close(impl_->efd);
}

bool Watcher::ok() const { return impl_->ifd >= 0; }

const std::string& Watcher::error() const { return impl_->err; }

std::vector<fs::path> Watcher::wait(std::chrono::milliseconds timeout,
                                    std::chrono::milliseconds settle) {
  Impl& s = *impl_;
  if (s.ifd < 0 || s.stopped.load()) return {};
  std::lock_guard lock(s.wait_mu);
  const auto deadline = Clock::now() + timeout;
  if (settle < std::chrono::milliseconds(0)) settle = std::chrono::milliseconds(0);
  for (;;) {
    Impl::Batch batch;
    switch (s.poll_until(deadline)) {
      case Impl::Ready::stop:
      case Impl::Ready::timeout:
        return {};
      case Impl::Ready::events:
        break;
    }
    if (!s.drain(batch)) continue;  // only litter / unwatched names
    // Something changed: collect what follows closely (an editor's save is
    // several events), but not forever while something keeps writing.
    const auto cap = Clock::now() + 10 * settle;
    for (;;) {
      auto quiet = std::min(Clock::now() + settle, cap);
      Impl::Ready r = s.poll_until(quiet);
      if (r == Impl::Ready::stop) return {};
      if (r == Impl::Ready::timeout) break;
      s.drain(batch);
      if (Clock::now() >= cap) break;
    }
    auto out = batch.take();
    if (!out.empty()) return out;
    // Everything cancelled out (a temp file created and removed): keep
    // waiting for the rest of the timeout.
    if (Clock::now() >= deadline) return {};
  }
}

void Watcher::stop() {
  Impl& s = *impl_;
  s.stopped.store(true);
  if (s.efd >= 0) {
    uint64_t one = 1;
    ssize_t n = ::write(s.efd, &one, sizeof one);
    (void)n;
  }
}

}  // namespace sitegen::serve
