// YAML helpers for the loader: parse a YAML text and read typed fields from
// its maps, each problem reported as `path:line: message` at the line of the
// node that caused it (yaml-cpp marks are 0-based lines of the YAML text,
// which may start mid-file, after a front matter's `---`).
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/date.h"
#include "site-gen/diagnostic.h"
#include "site-gen/model.h"

namespace sitegen {

// Where a YAML text comes from.
struct YamlSource {
  YamlSource(std::string path_ = {}, int first_line_ = 1)
      : path(std::move(path_)), first_line(first_line_) {}

  std::string path;    // relative to the site root
  int first_line = 1;  // file line of the text's first line (2 in front matter)
  std::shared_ptr<const std::string> file;  // path, for Ref::file (YamlMap makes it)
};

// Parses `text`; on a syntax error reports `malformed YAML: <message>` and
// returns nullopt. An empty text gives a null node.
std::optional<YAML::Node> parse_yaml(std::string_view text, const YamlSource& src,
                                     Diagnostics& diags);

// The file line of `node`, or `fallback` if the node carries no position.
int node_line(const YAML::Node& node, const YamlSource& src, int fallback);

// True for a language code as written in content: 2 or 3 lower-case letters.
bool is_language_code(std::string_view code);

enum class Need { optional, required };

// Reads the fields of one YAML map. Every getter marks its key as known, so
// that after reading, check_unknown() can flag typos such as `ratifed:`.
// `prefix` names the map inside its file in messages ("article5.").
class YamlMap {
 public:
  YamlMap(const YAML::Node& node, const YamlSource& src, Diagnostics& diags,
          std::string prefix = "", int fallback_line = 0);

  bool is_map() const { return is_map_; }
  int line() const { return line_; }
  const YamlSource& source() const { return src_; }
  Diagnostics& diags() const { return diags_; }
  std::string name(const std::string& key) const { return prefix_ + key; }

  // The value of `key` (marked known), or nullopt when absent or null.
  std::optional<YAML::Node> get(const std::string& key);
  int key_line(const std::string& key) const;    // line of the key, or of the map
  int value_line(const std::string& key) const;  // line of the value, or of the key

  std::optional<std::string> string(const std::string& key, Need need = Need::optional);
  std::optional<Ref> ref(const std::string& key, Need need = Need::optional);
  std::optional<Date> date(const std::string& key, Need need = Need::optional);
  std::optional<long long> integer(const std::string& key, Need need = Need::optional);
  std::vector<Ref> refs(const std::string& key);  // a list of strings (or one string)
  std::vector<std::string> strings(const std::string& key);
  PerLang<std::string> per_lang_text(const std::string& key);
  PerLang<std::vector<std::string>> per_lang_lists(const std::string& key);
  template <class Read>
  void for_each_language(const std::string& key, Read read);

  // One diagnostic per key never asked for: an error, or a warning for
  // files whose front matter may carry keys for other tools.
  void check_unknown(Severity severity = Severity::error);

  void error(int line, const std::string& message) const;
  void missing(const std::string& key) const;

 private:
  struct Entry {
    YAML::Node key, value;
  };
  std::optional<std::string> scalar(const std::string& key, const YAML::Node& v);

  YamlSource src_;
  Diagnostics& diags_;
  std::string prefix_;
  bool is_map_ = false;
  int line_ = 1;
  std::map<std::string, Entry> entries_;
  std::vector<std::string> order_;  // keys in file order, for check_unknown
  std::set<std::string> known_;
};

// Text of a scalar node as written, or nullopt (and an error) for a list or
// map; `what` names the value in the message.
std::optional<std::string> scalar_text(const YAML::Node& node, const std::string& what, int line,
                                       const YamlSource& src, Diagnostics& diags);

// A date from text as written, or nullopt with `invalid date "..." for what`.
std::optional<Date> date_from(const std::string& text, const std::string& what, int line,
                              const YamlSource& src, Diagnostics& diags);

}  // namespace sitegen
