// A mustache template rendered as kainjow's renders it, byte for byte, for
// the templates and data a search page's parts have: text, variables,
// sections and inverted sections, dotted names, comments, over strings,
// booleans, lists and objects. kainjow parses a character at a time and
// walks its tree through std::function: a CGI request, which compiles and
// renders each part once, spent more on that than quest on its whole run.
//
// What it does not do (partials, set delimiters, lambdas, a template that
// does not parse) it refuses, and the caller renders with kainjow.
// tests/part_renderer_test.cc compares the two on the theme's parts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/flat_data.h"
#include "site-gen/theme.h"

namespace sitegen {

class PartRenderer {
 public:
  // nullopt when kainjow must do it (see above).
  static std::optional<PartRenderer> compile(std::string_view text);

  // A value of a context: kainjow's data, or a node of flat data.
  struct Ref {
    const Data* data = nullptr;
    const FlatData* flat = nullptr;
    FlatData::Id id = 0;
    explicit operator bool() const { return data != nullptr || flat != nullptr; }
  };

  // Appends the part rendered over `context` (innermost last) to *out;
  // false (and *out as it was) when the data holds what only kainjow
  // renders (a lambda, a partial).
  bool render(std::vector<Ref>& context, std::string* out) const;
  bool render(std::vector<const Data*>& context, std::string* out) const;

 private:
  enum class Kind { text, newline, variable, raw, section, inverted };
  struct Node {
    explicit Node(Kind k) : kind(k) {}
    Kind kind;
    size_t pos = 0, size = 0;          // text, newline: where in source_
    std::string full;                  // a tag's name
    std::vector<std::string> name;     // its parts when it has a dot ("a.b": a, b)
    bool dotted = false, dot = false;  // has a dot; is "."
    size_t end = 0;                    // a section: the index after its last node
  };
  std::string source_;
  std::vector<Node> nodes_;

  struct State;
  bool walk(State& s, size_t begin, size_t end) const;
};

}  // namespace sitegen
