// How much more it costs to touch memory again after the process sat idle:
// on the shared virtual machines this project runs on, a page left alone
// for 1.5 s costs 10-20 times more to touch than one touched just before,
// which is what separates a rebuild right after another from one after a
// pause (BENCHMARKS.md). With `huge`, the memory is in huge pages
// (madvise(MADV_HUGEPAGE); the machine's THP setting is "madvise"), and the
// pause costs next to nothing: the cost is in the page walks.
// Run by hand: g++ -O2 bench/idle_touch.cc && ./a.out [huge]
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  constexpr size_t kBytes = size_t(200) << 20, kPage = 4096;
  char* memory = static_cast<char*>(std::aligned_alloc(size_t(2) << 20, kBytes));
  if (!memory) return 1;
  if (argc > 1 && std::string(argv[1]) == "huge" && madvise(memory, kBytes, MADV_HUGEPAGE) != 0)
    std::perror("madvise");
  std::memset(memory, 1, kBytes);
  long sum = 0;
  for (int round = 0; round < 3; ++round)
    for (int idle_ms : {0, 200, 500, 1500}) {
      std::this_thread::sleep_for(std::chrono::milliseconds(idle_ms));
      auto start = std::chrono::steady_clock::now();
      for (size_t i = 0; i < kBytes; i += kPage) sum += memory[i]++;
      std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
      std::printf("after %4d ms idle: %.2f us per page\n", idle_ms, took.count() / (kBytes / kPage));
    }
  std::free(memory);
  return sum == 0;  // keeps the loop
}
