// File serving for the preview server: maps a request target to a file
// inside the published root and never to anything outside it ("..",
// "%2e%2e", encoded slashes and backslashes, NUL bytes, symbolic links that
// point out). Pure functions over the file system; thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "serve/http_server.h"

namespace sitegen::serve {

struct FileLookup {
  enum class Result { found, redirect, not_found, bad_request };
  Result result = Result::not_found;
  std::filesystem::path file;  // found: the canonical path of the file to send
  std::string location;        // redirect: "/en/membership/" for "/en/membership"
};

// `target` is the raw request target as received ("/fr/a%20b/?q=1"): the
// query is ignored, percent-escapes decoded once, and the path checked
// segment by segment. A folder gives its index.html; a folder without the
// trailing slash gives a redirect to the slashed path (query kept).
FileLookup lookup_file(const std::filesystem::path& root, std::string_view target);

// Opens `file` (canonical, as lookup_file found it) for reading, one path
// component at a time below the canonical `root` and following no symbolic
// link: a folder or file swapped for a link (out of the root, or anywhere)
// between the lookup and the open is not opened. Returns the descriptor of
// a regular file, or -1. The caller closes it.
int open_inside(const std::filesystem::path& root, const std::filesystem::path& file);

// The answer for `target` under `root` (canonical) as both servers send it:
// the file found (an open descriptor, with its type and Cache-Control), a
// redirect, or a 400; nullopt when nothing is published there (the caller
// answers its own 404).
std::optional<HttpResponse> file_response(const std::filesystem::path& root,
                                          std::string_view target);

// "text/html; charset=utf-8", "text/css", "application/pdf", ... by extension.
std::string content_type_for(const std::filesystem::path& file);

// Cache-Control for a file: HTML, feeds and the sitemap must be revalidated
// (a preview changes them); CSS, images and attachments may be cached briefly.
std::string cache_control_for(const std::filesystem::path& file);

}  // namespace sitegen::serve
