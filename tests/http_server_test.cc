// The HTTP layer on its own (no site): target parsing, the checks before
// routing, routes, and event streams woken without a thread each.
#include "serve/http_server.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "tests/raw_client.h"

using namespace sitegen::serve;
using namespace sitegen::testing;
using std::chrono::milliseconds;

namespace {

HttpRequest get(std::string target, std::string method = "GET") {
  HttpRequest r;
  r.method = std::move(method);
  r.version = "HTTP/1.1";
  r.target = std::move(target);
  return r;
}

}  // namespace

TEST_CASE("http: targets are split, each parameter at its first '=', and decoded once") {
  HttpOptions limits;
  struct Case {
    const char* target;
    const char* path;
    std::multimap<std::string, std::string> params;
  };
  const Case cases[] = {
      {"/", "/", {}},
      {"/en/search/?q=a=b", "/en/search/", {{"q", "a=b"}}},
      {"/a%20b/?q=%3Cx%3E&q=2", "/a%20b/", {{"q", "<x>"}, {"q", "2"}}},
      {"/?q=a+b%2Bc", "/", {{"q", "a b+c"}}},
      {"/?q=%FF%fe", "/", {{"q", "\xFF\xFE"}}},  // bytes as sent: UTF-8 is the handler's check
      {"/?q=%zz%4&&flag&=v", "/", {{"q", "%zz%4"}, {"flag", ""}, {"", "v"}}},
      {"/x?", "/x", {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.target);
    HttpRequest r;
    int status = 0;
    std::string error;
    REQUIRE(parse_target(c.target, limits, &r, &status, &error));
    CHECK(r.path == c.path);
    CHECK(r.params == c.params);
  }
  HttpRequest r;
  int status = 0;
  std::string error;
  CHECK_FALSE(parse_target("*", limits, &r, &status, &error));
  CHECK(status == 400);
  CHECK_FALSE(parse_target("http://evil/", limits, &r, &status, &error));
  CHECK(status == 400);
  CHECK_FALSE(
      parse_target("/?" + std::string(limits.max_target_bytes, 'a'), limits, &r, &status, &error));
  CHECK(status == 414);
  std::string many = "/?";
  for (size_t i = 0; i <= limits.max_params; ++i) many += "p" + std::to_string(i) + "=1&";
  CHECK_FALSE(parse_target(many, limits, &r, &status, &error));
  CHECK(status == 400);
  CHECK(percent_decode("a+b%41%", false) == "a+bA%");
}

TEST_CASE("http: routes in order, GET and HEAD only, the default headers on every answer") {
  HttpOptions opt;
  opt.default_headers = {{"X-Content-Type-Options", "nosniff"}};
  HttpServer http(opt);
  http.get("/api/search", [](const HttpRequest& q) {
    return HttpResponse(200, "api " + q.params.find("q")->second);
  });
  http.get("/([a-z]{2})/x/", [](const HttpRequest& q) { return HttpResponse(200, q.matches[1]); });
  http.get("/boom", [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("x"); });
  CHECK(http.respond(get("/api/search?q=a=b")).body == "api a=b");
  CHECK(http.respond(get("/fr/x/")).body == "fr");
  CHECK(http.respond(get("/fr/x/y")).status == 404);
  CHECK(http.respond(get("/api/search?q=1", "HEAD")).status == 200);
  for (const char* m : {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "get"}) {
    CAPTURE(m);
    HttpResponse r = http.respond(get("/api/search?q=1", m));
    CHECK(r.status == 405);
  }

  // Over a socket: the default header, and a throwing handler is a 500.
  std::string error;
  REQUIRE(http.start(&error));
  int fd = connect_loopback(http.port());
  REQUIRE(fd >= 0);
  REQUIRE(
      send_all(fd, "GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /fr/x/ HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string answer = read_until(fd, "\r\n\r\nfr", milliseconds(2000));
  ::close(fd);
  CHECK(answer.rfind("HTTP/1.1 500", 0) == 0);
  CHECK(answer.find("X-Content-Type-Options: nosniff") != std::string::npos);
  CHECK(answer.find("HTTP/1.1 200") != std::string::npos);
}

TEST_CASE("http: event streams are polled when woken and by the heartbeat, and end on stop") {
  HttpOptions opt;
  opt.threads = 1;  // one thread serves every stream and every request
  opt.heartbeat = milliseconds(200);
  HttpServer http(opt);
  std::atomic<int> events{0};
  http.events("/events", [&](const HttpRequest&) -> EventPoll {
    auto seen = std::make_shared<int>(0);
    return [&, seen](std::string* out) {
      for (; *seen < events; ++*seen) *out += "data: " + std::to_string(*seen) + "\n\n";
      return true;
    };
  });
  http.get("/ping", [](const HttpRequest&) { return HttpResponse(200, "pong"); });
  std::string error;
  REQUIRE(http.start(&error));
  std::vector<int> streams;
  for (int i = 0; i < 100; ++i) {
    int fd = connect_loopback(http.port());
    REQUIRE(send_all(fd, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    REQUIRE(read_until(fd, ": stream open", milliseconds(2000)).find("200 OK") !=
            std::string::npos);
    streams.push_back(fd);
  }
  CHECK(http.streams() == 100);
  int ping = connect_loopback(http.port());
  REQUIRE(send_all(ping, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(read_until(ping, "pong", milliseconds(1000)).find("pong") != std::string::npos);
  ::close(ping);
  events = 2;
  http.wake_streams();
  for (int fd : streams)
    CHECK(read_until(fd, "data: 1", milliseconds(2000)).find("data: 0") != std::string::npos);
  CHECK(read_until(streams[0], ": keep-alive", milliseconds(2000)).find(": keep-alive") !=
        std::string::npos);
  http.stop();
  bool closed = false;
  read_to_close(streams[1], milliseconds(2000), &closed);
  CHECK(closed);
  for (int fd : streams) ::close(fd);
}

TEST_CASE("http: a client that dribbles its headers a byte at a time is dropped at the deadline") {
  HttpOptions opt;
  opt.timeout_seconds = 3;          // a byte every 200 ms never trips this one
  opt.header_deadline_seconds = 1;  // but the headers are late after a second
  HttpServer http(opt);
  http.get("/ping", [](const HttpRequest&) { return HttpResponse(200, "pong"); });
  std::string error;
  REQUIRE(http.start(&error));
  // Either on a new connection, or on a kept one after its first answer.
  for (bool after_an_answer : {false, true}) {
    CAPTURE(after_an_answer);
    int fd = connect_loopback(http.port());
    REQUIRE(fd >= 0);
    if (after_an_answer) {
      REQUIRE(send_all(fd, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"));
      REQUIRE(read_until(fd, "pong", milliseconds(1000)).find("pong") != std::string::npos);
    }
    const std::string request = "GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(100, 'a');
    auto start = std::chrono::steady_clock::now();
    bool dropped = false;
    for (size_t i = 0; i < request.size() && !dropped; ++i) {
      if (!send_all(fd, request.substr(i, 1))) dropped = true;
      bool closed = false;
      read_until(fd, "\r\n", milliseconds(200), &closed);
      dropped = dropped || closed;
      if (std::chrono::steady_clock::now() - start > std::chrono::seconds(5)) break;
    }
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(dropped);
    CHECK(took < 2.5);
    ::close(fd);
  }
  // A prompt client on a kept connection is not hurried by it.
  int fd = connect_loopback(http.port());
  for (int i = 0; i < 3; ++i) {
    REQUIRE(send_all(fd, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"));
    CHECK(read_until(fd, "pong", milliseconds(1000)).find("pong") != std::string::npos);
    std::this_thread::sleep_for(milliseconds(600));  // 1.8 s in all: past one deadline
  }
  ::close(fd);
}
