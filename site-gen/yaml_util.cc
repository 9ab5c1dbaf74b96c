#include "site-gen/yaml_util.h"

#include <algorithm>
#include <charconv>

#include "site-gen/utf8.h"

namespace sitegen {
namespace {

// Edit distance, to suggest the field a misspelt key was meant to be.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string closest(const std::string& key, const std::set<std::string>& known) {
  std::string best;
  size_t best_d = 3;  // more than two edits away is not a typo
  for (const auto& k : known)
    if (size_t d = edit_distance(key, k); d < best_d) best_d = d, best = k;
  return best;
}

const char* kind_of(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    default:
      return "text";
  }
}

// A `[` or `{` that opens a flow collection and is never closed, with its
// 0-based line, or nullopt. yaml-cpp notices a missing `]` where the text
// ends, lines below where the author forgot it. Quoted scalars and comments
// are skipped; brackets inside a plain scalar (`title: a[1]`) open nothing.
struct Opener {
  char bracket;
  int line;
};

std::optional<Opener> unclosed_flow(std::string_view text) {
  std::vector<Opener> open;
  int line = 0;
  char before = '\n';  // the last character that is not a blank
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool starts_scalar = before == '\n' || before == ':' || before == '-' || before == '[' ||
                               before == '{' || before == ',' || before == '?';
    if (c == '\n') {
      ++line;
      before = '\n';
      continue;
    }
    if (c == ' ' || c == '\t') continue;
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if ((c == '"' || c == '\'') && starts_scalar) {
      for (++i; i < text.size(); ++i) {
        if (text[i] == '\n') ++line;
        if (c == '"' && text[i] == '\\') {
          if (i + 1 < text.size() && text[i + 1] == '\n') ++line;
          ++i;
        } else if (text[i] == c) {
          if (c == '\'' && i + 1 < text.size() && text[i + 1] == '\'')
            ++i;  // '' is a quote
          else
            break;
        }
      }
      before = 'x';
      continue;
    }
    if ((c == '[' || c == '{') && (starts_scalar || !open.empty())) {
      open.push_back({c, line});
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    } else if (open.empty() && c != ':' && c != '-' && c != '?') {
      // A plain scalar in block context: it ends at the end of the line, at
      // a `: ` (it was a key) or at a ` #` comment.
      auto is_end = [&](size_t j) {
        char n = text[j];
        if (n == '\n') return true;
        if (n == ':' && (j + 1 == text.size() || text[j + 1] == ' ' || text[j + 1] == '\t' ||
                         text[j + 1] == '\n'))
          return true;
        return n == '#' && (text[j - 1] == ' ' || text[j - 1] == '\t');
      };
      while (i + 1 < text.size() && !is_end(i + 1)) ++i;
      before = 'x';
      continue;
    }
    before = c;
  }
  if (open.empty()) return std::nullopt;
  return open.back();
}

}  // namespace

std::optional<YAML::Node> parse_yaml(std::string_view text, const YamlSource& src,
                                     Diagnostics& diags) {
  // Reported, then parsed all the same, for the other problems of the file.
  report_bad_bytes(text, src.path, src.first_line, diags);
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp may point just past the last line (an unclosed [ or {): the
    // author needs the last line they wrote.
    int last = int(std::count(text.begin(), text.end(), '\n'));
    if (!text.empty() && text.back() != '\n') ++last;
    int mark = std::clamp(e.mark.line, 0, std::max(last - 1, 0));
    // A [ or { left open before that point is the cause ("end of sequence
    // flow not found", or "illegal block entry" at the next `- `).
    if (auto opener = unclosed_flow(text); opener && opener->line <= mark) {
      std::string noticed = e.msg;
      if (opener->line != mark) noticed += " at line " + std::to_string(mark + src.first_line);
      diags.error(src.path, opener->line + src.first_line,
                  std::string("malformed YAML: unclosed ") + opener->bracket + " (no matching " +
                      (opener->bracket == '[' ? "]" : "}") + "; yaml-cpp: " + noticed + ")");
      return std::nullopt;
    }
    diags.error(src.path, mark + src.first_line, "malformed YAML: " + e.msg);
    return std::nullopt;
  }
}

int node_line(const YAML::Node& node, const YamlSource& src, int fallback) {
  if (!node.IsDefined()) return fallback;
  int line = node.Mark().line;
  return line >= 0 ? line + src.first_line : fallback;
}

bool is_language_code(std::string_view code) {
  return (code.size() == 2 || code.size() == 3) &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::optional<std::string> scalar_text(const YAML::Node& node, const std::string& what, int line,
                                       const YamlSource& src, Diagnostics& diags) {
  if (node.IsScalar()) return node.Scalar();
  diags.error(src.path, line, what + " must be text, not " + kind_of(node));
  return std::nullopt;
}

std::optional<Date> date_from(const std::string& text, const std::string& what, int line,
                              const YamlSource& src, Diagnostics& diags) {
  if (auto d = parse_iso_date(text)) return d;
  diags.error(src.path, line,
              "invalid date \"" + text + "\" for " + what + " (expected YYYY-MM-DD)");
  return std::nullopt;
}

YamlMap::YamlMap(const YAML::Node& node, const YamlSource& src, Diagnostics& diags,
                 std::string prefix, int fallback_line)
    : src_(src), diags_(diags), prefix_(std::move(prefix)) {
  if (!src_.file) src_.file = std::make_shared<const std::string>(src_.path);
  line_ = node_line(node, src, fallback_line > 0 ? fallback_line : src.first_line);
  if (node.IsNull() || !node.IsDefined()) {  // an empty file or `key:` is an empty map
    is_map_ = true;
    return;
  }
  if (!node.IsMap()) {
    std::string what = prefix_.empty() ? "the file" : prefix_.substr(0, prefix_.size() - 1);
    error(line_, what + " must be a map of fields, not " + kind_of(node));
    return;
  }
  is_map_ = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
    if (entries_.count(key)) {
      error(node_line(it->first, src_, line_), "duplicate field \"" + name(key) + "\"");
      continue;
    }
    entries_[key] = {it->first, it->second};
    order_.push_back(key);
  }
}

void YamlMap::error(int line, const std::string& message) const {
  diags_.error(src_.path, line, message);
}

void YamlMap::missing(const std::string& key) const {
  error(line_, "missing required field \"" + name(key) + "\"");
}

int YamlMap::key_line(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? line_ : node_line(it->second.key, src_, line_);
}

int YamlMap::value_line(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? line_ : node_line(it->second.value, src_, key_line(key));
}

std::optional<YAML::Node> YamlMap::get(const std::string& key) {
  known_.insert(key);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.value.IsNull()) return std::nullopt;
  return it->second.value;
}

std::optional<std::string> YamlMap::scalar(const std::string& key, const YAML::Node& v) {
  return scalar_text(v, "\"" + name(key) + "\"", value_line(key), src_, diags_);
}

std::optional<std::string> YamlMap::string(const std::string& key, Need need) {
  auto v = get(key);
  std::optional<std::string> s = v ? scalar(key, *v) : std::nullopt;
  bool blank = (!v && entries_.count(key)) || (s && s->empty());  // `title:` or `title: ""`
  if (s && s->empty()) s.reset();
  if (need == Need::required && !v && !blank) missing(key);
  if (need == Need::required && blank)
    error(key_line(key), "required field \"" + name(key) + "\" has no value");
  return s;
}

std::optional<Ref> YamlMap::ref(const std::string& key, Need need) {
  auto s = string(key, need);
  if (!s) return std::nullopt;
  return Ref{*s, value_line(key), src_.file};
}

std::optional<Date> YamlMap::date(const std::string& key, Need need) {
  auto s = string(key, need);
  if (!s) return std::nullopt;
  return date_from(*s, name(key), value_line(key), src_, diags_);
}

std::optional<long long> YamlMap::integer(const std::string& key, Need need) {
  auto s = string(key, need);
  if (!s) return std::nullopt;
  long long n = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
  if (ec == std::errc() && end == s->data() + s->size()) return n;
  error(value_line(key), "\"" + name(key) + "\" must be a whole number, not \"" + *s + "\"");
  return std::nullopt;
}

std::vector<Ref> YamlMap::refs(const std::string& key) {
  std::vector<Ref> out;
  auto v = get(key);
  if (!v) return out;
  if (v->IsScalar()) return {Ref{v->Scalar(), value_line(key), src_.file}};  // `topics: victims`
  if (!v->IsSequence()) {
    error(value_line(key), "\"" + name(key) + "\" must be a list, not " + kind_of(*v));
    return out;
  }
  for (const auto& item : *v) {
    int line = node_line(item, src_, value_line(key));
    if (auto s = scalar_text(item, "each item of \"" + name(key) + "\"", line, src_, diags_))
      out.push_back({*s, line, src_.file});
  }
  return out;
}

std::vector<std::string> YamlMap::strings(const std::string& key) {
  std::vector<std::string> out;
  for (auto& r : refs(key)) out.push_back(std::move(r.value));
  return out;
}

// Calls read(langs, lang) for each valid language key of the map under
// `key`; invalid codes are reported.
template <class Read>
void YamlMap::for_each_language(const std::string& key, Read read) {
  auto v = get(key);
  if (!v) return;
  YamlMap langs(*v, src_, diags_, name(key) + ".", value_line(key));
  for (const auto& lang : langs.order_) {
    if (!is_language_code(lang)) {
      langs.error(langs.key_line(lang), "invalid language code \"" + lang + "\" in \"" + name(key) +
                                            "\" (expected lower case, like en)");
      continue;
    }
    read(langs, lang);
  }
}

PerLang<std::string> YamlMap::per_lang_text(const std::string& key) {
  PerLang<std::string> out;
  for_each_language(key, [&](YamlMap& langs, const std::string& lang) {
    if (auto s = langs.string(lang)) out[lang] = *s;
  });
  return out;
}

PerLang<std::vector<std::string>> YamlMap::per_lang_lists(const std::string& key) {
  PerLang<std::vector<std::string>> out;
  for_each_language(key, [&](YamlMap& langs, const std::string& lang) {
    if (auto list = langs.strings(lang); !list.empty()) out[lang] = std::move(list);
  });
  return out;
}

void YamlMap::check_unknown(Severity severity) {
  for (const auto& key : order_) {
    if (known_.count(key)) continue;
    std::string message = "unknown field \"" + name(key) + "\"";
    if (std::string guess = closest(key, known_); !guess.empty())
      message += " (did you mean \"" + name(guess) + "\"?)";
    diags_.add({src_.path, key_line(key), message, severity});
  }
}

}  // namespace sitegen
