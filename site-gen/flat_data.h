// Values for the part renderer (site-gen/part_renderer.h) made once and
// read once: strings, booleans, lists and objects as nodes of one array,
// their texts in one string. kainjow's data makes a hash map per object
// and a heap string per value; a results page's facet links, some sixty
// objects of five values, were so a tenth of a CGI request's time and a
// twentieth of its memory pages (docs/HACKING.md, "CGI start-up").
// Not thread-safe while being built; read from any thread after.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/theme.h"

namespace sitegen {

class FlatData {
 public:
  using Id = uint32_t;
  static constexpr Id kNone = UINT32_MAX;
  enum class Kind : uint8_t { string, boolean, list, object };

  // Node 0, the root, is an object.
  FlatData();

  static constexpr Id root() { return 0; }
  Id add_string(std::string_view text);
  Id add_bool(bool value);
  Id add_list();
  Id add_object();
  // Sets an object's key (a second set of a key replaces the first).
  void set(Id object, std::string_view key, Id value);
  void set(Id object, std::string_view key, std::string_view text) {
    set(object, key, add_string(text));
  }
  void set(Id object, std::string_view key, const char* text) {
    set(object, key, add_string(text));
  }
  void set(Id object, std::string_view key, bool value) { set(object, key, add_bool(value)); }
  // Adds a key an object does not have yet, without looking.
  void add_member(Id object, std::string_view key, Id value);
  // Appends to a list.
  void push(Id list, Id value);

  Kind kind(Id n) const { return nodes_[n].kind; }
  std::string_view text(Id n) const { return view(nodes_[n].text_off, nodes_[n].text_len); }
  bool truth(Id n) const { return nodes_[n].value; }
  // Whether a section over it shows (mustache's: not false, not an empty list).
  bool shows(Id n) const {
    return !(kind(n) == Kind::boolean && !truth(n)) && !(kind(n) == Kind::list && first(n) == kNone);
  }
  // An object's value for key, or kNone.
  Id find(Id object, std::string_view key) const;
  // A list's items or an object's values, in order: first, then next.
  Id first(Id n) const { return nodes_[n].first; }
  Id next(Id n) const { return nodes_[n].next; }
  std::string_view key(Id n) const { return view(nodes_[n].key_off, nodes_[n].key_len); }

  // The same values as kainjow's data (for the parts kainjow renders).
  Data to_mustache(Id n = root()) const;

 private:
  struct Node {
    Kind kind;
    bool value = false;
    uint32_t key_off = 0, key_len = 0, text_off = 0, text_len = 0;
    Id first = kNone, last = kNone, next = kNone;
  };
  std::string_view view(uint32_t off, uint32_t len) const {
    return std::string_view(text_).substr(off, len);
  }
  uint32_t append(std::string_view s);
  void name(Id value, std::string_view key);
  Id add(Kind k);
  void link(Id parent, Id child);

  std::vector<Node> nodes_;
  std::string text_;
};

}  // namespace sitegen
