// Fuzz target: the Markdown and HTML sanitizer (site-gen/markup.h). Each
// input is read both as a Markdown body and as an HTML body. The property:
// what comes out, read again by libxml2 and by an HTML5 parser, has nothing
// that can run (tests/fuzz/html_safety.h), and sanitizing it again changes
// nothing (markup.cc writes a tree that reads back as itself). A violation
// prints the input and the output and traps, so libFuzzer keeps the input.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "site-gen/markup.h"
#include "tests/fuzz/html_safety.h"

namespace {

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& output,
                       const std::string& why) {
  std::fprintf(stderr, "\n%s: %s\n--- input (%zu bytes)\n%.*s\n--- output\n%s\n---\n", what,
               why.c_str(), input.size(), static_cast<int>(input.size()), input.data(),
               output.c_str());
  __builtin_trap();
}

void check(const char* kind, std::string_view input, const sitegen::Body& body) {
  const std::string& html = body.html();
  std::string found = sitegen::fuzz::find_active_content(html);
  if (!found.empty()) fail(kind, input, html, "active content in the output: " + found);
  const sitegen::Body reread = sitegen::html_body(html, 1);
  const std::string& again = reread.html();
  if (again != html)
    fail(kind, input, html, "sanitizing the output again changes it, to:\n" + again);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A body is a file an author writes; past this the time goes to size.
  if (size > 64 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check("markdown body", input, sitegen::markdown_body(input, 1));
  check("html body", input, sitegen::html_body(input, 1));
  return 0;
}
