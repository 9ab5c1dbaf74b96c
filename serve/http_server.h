// A small HTTP/1.1 server for site-gen's subcommands: a table of GET routes
// whose handlers take a plain HttpRequest and return an HttpResponse, and
// Server-Sent Event streams. It knows nothing of the preview (a read-only
// search service can use it as it is).
//
// The HTTP core is GNU libmicrohttpd, polled with epoll by a small pool of
// threads, so an idle, slow or streaming client holds a socket and a few
// kilobytes, never a thread: any number of open event streams, idle
// keep-alive connections and slow clients leave the others answered.
//   - a client silent for `timeout_seconds` (an unfinished request, an idle
//     keep-alive connection) is dropped, and one whose request line and
//     headers are not all in `header_deadline_seconds` after it connected
//     (or after its previous answer) too, however often it sends a byte;
//   - request line and headers are bounded (`header_memory`, then 414/431),
//     the target and its query too (414, 400);
//   - above `max_connections` a request is answered 503 and its connection
//     closed (libmicrohttpd's own limit, kept above ours, would stop
//     accepting instead, and new clients would hang in the listen queue);
//   - only GET and HEAD are served: any other method is answered 405 at
//     once, before a byte of its body is read, and the connection closed;
//   - HTTP/1.0 requests get no keep-alive unless they ask for it.
// An event stream holds no thread: between events its connection is
// suspended, and wake_streams() (after an event) or the heartbeat (every
// `heartbeat`, a comment line) resumes it; a client that has gone is noticed
// at the latest at the next heartbeat, and its socket closed.
//
// Thread-safety: routes are added before start(); handlers and stream polls
// run on the server's threads, several at once; wake_streams() and stop()
// may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitegen::serve {

struct HttpRequest {
  std::string method;   // "GET" or "HEAD" (the others never reach a handler)
  std::string version;  // "HTTP/1.1"
  std::string target;   // raw, as received: "/fr/a%20b/?q=1"
  std::string path;     // the raw path of target, not decoded: "/fr/a%20b/"
  std::string query;    // the raw query of target: "q=1"
  // The query's parameters, percent-decoded ('+' is a space), each split
  // at its first '=' ("q=a=b" is q: "a=b"), in the order received. The
  // bytes are as sent: the handler checks UTF-8 where it needs text.
  std::multimap<std::string, std::string> params;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> matches;  // the route pattern's groups, [0] the whole path
  std::string remote;                // the client's address ("127.0.0.1"), or "-"

  // The first value of header `name` (any case), or "".
  std::string header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When >= 0, the body is this open file's `file_size` bytes instead
  // (sent with sendfile); the response owns and closes it.
  int file_fd = -1;
  uint64_t file_size = 0;

  HttpResponse() = default;
  HttpResponse(int status_code, std::string text, std::string type = "text/plain; charset=utf-8")
      : status(status_code), content_type(std::move(type)), body(std::move(text)) {}
  HttpResponse(HttpResponse&& other) noexcept;
  HttpResponse& operator=(HttpResponse&& other) noexcept;
  HttpResponse(const HttpResponse&) = delete;
  HttpResponse& operator=(const HttpResponse&) = delete;
  ~HttpResponse();

  void set_header(std::string name, std::string value);
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// One open event stream: called on a server thread when the stream is
// woken; appends the events due (SSE frames) to *out, or nothing; returns
// false to end the stream. Must not block.
using EventPoll = std::function<bool(std::string* out)>;
using StreamOpener = std::function<EventPoll(const HttpRequest&)>;

struct HttpOptions {
  std::string bind = "127.0.0.1";             // loopback only unless told otherwise
  int port = 0;                               // 0: any free port
  unsigned threads = 4;                       // the polling threads, which also run the handlers
  unsigned max_connections = 512;             // open at once; a request above them gets 503
  unsigned timeout_seconds = 5;               // a connection silent this long is closed
  unsigned header_deadline_seconds = 10;      // a request's line and headers take at most this
  size_t header_memory = 32 * 1024;           // per connection: request line, headers, buffers
  size_t max_target_bytes = 8 * 1024;         // longer: 414
  size_t max_params = 64;                     // more query parameters: 400
  std::chrono::milliseconds heartbeat{3000};  // event streams: a comment this often
  // Sent with every response ("X-Content-Type-Options: nosniff").
  std::vector<std::pair<std::string, std::string>> default_headers;
  // Called on the answering thread for each request answered (an access
  // log): its status and body bytes. Must be thread-safe.
  std::function<void(const HttpRequest&, int status, uint64_t bytes)> on_answer;
};

class HttpServer {
 public:
  explicit HttpServer(HttpOptions options);
  ~HttpServer();  // stops

  // GET (and HEAD) of a path matching `pattern` (an ECMAScript regex over the
  // whole raw path). The first route that matches answers; none: 404.
  void get(const std::string& pattern, HttpHandler handler);
  // GET of exactly `path`: a text/event-stream kept open, see above.
  void events(const std::string& path, StreamOpener opener);

  // Binds and starts serving on background threads. False with *error if
  // the address cannot be bound.
  bool start(std::string* error);
  int port() const;
  // Every open stream is polled again soon. Thread-safe.
  void wake_streams();
  // Ends every stream and closes every connection; safe more than once.
  void stop();

  // Open connections and event streams (tests and logs).
  size_t connections() const;
  size_t streams() const;

  // The answer to one request, without sockets: the checks and routing
  // start() serves with (tests and the fuzz target). Event routes answer
  // 200 with no body.
  HttpResponse respond(HttpRequest request) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Splits `target` into path, query and decoded params. False with *status
// and *error (414 too long, 400 malformed) if it cannot be served.
bool parse_target(std::string_view target, const HttpOptions& limits, HttpRequest* request,
                  int* status, std::string* error);

// Percent-decodes once; '+' is a space when `plus_is_space`. A '%' not
// followed by two hex digits is kept as it is.
std::string percent_decode(std::string_view s, bool plus_is_space);

}  // namespace sitegen::serve
