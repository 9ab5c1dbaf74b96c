// Raw loopback sockets for the server tests: clients that send half a
// request, keep a connection idle, or hold an event stream open, which an
// HTTP client library will not do. Every wait is bounded.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace sitegen::testing {

// A free port: bind a socket to port 0, read the port, close the socket.
// (An httplib::Server that was only bound left its socket listening, and
// since httplib sets SO_REUSEPORT the kernel handed some of the test's
// connections to that socket, which nobody accepts.)
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

// A socket connected to 127.0.0.1:port, or -1.
inline int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool send_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads until `stop` appears (then returns what was read), the peer closes
// (*closed = true) or `timeout` passes.
inline std::string read_until(int fd, const std::string& stop, std::chrono::milliseconds timeout,
                              bool* closed = nullptr) {
  std::string got;
  if (closed) *closed = false;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (stop.empty() || got.find(stop) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (closed) *closed = true;
      break;
    }
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

// Everything until the peer closes; *closed says whether it did in time.
inline std::string read_to_close(int fd, std::chrono::milliseconds timeout, bool* closed) {
  return read_until(fd, "", timeout, closed);
}

// The local port of a connected socket.
inline int local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

// Loopback TCP sockets of this machine whose local port is `port` in TCP
// state `state` (/proc/net/tcp's hex code: "08" is CLOSE-WAIT).
inline int sockets_in_state(int port, const std::string& state) {
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);  // header
  char want[8];
  std::snprintf(want, sizeof want, "%04X", port);
  int n = 0;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string sl, local, remote, st;
    ss >> sl >> local >> remote >> st;
    if (local.size() > 5 && local.substr(local.size() - 4) == want && st == state) ++n;
  }
  return n;
}

}  // namespace sitegen::testing
