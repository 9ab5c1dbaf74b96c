#include "site-gen/search_template.h"

#include <array>
#include <charconv>
#include <regex>

#include "site-gen/fallback.h"
#include "site-gen/files.h"
#include "site-gen/format_shapes.h"
#include "site-gen/locale.h"
#include "site-gen/pages.h"
#include "site-gen/render.h"

namespace sitegen {
namespace {

// Marks a search part in the page rendered at build time: \x01 N \x02, or
// \x01 & N \x02 for a variable (escaped by mustache to &amp; when it was
// {{name}}, kept when it was {{{name}}}).
constexpr char kOpen = '\x01', kClose = '\x02';

struct Recorded {
  std::string name, text;
  bool inverted = false;
};

// {{^key}}…{{/key}} of a search key becomes {{#^key}}…{{/^key}}, so that a
// lambda named "^key" keeps it (mustache never calls a lambda for an
// inverted section).
std::string mark_inverted(const std::string& text) {
  static const std::regex tag(R"(\{\{\s*([#^/])\s*([A-Za-z_][\w.]*)\s*\}\})");
  const auto& keys = search_keys();
  std::string out;
  std::vector<std::pair<std::string, bool>> open;  // name, inverted search key
  size_t last = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator();
       ++it) {
    const auto& m = *it;
    std::string kind = m[1], name = m[2];
    out += text.substr(last, m.position(0) - last);
    last = m.position(0) + m.length(0);
    bool key = std::find(keys.begin(), keys.end(), name) != keys.end();
    if (kind == "/") {
      bool inv = !open.empty() && open.back().first == name && open.back().second;
      if (!open.empty() && open.back().first == name) open.pop_back();
      out += inv ? "{{/^" + name + "}}" : m.str(0);
    } else {
      open.emplace_back(name, kind == "^" && key);
      out += kind == "^" && key ? "{{#^" + name + "}}" : m.str(0);
    }
  }
  return out + text.substr(last);
}

std::string unmark_inverted(std::string s) {
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"{{#^", "{{^"}, {"{{/^", "{{/"}})
    for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
      s.replace(p, from.size(), to);
  return s;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
    s.replace(p, from.size(), to);
  return s;
}

void put(std::string& out, char type, const std::string& name, const std::string& value) {
  out += type;
  out += ' ' + std::to_string(name.size()) + ' ' + std::to_string(value.size()) + '\n';
  out += name + value + '\n';
}

}  // namespace

const std::vector<std::string>& search_keys() {
  // Every top-level key that serve/search_page.cc sets: one left out would
  // show its build-time value (nothing) on every search.
  static const std::vector<std::string> keys = {
      "query",      "head_title",    "total",       "range",        "results",
      "nothing_found", "past_last",  "facets",      "has_filters",  "active_filters",
      "clear_filters_url", "hidden_fields", "sort_date", "from",    "to",
      "from_type",  "to_type",       "paged",       "pages",        "prev_url",
      "next_url",   "suggestion",    "corrected",   "error",
      "relaxed",    "other_languages"};
  return keys;
}

std::string search_template_path(const std::string& lang) { return ".site-gen/search/" + lang; }

std::string make_search_template(const BuiltSite& built, const std::string& lang,
                                 std::string* error) {
  const Site& site = *built.site;
  const Theme& theme = *built.theme;
  const std::string& def = site.content.config.default_language();
  auto source = theme.sources.find("search");
  if (source == theme.sources.end()) {
    *error = "no layout \"search\"";
    return "";
  }
  Layouts layouts;
  layouts.emplace("search", Mustache(mark_inverted(source->second)));
  if (!layouts.at("search").is_valid()) {
    *error = layouts.at("search").error_message();
    return "";
  }
  std::vector<Recorded> parts;
  Data extra;
  for (const auto& key : search_keys())
    for (bool inverted : {false, true})
      extra.set((inverted ? "^" : "") + key,
                kainjow::mustache::lambda{[&parts, key, inverted](const std::string& text) {
                  parts.push_back({key, unmark_inverted(text), inverted});
                  // Empty text: a variable (a section without text shows nothing anyway).
                  return std::string(1, kOpen) + (text.empty() && !inverted ? "&" : "") +
                         std::to_string(parts.size() - 1) + kClose;
                }});
  PlannedPage page{PageKind::search, lang, -1, "/" + lang + "/search/", ""};
  std::string html = built.renderer->render(page, layouts, extra, error);
  if (!error->empty()) return "";

  std::string out;
  put(out, 'V', "site-gen search page", "1");
  put(out, 'l', "lang", lang);
  put(out, 'l', "default", def);
  for (const auto& l : site.languages()) put(out, 'l', "language", l);
  // Where the pages are published: the service lets them read its answers
  // from another host (serve/cross_origin.h).
  put(out, 'l', "base_url", site.content.config.base_url);
  // The strings in English where the language has none, as the renderer does.
  std::map<std::string, std::string> strings;
  for (const std::string& l : {lang, std::string("en")})
    if (auto it = theme.strings.find(l); it != theme.strings.end())
      for (const auto& [k, v] : it->second) strings.emplace(k, v);
  for (const auto& [k, v] : strings) put(out, 't', k, v);
  put(out, 'p', "lang", lang);
  put(out, 'p', "dir", is_rtl(lang) ? "rtl" : "ltr");
  put(out, 'p', "site_title", text_in(site.content.config.title, lang, def));
  put(out, 'p', "home_url", home_url(lang));
  put(out, 'p', "search_url", page.url);
  put(out, 'p', "url", page.url);
  put(out, 'p', "title", theme.string(lang, "title_search"));
  // The labels sorted (the last of equal names counting), as a reader
  // looks them up: it then need not sort them.
  std::map<std::string, std::string> labels;
  for (size_t i = 0; i < site.content.countries.size(); ++i)
    labels["country\t" + site.content.countries[i].iso] = site.countries[i].names.at(lang);
  for (const Topic& t : site.content.topics) labels["topic\t" + t.id] = text_in(t.names, lang, def);
  for (const Meeting& m : site.content.meetings)
    labels["meeting\t" + m.id] = text_in(m.title, lang, def);
  // What ICU would say at search time, said now (format_shapes.h).
  for (const auto& l : site.languages()) {
    labels["lang\t" + l] = language_name(l, lang);
    labels["autonym\t" + l] = language_autonym(l);
  }
  for (const auto& [k, v] : labels) put(out, 'f', k, v);
  if (auto shapes = FormatShapes::probe(lang)) put(out, 'n', "shapes", shapes->serialize());

  // The page: literal HTML between the marks, each mark a part.
  size_t pos = 0;
  while (pos < html.size()) {
    size_t open = html.find(kOpen, pos);
    size_t close = open == std::string::npos ? open : html.find(kClose, open);
    if (close == std::string::npos) {
      put(out, 'L', "", html.substr(pos));
      break;
    }
    std::string mark = html.substr(open + 1, close - open - 1);
    bool variable = mark.rfind("&", 0) == 0, escaped = mark.rfind("&amp;", 0) == 0;
    std::string number = mark.substr(escaped ? 5 : variable ? 1 : 0);
    size_t n = parts.size();
    if (!number.empty() && number.size() < 10 &&
        number.find_first_not_of("0123456789") == std::string::npos)
      n = std::stoul(number);
    if (n >= parts.size()) {  // a \x01 of the site's own text: kept as it is
      put(out, 'L', "", html.substr(pos, open + 1 - pos));
      pos = open + 1;
      continue;
    }
    put(out, 'L', "", html.substr(pos, open - pos));
    const Recorded& r = parts[n];
    std::string tmpl = variable ? (escaped ? "{{" + r.name + "}}" : "{{{" + r.name + "}}}")
                                : std::string("{{") + (r.inverted ? "^" : "#") + r.name + "}}" +
                                      r.text + "{{/" + r.name + "}}";
    put(out, 'T', variable ? "" : (r.inverted ? "^" : "#") + r.name, tmpl);
    pos = close + 1;
  }
  return out;
}

std::optional<SearchTemplate> SearchTemplate::load(const std::filesystem::path& tree,
                                                   const std::string& lang, std::string* error,
                                                   Reading reading) {
  auto path = tree / search_template_path(lang);
  if (reading == Reading::languages) {
    // The languages come first: the head of the file is enough (else, the
    // whole of it, below).
    constexpr size_t kHead = 4096;
    if (auto head = read_file_head(path, kHead); head && head->size() < kHead) {
      auto t = parse(std::move(*head), error, reading);
      if (!t) *error = path.string() + ": " + *error;
      return t;
    } else if (head) {
      std::string ignored;
      if (auto t = parse(std::move(*head), &ignored, reading)) return t;
    }
  }
  auto bytes = read_whole_file(path);
  if (!bytes) {
    *error = "cannot read " + path.string() + " (was the site built by this version?)";
    return std::nullopt;
  }
  auto t = parse(std::move(*bytes), error, reading);
  if (!t) *error = path.string() + ": " + *error;
  return t;
}

std::optional<SearchTemplate> SearchTemplate::parse(std::string bytes, std::string* error,
                                                    Reading reading) {
  const bool header_only = reading == Reading::languages;
  SearchTemplate t;
  t.bytes_ = std::make_shared<const std::string>(std::move(bytes));
  const std::string_view b = *t.bytes_;
  size_t pos = 0;
  bool versioned = false;
  while (pos < b.size()) {
    size_t eol = b.find('\n', pos);
    if (eol == std::string::npos || eol - pos < 5) break;
    char type = b[pos];
    if (header_only && type != 'V' && type != 'l') break;  // the languages come first
    size_t name_len = 0, value_len = 0;
    const char* end = b.data() + eol;
    auto [p1, e1] = std::from_chars(b.data() + pos + 2, end, name_len);
    auto [p2, e2] = e1 == std::errc() && p1 < end && *p1 == ' '
                        ? std::from_chars(p1 + 1, end, value_len)
                        : std::from_chars_result{p1, std::errc::invalid_argument};
    if (e2 != std::errc() || p2 != end || b[pos + 1] != ' ' || name_len > b.size() ||
        value_len > b.size() ||
        eol + 1 + name_len + value_len >= b.size() + 1 ||
        b[eol + 1 + name_len + value_len] != '\n') {
      *error = "damaged at byte " + std::to_string(pos);
      return std::nullopt;
    }
    std::string_view name = b.substr(eol + 1, name_len),
                     value = b.substr(eol + 1 + name_len, value_len);
    pos = eol + 1 + name_len + value_len + 1;
    switch (type) {
      case 'V':
        versioned = value == "1";
        break;
      case 'l':
        if (name == "lang")
          t.lang_ = value;
        else if (name == "default")
          t.default_lang_ = value;
        else if (name == "language")
          t.languages_.emplace_back(value);
        else if (name == "base_url")
          t.base_url_ = value;
        break;
      case 't':
        t.strings_.emplace_back(name, value);
        break;
      case 'p':
        t.page_.emplace_back(name, value);
        break;
      case 'f':
        if (name.find('\t') != std::string_view::npos) t.labels_.emplace_back(name, value);
        break;
      case 'L':
        t.parts_.push_back({true, value, "", false, nullptr});
        break;
      case 'T': {
        Part part{false, value, "", false, std::make_shared<Compiled>()};
        if (name.size() > 1 && (name[0] == '#' || name[0] == '^')) {
          part.key = name.substr(1);
          part.inverted = name[0] == '^';
        }
        if (reading == Reading::eager && !part.compiled->get(value).is_valid()) {
          *error = "a part does not parse: " + part.compiled->get(value).error_message();
          return std::nullopt;
        }
        t.parts_.push_back(std::move(part));
        break;
      }
      case 'n':
        if (auto shapes = FormatShapes::parse(value))
          t.shapes_ = std::make_shared<const FormatShapes>(std::move(*shapes));
        break;
      default:
        break;  // a newer record: ignored
    }
  }
  if ((pos != b.size() && !header_only) || !versioned || t.lang_.empty()) {
    *error = "not a search page file of this version";
    return std::nullopt;
  }
  // The build writes the strings sorted, the labels in the content's order.
  for (Records* records : {&t.strings_, &t.page_, &t.labels_})
    if (!std::is_sorted(records->begin(), records->end()))
      std::stable_sort(records->begin(), records->end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
  return t;
}

const std::string_view* SearchTemplate::find(const Records& records, std::string_view name) {
  auto it = std::upper_bound(records.begin(), records.end(), name,
                             [](std::string_view n, const auto& r) { return n < r.first; });
  if (it == records.begin() || (it - 1)->first != name) return nullptr;
  return &(it - 1)->second;
}

Mustache& SearchTemplate::Compiled::get(std::string_view text) {
  std::call_once(once, [&] { mustache.emplace(std::string(text)); });
  return *mustache;
}

const PartRenderer* SearchTemplate::Compiled::get_own(std::string_view text) {
  std::call_once(own_once, [&] { own = PartRenderer::compile(text); });
  return own ? &*own : nullptr;
}

std::string SearchTemplate::string(std::string_view key) const {
  const std::string_view* value = find(strings_, key);
  return std::string(value ? *value : key);
}

std::string SearchTemplate::label(const std::string& facet, const std::string& value) const {
  if (facet == "type") return string("doctype_" + replace_all(value, "-", "_"));
  if (const std::string_view* label = find(labels_, facet + '\t' + value))
    return std::string(*label);
  if (facet == "lang") return language_name(value, lang_);
  return value;
}

std::string SearchTemplate::autonym(const std::string& lang) const {
  if (const std::string_view* name = find(labels_, "autonym\t" + lang)) return std::string(*name);
  return language_autonym(lang);
}

std::string SearchTemplate::number(unsigned long long n) const {
  return shapes_ ? shapes_->number(n) : format_number(static_cast<long long>(n), lang_);
}

std::string SearchTemplate::date(const Date& d) const {
  return shapes_ ? shapes_->date(d) : format_date(d, lang_);
}

const FlatData& SearchTemplate::Base::get(const SearchTemplate& t) {
  std::call_once(once, [&] {
    for (const auto& [k, v] : t.page_) flat.set(FlatData::root(), k, v);
    // Every string, as flat data: a few hundred nodes, cheaper to make than
    // choosing the ones the parts' tags name.
    const FlatData::Id strings = flat.add_object();
    for (const auto& [k, v] : t.strings_) flat.add_member(strings, k, flat.add_string(v));  // sorted, unique
    flat.set(FlatData::root(), "t", strings);
  });
  return flat;
}

const Data& SearchTemplate::Base::get_data(const SearchTemplate& t) {
  std::call_once(data_once, [&] { data = get(t).to_mustache(); });
  return data;
}

std::string SearchTemplate::render(const Data& search, std::string* error) const {
  return render(search, nullptr, error);
}

std::string SearchTemplate::render(const Data& search, const FlatData* more,
                                   std::string* error) const {
  // The page's own values, made once: only read while rendering.
  const FlatData& base = base_->get(*this);
  std::string html;
  // About the file's size: growing by doubling would copy and touch twice
  // as much (a CGI request pays for each page of memory it touches).
  html.reserve(bytes_->size() + bytes_->size() / 4);
  std::vector<PartRenderer::Ref> stack{{nullptr, &base, FlatData::root()}, {&search}};
  if (more) stack.push_back({nullptr, more, FlatData::root()});
  // kainjow's context, with its own copies of the flat data, made only if
  // a part needs kainjow (a theme's partial or lambda).
  std::optional<Data> search_and_more;
  std::optional<kainjow::mustache::context<std::string>> ctx;
  auto kainjow_context = [&]() -> kainjow::mustache::context<std::string>& {
    if (!ctx) {
      ctx.emplace(&base_->get_data(*this));
      const Data* top = &search;
      if (more) {
        search_and_more.emplace(search);
        for (FlatData::Id c = more->first(FlatData::root()); c != FlatData::kNone; c = more->next(c))
          search_and_more->set(std::string(more->key(c)), more->to_mustache(c));
        top = &*search_and_more;
      }
      ctx->push(top);
    }
    return *ctx;
  };
  for (const Part& p : parts_) {
    if (p.literal) {
      html += p.text;
      continue;
    }
    if (!p.key.empty()) {
      // As mustache decides it, looking in the innermost first.
      bool shown = false;
      const FlatData::Id flat = more ? more->find(FlatData::root(), p.key) : FlatData::kNone;
      if (flat != FlatData::kNone) {
        shown = more->shows(flat);
      } else if (const Data* value = search.get(p.key)) {
        shown = !value->is_false() && !value->is_empty_list();
      } else if (FlatData::Id own = base.find(FlatData::root(), p.key); own != FlatData::kNone) {
        shown = base.shows(own);
      }
      if (shown == p.inverted) continue;
    }
    if (const PartRenderer* own = p.compiled->get_own(p.text); own && own->render(stack, &html))
      continue;
    Mustache& shared = p.compiled->get(p.text);
    std::unique_lock held(p.compiled->lock, std::try_to_lock);
    std::optional<Mustache> copy;
    if (!held) copy.emplace(shared);
    Mustache& m = held ? shared : *copy;
    html += m.render(kainjow_context());
    if (!m.is_valid()) {
      *error = m.error_message();
      return "";
    }
  }
  return html;
}

}  // namespace sitegen
