#include "serve/search_service.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>

#include "serve/file_server.h"
#include "serve/http_server.h"
#include "serve/search_handlers.h"
#include "site-gen/files.h"

namespace sitegen::serve {
namespace fs = std::filesystem;
namespace {

// Where --out and --index lead now, both through the same `current`: the
// tree is resolved before and after the index, and the three agree unless a
// build published in between (then again). {} when either is missing.
std::pair<fs::path, fs::path> resolve_generation(const fs::path& out, const fs::path& index) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    std::error_code ec1, ec2, ec3;
    fs::path tree = fs::canonical(out, ec1);
    fs::path idx = fs::canonical(index, ec2);
    fs::path again = fs::canonical(out, ec3);
    if (ec1 || ec2 || ec3) return {};
    if (tree == again) return {tree, idx};
  }
  return {};
}

}  // namespace

std::string access_log_line(const std::string& remote, std::chrono::system_clock::time_point when,
                            const std::string& method, const std::string& target,
                            const std::string& version, int status, uint64_t bytes) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm;
  gmtime_r(&t, &tm);
  char date[40];
  std::strftime(date, sizeof date, "%d/%b/%Y:%H:%M:%S +0000", &tm);
  std::string request = method + " " + target + " " + version, safe;
  for (unsigned char c : request) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      static const char* hex = "0123456789abcdef";
      safe += "\\x";
      safe += hex[c >> 4];
      safe += hex[c & 15];
    } else {
      safe += static_cast<char>(c);
    }
  }
  return (remote.empty() ? "-" : remote) + " - - [" + date + "] \"" + safe + "\" " +
         std::to_string(status) + " " + (bytes ? std::to_string(bytes) : "-") + "\n";
}

struct SearchService::Impl {
  SearchServiceOptions opt;
  HttpServer http;
  SearchHandlers search;
  std::thread poller;
  std::atomic<size_t> generations{0};
  std::pair<fs::path, fs::path> failed;  // a generation that would not open (poller only)

  std::mutex stop_mu;  // guards stopping
  std::condition_variable stop_cv;
  bool stopping = false;

  std::mutex log_mu;  // guards log_fd
  int log_fd = -1;

  static HttpOptions http_options(const SearchServiceOptions& o, Impl* self) {
    HttpOptions h;
    h.bind = o.bind;
    h.port = o.port;
    h.threads = o.threads;
    h.max_connections = o.max_connections;
    h.timeout_seconds = o.connection_timeout;
    h.header_deadline_seconds = o.header_deadline;
    h.default_headers = {{"X-Content-Type-Options", "nosniff"}};
    if (!o.access_log.empty())
      h.on_answer = [self](const HttpRequest& r, int status, uint64_t bytes) {
        self->write_log(access_log_line(r.remote, std::chrono::system_clock::now(), r.method,
                                        r.target, r.version, status,
                                        r.method == "HEAD" ? 0 : bytes));
      };
    return h;
  }

  explicit Impl(SearchServiceOptions o)
      : opt(std::move(o)),
        http(http_options(opt, this)),
        search(opt.search_cache, opt.search_cache_bytes) {
    search.allow_cross_origin(opt.allow_origins);
  }

  ~Impl() {
    if (log_fd > 1) ::close(log_fd);
  }

  void log(const std::string& line) {
    if (opt.log) *opt.log << line << std::endl;
  }

  // One write per line, appended: lines from many threads never mix.
  void write_log(const std::string& line) {
    std::lock_guard lock(log_mu);
    if (log_fd >= 0) {
      ssize_t ignored = ::write(log_fd, line.data(), line.size());
      (void)ignored;
    }
  }

  bool open_log(std::string* error) {
    if (opt.access_log.empty()) return true;
    int fd = 1;
    if (opt.access_log != "-") {
      fd = ::open(opt.access_log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
      if (fd < 0) {
        *error = "cannot open the access log " + opt.access_log + ": " + std::strerror(errno);
        return false;
      }
    }
    std::lock_guard lock(log_mu);
    if (log_fd > 1) ::close(log_fd);
    log_fd = fd;
    return true;
  }

  // Opens the generation --out and --index lead to, if it is not the one
  // served, and swaps it in. False with *error if it cannot be opened (the
  // one served, if any, stays).
  bool refresh(std::string* error) {
    auto where = resolve_generation(opt.out, opt.index);
    if (where.first.empty()) {
      *error = "cannot resolve " + opt.out.string() + " and " + opt.index.string();
      return false;
    }
    auto now = search.current();
    if (now && now->tree == where.first && now->index == where.second) return true;
    if (where == failed) return false;  // said once already
    auto site = SearchSite::open(where.first, where.second, index::Facets::table, error);
    if (!site) {
      failed = where;
      return false;
    }
    search.set(std::move(site));
    ++generations;
    log("site-gen: serving search from " + where.first.string() + " and " + where.second.string());
    return true;
  }

  void poll_loop() {
    std::unique_lock lock(stop_mu);
    while (!stop_cv.wait_for(lock, opt.poll, [this] { return stopping; })) {
      lock.unlock();
      std::string error;
      if (!refresh(&error) && !error.empty())
        log("site-gen: still serving the last generation: " + error);
      lock.lock();
    }
  }

  // ---- handlers

  HttpResponse not_found(const HttpRequest& req, const SearchSite* site) {
    std::optional<std::string> html;
    if (site && opt.serve_static) {
      std::string first = req.path.substr(1, req.path.find('/', 1) - 1);
      for (const auto& lang : site->languages)
        if (lang == first) html = read_whole_file(site->tree / lang / "404.html");
      if (!html) html = read_whole_file(site->tree / "404.html");
    }
    HttpResponse r(404, html ? std::move(*html) : "not found\n",
                   html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
    r.set_header("Cache-Control", "no-cache");
    return r;
  }

  HttpResponse send_file(const HttpRequest& req) {
    auto site = search.current();
    if (!site || !opt.serve_static) return not_found(req, site.get());
    auto r = file_response(site->tree, req.target);
    return r ? std::move(*r) : not_found(req, site.get());
  }

  void routes() {
    http.get("/healthz", [this](const HttpRequest&) {
      auto site = search.current();
      HttpResponse r =
          site && site->searcher ? HttpResponse(200, "ok\n") : HttpResponse(503, "no index\n");
      r.set_header("Cache-Control", "no-cache");
      return r;
    });
    search.add_routes(http, [this](const HttpRequest& q) { return send_file(q); });
    http.get(R"(/.*)", [this](const HttpRequest& q) { return send_file(q); });
  }
};

SearchService::SearchService(SearchServiceOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

SearchService::~SearchService() {
  stop();
  wait();
}

bool SearchService::start(std::string* error) {
  Impl& s = *impl_;
  if (!s.open_log(error) || !s.refresh(error)) return false;
  s.routes();
  if (!s.http.start(error)) return false;
  s.poller = std::thread([&s] { s.poll_loop(); });
  return true;
}

int SearchService::port() const { return impl_->http.port(); }

void SearchService::stop() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.stop_mu);
    if (s.stopping) return;
    s.stopping = true;
  }
  s.stop_cv.notify_all();
  s.http.stop();
}

void SearchService::wait() {
  Impl& s = *impl_;
  {
    std::unique_lock lock(s.stop_mu);
    s.stop_cv.wait(lock, [&s] { return s.stopping; });
  }
  if (s.poller.joinable()) s.poller.join();
}

bool SearchService::reopen_log(std::string* error) { return impl_->open_log(error); }

size_t SearchService::generations() const { return impl_->generations; }

int run_search_service(const SearchServiceOptions& options) {
  // Signals are taken by this thread with sigwait, so every other thread
  // must block them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  SearchService service(options);
  std::string error;
  if (!service.start(&error)) {
    if (options.log) *options.log << "site-gen: " << error << std::endl;
    return 1;
  }
  if (options.log)
    *options.log << "site-gen: search service at http://" << options.bind << ":" << service.port()
                 << "/ for " << options.out.string() << " and " << options.index.string()
                 << std::endl;
  for (;;) {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != SIGHUP) break;
    if (!service.reopen_log(&error) && options.log)
      *options.log << "site-gen: " << error << std::endl;
  }
  if (options.log) *options.log << "site-gen: stopping" << std::endl;
  service.stop();
  service.wait();
  return 0;
}

}  // namespace sitegen::serve
