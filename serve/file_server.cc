// File serving for the preview server: request target -> file inside the
// published root. See file_server.h.
//
// Order of checks in lookup_file:
//   1. split off query and fragment; the path must start with '/';
//   2. split the *raw* path on '/' (so an encoded "%2F" can never become a
//      separator), drop empty segments, percent-decode each segment once and
//      reject NUL, control characters, backslashes (raw or %5C), %2F,
//      malformed escapes, invalid UTF-8, and "." / ".." segments;
//   3. hidden segments (leading '.') are not found;
//   4. join the segments onto the canonical root, canonicalise (resolving
//      symbolic links) and require the result to lie inside the canonical
//      root, comparing path components, and to have no hidden component
//      below the root (a link to .secret is as hidden as .secret);
//   5. folders: redirect to the slashed path, or serve index.html (checked
//      the same way, it may be a link too); regular files: found; anything
//      else: not found.
#include "serve/file_server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <system_error>
#include <vector>

namespace sitegen::serve {
namespace fs = std::filesystem;

namespace {

using Result = FileLookup::Result;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
// Also rejects the C1 control characters U+0080..U+009F.
bool valid_utf8_without_c1(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    char32_t cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return false;  // continuation byte, overlong lead (C0/C1) or > F4
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;  // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;                           // surrogate
    if (cp > 0x10FFFF) return false;
    if (cp >= 0x80 && cp <= 0x9F) return false;  // C1 control
    i += len;
  }
  return true;
}

// Decodes one raw path segment (no '/' inside). Returns false for anything
// the server refuses as a bad request.
bool decode_segment(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return false;  // "%", "%2" at the end
      int hi = hex_value(raw[i + 1]);
      int lo = hex_value(raw[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      if (c == '/') return false;  // encoded slash: never a separator, never a name
      i += 2;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return false;  // NUL and other controls
    if (c == '\\') return false;
    out.push_back(c);
  }
  return valid_utf8_without_c1(out);
}

// Percent-encodes bytes that must not appear raw in a Location header
// (controls, space, non-ASCII, quotes and angle brackets). Existing escapes
// are kept as they are, so the value decodes to what the client sent.
std::string header_safe(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// True if `p` is `root` or below it, by whole path components (so
// /srv/public2 is not inside /srv/public). Both must be canonical.
bool is_within(const fs::path& p, const fs::path& root) {
  auto [root_it, p_it] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  (void)p_it;
  return root_it == root.end();
}

// True if any component of canonical `p` below canonical `root` is hidden.
bool has_hidden_component_below(const fs::path& p, const fs::path& root) {
  auto it = p.begin();
  for (auto r = root.begin(); r != root.end() && it != p.end(); ++r) ++it;
  for (; it != p.end(); ++it) {
    const std::string name = it->native();
    if (!name.empty() && name[0] == '.') return true;
  }
  return false;
}

// Canonicalises `p`; returns an empty path if it does not exist, cannot be
// resolved, lies outside `root` or goes through a hidden name below it.
fs::path resolve_inside(const fs::path& p, const fs::path& root) {
  std::error_code ec;
  fs::path canon = fs::canonical(p, ec);
  if (ec || canon.empty()) return {};
  if (!is_within(canon, root)) return {};
  if (has_hidden_component_below(canon, root)) return {};
  return canon;
}

std::string lower_extension(const fs::path& file) {
  std::string ext = file.extension().string();
  if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return ext;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return s;
}

FileLookup make(Result r) {
  FileLookup out;
  out.result = r;
  return out;
}

}  // namespace

FileLookup lookup_file(const fs::path& root, std::string_view target) {
  // 1. Path, query, fragment.
  std::string_view path = target;
  std::string_view query;
  if (size_t hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
  if (size_t q = path.find('?'); q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  if (path.empty() || path[0] != '/') return make(Result::bad_request);
  const bool trailing_slash = path.back() == '/';

  // 2. Raw segments, decoded once each.
  std::vector<std::string_view> raw_segments;
  std::vector<std::string> segments;
  std::string decoded;
  for (size_t start = 1; start <= path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view raw = path.substr(start, end - start);
    start = end + 1;
    if (raw.empty()) continue;  // "//" collapses
    if (!decode_segment(raw, decoded)) return make(Result::bad_request);
    if (decoded.empty()) return make(Result::bad_request);  // cannot happen; belt and braces
    if (decoded == "." || decoded == "..") return make(Result::bad_request);
    raw_segments.push_back(raw);
    segments.push_back(decoded);
  }

  // 3. Hidden names.
  for (const auto& s : segments)
    if (s[0] == '.') return make(Result::not_found);

  // 4. Resolve inside the canonical root.
  std::error_code ec;
  const fs::path canon_root = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canon_root, ec) || ec) return make(Result::not_found);

  fs::path candidate = canon_root;
  for (const auto& s : segments) candidate /= s;  // no '/' inside: never absolute
  const fs::path canon = resolve_inside(candidate, canon_root);
  if (canon.empty()) return make(Result::not_found);

  const fs::file_status st = fs::status(canon, ec);
  if (ec) return make(Result::not_found);

  // 5. Folder, file, or neither.
  if (fs::is_directory(st)) {
    if (!trailing_slash) {
      // Rebuilt from the raw (still encoded) segments: round-trips, and
      // collapsed leading slashes cannot make a "//host/" redirect.
      FileLookup out;
      out.result = Result::redirect;
      out.location = "/";
      for (auto raw : raw_segments) {
        out.location += header_safe(raw);
        out.location += '/';
      }
      if (!query.empty()) {
        out.location += '?';
        out.location += header_safe(query);
      }
      return out;
    }
    const fs::path index = resolve_inside(canon / "index.html", canon_root);
    if (index.empty() || !fs::is_regular_file(index, ec) || ec) return make(Result::not_found);
    FileLookup out;
    out.result = Result::found;
    out.file = index;
    return out;
  }
  if (fs::is_regular_file(st)) {
    if (trailing_slash) return make(Result::not_found);  // "/a.css/": not a folder
    FileLookup out;
    out.result = Result::found;
    out.file = canon;
    return out;
  }
  return make(Result::not_found);  // fifo, socket, device
}

int open_inside(const fs::path& root, const fs::path& file) {
  std::error_code ec;
  const fs::path canon_root = fs::canonical(root, ec);
  if (ec || !is_within(file, canon_root) || file == canon_root) return -1;
  int dir = ::open(canon_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  std::vector<std::string> parts;
  auto it = file.begin();
  for (auto r = canon_root.begin(); r != canon_root.end(); ++r) ++it;
  for (; it != file.end(); ++it) parts.push_back(it->string());
  for (size_t i = 0; i < parts.size() && dir >= 0; ++i) {
    const bool last = i + 1 == parts.size();
    if (parts[i].empty() || parts[i] == "." || parts[i] == ".." || parts[i][0] == '.') {
      ::close(dir);
      return -1;
    }
    // O_NONBLOCK: a FIFO put in the file's place must not block the open.
    int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (last ? O_NONBLOCK : O_DIRECTORY);
    int next = ::openat(dir, parts[i].c_str(), flags);
    ::close(dir);
    dir = next;
    if (dir >= 0 && last) {
      struct stat st;
      if (::fstat(dir, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(dir);
        return -1;
      }
      ::fcntl(dir, F_SETFL, ::fcntl(dir, F_GETFL) & ~O_NONBLOCK);
      return dir;
    }
  }
  if (dir >= 0) ::close(dir);
  return -1;
}

std::string content_type_for(const fs::path& file) {
  const std::string ext = lower_extension(file);
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "xml") {
    if (lower(file.filename().string()) == "feed.xml") return "application/atom+xml; charset=utf-8";
    return "application/xml; charset=utf-8";
  }
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "pdf") return "application/pdf";
  if (ext == "docx")
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (ext == "zip") return "application/zip";
  return "application/octet-stream";
}

std::string cache_control_for(const fs::path& file) {
  const std::string ext = lower_extension(file);
  if (ext == "html" || ext == "htm" || ext == "xml" || ext == "json" || ext == "txt")
    return "no-cache";
  return "public, max-age=300";
}

std::optional<HttpResponse> file_response(const std::filesystem::path& root,
                                          std::string_view target) {
  FileLookup found = lookup_file(root, target);
  switch (found.result) {
    case FileLookup::Result::bad_request:
      return HttpResponse(400, "bad request\n");
    case FileLookup::Result::redirect: {
      HttpResponse r(301, "");
      r.set_header("Location", found.location);
      return r;
    }
    case FileLookup::Result::not_found:
      return std::nullopt;
    case FileLookup::Result::found:
      break;
  }
  // Opened without following links, so that nothing swapped in since the
  // lookup can lead out of the root.
  int fd = open_inside(root, found.file);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    if (fd >= 0) ::close(fd);
    return std::nullopt;
  }
  HttpResponse r;
  r.content_type = content_type_for(found.file);
  r.set_header("Cache-Control", cache_control_for(found.file));
  r.file_fd = fd;
  r.file_size = static_cast<uint64_t>(st.st_size);
  return r;
}

}  // namespace sitegen::serve
