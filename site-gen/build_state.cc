#include "site-gen/build_state.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <map>

#include "index/layout.h"
#include "site-gen/byte_record.h"
#include "site-gen/files.h"
#include "site-gen/publish.h"
#include "site-gen/theme.h"
#include "site-gen/version.h"

namespace sitegen {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kMagic = "site-gen build state\n";
constexpr uint32_t kVersion = 3;
constexpr const char* kFileName = "build-state";
constexpr const char* kSnapshotName = "site-snapshot";

// Files changed this close to the scan may keep their times through a
// later edit (the kernel's clock for file times ticks every few
// milliseconds; some file systems keep seconds): their bytes are hashed.
constexpr int64_t kRacyNs = 2'000'000'000;

// What the loader reads at the top of a site (load.cc, theme.cc).
constexpr const char* kInputs[] = {"site.yaml", "content", "layouts", "partials",
                                   "i18n",      "static",  "themes"};

int64_t ns(const struct timespec& t) { return int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }

uint64_t file_hash(const fs::path& p) {
  auto bytes = read_whole_file(p);
  // Never 0, which means "not hashed".
  return bytes ? index::layout::fnv64(*bytes) | 1 : 2;
}

class Stamper {
 public:
  explicit Stamper(std::vector<InputStamp>& out) : out_(out) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    racy_from_ = ns(now) - kRacyNs;
  }

  // `shown` names the entry: relative to the site, or absolute outside it.
  void file(const std::string& shown, const fs::path& real) {
    InputStamp s;
    s.path = shown;
    struct stat st;
    if (::stat(real.c_str(), &st) != 0) {
      s.size = -2;  // gone since it was listed
      out_.push_back(std::move(s));
      return;
    }
    s.size = st.st_size;
    s.mtime_ns = ns(st.st_mtim);
    s.inode = st.st_ino;
    if (s.mtime_ns >= racy_from_) s.hash = file_hash(real);
    out_.push_back(std::move(s));
  }

  // A missing input, or one the loader reports as a problem (a link out of
  // the site, a FIFO): its text is part of the stamp.
  void other(const std::string& shown, int64_t kind, const std::string& problem = "") {
    InputStamp s;
    s.path = shown;
    s.size = kind;
    s.hash = problem.empty() ? 0 : index::layout::fnv64(problem) | 1;
    out_.push_back(std::move(s));
  }

  // Everything under `rel` of `tree`, in the loader's order (sorted).
  void walk(const SiteTree& tree, const std::string& rel, const std::string& prefix) {
    SiteEntry top = tree.find(rel);
    if (top.is_file()) return file(prefix + top.rel, top.resolved);
    if (!top.is_folder()) return other(prefix + rel, top.kind == SiteEntry::Kind::missing ? -3 : -4,
                                       top.problem);
    std::vector<SiteEntry> todo = {std::move(top)};
    while (!todo.empty()) {
      SiteEntry folder = std::move(todo.back());
      todo.pop_back();
      std::string error;
      std::vector<SiteEntry> entries = tree.list(folder, &error);
      if (!error.empty()) other(prefix + folder.rel, -5, error);
      // Folders pushed in reverse, so the walk goes in name order.
      for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->is_folder()) todo.push_back(std::move(*it));
      }
      for (SiteEntry& e : entries) {
        if (e.is_file())
          file(prefix + e.rel, e.resolved);
        else if (e.kind == SiteEntry::Kind::problem)
          other(prefix + e.rel, -4, e.problem);
      }
    }
  }

 private:
  std::vector<InputStamp>& out_;
  int64_t racy_from_ = 0;
};

}  // namespace

std::vector<InputStamp> stamp_inputs(const fs::path& site_root, const std::string& theme) {
  std::vector<InputStamp> out;
  Stamper stamper(out);
  const SiteTree tree(site_root);
  for (const char* rel : kInputs) stamper.walk(tree, rel, "");
  // The theme's folder, when it is not the site's own themes/<name>: which
  // one was found, and its files.
  const fs::path site = fs::weakly_canonical(fs::absolute(site_root));
  for (const fs::path& dir : theme_search_path(site_root, theme)) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    fs::path real = fs::weakly_canonical(fs::absolute(dir), ec);
    fs::path in_site = real.lexically_relative(site);
    if (!in_site.empty() && *in_site.begin() != "..") break;  // walked with themes/
    stamper.other("theme:" + real.string(), -6);
    stamper.walk(SiteTree(real.parent_path()), real.filename().string(),
                 real.parent_path().string() + "/");
    break;
  }
  return out;
}

namespace {

// Whether `now` is the file `recorded` was.
bool same_input(const fs::path& site_root, const InputStamp& recorded, const InputStamp& now) {
  const InputStamp &a = recorded, &b = now;
  if (a.path != b.path || a.size != b.size || a.mtime_ns != b.mtime_ns || a.inode != b.inode)
    return false;
  if (a.size < 0) return a.hash == b.hash;  // the same problem
  if (a.hash == 0) return true;  // its time was older than the scan: it tells
  fs::path p = fs::path(b.path).is_absolute() ? fs::path(b.path) : site_root / b.path;
  return a.hash == (b.hash ? b.hash : file_hash(p));
}

}  // namespace

bool inputs_unchanged(const fs::path& site_root, const std::vector<InputStamp>& recorded,
                      const std::vector<InputStamp>& now) {
  if (recorded.size() != now.size()) return false;
  for (size_t i = 0; i < now.size(); ++i)
    if (!same_input(site_root, recorded[i], now[i])) return false;
  return true;
}

std::string build_key(const std::string& options) {
  std::string key = std::string(tool_version()) + "\n";
  // A rebuilt executable may render differently with the same version.
  struct stat st;
  if (::stat("/proc/self/exe", &st) == 0)
    key += std::to_string(st.st_size) + " " + std::to_string(ns(st.st_mtim)) + " " +
           std::to_string(st.st_ino) + "\n";
  return key + options;
}

fs::path build_state_path(const fs::path& out) { return build_cache_dir(out) / kFileName; }

std::optional<BuildState> read_build_state(const fs::path& file) {
  auto data = read_whole_file(file);
  if (!data || data->size() < kMagic.size() + 8 || data->compare(0, kMagic.size(), kMagic) != 0)
    return std::nullopt;
  // A checksum of everything before it, last: a file cut short or damaged
  // is no state.
  std::string_view body(*data);
  body.remove_suffix(8);
  ByteReader sum(std::string_view(*data).substr(data->size() - 8));
  if (sum.u64() != index::layout::fnv64(body)) return std::nullopt;
  ByteReader r(body.substr(kMagic.size()));
  if (r.u64() != kVersion) return std::nullopt;
  BuildState s;
  s.key = r.str();
  s.generation = long(r.u64());
  s.theme = r.str();
  s.pages = r.u64();
  s.files = r.u64();
  s.snapshot_size = r.u64();
  s.snapshot_sample = r.u64();
  s.base = long(r.u64());
  for (uint64_t n = r.count(8); r.ok() && n > 0; --n) s.written.push_back(r.str());
  for (uint64_t n = r.count(40); r.ok() && n > 0; --n) {
    InputStamp in;
    in.path = r.str();
    in.size = int64_t(r.u64());
    in.mtime_ns = int64_t(r.u64());
    in.inode = r.u64();
    in.hash = r.u64();
    s.inputs.push_back(std::move(in));
  }
  for (uint64_t n = r.count(32); r.ok() && n > 0; --n) {
    Diagnostic d;
    d.path = r.str();
    d.line = int(r.u64());
    d.message = r.str();
    d.severity = r.u64() ? Severity::error : Severity::warning;
    s.warnings.push_back(std::move(d));
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return s;
}

bool write_build_state(const fs::path& file, const BuildState& s, std::string* error) {
  std::string o(kMagic);
  put_u64(o, kVersion);
  put_str(o, s.key);
  put_u64(o, uint64_t(s.generation));
  put_str(o, s.theme);
  put_u64(o, s.pages);
  put_u64(o, s.files);
  put_u64(o, s.snapshot_size);
  put_u64(o, s.snapshot_sample);
  put_u64(o, uint64_t(s.base));
  put_u64(o, s.written.size());
  for (const std::string& w : s.written) put_str(o, w);
  put_u64(o, s.inputs.size());
  for (const InputStamp& in : s.inputs) {
    put_str(o, in.path);
    put_u64(o, uint64_t(in.size));
    put_u64(o, uint64_t(in.mtime_ns));
    put_u64(o, in.inode);
    put_u64(o, in.hash);
  }
  put_u64(o, s.warnings.size());
  for (const Diagnostic& d : s.warnings) {
    put_str(o, d.path);
    put_u64(o, uint64_t(d.line));
    put_str(o, d.message);
    put_u64(o, d.severity == Severity::error);
  }
  put_u64(o, index::layout::fnv64(o));
  return replace_file(file, o, error);
}

void forget_build_state(const fs::path& out) {
  std::error_code ec;
  fs::remove(build_state_path(out), ec);
}

uint64_t sample_hash(std::string_view bytes) {
  constexpr size_t kPieces = 64, kPiece = 256;
  std::string samples = std::to_string(bytes.size());
  if (bytes.size() <= kPieces * kPiece) {
    samples += bytes;
  } else {
    const size_t step = (bytes.size() - kPiece) / (kPieces - 1);
    for (size_t i = 0; i < kPieces; ++i) samples += bytes.substr(i * step, kPiece);
  }
  return index::layout::fnv64(samples);
}

fs::path site_snapshot_path(const fs::path& out) { return build_cache_dir(out) / kSnapshotName; }

std::vector<fs::path> changed_inputs(const fs::path& site_root,
                                     const std::vector<InputStamp>& before,
                                     const std::vector<InputStamp>& now) {
  std::map<std::string_view, const InputStamp*> old;
  for (const InputStamp& s : before) old[s.path] = &s;
  std::vector<fs::path> out;
  for (const InputStamp& s : now) {
    auto it = old.find(s.path);
    if (it == old.end() || !same_input(site_root, *it->second, s)) out.emplace_back(s.path);
    if (it != old.end()) old.erase(it);
  }
  for (const auto& [path, s] : old) out.emplace_back(std::string(path));
  return out;
}

}  // namespace sitegen
