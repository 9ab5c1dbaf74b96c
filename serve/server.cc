#include "serve/server.h"

#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "index/search.h"
#include "serve/file_server.h"
#include "serve/live_reload.h"
#include "serve/response_cache.h"
#include "serve/search_page.h"
#include "serve/search_params.h"
#include "serve/watcher.h"
#include "site-gen/files.h"

namespace sitegen::serve {
namespace fs = std::filesystem;
namespace {

std::string json_error(const std::string& message) {
  return "{\"error\":" + json_string(message) + "}";
}

}  // namespace

struct PreviewServer::Impl {
  ServeOptions opt;
  httplib::Server http;
  LiveReload live;
  std::unique_ptr<Watcher> watcher;
  std::thread http_thread, watch_thread;
  int bound_port = 0;
  socket_t listen_socket = -1;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> builds{0};
  std::mutex build_mu;  // one build at a time
  LoadCache load_cache;  // parsed files kept between rebuilds

  mutable std::mutex mu;  // guards the two below
  std::shared_ptr<const BuiltSite> model;
  std::shared_ptr<const index::Searcher> searcher;
  // Answers of the model and searcher above; invalidated after they change.
  ResponseCache answers;

  explicit Impl(ServeOptions o) : opt(std::move(o)), answers(opt.search_cache) {
    opt.build.cache = &load_cache;
  }

  void log(const std::string& line) {
    if (opt.log) *opt.log << line << std::endl;
  }

  fs::path out() const { return output_dir(opt.build); }

  std::pair<std::shared_ptr<const BuiltSite>, std::shared_ptr<const index::Searcher>> current()
      const {
    std::lock_guard lock(mu);
    return {model, searcher};
  }

  // Builds (after an edit, only what depends on it); a failed build leaves
  // the last good site served and its errors shown.
  void build(const std::vector<fs::path>& changed = {}) {
    std::lock_guard one_at_a_time(build_mu);
    auto [previous, unused] = current();
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
      auto s = std::make_shared<index::Searcher>(index_dir(opt.build));
      {
        std::lock_guard lock(mu);
        model = report.model;
        if (s->ok()) searcher = s;
      }
      // After the swap: see ResponseCache on why not before.
      answers.invalidate();
      live.reloaded();
      std::string stages;
      for (const auto& [stage, seconds] : report.stages)
        stages += (stages.empty() ? "" : ", ") + stage + " " +
                  std::to_string(static_cast<int>(seconds * 1000));
      log("site-gen: built " + std::to_string(report.pages) + " pages in " +
          std::to_string(static_cast<int>(report.seconds * 1000)) + " ms (" + stages + ")");
    } else {
      live.failed(errors);
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
    if (auto [m, s] = current(); m) paths.push_back(m->theme->dir);
    return paths;
  }

  // ---- handlers

  void send_file(const httplib::Request& req, httplib::Response& res) {
    FileLookup found = lookup_file(out(), req.target);
    switch (found.result) {
      case FileLookup::Result::bad_request:
        res.status = 400;
        res.set_content("bad request\n", "text/plain; charset=utf-8");
        return;
      case FileLookup::Result::redirect:
        res.status = 301;
        res.set_header("Location", found.location);
        return;
      case FileLookup::Result::not_found:
        return send_not_found(req, res);
      case FileLookup::Result::found:
        break;
    }
    auto data = read_whole_file(found.file);
    if (!data) return send_not_found(req, res);
    std::string type = content_type_for(found.file);
    if (type.rfind("text/html", 0) == 0) *data = LiveReload::inject(std::move(*data));
    res.set_header("Cache-Control", cache_control_for(found.file));
    res.set_content(std::move(*data), type.c_str());
  }

  // The theme's 404 page in the language of the path, else the default one.
  void send_not_found(const httplib::Request& req, httplib::Response& res) {
    std::string page;
    auto [m, s] = current();
    if (m) {
      std::string first = req.path.substr(1, req.path.find('/', 1) - 1);
      for (const auto& lang : m->site->languages())
        if (lang == first) page = first + "/404.html";
    }
    auto html = read_whole_file(out() / (page.empty() ? "404.html" : page));
    res.status = 404;
    res.set_header("Cache-Control", "no-cache");
    res.set_content(html ? LiveReload::inject(std::move(*html)) : "not found\n",
                    html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
  }

  void api_search(const httplib::Request& req, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    uint64_t generation = answers.generation();  // before current(): see ResponseCache
    auto [m, s] = current();
    if (!m || !s) {
      res.status = 503;
      res.set_content(json_error("the search index is not built yet"), "application/json");
      return;
    }
    index::SearchRequest request;
    request.lang = m->site->content.config.default_language();
    std::string problem = parse_search_params(req.params, m->site->languages(), &request);
    if (!problem.empty()) {
      res.status = 400;
      res.set_content(json_error(problem), "application/json");
      return;
    }
    std::string key = search_cache_key("api", request);
    ResponseCache::Body body = answers.find(key);
    if (!body) {
      index::SearchResponse response = s->search(request);
      body = std::make_shared<const std::string>(index::to_json(response));
      if (response.error.empty()) answers.insert(key, body, generation);
    }
    res.set_content(*body, "application/json");
  }

  void search_page(const httplib::Request& req, httplib::Response& res, const std::string& lang) {
    uint64_t generation = answers.generation();  // before current(): see ResponseCache
    auto [m, s] = current();
    if (!m || std::find(m->site->languages().begin(), m->site->languages().end(), lang) ==
                  m->site->languages().end())
      return send_file(req, res);
    bool asked = std::any_of(req.params.begin(), req.params.end(),
                             [](const auto& kv) { return !kv.second.empty(); });
    Data extra;
    std::string key;  // set when the page may be kept
    if (asked) {
      index::SearchRequest request;
      request.lang = lang;
      std::string problem = parse_search_params(req.params, m->site->languages(), &request);
      if (!problem.empty()) {
        res.status = 400;
        index::SearchResponse empty;
        empty.query = request.query;
        extra = search_page_data(*m, lang, req.params, empty);
      } else if (s) {
        key = search_cache_key("page/" + lang, request, &req.params);
        if (ResponseCache::Body page = answers.find(key)) {
          res.set_header("Cache-Control", "no-cache");
          res.set_content(*page, "text/html; charset=utf-8");
          return;
        }
        index::SearchResponse response = s->search(request);
        if (!response.error.empty()) key.clear();
        extra = search_page_data(*m, lang, req.params, response);
      }
    }
    PlannedPage page{PageKind::search, lang, -1, "/" + lang + "/search/", ""};
    std::string error;
    std::string html = m->renderer->render(page, *m->theme->borrow_layouts(), extra, &error);
    if (!error.empty()) {
      res.status = 503;
      res.set_content("the search layout failed: " + error + "\n", "text/plain; charset=utf-8");
      return;
    }
    res.set_header("Cache-Control", "no-cache");
    auto body = std::make_shared<const std::string>(LiveReload::inject(std::move(html)));
    if (!key.empty()) answers.insert(key, body, generation);
    res.set_content(*body, "text/html; charset=utf-8");
  }

  void events(const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    auto seen = std::make_shared<unsigned long>(live.generation());
    res.set_chunked_content_provider(
        "text/event-stream", [this, seen](size_t, httplib::DataSink& sink) {
          std::string event = live.next_event(seen.get(), std::chrono::seconds(15));
          if (event.empty() || stopping) {
            sink.done();
            return false;
          }
          return sink.write(event.data(), event.size());
        });
  }

  void routes() {
    // Open event streams hold a thread each: leave room for pages and searches.
    http.new_task_queue = [] { return new httplib::ThreadPool(32); };
    http.set_payload_max_length(1 << 16);
    // Without TCP_NODELAY every keep-alive answer waited ~40 ms for Nagle's
    // algorithm; and closing connections after 5 requests (the default) sent
    // clients back through the 5-deep listen queue of the packaged library.
    http.set_tcp_nodelay(true);
    http.set_keep_alive_max_count(100000);
    http.set_keep_alive_timeout(30);
    // Remember the listening socket (and keep the library's SO_REUSEADDR) so
    // that start() can widen its queue.
    http.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_socket = sock;
    });
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      res.status = 400;
      res.set_content(json_error("bad request"), "application/json");
    });
    http.Get(LiveReload::kEventsPath, [this](const auto& q, auto& r) { events(q, r); });
    http.Get(LiveReload::kScriptPath, [](const auto&, auto& r) {
      r.set_header("Cache-Control", "no-cache");
      r.set_content(LiveReload::script(), "text/javascript; charset=utf-8");
    });
    http.Get(LiveReload::kStatusPath, [this](const auto&, auto& r) {
      r.set_header("Cache-Control", "no-cache");
      r.set_content(live.status_json(), "application/json");
    });
    http.Get("/api/search", [this](const auto& q, auto& r) { api_search(q, r); });
    http.Get(R"(/([a-z]{2,3})/search/)", [this](const auto& q, auto& r) {
      search_page(q, r, q.matches[1]);
    });
    http.Get(R"(/.*)", [this](const auto& q, auto& r) { send_file(q, r); });
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
  s.bound_port = s.opt.port == 0 ? s.http.bind_to_any_port(s.opt.bind)
                                 : (s.http.bind_to_port(s.opt.bind, s.opt.port) ? s.opt.port : -1);
  if (s.bound_port <= 0) {
    *error = "cannot listen on " + s.opt.bind + ":" + std::to_string(s.opt.port);
    return false;
  }
  // The packaged library listens with a queue of 5: under a burst of new
  // connections the rest were dropped and retried by clients a second
  // later. Listening again on a listening socket only changes its queue.
  if (s.listen_socket >= 0) ::listen(s.listen_socket, 512);
  s.http_thread = std::thread([&s] { s.http.listen_after_bind(); });
  if (s.opt.watch) {
    s.watcher = std::make_unique<Watcher>(s.watched_paths());
    if (!s.watcher->ok()) s.log("site-gen: not watching: " + s.watcher->error());
    else s.watch_thread = std::thread([&s] { s.watch_loop(); });
  }
  return true;
}

int PreviewServer::port() const { return impl_->bound_port; }

void PreviewServer::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  s.live.shut_down();
  if (s.watcher) s.watcher->stop();
  s.http.stop();
}

void PreviewServer::wait() {
  Impl& s = *impl_;
  if (s.http_thread.joinable()) s.http_thread.join();
  if (s.watch_thread.joinable()) s.watch_thread.join();
}

size_t PreviewServer::builds() const { return impl_->builds; }

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
