// Runs independent pieces of work on a fixed number of threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace sitegen {

// Calls fn(i) for every i in [0, n) on up to `jobs` threads (the calling
// thread is one of them). fn must be safe to call concurrently for
// different i; it must not throw.
template <class Fn>
void parallel_for(size_t n, int jobs, const Fn& fn) {
  if (jobs < 1) jobs = 1;
  if (n < 2 || jobs == 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) fn(i);
  };
  std::vector<std::thread> threads;
  size_t extra = std::min<size_t>(static_cast<size_t>(jobs), n) - 1;
  for (size_t t = 0; t < extra; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
}

// The default --jobs: the number of cores.
inline int default_jobs() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace sitegen
