// Byte records: the little-endian binary encoding of the build's own files
// (the build state, the site snapshot): integers as 8 bytes, strings as a
// length and their bytes. A reader past the end, or told a length longer
// than what is left, fails once and reads zeros from then on; the caller
// checks ok() at the end. Plain functions and a value type; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sitegen {

inline void put_u64(std::string& out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = char((v >> (8 * i)) & 0xff);
  out.append(b, 8);
}

inline void put_str(std::string& out, std::string_view s) {
  put_u64(out, s.size());
  out.append(s);
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : d_(data) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == d_.size(); }
  // What was read is not what was written: fails as a short read would.
  void reject() { fail(); }

  uint64_t u64() {
    if (d_.size() - pos_ < 8) return fail();
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(uint8_t(d_[pos_ + i])) << (8 * i);
    pos_ += 8;
    return v;
  }
  std::string str() { return std::string(view()); }
  // A string's bytes, valid while the data is.
  std::string_view view() {
    uint64_t n = u64();
    if (!ok_ || d_.size() - pos_ < n) return fail(), std::string_view();
    std::string_view s = d_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  // A count of items that take at least `min_bytes` each: more than the
  // bytes left could hold fails (a damaged count would allocate for ever).
  uint64_t count(size_t min_bytes = 1) {
    uint64_t n = u64();
    if (ok_ && n > (d_.size() - pos_) / (min_bytes ? min_bytes : 1)) return fail();
    return n;
  }

 private:
  uint64_t fail() {
    ok_ = false;
    pos_ = d_.size();
    return 0;
  }
  std::string_view d_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace sitegen
