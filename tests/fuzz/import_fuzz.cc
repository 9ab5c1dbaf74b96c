// Fuzz target: what `site-gen import` reads from untrusted files
// (site-gen/first_page.h, site-gen/csv.h, yaml_quoted in site-gen/import.h).
// Each input is read as a document's first page, parsed as a CSV, and
// quoted as a YAML value. The properties: no crash, no sanitizer report,
// no exception; a symbol found starts with APLC/ or APL/ and holds only a
// symbol's characters; a title is valid UTF-8 without control characters;
// a date is a real day; a language and a type are among the known ones;
// every CSV record and message is at a line of the input; and a valid
// UTF-8 input quoted by yaml_quoted reads back from YAML as itself.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>

#include "site-gen/csv.h"
#include "site-gen/first_page.h"
#include "site-gen/import.h"
#include "site-gen/utf8.h"
#include "site-gen/yaml_util.h"

namespace {

[[noreturn]] void fail(const char* entry, std::string_view input, const std::string& why) {
  std::fprintf(stderr, "\n%s: %s\n--- input (%zu bytes)\n%.*s\n---\n", entry, why.c_str(),
               input.size(), static_cast<int>(input.size()), input.data());
  __builtin_trap();
}

void check_first_page(std::string_view input) {
  const sitegen::FirstPage page = sitegen::read_first_page(input);
  if (!page.symbol.empty()) {
    const bool plain = std::all_of(page.symbol.begin(), page.symbol.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '/' || c == '-' || c == '(' || c == ')';
    });
    if ((page.symbol.rfind("APLC/", 0) != 0 && page.symbol.rfind("APL/", 0) != 0) || !plain)
      fail("read_first_page", input, "symbol \"" + page.symbol + "\"");
  }
  if (sitegen::first_invalid_utf8(page.title) != std::string_view::npos ||
      std::any_of(page.title.begin(), page.title.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
    fail("read_first_page", input, "title \"" + sitegen::printable(page.title) + "\"");
  if (page.date && !sitegen::parse_iso_date(page.date->iso()))
    fail("read_first_page", input, "date " + page.date->iso());
  static const std::set<std::string> langs = {"", "ar", "en", "es", "fr", "ru", "zh"};
  const std::string lang = sitegen::version_language(page, "").lang;
  if (!langs.count(lang) || !langs.count(page.original) || !langs.count(page.named_lang))
    fail("read_first_page", input, "language " + lang + " / " + page.original);
  static const std::set<std::string> types = {"",
                                              "agenda",
                                              "programme",
                                              "report",
                                              "final-report",
                                              "working-paper",
                                              "extension-request",
                                              "article7-report",
                                              "statement",
                                              "decision"};
  if (!types.count(sitegen::document_type_of(page.symbol, page.title)))
    fail("document_type_of", input, "type");
}

void check_csv(std::string_view input) {
  sitegen::Diagnostics diags;
  const auto records = sitegen::parse_csv(input, "meta.csv", diags);
  const int lines = 1 + static_cast<int>(std::count(input.begin(), input.end(), '\n') +
                                         std::count(input.begin(), input.end(), '\r'));
  for (const auto& r : records)
    if (r.line < 1 || r.line > lines || r.fields.empty())
      fail("parse_csv", input, "a record at line " + std::to_string(r.line));
  for (const auto& d : diags.items())
    if (d.line < 1 || d.line > lines) fail("parse_csv", input, "a message at " + d.str());
}

void check_yaml_quoted(std::string_view input) {
  if (sitegen::first_invalid_utf8(input) != std::string_view::npos) return;
  const std::string yaml = "t: " + sitegen::yaml_quoted(input) + "\n";
  if (std::count(yaml.begin(), yaml.end(), '\n') != 1)
    fail("yaml_quoted", input, "more than one line");
  sitegen::Diagnostics diags;
  const auto node = sitegen::parse_yaml(yaml, {"t.yaml"}, diags);
  if (!node || diags.has_errors()) fail("yaml_quoted", input, "not YAML: " + yaml);
  if ((*node)["t"].as<std::string>() != input)
    fail("yaml_quoted", input, "read back otherwise: " + yaml);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    check_first_page(input);
    check_csv(input);
    check_yaml_quoted(input);
  } catch (const std::exception& e) {
    fail("an exception", input, e.what());
  }
  return 0;
}
