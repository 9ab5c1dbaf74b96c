// A small closed-loop HTTP load generator for bench/run.
//
//   loadgen HOST PORT THREADS SECONDS MAX_REQUESTS QUERIES_FILE [close]
//
// THREADS clients, each with its own keep-alive connection (cpp-httplib),
// send GET requests for the paths in QUERIES_FILE (one a line, already
// URL-encoded), each client starting at a different line, one request at a
// time, until SECONDS have passed or MAX_REQUESTS have been sent in all.
// With "close", every request opens a new connection (Connection: close).
// Prints one line of JSON: requests, errors (non-200 or failed), wall time,
// requests per second, latency percentiles in milliseconds, and how many
// requests took a second or more (a dropped SYN is retransmitted after 1 s).
//
// Build: g++ -O2 -std=c++17 loadgen.cc -o loadgen -lcpp-httplib -pthread
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 7 && !(argc == 8 && std::string(argv[7]) == "close")) {
    std::fprintf(stderr, "usage: loadgen HOST PORT THREADS SECONDS MAX_REQUESTS QUERIES_FILE [close]\n");
    return 2;
  }
  const std::string host = argv[1];
  const int port = std::stoi(argv[2]);
  const int threads = std::stoi(argv[3]);
  const double seconds = std::stod(argv[4]);
  const long max_requests = std::stol(argv[5]);
  const bool keep_alive = argc == 7;
  std::vector<std::string> paths;
  {
    std::ifstream in(argv[6]);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] == '/') paths.push_back(line);
  }
  if (paths.empty()) {
    std::fprintf(stderr, "loadgen: no paths in %s\n", argv[6]);
    return 2;
  }

  using clock = std::chrono::steady_clock;
  std::atomic<long> issued{0};
  std::atomic<long> errors{0};
  std::vector<std::vector<double>> latencies(threads);
  const auto start = clock::now();
  const auto deadline = start + std::chrono::duration_cast<clock::duration>(
                                    std::chrono::duration<double>(seconds));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      httplib::Client cli(host, port);
      cli.set_keep_alive(keep_alive);
      cli.set_connection_timeout(5);
      cli.set_read_timeout(30);
      std::vector<double>& mine = latencies[t];
      mine.reserve(1 << 16);
      size_t i = size_t(t) * 7 % paths.size();
      while (clock::now() < deadline && issued.fetch_add(1) < max_requests) {
        const std::string& path = paths[i];
        i = (i + 1) % paths.size();
        auto t0 = clock::now();
        auto res = cli.Get(path.c_str());
        auto t1 = clock::now();
        if (!res || res->status != 200 || res->body.empty()) errors.fetch_add(1);
        mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
    });
  }
  for (auto& th : pool) th.join();
  const double wall = std::chrono::duration<double>(clock::now() - start).count();

  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    if (all.empty()) return 0.0;
    size_t k = size_t(p / 100.0 * double(all.size() - 1) + 0.5);
    return all[std::min(k, all.size() - 1)];
  };
  std::printf(
      "{\"requests\": %zu, \"errors\": %ld, \"seconds\": %.3f, \"rps\": %.1f, "
      "\"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"over_1s\": %ld}\n",
      all.size(), errors.load(), wall, wall > 0 ? double(all.size()) / wall : 0.0, pct(50), pct(90),
      pct(99), all.empty() ? 0.0 : all.back(),
      long(all.end() - std::lower_bound(all.begin(), all.end(), 1000.0)));
  return errors.load() == 0 ? 0 : 1;
}
