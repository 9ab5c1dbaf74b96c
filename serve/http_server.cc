// The HTTP server over libmicrohttpd (MHD). See http_server.h.
//
// One request, as MHD sees it:
//   1. uri_logged: the request line is read; we keep the raw target (MHD
//      would decode the path, "%2F" included, before the handler sees it),
//      in a RequestState that lives until request_completed.
//   2. access: the headers are read. A request with a body (or any method
//      but GET and HEAD) is answered on this first call, so that its body
//      is never read (MHD then closes the connection rather than read past
//      it); a plain GET on the second, so that its connection is kept.
//   3. For an event stream, read_stream is MHD's content reader: it
//      suspends the connection when it has nothing to send, and
//      wake_streams() or the heartbeat resumes it.
#include "serve/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

namespace sitegen::serve {

// ---- the server

namespace {

// One event stream, owned by its MHD response (freed by free_stream).
struct Stream {
  HttpServer::Impl* server = nullptr;
  MHD_Connection* connection = nullptr;
  EventPoll poll;
  std::string pending;  // bytes due, not yet given to MHD
  // Guarded by Impl::streams_mu:
  bool suspended = false;
  bool heartbeat_due = false;
};

// What MHD keeps per request: from the request line to its completion.
struct RequestState {
  std::string target;
  bool headers_seen = false;  // the first call of access() has returned
  bool answered = false;
};

struct Route {
  std::regex pattern;
  HttpHandler handler;
};

using Clock = std::chrono::steady_clock;

// What we keep per connection (MHD's socket context), in Impl::conns.
struct Connection {
  int fd = -1;
  bool over_limit = false;  // opened above max_connections: answered 503
  // The request line and headers must be complete by then (none: max()).
  Clock::time_point header_deadline = Clock::time_point::max();
};

}  // namespace

struct HttpServer::Impl {
  HttpOptions opt;
  std::vector<Route> routes;
  std::map<std::string, StreamOpener> event_routes;
  MHD_Daemon* daemon = nullptr;
  int bound_port = 0;
  std::atomic<size_t> open_connections{0};
  std::mutex conns_mu;  // guards conns and each Connection's deadline
  std::set<Connection*> conns;

  mutable std::mutex streams_mu;  // guards the set, each Stream's flags, stopping
  std::set<Stream*> open_streams;
  bool stopping = false;
  std::condition_variable heartbeat_cv;
  std::thread housekeeping_thread;  // heartbeats, late requests dropped

  explicit Impl(HttpOptions o) : opt(std::move(o)) {}

  HttpResponse error(int status, const std::string& message) const {
    HttpResponse r(status, message + "\n");
    r.set_header("Cache-Control", "no-cache");
    return r;
  }

  HttpResponse respond(HttpRequest& req) const {
    if (req.method != "GET" && req.method != "HEAD") {
      HttpResponse r = error(405, "only GET and HEAD are served");
      r.set_header("Allow", "GET, HEAD");
      return r;
    }
    int status = 400;
    std::string message;
    std::string target = std::move(req.target);
    if (!parse_target(target, opt, &req, &status, &message)) return error(status, message);
    if (event_routes.count(req.path)) return HttpResponse(200, "", "text/event-stream");
    for (const auto& route : routes) {
      std::smatch m;
      if (!std::regex_match(req.path, m, route.pattern)) continue;
      req.matches.assign(m.begin(), m.end());
      return route.handler(req);
    }
    return error(404, "not found");
  }

  // Resumes every suspended stream; with `heartbeat`, each sends a comment
  // if it has nothing else.
  void wake(bool heartbeat) {
    std::lock_guard lock(streams_mu);
    for (Stream* s : open_streams) {
      if (heartbeat) s->heartbeat_due = true;
      if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->connection);
      }
    }
  }

  // MHD's timeout is of inactivity: a client that sends a byte now and
  // then would keep its unfinished request open for as long as its header
  // memory lasts. Past its deadline the socket is shut down, which MHD sees
  // as the client gone, and closes. (Under conns_mu: MHD reports a
  // connection closed before it closes its socket, so the fd is still its.)
  void drop_late_requests() {
    auto now = Clock::now();
    std::lock_guard lock(conns_mu);
    for (Connection* c : conns)
      if (c->header_deadline <= now) {
        ::shutdown(c->fd, SHUT_RDWR);
        c->header_deadline = Clock::time_point::max();
      }
  }

  void set_header_deadline(MHD_Connection* c, bool waiting) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (!info || !info->socket_context) return;
    std::lock_guard lock(conns_mu);
    static_cast<Connection*>(info->socket_context)->header_deadline =
        waiting ? Clock::now() + std::chrono::seconds(opt.header_deadline_seconds)
                : Clock::time_point::max();
  }

  // Heartbeats for the streams, and late requests dropped.
  void housekeeping_loop() {
    const auto tick = std::min<Clock::duration>(opt.heartbeat, std::chrono::milliseconds(250));
    auto next_heartbeat = Clock::now() + opt.heartbeat;
    std::unique_lock lock(streams_mu);
    while (!stopping) {
      heartbeat_cv.wait_for(lock, tick);
      if (stopping) break;
      lock.unlock();
      drop_late_requests();
      if (Clock::now() >= next_heartbeat) {
        wake(true);
        next_heartbeat = Clock::now() + opt.heartbeat;
      }
      lock.lock();
    }
  }

  // ---- MHD callbacks (static: MHD is C)

  static void* uri_logged(void*, const char* uri, MHD_Connection*) {
    auto* state = new RequestState;
    if (uri) state->target = uri;
    return state;
  }

  // The next request's headers are due (a keep-alive connection).
  static void request_completed(void* cls, MHD_Connection* c, void** con_cls,
                                MHD_RequestTerminationCode code) {
    delete static_cast<RequestState*>(*con_cls);
    *con_cls = nullptr;
    if (code == MHD_REQUEST_TERMINATED_COMPLETED_OK)
      static_cast<Impl*>(cls)->set_header_deadline(c, true);
  }

  // Counts connections; one opened above the limit is marked, and its
  // request answered 503.
  static void connection_notified(void* cls, MHD_Connection* c, void** socket_context,
                                  MHD_ConnectionNotificationCode code) {
    auto* self = static_cast<Impl*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      auto* conn = new Connection;
      const MHD_ConnectionInfo* info =
          MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
      conn->fd = info ? info->connect_fd : -1;
      conn->over_limit = ++self->open_connections > self->opt.max_connections;
      if (conn->fd >= 0)
        conn->header_deadline =
            Clock::now() + std::chrono::seconds(self->opt.header_deadline_seconds);
      std::lock_guard lock(self->conns_mu);
      self->conns.insert(conn);
      *socket_context = conn;
    } else {
      auto* conn = static_cast<Connection*>(*socket_context);
      --self->open_connections;
      std::lock_guard lock(self->conns_mu);
      self->conns.erase(conn);
      delete conn;
      *socket_context = nullptr;
    }
  }

  static bool over_limit(MHD_Connection* c) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info && info->socket_context &&
           static_cast<const Connection*>(info->socket_context)->over_limit;
  }

  static MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
    static_cast<HttpRequest*>(cls)->headers.emplace_back(key ? key : "", value ? value : "");
    return MHD_YES;
  }

  static void free_body(void* cls) { delete static_cast<std::string*>(cls); }

  MHD_Result queue(MHD_Connection* c, HttpResponse& r, bool close) const {
    MHD_Response* res;
    if (r.file_fd >= 0) {
      res = MHD_create_response_from_fd64(r.file_size, std::exchange(r.file_fd, -1));
    } else {
      auto* body = new std::string(std::move(r.body));
      res = MHD_create_response_from_buffer_with_free_callback_cls(body->size(), body->data(),
                                                                   free_body, body);
      if (!res) delete body;
    }
    if (!res) return MHD_NO;
    add_headers(res, r);
    if (close) MHD_add_response_header(res, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_Result ok = MHD_queue_response(c, static_cast<unsigned>(r.status), res);
    MHD_destroy_response(res);
    return ok;
  }

  void add_headers(MHD_Response* res, const HttpResponse& r) const {
    for (const auto& [k, v] : opt.default_headers)
      MHD_add_response_header(res, k.c_str(), v.c_str());
    if (!r.content_type.empty())
      MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
    for (const auto& [k, v] : r.headers) MHD_add_response_header(res, k.c_str(), v.c_str());
  }

  static MHD_Result access(void* cls, MHD_Connection* c, const char*, const char* method,
                           const char* version, const char*, size_t* upload_data_size,
                           void** con_cls) {
    auto* self = static_cast<Impl*>(cls);
    auto* state = static_cast<RequestState*>(*con_cls);
    if (!state) {  // no request line was logged: cannot happen, but never crash
      state = new RequestState;
      *con_cls = state;
    }
    if (state->answered) {  // MHD offers a body we refused: drop it
      *upload_data_size = 0;
      return MHD_YES;
    }
    HttpRequest req;
    req.method = method ? method : "";
    req.version = version ? version : "";
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &req);
    bool has_body = *upload_data_size > 0 || !req.header("Content-Length").empty() ||
                    !req.header("Transfer-Encoding").empty();
    bool plain = (req.method == "GET" || req.method == "HEAD") && !has_body;
    // MHD closes the connection after a response queued on the first call
    // (it would not read the body that may follow): that is what a request
    // with a body gets, and one over the limit. A plain GET is answered on
    // the second call, and its connection kept alive.
    if (plain && !state->headers_seen && !over_limit(c)) {
      state->headers_seen = true;
      return MHD_YES;
    }
    state->answered = true;
    self->set_header_deadline(c, false);  // the headers are in: the answer may take its time
    req.target = std::move(state->target);
    req.remote = client_address(c);
    if (over_limit(c)) {
      HttpResponse r = self->error(503, "the server has too many connections; try again");
      r.set_header("Retry-After", "1");
      self->answered(req, r);
      return self->queue(c, r, true);
    }
    HttpResponse r;
    try {
      r = self->respond(req);
    } catch (const std::exception&) {
      r = self->error(500, "internal error");
    }
    self->answered(req, r);
    if (r.status == 200 && r.content_type == "text/event-stream" &&
        self->event_routes.count(req.path) && req.method == "GET")
      return self->open_stream(c, req);
    return self->queue(c, r, has_body || r.status == 405);
  }

  void answered(const HttpRequest& req, const HttpResponse& r) const {
    if (opt.on_answer)
      opt.on_answer(req, r.status, r.file_fd >= 0 ? r.file_size : r.body.size());
  }

  // "127.0.0.1" or "::1": who asked, for the access log.
  static std::string client_address(MHD_Connection* c) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr) return "-";
    char host[INET6_ADDRSTRLEN] = "-";
    const sockaddr* a = info->client_addr;
    if (a->sa_family == AF_INET)
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, host, sizeof host);
    else if (a->sa_family == AF_INET6)
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr, host, sizeof host);
    return host;
  }

  MHD_Result open_stream(MHD_Connection* c, const HttpRequest& req) {
    auto stream = std::make_unique<Stream>();
    stream->server = this;
    stream->connection = c;
    stream->poll = event_routes.at(req.path)(req);
    // Sent at once, so that the client has the headers before any event.
    stream->pending = ": stream open\n\n";
    MHD_Response* res = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, read_stream,
                                                          stream.get(), free_stream);
    if (!res) return MHD_NO;
    Stream* s = stream.release();  // the response owns it now
    {
      std::lock_guard lock(streams_mu);
      open_streams.insert(s);
    }
    HttpResponse head(200, "", "text/event-stream");
    head.set_header("Cache-Control", "no-cache");
    add_headers(res, head);
    MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, res);
    MHD_destroy_response(res);
    return ok;
  }

  // True once the client has closed its side (recv sees the end).
  static bool peer_closed(MHD_Connection* c) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info) return true;
    char byte;
    ssize_t n = ::recv(info->connect_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
  }

  static ssize_t read_stream(void* cls, uint64_t, char* buf, size_t max) {
    auto* s = static_cast<Stream*>(cls);
    Impl* self = s->server;
    if (s->pending.empty()) {
      if (peer_closed(s->connection)) return MHD_CONTENT_READER_END_WITH_ERROR;
      std::lock_guard lock(self->streams_mu);
      if (self->stopping) return MHD_CONTENT_READER_END_OF_STREAM;
      // Polled under the lock: an event that comes after the poll finds
      // the stream suspended and resumes it.
      if (!s->poll(&s->pending)) return MHD_CONTENT_READER_END_OF_STREAM;
      if (s->pending.empty() && s->heartbeat_due) s->pending = ": keep-alive\n\n";
      s->heartbeat_due = false;
      if (s->pending.empty()) {
        s->suspended = true;
        MHD_suspend_connection(s->connection);
        return 0;
      }
    }
    size_t n = std::min(max, s->pending.size());
    std::memcpy(buf, s->pending.data(), n);
    s->pending.erase(0, n);
    return static_cast<ssize_t>(n);
  }

  static void free_stream(void* cls) {
    auto* s = static_cast<Stream*>(cls);
    {
      std::lock_guard lock(s->server->streams_mu);
      s->server->open_streams.erase(s);
    }
    delete s;
  }

  // A listening socket on opt.bind:opt.port; -1 with *error.
  int listen_socket(std::string* error) {
    addrinfo hints{}, *found = nullptr;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    std::string port = std::to_string(opt.port);
    std::string where = opt.bind + ":" + port;
    if (int rc = getaddrinfo(opt.bind.c_str(), port.c_str(), &hints, &found); rc != 0) {
      *error = "cannot listen on " + where + ": " + gai_strerror(rc);
      return -1;
    }
    int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int yes = 1;
    if (fd >= 0) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    // A burst of new connections must not overflow the listen queue.
    bool ok =
        fd >= 0 && ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, 1024) == 0;
    int family = found->ai_family;
    freeaddrinfo(found);
    if (!ok) {
      *error = "cannot listen on " + where + ": " + std::strerror(errno);
      if (fd >= 0) ::close(fd);
      return -1;
    }
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    bound_port = family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                    : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    return fd;
  }
};

HttpServer::HttpServer(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::get(const std::string& pattern, HttpHandler handler) {
  impl_->routes.push_back({std::regex(pattern, std::regex::ECMAScript), std::move(handler)});
}

void HttpServer::events(const std::string& path, StreamOpener opener) {
  impl_->event_routes[path] = std::move(opener);
}

namespace {

// Each connection is a descriptor: the soft limit (often 1,024) would stop
// accepting before either connection limit is reached.
void allow_descriptors(rlim_t wanted) {
  struct rlimit lim {};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= wanted) return;
  lim.rlim_cur = std::min(wanted, lim.rlim_max);
  setrlimit(RLIMIT_NOFILE, &lim);
}

}  // namespace

bool HttpServer::start(std::string* error) {
  Impl& s = *impl_;
  int fd = s.listen_socket(error);
  if (fd < 0) return false;
  unsigned threads = std::max(1u, s.opt.threads);
  // MHD's own limit stops accepting (clients would wait in the queue), so
  // it is kept well above ours, at which requests are answered 503: the
  // margin holds clients that connect above our limit until they have sent
  // a request to refuse (a flood of silent ones until the header deadline).
  unsigned hard_limit = 4 * s.opt.max_connections + std::max(64u, 8 * threads);
  allow_descriptors(hard_limit + 64);
  s.daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, nullptr,
      nullptr, &Impl::access, &s, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
      threads, MHD_OPTION_CONNECTION_LIMIT, hard_limit, MHD_OPTION_CONNECTION_TIMEOUT,
      s.opt.timeout_seconds, MHD_OPTION_CONNECTION_MEMORY_LIMIT, s.opt.header_memory,
      MHD_OPTION_URI_LOG_CALLBACK, &Impl::uri_logged, &s, MHD_OPTION_NOTIFY_COMPLETED,
      &Impl::request_completed, &s, MHD_OPTION_NOTIFY_CONNECTION, &Impl::connection_notified, &s,
      MHD_OPTION_END);
  if (!s.daemon) {
    ::close(fd);
    *error = "cannot start the HTTP server on " + s.opt.bind + ":" + std::to_string(s.bound_port);
    return false;
  }
  s.housekeeping_thread = std::thread([&s] { s.housekeeping_loop(); });
  return true;
}

int HttpServer::port() const { return impl_->bound_port; }

void HttpServer::wake_streams() { impl_->wake(false); }

void HttpServer::stop() {
  Impl& s = *impl_;
  {
    // From here no stream suspends again, and every suspended one is
    // resumed: MHD must not be stopped with a connection suspended.
    std::lock_guard lock(s.streams_mu);
    if (s.stopping) return;
    s.stopping = true;
    s.heartbeat_cv.notify_all();
    for (Stream* st : s.open_streams)
      if (st->suspended) {
        st->suspended = false;
        MHD_resume_connection(st->connection);
      }
  }
  if (s.housekeeping_thread.joinable()) s.housekeeping_thread.join();
  if (s.daemon) MHD_stop_daemon(s.daemon);
  s.daemon = nullptr;
}

size_t HttpServer::connections() const { return impl_->open_connections; }

size_t HttpServer::streams() const {
  std::lock_guard lock(impl_->streams_mu);
  return impl_->open_streams.size();
}

HttpResponse HttpServer::respond(HttpRequest request) const { return impl_->respond(request); }

}  // namespace sitegen::serve
