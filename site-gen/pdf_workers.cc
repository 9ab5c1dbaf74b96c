#include "site-gen/pdf_workers.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>

#include "index/attachment_text.h"

extern char** environ;

namespace sitegen {
namespace fs = std::filesystem;
namespace {

// The protocol, over a socket pair (send() with MSG_NOSIGNAL: a worker
// that died is an error to handle, not a SIGPIPE). A request is a path
// and a NUL; the answer a line "T <pages> <bytes>" followed by the text,
// or "W <pages> <bytes>" followed by the reason it has none.

bool write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) n = write(fd, s.data(), s.size());  // a worker run by hand
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(size_t(n));
  }
  return true;
}

// Reads into `buf` until it holds `want` bytes; false on end, error or the
// deadline. The wait is rounded up to whole milliseconds: rounded down, poll
// timed out a fraction of a millisecond before the deadline, and the caller
// took a hang for a crash.
bool read_until(int fd, std::string& buf, size_t want, std::chrono::steady_clock::time_point deadline) {
  char chunk[65536];
  while (buf.size() < want) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = poll(&p, 1, int(std::min<long long>(left.count(), 1 << 30)));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buf.append(chunk, size_t(n));
  }
  return true;
}

// One worker process and the parent's end of its socket.
class Worker {
 public:
  explicit Worker(const fs::path& program) : program_(program) {}
  ~Worker() { stop(); }

  // The text of `file`; a worker that dies or takes too long is stopped
  // (the next file starts another).
  PdfText read(const fs::path& file, std::chrono::milliseconds limit) {
    PdfText out;
    if (pid_ < 0 && !start()) {
      out.warning = "cannot start the PDF reader " + program_.string();
      return out;
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::string request = file.string();
    request += '\0';
    std::string buf;
    size_t eol = std::string::npos;
    bool ok = write_all(fd_, request);
    while (ok && (eol = buf.find('\n')) == std::string::npos) ok = read_until(fd_, buf, buf.size() + 1, deadline);
    char kind = 0;
    size_t bytes = 0;
    if (ok) ok = parse_header(std::string_view(buf).substr(0, eol), &kind, &out.pages, &bytes);
    if (ok) ok = read_until(fd_, buf, eol + 1 + bytes, deadline);
    if (!ok) {
      const bool late = std::chrono::steady_clock::now() >= deadline;
      stop();
      out.pages = 0;
      out.warning = late ? "the PDF reader took longer than " + std::to_string(limit.count() / 1000) + " s"
                         : "the PDF reader stopped on it (a damaged or hostile file?)";
      return out;
    }
    std::string body = buf.substr(eol + 1, bytes);
    if (kind == 'T')
      out.text = std::move(body);
    else
      out.warning = std::move(body);
    return out;
  }

 private:
  static bool parse_header(std::string_view h, char* kind, int* pages, size_t* bytes) {
    if (h.size() < 5 || (h[0] != 'T' && h[0] != 'W') || h[1] != ' ') return false;
    *kind = h[0];
    const char* p = h.data() + 2;
    const char* end = h.data() + h.size();
    auto r = std::from_chars(p, end, *pages);
    if (r.ec != std::errc() || r.ptr == end || *r.ptr != ' ') return false;
    r = std::from_chars(r.ptr + 1, end, *bytes);
    return r.ec == std::errc() && r.ptr == end;
  }

  bool start() {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // dup2 clears close-on-exec on the copies: the child keeps 0 and 1.
    posix_spawn_file_actions_adddup2(&actions, pair[1], 0);
    posix_spawn_file_actions_adddup2(&actions, pair[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const std::string path = program_.string();
    char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pair[1]);
    if (rc != 0) {
      close(pair[0]);
      return false;
    }
    pid_ = pid;
    fd_ = pair[0];
    return true;
  }

  void stop() {
    if (fd_ >= 0) close(fd_);  // a worker at rest ends when its input does
    fd_ = -1;
    if (pid_ > 0) {
      // One that is still busy (stopped for taking too long) is killed.
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
      }
    }
    pid_ = -1;
  }

  fs::path program_;
  pid_t pid_ = -1;
  int fd_ = -1;
};

PdfText read_here(const fs::path& file) {
  PdfText out;
  out.text = index::attachment_text(file, &out.warning, &out.pages);
  // The reason comes as "<file>: reason"; the caller names the file.
  if (const std::string prefix = file.string() + ": "; out.warning.rfind(prefix, 0) == 0)
    out.warning.erase(0, prefix.size());
  return out;
}

}  // namespace

fs::path default_pdf_worker() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path worker = self.parent_path() / "site-gen-pdf-text";
  return access(worker.c_str(), X_OK) == 0 ? worker : fs::path();
}

std::vector<PdfText> read_pdfs(const std::vector<fs::path>& files, int jobs, const PdfWorkerOptions& options) {
  std::vector<PdfText> out(files.size());
  const fs::path program = options.program.empty() ? default_pdf_worker() : options.program;
  if (program.empty()) {
    for (size_t i = 0; i < files.size(); ++i) out[i] = read_here(files[i]);
    return out;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    Worker worker(program);
    for (size_t i; (i = next.fetch_add(1)) < files.size();) out[i] = worker.read(files[i], options.time_limit);
  };
  const size_t n = std::min<size_t>(size_t(std::max(jobs, 1)), files.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < n; ++t) threads.emplace_back(work);
  if (n > 0) work();
  for (auto& t : threads) t.join();
  return out;
}

int serve_pdf_requests(int in, int out) {
  std::string buf;
  char chunk[4096];
  while (true) {
    size_t nul;
    while ((nul = buf.find('\0')) == std::string::npos) {
      const ssize_t n = read(in, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return buf.empty() ? 0 : 1;
      buf.append(chunk, size_t(n));
    }
    const fs::path file = buf.substr(0, nul);
    buf.erase(0, nul + 1);
    const PdfText t = read_here(file);
    const std::string& body = t.text ? *t.text : t.warning;
    const std::string header = std::string(t.text ? "T " : "W ") + std::to_string(t.pages) + " " +
                               std::to_string(body.size()) + "\n";
    if (!write_all(out, header) || !write_all(out, body)) return 1;
  }
}

}  // namespace sitegen
