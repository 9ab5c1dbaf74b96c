#include "serve/server.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "index/search.h"
#include "serve/file_server.h"
#include "serve/http_server.h"
#include "serve/live_reload.h"
#include "serve/search_handlers.h"
#include "serve/watcher.h"
#include "site-gen/files.h"

namespace sitegen::serve {
namespace fs = std::filesystem;
HttpOptions http_options(const ServeOptions& o) {
  HttpOptions h;
  h.bind = o.bind;
  h.port = o.port;
  h.threads = o.threads;
  h.max_connections = o.max_connections;
  h.timeout_seconds = o.connection_timeout;
  h.header_deadline_seconds = o.header_deadline;
  h.heartbeat = o.stream_heartbeat;
  h.default_headers = {{"X-Content-Type-Options", "nosniff"}};
  return h;
}

struct PreviewServer::Impl {
  ServeOptions opt;
  HttpServer http;
  LiveReload live;
  std::unique_ptr<Watcher> watcher;
  std::thread watch_thread;
  std::atomic<bool> stopping{false};
  std::mutex stopped_mu;  // guards stopped
  std::condition_variable stopped_cv;
  bool stopped = false;
  std::atomic<size_t> builds{0};
  std::mutex build_mu;  // one build at a time
  LoadCache load_cache;  // parsed files kept between rebuilds

  mutable std::mutex mu;  // guards model
  std::shared_ptr<const BuiltSite> model;
  // The search endpoints, answering from the published generation's index
  // and search pages as the search service does (serve/search_handlers.h).
  SearchHandlers search;

  explicit Impl(ServeOptions o)
      : opt(std::move(o)),
        http(http_options(opt)),
        search(opt.search_cache, opt.search_cache_bytes,
               [](std::string html) { return LiveReload::inject(std::move(html)); }) {
    opt.build.cache = &load_cache;
  }

  void log(const std::string& line) {
    if (opt.log) *opt.log << line << std::endl;
  }

  fs::path out() const { return output_dir(opt.build); }

  std::shared_ptr<const BuiltSite> current() const {
    std::lock_guard lock(mu);
    return model;
  }

  // Builds (after an edit, only what depends on it); a failed build leaves
  // the last good site served and its errors shown.
  void build(const std::vector<fs::path>& changed = {}) {
    std::lock_guard one_at_a_time(build_mu);
    auto previous = current();
    BuildReport report;
    // A build that throws (a file system or Xapian error) must not take the
    // server down: it is a failed build like any other.
    try {
      report = previous && !changed.empty() ? rebuild_site(opt.build, *previous, changed)
                                            : build_site(opt.build);
    } catch (const std::exception& e) {
      report = BuildReport();
      report.diags.error(opt.build.site.string(), 0, std::string("build failed: ") + e.what());
    }
    std::vector<std::string> errors;
    for (const auto& d : report.diags.sorted()) {
      if (d.severity == Severity::error) errors.push_back(d.str());
      log(d.str());
    }
    if (report.ok() && report.model) {
      {
        std::lock_guard lock(mu);
        model = report.model;
      }
      // A site whose index cannot be opened keeps the last good search.
      std::string error;
      if (auto site = SearchSite::open(out(), index_dir(opt.build), index::Facets::table, &error))
        search.set(std::move(site));
      else
        log("site-gen: search: " + error);
      live.reloaded();
      http.wake_streams();
      std::string stages;
      for (const auto& [stage, seconds] : report.stages)
        stages += (stages.empty() ? "" : ", ") + stage + " " +
                  std::to_string(static_cast<int>(seconds * 1000));
      log("site-gen: built " + std::to_string(report.pages) + " pages in " +
          std::to_string(static_cast<int>(report.seconds * 1000)) + " ms (" + stages + ")");
    } else {
      live.failed(errors);
      http.wake_streams();
      log("site-gen: " + std::to_string(errors.size()) +
          " error(s); still serving the last good site");
    }
    ++builds;
  }

  void watch_loop() {
    while (!stopping) {
      auto changed = watcher->wait(std::chrono::milliseconds(500));
      if (stopping) break;
      if (changed.empty()) continue;
      log("site-gen: " + changed.front().string() +
          (changed.size() > 1 ? " and " + std::to_string(changed.size() - 1) + " more" : "") +
          " changed");
      build(changed);
    }
  }

  std::vector<fs::path> watched_paths() const {
    const fs::path& site = opt.build.site;
    std::vector<fs::path> paths = {site / "site.yaml", site / "content", site / "layouts",
                                   site / "partials", site / "i18n", site / "static",
                                   site / "themes"};
    if (auto m = current()) paths.push_back(m->theme->dir);
    return paths;
  }

  // ---- handlers

  HttpResponse send_file(const HttpRequest& req) {
    // Resolved once: a build that publishes between the lookup and the
    // open would otherwise put the file found outside the root opened (404).
    std::error_code ec;
    const fs::path root = fs::canonical(out(), ec);
    if (ec) return send_not_found(req);
    auto r = file_response(root, req.target);
    if (!r) return send_not_found(req);
    // A page gets the live reload script: read, not sent from the file.
    if (r->file_fd >= 0 && r->content_type.rfind("text/html", 0) == 0) {
      std::string html(static_cast<size_t>(r->file_size), '\0');
      ssize_t n = ::pread(r->file_fd, html.data(), html.size(), 0);
      if (n < 0) return send_not_found(req);
      html.resize(static_cast<size_t>(n));
      ::close(r->file_fd);
      r->file_fd = -1;
      r->file_size = 0;
      r->body = LiveReload::inject(std::move(html));
    }
    return std::move(*r);
  }

  // The theme's 404 page in the language of the path, else the default one.
  HttpResponse send_not_found(const HttpRequest& req) {
    std::string page;
    auto m = current();
    if (m) {
      std::string first = req.path.substr(1, req.path.find('/', 1) - 1);
      for (const auto& lang : m->site->languages())
        if (lang == first) page = first + "/404.html";
    }
    auto html = read_whole_file(out() / (page.empty() ? "404.html" : page));
    HttpResponse r(404, html ? LiveReload::inject(std::move(*html)) : "not found\n",
                   html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
    r.set_header("Cache-Control", "no-cache");
    return r;
  }

  void routes() {
    http.events(LiveReload::kEventsPath, [this](const HttpRequest&) -> EventPoll {
      auto seen = std::make_shared<unsigned long>(live.generation());
      return [this, seen](std::string* out) { return !stopping && live.poll(seen.get(), out); };
    });
    http.get(LiveReload::kScriptPath, [](const HttpRequest&) {
      HttpResponse r(200, LiveReload::script(), "text/javascript; charset=utf-8");
      r.set_header("Cache-Control", "no-cache");
      return r;
    });
    http.get(LiveReload::kStatusPath, [this](const HttpRequest&) {
      HttpResponse r(200, live.status_json(), "application/json");
      r.set_header("Cache-Control", "no-cache");
      return r;
    });
    search.add_routes(http, [this](const HttpRequest& q) { return send_file(q); });
    http.get(R"(/.*)", [this](const HttpRequest& q) { return send_file(q); });
  }
};

PreviewServer::PreviewServer(ServeOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

PreviewServer::~PreviewServer() {
  stop();
  wait();
}

bool PreviewServer::start(std::string* error) {
  Impl& s = *impl_;
  s.build();
  s.routes();
  if (!s.http.start(error)) return false;
  if (s.opt.watch) {
    s.watcher = std::make_unique<Watcher>(s.watched_paths());
    if (!s.watcher->ok()) s.log("site-gen: not watching: " + s.watcher->error());
    else s.watch_thread = std::thread([&s] { s.watch_loop(); });
  }
  return true;
}

int PreviewServer::port() const { return impl_->http.port(); }

void PreviewServer::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  s.live.shut_down();
  if (s.watcher) s.watcher->stop();
  s.http.stop();
  std::lock_guard lock(s.stopped_mu);
  s.stopped = true;
  s.stopped_cv.notify_all();
}

void PreviewServer::wait() {
  Impl& s = *impl_;
  {
    std::unique_lock lock(s.stopped_mu);
    s.stopped_cv.wait(lock, [&s] { return s.stopped; });
  }
  if (s.watch_thread.joinable()) s.watch_thread.join();
}

size_t PreviewServer::builds() const { return impl_->builds; }

size_t PreviewServer::search_cache_bytes() const { return impl_->search.cache_bytes(); }

size_t PreviewServer::connections() const { return impl_->http.connections(); }

size_t PreviewServer::streams() const { return impl_->http.streams(); }

void PreviewServer::rebuild() { impl_->build(); }

int run_serve(const ServeOptions& options) {
  // Signals are taken by one thread with sigwait, so every other thread
  // (HTTP workers, watcher) must block them; the background `rm` of old
  // trees must not leave zombies.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGCHLD, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);

  PreviewServer server(options);
  std::string error;
  if (!server.start(&error)) {
    if (options.log) *options.log << "site-gen: " << error << std::endl;
    return 1;
  }
  if (options.log)
    *options.log << "site-gen: serving " << output_dir(options.build).string() << " at http://"
                 << options.bind << ":" << server.port() << "/ (Ctrl-C to stop)" << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  if (options.log) *options.log << "site-gen: stopping" << std::endl;
  server.stop();
  server.wait();
  return 0;
}

}  // namespace sitegen::serve
