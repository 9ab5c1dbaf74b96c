#include "site-gen/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace sitegen {

// One open, one fstat and reads straight into the string: 18,000 content
// files are read this way, and an ifstream copied each through a stream
// buffer and an ostringstream.
std::optional<std::string> read_whole_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  std::string out;
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return std::nullopt;
  }
  // The size is a hint: the file may grow or shrink while it is read.
  out.resize(size_t(st.st_size));
  size_t used = 0;
  char more[4096];
  for (;;) {
    bool room = used < out.size();
    ssize_t n = room ? ::read(fd, out.data() + used, out.size() - used)
                     : ::read(fd, more, sizeof more);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    if (!room) out.append(more, size_t(n));
    used += size_t(n);
  }
  ::close(fd);
  out.resize(used);
  return out;
}

}  // namespace sitegen
