#include "site-gen/part_renderer.h"

namespace sitegen {
namespace {

constexpr std::string_view kSpace = " \t\n\v\f\r";  // std::isspace's, in the C locale

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

// kainjow's split(): std::getline's parts, so a trailing '.' makes none.
std::vector<std::string> split_name(std::string_view name) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < name.size()) {
    size_t dot = name.find('.', pos);
    if (dot == std::string_view::npos) dot = name.size();
    parts.emplace_back(name.substr(pos, dot - pos));
    pos = dot + 1;
  }
  return parts;
}

// kainjow's html_escape().
void append_escaped(std::string& out, std::string_view s) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char* with = nullptr;
    switch (s[i]) {
      case '&':
        with = "&amp;";
        break;
      case '<':
        with = "&lt;";
        break;
      case '>':
        with = "&gt;";
        break;
      case '"':
        with = "&quot;";
        break;
      case '\'':
        with = "&apos;";
        break;
      default:
        continue;
    }
    out.append(s, run, i - run);
    out += with;
    run = i + 1;
  }
  out.append(s, run, std::string::npos);
}

}  // namespace

std::optional<PartRenderer> PartRenderer::compile(std::string_view text) {
  PartRenderer r;
  r.source_ = std::string(text);
  const std::string& src = r.source_;
  const size_t n = src.size();
  std::vector<size_t> open;  // the sections' nodes
  size_t pos = 0;
  while (pos < n) {
    if (src.compare(pos, 2, "{{") == 0) {
      const size_t start = pos;
      size_t contents = start + 2;
      const bool unescaped = start != n - 2 && src[contents] == '{';
      const std::string_view close = unescaped ? "}}}" : "}}";
      if (unescaped) ++contents;
      const size_t end = src.find(close, contents);
      if (end == std::string::npos) return std::nullopt;  // kainjow says where
      std::string_view tag = trim(std::string_view(src).substr(contents, end - contents));
      pos = end + close.size();
      if (!tag.empty() && tag[0] == '=') return std::nullopt;  // other delimiters
      Node node(Kind::variable);
      std::string_view name = tag;
      if (unescaped) {
        node.kind = Kind::raw;
      } else if (!tag.empty()) {
        switch (tag[0]) {
          case '#':
            node.kind = Kind::section;
            break;
          case '^':
            node.kind = Kind::inverted;
            break;
          case '>':
            return std::nullopt;  // a partial
          case '&':
            node.kind = Kind::raw;
            break;
          case '!':
            continue;  // a comment
          case '/': {
            name = trim(tag.substr(1));
            if (open.empty() || r.nodes_[open.back()].full != name) return std::nullopt;
            r.nodes_[open.back()].end = r.nodes_.size();
            open.pop_back();
            continue;
          }
          default:
            break;
        }
        if (node.kind != Kind::variable) name = trim(tag.substr(1));
      }
      node.full = std::string(name);
      node.dot = name == ".";
      node.dotted = !node.dot && name.find('.') != std::string_view::npos;
      if (node.dotted) node.name = split_name(name);
      if (node.kind == Kind::section || node.kind == Kind::inverted)
        open.push_back(r.nodes_.size());
      r.nodes_.push_back(std::move(node));
      continue;
    }
    if (src[pos] == '\r' || src[pos] == '\n') {
      size_t size = src.compare(pos, 2, "\r\n") == 0 ? 2 : 1;
      Node node(Kind::newline);
      node.pos = pos;
      node.size = size;
      r.nodes_.push_back(std::move(node));
      pos += size;
      continue;
    }
    size_t stop = src.find_first_of("{\r\n", pos + 1);
    while (stop != std::string::npos && src[stop] == '{' && src.compare(stop, 2, "{{") != 0)
      stop = src.find_first_of("{\r\n", stop + 1);
    if (stop == std::string::npos) stop = n;
    Node node(Kind::text);
    node.pos = pos;
    node.size = stop - pos;
    r.nodes_.push_back(std::move(node));
    pos = stop;
  }
  if (!open.empty()) return std::nullopt;  // unclosed
  return r;
}

struct PartRenderer::State {
  std::vector<Ref>& context;  // innermost last
  std::string& out;
  std::string line;  // kainjow's line buffer
  bool had_section = false;

  // The end of a line: dropped when it held a section tag and only
  // spaces and tabs besides (a "standalone" line, as kainjow tells one).
  void end_line(std::string_view newline) {
    bool blank = line.find_first_not_of(" \t") == std::string::npos;
    if (!(had_section && blank)) {
      out += line;
      out += newline;
    }
    line.clear();
    had_section = false;
  }
};

bool PartRenderer::render(std::vector<const Data*>& context, std::string* out) const {
  std::vector<Ref> refs;
  refs.reserve(context.size() + 4);
  for (const Data* d : context) refs.push_back(Ref{d});
  return render(refs, out);
}

bool PartRenderer::render(std::vector<Ref>& context, std::string* out) const {
  const size_t was = out->size(), depth = context.size();
  State s{context, *out, {}, false};
  bool ok = walk(s, 0, nodes_.size());
  if (ok) s.end_line({});
  if (!ok) {
    out->resize(was);
    context.resize(depth);
  }
  return ok;
}

namespace {

using Ref = PartRenderer::Ref;
using Kind = FlatData::Kind;

// The value of `key` in an object (kainjow's get(): nothing in a value
// that is not an object).
Ref member(Ref r, const std::string& key) {
  if (r.data) {
    const Data* v = r.data->get(key);
    return v ? Ref{v} : Ref{};
  }
  if (r.flat->kind(r.id) != Kind::object) return {};
  const FlatData::Id c = r.flat->find(r.id, key);
  return c == FlatData::kNone ? Ref{} : Ref{nullptr, r.flat, c};
}

bool is_lambda(Ref r) { return r.data && (r.data->is_lambda() || r.data->is_lambda2()); }
bool is_string(Ref r) { return r.data ? r.data->is_string() : r.flat->kind(r.id) == Kind::string; }
std::string_view string_of(Ref r) {
  return r.data ? std::string_view(r.data->string_value()) : r.flat->text(r.id);
}
bool is_false(Ref r) {
  return r.data ? r.data->is_false() : r.flat->kind(r.id) == Kind::boolean && !r.flat->truth(r.id);
}
bool is_list(Ref r) { return r.data ? r.data->is_list() : r.flat->kind(r.id) == Kind::list; }
bool is_empty_list(Ref r) {
  return r.data ? r.data->is_empty_list()
                : r.flat->kind(r.id) == Kind::list && r.flat->first(r.id) == FlatData::kNone;
}

}  // namespace

bool PartRenderer::walk(State& s, size_t begin, size_t end) const {
  auto lookup = [&](const Node& node) -> Ref {
    if (node.dot) return s.context.empty() ? Ref{} : s.context.back();
    for (auto it = s.context.rbegin(); it != s.context.rend(); ++it) {
      Ref v = *it;
      if (!node.dotted) {
        v = member(v, node.full);
      } else {
        for (const std::string& part : node.name)
          if (!(v = member(v, part))) break;
      }
      if (v) return v;
    }
    return {};
  };
  auto section = [&](Ref v, size_t from, size_t to) {
    if (v && is_list(v) && !is_empty_list(v)) {
      auto item = [&](Ref r) {
        s.had_section = true;
        s.context.push_back(r);
        if (!walk(s, from, to)) return false;
        s.context.pop_back();
        s.had_section = true;
        return true;
      };
      if (v.data) {
        for (const Data& d : v.data->list_value())
          if (!item(Ref{&d})) return false;
      } else {
        for (FlatData::Id c = v.flat->first(v.id); c != FlatData::kNone; c = v.flat->next(c))
          if (!item(Ref{nullptr, v.flat, c})) return false;
      }
      return true;
    }
    s.had_section = true;
    if (v) s.context.push_back(v);
    if (!walk(s, from, to)) return false;
    if (v) s.context.pop_back();
    s.had_section = true;
    return true;
  };
  for (size_t i = begin; i < end;) {
    const Node& node = nodes_[i];
    switch (node.kind) {
      case Kind::text:
        s.line.append(source_, node.pos, node.size);
        ++i;
        break;
      case Kind::newline:
        s.end_line(std::string_view(source_).substr(node.pos, node.size));
        ++i;
        break;
      case Kind::variable:
      case Kind::raw:
        if (Ref v = lookup(node)) {
          if (is_lambda(v)) return false;
          if (is_string(v)) {
            if (node.kind == Kind::raw)
              s.line += string_of(v);
            else
              append_escaped(s.line, string_of(v));
          }
        }
        ++i;
        break;
      case Kind::section: {
        Ref v = lookup(node);
        if (v && is_lambda(v)) return false;
        if (v && !is_false(v) && !is_empty_list(v) && !section(v, i + 1, node.end)) return false;
        i = node.end;
        break;
      }
      case Kind::inverted: {
        Ref v = lookup(node);
        if ((!v || is_false(v) || is_empty_list(v)) && !section(v, i + 1, node.end)) return false;
        i = node.end;
        break;
      }
    }
  }
  return true;
}

}  // namespace sitegen
