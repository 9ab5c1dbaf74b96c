#include "site-gen/markup.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <md4c-html.h>
#include <md4c.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace sitegen {
namespace {

// ---------------------------------------------------------------------------
// libxml2 set-up

void ignore_generic_error(void*, const char*, ...) {}

// The error handlers are per-thread state in libxml2: silence them once in
// every thread that parses.
void silence_errors() {
  thread_local bool silenced = false;
  if (!silenced) {
    xmlSetGenericErrorFunc(nullptr, ignore_generic_error);
    // A generic lambda fits both xmlErrorPtr and const xmlError* (2.12+).
    xmlSetStructuredErrorFunc(nullptr, [](void*, auto) {});
    silenced = true;
  }
}

void learn_autoclose();

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    silence_errors();
    learn_autoclose();
  });
  silence_errors();
}

// ---------------------------------------------------------------------------
// The allow-list

enum class Kind {
  unwrap,  // not allowed but harmless: keep the children, drop the element
  drop,    // dangerous or meaningless: drop with everything inside
  keep,    // allowed element
};

struct ElementInfo {
  Kind kind = Kind::unwrap;
  bool is_void = false;   // no end tag
  bool block = false;     // separates words in Body.text
  bool cell = false;      // td, th: separated by a tab in Body.text
  int index = -1;         // kept elements: position in kKept
};

constexpr const char* kKept[] = {
    "br", "hr", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "dl", "dt", "dd", "blockquote", "pre", "code", "em", "strong", "b",
    "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr",
    "cite", "q", "span", "div", "section", "article", "aside", "header",
    "footer", "figure", "figcaption", "a", "img", "table", "thead",
    "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "bdi", "bdo"};
constexpr int kKeptCount = sizeof kKept / sizeof kKept[0];
static_assert(kKeptCount <= 64);

const ElementInfo* element_info(std::string_view name) {
  static const std::unordered_map<std::string_view, ElementInfo> table = [] {
    std::unordered_map<std::string_view, ElementInfo> t;
    for (const char* n :
         {"script", "style", "iframe", "frame", "frameset", "noframes", "object",
          "embed", "applet", "form", "input", "button", "select", "option",
          "optgroup", "datalist", "textarea", "link", "meta", "base",
          "noscript", "noembed", "template", "svg", "math", "head", "title",
          "param", "xml"})
      t[n].kind = Kind::drop;
    for (int i = 0; i < kKeptCount; ++i) {
      t[kKept[i]].kind = Kind::keep;
      t[kKept[i]].index = i;
    }
    for (const char* n : {"br", "hr", "img", "col"}) t[n].is_void = true;
    for (const char* n :
         {"br", "hr", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
          "dl", "dt", "dd", "blockquote", "pre", "div", "section", "article",
          "aside", "header", "footer", "figure", "figcaption", "table", "thead",
          "tbody", "tfoot", "tr", "caption", "html", "body", "address",
          "center", "nav", "main", "details", "summary", "fieldset", "legend",
          "menu", "dir", "listing", "xmp", "plaintext", "hgroup"})
      t[n].block = true;
    t["td"].cell = t["th"].cell = true;
    return t;
  }();
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

// closes[n] has bit o set when libxml2's parser ends an open element kKept[o]
// at a start tag kKept[n] ("<p>a<ul>" is "<p>a</p><ul>"; also "<b><p>" is
// "<b></b><p>"). The serializer closes elements the same way, so that its
// output reads back as the same tree: sanitizing is idempotent, and what the
// page shows is what the checks saw. Asked of libxml2 itself, once.
uint64_t g_closes[kKeptCount];

xmlNode* child_element(xmlNode* n, std::string_view name) {
  for (xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && c->name &&
        std::string_view(reinterpret_cast<const char*>(c->name)) == name)
      return c;
  return nullptr;
}

void learn_autoclose() {
  const int options = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_NODEFDTD;
  for (int o = 0; o < kKeptCount; ++o) {
    if (element_info(kKept[o])->is_void) continue;
    for (int n = 0; n < kKeptCount; ++n) {
      std::string s = std::string("<html><body><") + kKept[o] + "><" + kKept[n] + ">";
      htmlDocPtr doc = htmlReadMemory(s.data(), static_cast<int>(s.size()), nullptr,
                                      "UTF-8", options);
      if (!doc) continue;
      xmlNode* body = child_element(xmlDocGetRootElement(doc), "body");
      xmlNode* old = child_element(body, kKept[o]);
      if (old && !child_element(old, kKept[n])) g_closes[n] |= uint64_t{1} << o;
      xmlFreeDoc(doc);
    }
  }
}

enum class AttrKind { no, plain, href, img_src, align };

AttrKind attribute_kind(std::string_view element, std::string_view attr) {
  if (attr == "id" || attr == "lang" || attr == "dir" || attr == "title" ||
      attr == "class")
    return AttrKind::plain;
  if (element == "a") {
    if (attr == "href") return AttrKind::href;
    if (attr == "hreflang") return AttrKind::plain;
  } else if (element == "img") {
    if (attr == "src") return AttrKind::img_src;
    if (attr == "alt" || attr == "width" || attr == "height")
      return AttrKind::plain;
  } else if (element == "td" || element == "th") {
    if (attr == "colspan" || attr == "rowspan" || attr == "scope" ||
        attr == "headers")
      return AttrKind::plain;
    // Column alignment of GitHub tables (md4c writes align="left").
    if (attr == "align") return AttrKind::align;
  } else if (element == "ol") {
    if (attr == "start" || attr == "type") return AttrKind::plain;
  } else if (element == "col" || element == "colgroup") {
    if (attr == "span") return AttrKind::plain;
  }
  return AttrKind::no;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (ascii_lower(s[i]) != prefix[i]) return false;
  return true;
}

bool is_space_or_control(unsigned char c) { return c <= 0x20 || c == 0x7f; }

// Returns the URL to keep (trimmed), or false if it must be dropped.
bool safe_url(std::string_view raw, bool image, std::string* out) {
  while (!raw.empty() && is_space_or_control(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_space_or_control(raw.back())) raw.remove_suffix(1);
  // Browsers ignore tabs and newlines anywhere in a URL; be stricter and
  // ignore every control character and space when looking at the scheme.
  // Only the part up to the first ':', '/', '?', '#' or '\\' matters.
  std::string squeezed;
  bool has_scheme = false;
  size_t i = 0;
  for (; i < raw.size() && !has_scheme; ++i) {
    char c = raw[i];
    if (is_space_or_control(static_cast<unsigned char>(c))) continue;
    if (c == '/' || c == '?' || c == '#' || c == '\\') break;
    squeezed += c;
    has_scheme = c == ':';
  }
  if (has_scheme) {
    // The data: types are checked on what follows.
    for (; i < raw.size() && squeezed.size() < 32; ++i)
      if (!is_space_or_control(static_cast<unsigned char>(raw[i]))) squeezed += raw[i];
    std::string_view s = squeezed;
    bool ok = starts_with_nocase(s, "http:") || starts_with_nocase(s, "https:") ||
              starts_with_nocase(s, "mailto:") || starts_with_nocase(s, "tel:");
    if (!ok && image) {
      for (std::string_view type : {"data:image/png", "data:image/gif",
                                    "data:image/jpeg", "data:image/webp"}) {
        if (starts_with_nocase(s, type) && s.size() > type.size() &&
            (s[type.size()] == ';' || s[type.size()] == ',')) {
          ok = true;
          break;
        }
      }
    }
    if (!ok) return false;
  }
  out->assign(raw);
  return true;
}

// ---------------------------------------------------------------------------
// Output

void append_escaped(std::string& out, std::string_view s, bool attribute) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char* rep = nullptr;
    switch (s[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = attribute ? "&quot;" : nullptr; break;
      // A CR from a reference (&#13;): raw, it would be read again as a
      // newline (prepare(), and HTML5 parsers), so sanitizing twice differs.
      case '\r':
        rep = "&#13;";
        break;
      default: break;
    }
    if (!rep) continue;
    out.append(s.data() + start, i - start);
    out += rep;
    start = i + 1;
  }
  out.append(s.data() + start, s.size() - start);
}

// Plain text with collapsed white space; separators are only written
// between two pieces of text, the strongest one wins.
class TextBuilder {
 public:
  enum Sep { none = 0, space = 1, tab = 2, newline = 3 };

  void separate(Sep s) { pending_ = std::max(pending_, s); }

  void add(std::string_view t, bool preformatted) {
    for (size_t i = 0; i < t.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(t[i]);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        separate(space);
      } else if (c == '\n') {
        separate(preformatted ? newline : space);
      } else if (c == 0xC2 && i + 1 < t.size() &&
                 static_cast<unsigned char>(t[i + 1]) == 0xA0) {
        separate(space);  // no-break space: still a word boundary
        ++i;
      } else {
        if (pending_ != none && !text_.empty()) text_ += " \t\n"[pending_ - 1];
        pending_ = none;
        size_t j = i + 1;  // the rest of the word
        while (j < t.size()) {
          unsigned char d = static_cast<unsigned char>(t[j]);
          if (d <= ' ' || d == 0xC2) break;
          ++j;
        }
        text_.append(t.data() + i, j - i);
        i = j - 1;
      }
    }
  }

  std::string take() { return std::move(text_); }
  size_t size() const { return text_.size(); }
  std::string_view view() const { return text_; }
  void reserve(size_t n) { text_.reserve(n); }

 private:
  std::string text_;
  Sep pending_ = none;
};

std::string_view sv(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

// ---------------------------------------------------------------------------
// Element ids (docs/headings.md)

// Ids a body never takes, compared in lower case. The default theme's own
// ids: a second element with one makes the page invalid and breaks its
// skip link and scripts (`group-<type>`, `facet-<facet>` and `art7-<year>`
// are checked as patterns below). And names a script may read as a global:
// an element's id is also `window[id]` when no real property has that name,
// so `<h2 id="fetch">` would make `window.fetch` true in a browser without
// fetch, and the search script would call a heading. Real properties
// (`location`, `document`, `top`) cannot be shadowed by an element, and the
// document's named properties need a `name` attribute, which bodies lose;
// the list still takes the common ones, for older browsers and libraries.
bool is_reserved_id(std::string_view id) {
  static const std::set<std::string, std::less<>> names = {
      // the default theme
      "main", "q", "header-search", "header-search-q", "search-form", "search-status",
      "search-results", "search-facets", "search-pages", "search-sort", "search-from", "search-to",
      "search-corrected", "search-relaxed", "search-other-languages", "result-list", "results-h",
      "results-range", "results-total", "active-filters", "active-filters-h", "facets-h",
      "latest-h", "meetings-h", "topics-h", "docs-h", "final-report-h", "art3-h", "art4-h",
      "art5-h", "art7-h", "ext-caption", "meetings-caption", "states-caption",
      // globals scripts test or use
      "fetch", "domparser", "abortcontroller", "urlsearchparams", "history", "location",
      "document", "window", "self", "top", "parent", "frames", "opener", "name", "status",
      "cookie", "domain", "referrer", "url", "body", "head", "forms", "images", "links",
      "anchors", "scripts", "navigator", "localstorage", "sessionstorage", "console",
      "alert", "json", "promise", "event", "attributes", "children", "defaultview",
      "getelementbyid", "queryselector", "createelement", "addeventlistener", "write",
      "open", "close", "length", "constructor", "prototype", "__proto__", "tostring",
      "valueof", "hasownproperty"};
  std::string lower(id);
  for (char& c : lower) c = ascii_lower(c);
  if (names.count(lower)) return true;
  auto rest_after = [&](std::string_view prefix) -> std::string_view {
    return lower.starts_with(prefix) ? std::string_view(lower).substr(prefix.size())
                                     : std::string_view();
  };
  std::string_view year = rest_after("art7-");
  if (!year.empty() &&
      std::all_of(year.begin(), year.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return true;
  static const std::set<std::string, std::less<>> types = {
      "final-report", "agenda",    "programme", "report",   "working-paper", "extension-request",
      "article7-report", "statement", "decision", "other"};
  static const std::set<std::string, std::less<>> facets = {
      "country", "topic", "meeting", "type", "year", "lang",
      "country-h", "topic-h", "meeting-h", "type-h", "year-h", "lang-h"};
  return types.count(rest_after("group-")) || facets.count(rest_after("facet-"));
}

// An id as HTML accepts it: not empty, no ASCII white space.
bool is_valid_id(std::string_view id) {
  return !id.empty() && id.find_first_of(" \t\n\f\r") == std::string_view::npos;
}

// The id Hugo (goldmark's default, "github") makes of a heading's text,
// over all of Unicode: letters, combining marks, digits and '_' lower-cased
// and kept, '-' and each run of white space a '-', the rest (punctuation,
// symbols) dropped; NFC. "Article 5" -> "article-5", "Статья 5" ->
// "статья-5", "第5条" -> "第5条". White space runs count once (Hugo counts each
// space) because an imported body breaks its headings' lines anywhere.
std::string heading_slug(std::string_view text) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  u.trim();
  u.toLower(icu::Locale::getRoot());
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_SUCCESS(err)) u = nfc->normalize(u, err);
  icu::UnicodeString kept;
  bool in_space = false;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      if (!in_space) kept.append(UChar32('-'));
      in_space = true;
      continue;
    }
    in_space = false;
    if (c == '-' || c == '_' || u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK)) kept.append(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return out;
}

// The heading's text as the page shows it: its text nodes, but not those
// inside elements the sanitizer drops. Iterative: a body may nest deeply.
std::string visible_text(xmlNode* heading, ElementInfo (*info_for)(std::string_view)) {
  std::string out;
  xmlNode* n = heading->children;
  while (n) {
    bool descend = false;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      out += sv(n->content);
    else if (n->type == XML_ELEMENT_NODE)
      descend = info_for(sv(n->name)).kind != Kind::drop && n->children;
    if (descend) {
      n = n->children;
      continue;
    }
    while (!n->next) {
      n = n->parent;
      if (!n || n == heading) return out;
    }
    n = n->next;
  }
  return out;
}

// A Markdown heading's explicit id, Hugo's `## Article 5 {#art5}`: at the
// end of the heading's last text node. Sets *strip to the length of that
// node's text without it.
std::string explicit_heading_id(xmlNode* heading, size_t* strip) {
  xmlNode* last = heading->last;
  if (!last || last->type != XML_TEXT_NODE) return "";
  std::string_view t = sv(last->content);
  size_t end = t.find_last_not_of(" \t\n");
  if (end == std::string_view::npos || t[end] != '}') return "";
  size_t open = t.rfind("{#", end);
  if (open == std::string_view::npos) return "";
  std::string_view id = t.substr(open + 2, end - open - 2);
  if (!is_valid_id(id) || id.find_first_of("{}") != std::string_view::npos) return "";
  size_t keep = t.find_last_not_of(" \t\n", open == 0 ? 0 : open - 1);
  *strip = open == 0 || keep == std::string_view::npos ? 0 : keep + 1;
  return std::string(id);
}

class Sanitizer {
  struct Open {
    xmlNode* node;
    int index;         // in kKept
    int heading = -1;  // in headings_
  };

 public:
  explicit Sanitizer(size_t size_hint, bool markdown) : markdown_(markdown) {
    html_.reserve(size_hint + size_hint / 4);
    text_.reserve(size_hint / 2);
  }

  void run(xmlNode* first, xmlNode* stop) {
    xmlNode* n = first;
    while (n) {
      bool entered = enter(n);
      if (entered && n->children) {
        n = n->children;
        continue;
      }
      if (entered) leave(n);
      while (!n->next) {
        n = n->parent;
        if (!n || n == stop) return;
        leave(n);
      }
      n = n->next;
    }
  }

  struct FoundLink {
    std::string href;
    int html_line;  // of the element's start tag in libxml2's input (1-based)
  };
  std::string html_;
  TextBuilder text_;
  std::vector<FoundLink> links_;
  std::vector<Heading> headings_;
  std::string lead_;  // the first paragraph's text

 private:
  // `id` made unique in the body and kept off the reserved names: Hugo's
  // suffixes, "-1", "-2", ...
  std::string unique_id(std::string id) {
    if (id.empty()) id = "section";
    std::string candidate = id;
    for (int k = 1; is_reserved_id(candidate) || used_ids_.count(candidate); ++k)
      candidate = id + "-" + std::to_string(k);
    used_ids_.insert(candidate);
    return candidate;
  }

  // The id an element is written with, "" for none: its own when valid,
  // else a heading's from its text.
  std::string element_id(xmlNode* n, bool heading) {
    std::string id;
    for (xmlAttr* a = n->properties; a; a = a->next)
      if (sv(a->name) == "id") id = attribute_value(a);
    if (!is_valid_id(id)) id.clear();
    if (heading && id.empty() && markdown_) {
      size_t keep = 0;
      id = explicit_heading_id(n, &keep);
      if (!id.empty()) {
        strip_node_ = n->last;
        strip_to_ = keep;
      }
    }
    if (heading && id.empty()) id = heading_slug(visible_text(n, &info_for));
    if (id.empty() && !heading) return "";
    return unique_id(std::move(id));
  }


  // Elements whose names had a namespace prefix (o:p, st1:place) were renamed
  // by prepare() to "o.p": never kept, dropped if the local name is.
  static ElementInfo info_for(std::string_view name) {
    size_t dot = name.find('.');
    if (dot != std::string_view::npos) {
      const ElementInfo* local = element_info(name.substr(dot + 1));
      ElementInfo r;
      if (local && local->kind == Kind::drop) r.kind = Kind::drop;
      return r;
    }
    const ElementInfo* info = element_info(name);
    return info ? *info : ElementInfo{};
  }

  bool enter(xmlNode* n) {
    switch (n->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE: {
        std::string_view t = sv(n->content);
        // A newline right after <pre> is not content (HTML drops it).
        if (pre_depth_ > 0 && !n->prev && n->parent && n->parent->name &&
            sv(n->parent->name) == "pre" && !t.empty() && t.front() == '\n')
          t.remove_prefix(1);
        if (n == strip_node_) t = t.substr(0, strip_to_);
        if (t.empty()) return false;
        // Right after <pre> a newline needs another one in front, or it
        // would be the one dropped when the output is read.
        if (after_pre_start_ && t.front() == '\n') html_ += '\n';
        after_pre_start_ = false;
        append_escaped(html_, t, false);
        text_.add(t, pre_depth_ > 0);
        return false;
      }
      case XML_ELEMENT_NODE:
        break;
      default:
        return false;  // comments, processing instructions, DTD, ...
    }
    std::string_view name = sv(n->name);
    ElementInfo info = info_for(name);
    if (info.kind == Kind::drop) return false;
    if (info.block) text_.separate(TextBuilder::newline);
    if (info.cell) text_.separate(TextBuilder::tab);
    if (name == "pre") ++pre_depth_;
    if (info.kind == Kind::unwrap) return true;

    // Close what the parser would close at this start tag.
    while (!open_.empty() &&
           (g_closes[info.index] >> open_.back().index & 1)) {
      close(open_.back());
      open_.pop_back();
    }
    bool heading = name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
    std::string id = element_id(n, heading);
    int heading_index = -1;
    if (heading) {
      heading_index = static_cast<int>(headings_.size());
      std::string text = visible_text(n, &info_for);
      if (strip_node_ && strip_node_ == n->last)  // without its {#id}
        text.resize(text.size() - (sv(n->last->content).size() - strip_to_));
      headings_.push_back({id, name[1] - '0', collapse_space(text), 0});
    }
    if (name == "p" && lead_.empty() && !lead_start_) lead_start_ = text_.size() + 1;
    if (!info.is_void) open_.push_back({n, info.index, heading_index});
    after_pre_start_ = name == "pre";
    html_ += '<';
    html_ += name;
    if (!id.empty()) {
      html_ += " id=\"";
      append_escaped(html_, id, true);
      html_ += '"';
    }
    for (xmlAttr* a = n->properties; a; a = a->next) {
      std::string_view aname = sv(a->name);
      AttrKind kind = attribute_kind(name, aname);
      if (kind == AttrKind::no || aname == "id") continue;
      std::string value = attribute_value(a);
      if (kind == AttrKind::href || kind == AttrKind::img_src) {
        std::string url;
        if (!safe_url(value, kind == AttrKind::img_src, &url)) continue;
        value = std::move(url);
        links_.push_back({value, static_cast<int>(n->line)});
      } else if (kind == AttrKind::align) {
        for (char& c : value) c = ascii_lower(c);
        if (value != "left" && value != "right" && value != "center" &&
            value != "justify")
          continue;
      }
      html_ += ' ';
      html_ += aname;
      html_ += "=\"";
      append_escaped(html_, value, true);
      html_ += '"';
    }
    html_ += '>';
    return true;
  }

  void leave(xmlNode* n) {
    std::string_view name = sv(n->name);
    ElementInfo info = info_for(name);
    if (name == "pre") --pre_depth_;
    if (info.block) text_.separate(TextBuilder::newline);
    if (info.cell) text_.separate(TextBuilder::tab);
    if (name == "p" && lead_start_) {
      // "+ 1": 0 is "none"; the text from there holds the paragraph (and
      // the newline before it, when one was written).
      std::string_view t = text_.view().substr(std::min(lead_start_ - 1, text_.size()));
      size_t from = t.find_first_not_of(" \t\n");
      if (from != std::string_view::npos) lead_ = collapse_space(t.substr(from));
      lead_start_ = 0;
    }
    // Not on top: it was closed early by a start tag (see g_closes).
    if (info.kind != Kind::keep || open_.empty() || open_.back().node != n) return;
    close(open_.back());
    open_.pop_back();
    after_pre_start_ = false;
  }

  // Writes the end tag of an open element; a heading's says where it is.
  void close(const Open& o) {
    // Inside a link, a link of its own would be nested interactive content.
    bool in_link = std::any_of(open_.begin(), open_.end(),
                               [](const Open& e) { return kKept[e.index][0] == 'a' && !kKept[e.index][1]; });
    if (o.heading >= 0) headings_[o.heading].end = in_link ? std::string::npos : html_.size();
    html_ += "</";
    html_ += kKept[o.index];
    html_ += '>';
  }

  static std::string collapse_space(std::string_view t) {
    std::string out;
    bool space = false;
    for (char c : t) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        space = !out.empty();
        continue;
      }
      if (space) out += ' ';
      space = false;
      out += c;
    }
    return out;
  }

  static std::string attribute_value(xmlAttr* a) {
    xmlNode* c = a->children;
    if (!c) return {};
    if (c->type == XML_TEXT_NODE && !c->next) return std::string(sv(c->content));
    xmlChar* v = xmlNodeGetContent(reinterpret_cast<xmlNode*>(a));
    std::string r(sv(v));
    xmlFree(v);
    return r;
  }

  std::vector<Open> open_;  // kept elements written and not yet closed
  bool markdown_;           // `{#id}` after a heading's text is its id
  std::set<std::string, std::less<>> used_ids_;
  xmlNode* strip_node_ = nullptr;  // a text node written only up to strip_to_
  size_t strip_to_ = 0;
  size_t lead_start_ = 0;  // 1 + where the first paragraph's text starts; 0: not in it
  int pre_depth_ = 0;
  bool after_pre_start_ = false;  // the output ends with <pre ...>
};

// ---------------------------------------------------------------------------
// Input preparation

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Appends html to out, ready for libxml2: invalid UTF-8 and NUL (which stops
// libxml2) become U+FFFD, CR LF becomes LF, and a tag name with a namespace
// prefix such as <o:p> or </st1:place> is renamed o.p (libxml2 would drop
// the prefix and make a <p> of it).
void prepare(std::string_view html, std::string& out) {
  static const char kReplacement[] = "\xEF\xBF\xBD";
  if (html.size() >= 3 && html.substr(0, 3) == "\xEF\xBB\xBF") html.remove_prefix(3);
  const size_t n = html.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(html[i]);
    if (c == '<') {
      out += '<';
      ++i;
      if (i < n && html[i] == '/') {
        out += '/';
        ++i;
      }
      if (i < n && is_name_start(html[i])) {
        size_t j = i;
        while (j < n && is_name_char(html[j])) ++j;
        if (j < n && html[j] == ':') {
          out.append(html.data() + i, j - i);
          out += '.';
          i = j + 1;
        }
      }
      continue;
    }
    if (c == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (c == '\r') {  // CR LF and CR are newlines (as HTML5 reads them)
      out += '\n';
      i += i + 1 < n && html[i + 1] == '\n' ? 2 : 1;
      continue;
    }
    if (c < 0x80) {  // copy a run of plain ASCII at once
      size_t j = i + 1;
      while (j < n) {
        unsigned char d = static_cast<unsigned char>(html[j]);
        if (d >= 0x80 || d == '<' || d == 0 || d == '\r') break;
        ++j;
      }
      out.append(html.data() + i, j - i);
      i = j;
      continue;
    }
    // Validate one UTF-8 sequence.
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    bool ok = len > 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(html[i + k]);
      if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) ok = false;
    }
    if (ok) {
      out.append(html.data() + i, len);
      i += len;
    } else {
      out += kReplacement;
      ++i;
    }
  }
}

// ---------------------------------------------------------------------------
// Link lines

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string percent_decoded(std::string_view s) {
  std::string r;
  r.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
        hex_value(s[i + 2]) >= 0) {
      r += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      r += s[i];
    }
  }
  return r;
}

std::string amp_encoded(std::string_view s) {
  std::string r;
  for (char c : s) {
    if (c == '&') r += "&amp;";
    else r += c;
  }
  return r;
}

// Finds each link in the source text, searching onwards from the previous
// one, and turns positions into lines with a running newline count.
class LineFinder {
 public:
  LineFinder(std::string_view source, int first_line)
      : source_(source), first_line_(first_line) {}

  int line_of(const std::string& href) {
    std::vector<std::string> candidates{href};
    auto add = [&](std::string s) {
      if (!s.empty() &&
          std::find(candidates.begin(), candidates.end(), s) == candidates.end())
        candidates.push_back(std::move(s));
    };
    if (href.find('%') != std::string::npos) add(percent_decoded(href));
    if (href.find('&') != std::string::npos) add(amp_encoded(href));
    // Autolinks: www.example.org became http://www.example.org, an e-mail
    // address became mailto:.
    if (starts_with_nocase(href, "http://www.")) add(href.substr(7));
    if (starts_with_nocase(href, "mailto:")) add(href.substr(7));

    size_t from = found_ ? pos_ + 1 : 0;
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto& c : candidates) {
        size_t p = from <= source_.size() ? source_.find(c, from) : std::string_view::npos;
        if (p != std::string_view::npos) return move_to(p);
      }
      if (from == 0) break;
      from = 0;
    }
    return first_line_;
  }

 private:
  int move_to(size_t p) {
    if (p < pos_) {
      pos_ = 0;
      newlines_ = 0;
    }
    newlines_ += static_cast<int>(std::count(source_.begin() + pos_, source_.begin() + p, '\n'));
    pos_ = p;
    found_ = true;
    return first_line_ + newlines_;
  }

  std::string_view source_;
  int first_line_;
  size_t pos_ = 0;
  int newlines_ = 0;
  bool found_ = false;
};

// Where each line of the HTML given to libxml2 was written in the source
// file. For an HTML body that is the same line; for Markdown, md4c's output
// is read as it is written (see MarkdownOutput).
struct LineMap {
  int first_line = 1;                       // file line of the source's first line
  const std::vector<int>* lines = nullptr;  // html line - 1 -> source line - first_line

  int source_line(int html_line) const {
    if (!lines) return first_line + html_line - 1;
    if (lines->empty()) return first_line;
    size_t k = static_cast<size_t>(std::clamp(html_line - 1, 0, int(lines->size()) - 1));
    return first_line + (*lines)[k];
  }
};

// libxml2 keeps element lines in 16 bits: past that it says 65535.
constexpr int kLastExactLine = 65534;

char lower_ascii(char c) { return ascii_lower(c); }

bool starts_with_name(std::string_view s, size_t i, std::string_view name) {
  if (i + name.size() > s.size()) return false;
  for (size_t k = 0; k < name.size(); ++k)
    if (lower_ascii(s[i + k]) != name[k]) return false;
  size_t e = i + name.size();
  return e == s.size() || s[e] == '>' || s[e] == '/' || s[e] == ' ' || s[e] == '\t' ||
         s[e] == '\n' || s[e] == '\f';
}

// The end of the tag whose name starts at `i`: the position of its `>`,
// past attribute values in quotes, or npos when there is none. An attribute
// value whose quote never closes takes the rest of the text with it, as
// libxml2 reads it: *unclosed_quote is then where it opened.
size_t tag_end(std::string_view s, size_t i, size_t* unclosed_quote) {
  *unclosed_quote = std::string_view::npos;
  for (; i < s.size(); ++i) {
    if (s[i] == '>') return i;
    if (s[i] != '=') continue;
    size_t v = i + 1;
    while (v < s.size() && (s[v] == ' ' || s[v] == '\t' || s[v] == '\n')) ++v;
    if (v < s.size() && (s[v] == '"' || s[v] == '\'')) {
      size_t close = s.find(s[v], v + 1);
      if (close == std::string_view::npos) {
        *unclosed_quote = v;
        return std::string_view::npos;
      }
      i = close;
    }
  }
  return std::string_view::npos;
}

// The 1-based line of position `pos` in `s`.
int line_at(std::string_view s, size_t pos) {
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + pos, '\n'));
}

// Constructs that, left open, make the parser swallow the rest of the body:
// raw text elements (their text runs to the matching end tag), comments,
// CDATA, processing instructions, and the elements the sanitizer drops with
// their content (an unclosed <svg> drops every paragraph after it) or that
// keep the rest unformatted (<pre>). Each one left open is reported where
// it was opened: text must never disappear without a word. `html` is what
// libxml2 reads.
void report_unclosed(std::string_view html, const LineMap& map, const std::string& path,
                     Diagnostics& diags) {
  static constexpr std::string_view kRawText[] = {"script",   "style",    "textarea", "title",
                                                  "xmp",      "iframe",   "noembed",  "noframes",
                                                  "noscript", "plaintext"};
  static constexpr std::string_view kBalanced[] = {
      "svg",    "math",     "template", "object", "applet", "form", "button",
      "select", "datalist", "frameset", "head",   "xml",    "pre"};
  auto report = [&](size_t pos, std::string_view what, std::string_view effect) {
    diags.error(path, map.source_line(line_at(html, pos)),
                "unclosed " + std::string(what) + " " + std::string(effect));
  };
  constexpr std::string_view kLost = "(everything after it would be lost)";
  struct Open {
    int depth = 0;
    size_t first = 0;  // position of the outermost unclosed start tag
  };
  std::unordered_map<std::string_view, Open> open;
  for (size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    std::string_view rest = html.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) return report(i, "<!-- comment", kLost);
      i = end + 2;
      continue;
    }
    if (rest.substr(0, 9) == "<![CDATA[") {
      size_t end = html.find("]]>", i + 9);
      if (end == std::string_view::npos) return report(i, "<![CDATA[", kLost);
      i = end + 2;
      continue;
    }
    if (rest.substr(0, 2) == "<?" || rest.substr(0, 2) == "<!") {
      size_t end = html.find('>', i + 2);
      if (end == std::string_view::npos) return report(i, std::string(rest.substr(0, 2)), kLost);
      i = end;
      continue;
    }
    bool closing = rest.size() > 1 && rest[1] == '/';
    size_t name_at = i + (closing ? 2 : 1);
    if (name_at >= html.size() || !is_name_start(html[name_at])) continue;  // "1 < 2"
    size_t quote = std::string_view::npos;
    size_t gt = closing ? html.find('>', name_at) : tag_end(html, name_at, &quote);
    if (quote != std::string_view::npos) {
      size_t name_end = name_at;
      while (name_end < html.size() && is_name_char(html[name_end])) ++name_end;
      return report(quote,
                    std::string(1, html[quote]) + " in the <" +
                        std::string(html.substr(name_at, name_end - name_at)) + "> tag",
                    kLost);
    }
    // Most tags (p, a, em, li, td) start with a letter no name below does.
    static constexpr std::string_view kFirstLetters = "abdfhimnopstx";
    bool handled = kFirstLetters.find(lower_ascii(html[name_at])) == std::string_view::npos;
    for (std::string_view name : kRawText) {
      if (handled) break;
      if (closing || !starts_with_name(html, name_at, name)) continue;
      handled = true;
      size_t close = std::string_view::npos;
      for (size_t j = html.find("</", gt == std::string_view::npos ? name_at : gt);
           j != std::string_view::npos; j = html.find("</", j + 2))
        if (starts_with_name(html, j + 2, name)) {
          close = j;
          break;
        }
      if (close == std::string_view::npos || name == "plaintext")
        return report(i, "<" + std::string(name) + ">", kLost);
      gt = close + 1;
      break;
    }
    for (std::string_view name : kBalanced) {
      if (handled) break;
      if (!starts_with_name(html, name_at, name)) continue;
      Open& o = open[name];
      if (closing) {
        if (o.depth > 0) --o.depth;
        break;
      }
      if (gt != std::string_view::npos && html[gt - 1] == '/') break;  // <svg/> is empty
      if (o.depth++ == 0) o.first = i;
      break;
    }
    if (gt == std::string_view::npos) {  // the rest of the text is inside the tag
      if (html.find("\n\n", name_at) != std::string_view::npos)  // and there was more text
        report(i, "<" + std::string(html.substr(name_at, 16)) + " tag (no >)", kLost);
      return;
    }
    i = gt;  // a '<' inside an attribute value opens nothing
  }
  std::vector<std::pair<size_t, std::string_view>> left;
  for (const auto& [name, o] : open)
    if (o.depth > 0) left.push_back({o.first, name});
  std::sort(left.begin(), left.end());
  for (const auto& [pos, name] : left)
    report(pos, "<" + std::string(name) + ">",
           name == "pre" ? "(the rest of the text would be shown unformatted, as it is written)"
                         : kLost);
}

// Sanitizes html; link lines come from `map`, or are looked up in source
// past the lines libxml2 counts.
Body sanitize(std::string_view html, std::string_view source, const LineMap& map,
              Diagnostics* diags, const std::string& path, bool markdown) {
  init_libxml();
  static const char kPrefix[] = "<html><body>";
  std::string input;
  input.reserve(html.size() + sizeof kPrefix + 16);
  input += kPrefix;
  prepare(html, input);
  if (diags) report_unclosed(input, map, path, *diags);

  const int options = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT;
  htmlDocPtr doc = htmlReadMemory(input.data(), static_cast<int>(input.size()),
                                  nullptr, "UTF-8", options);
  if (!doc) return Body();
  Sanitizer s(html.size(), markdown);
  s.run(doc->children, reinterpret_cast<xmlNode*>(doc));
  xmlFreeDoc(doc);

  // Text that starts with U+FEFF would lose it when sanitized again, as
  // prepare() drops a file's BOM; written as a reference it stays (found by
  // tests/fuzz/markup_fuzz, which checks that sanitizing is idempotent).
  if (s.html_.starts_with("\xEF\xBB\xBF")) {
    s.html_.replace(0, 3, "&#xFEFF;");
    for (Heading& h : s.headings_) h.end += 5;
  }

  LineFinder finder(source, map.first_line);
  std::vector<Link> links;
  links.reserve(s.links_.size());
  for (auto& found : s.links_) {
    int line = found.html_line > 0 && found.html_line <= kLastExactLine
                   ? map.source_line(found.html_line)
                   : finder.line_of(found.href);
    links.push_back(Link{std::move(found.href), line});
  }
  return Body(std::move(s.html_), s.text_.take(), std::move(links), std::move(s.headings_),
              std::move(s.lead_));
}

// md4c's HTML output, and for each of its lines the source line it renders.
// md4c-html writes text, code and raw HTML as pieces of the source buffer
// itself, so a piece's address says where it was written; the tags it
// makes up ("<p>", "<a href=\"") and soft breaks are its own strings. A line
// of output takes the line of its first piece of source, not counting link
// and image URLs and titles (a reference link's URL was written at its
// definition, not where it is used), which only count when nothing else
// on the line is source (an empty label: [](/x)).
struct MarkdownOutput {
  std::string html;
  std::vector<int> lines;  // output line -> source line (0-based, relative)

  std::string_view source;
  bool in_attribute = false;
  bool strong = false;  // the current output line's line came from text
  bool anchored = false;
  // Lines are counted on from the last offset asked for: pieces come in
  // source order, but for reference links' URLs (which do not anchor a line
  // that text has anchored).
  size_t counted_to = 0;
  int counted_lines = 0;

  explicit MarkdownOutput(std::string_view md) : source(md) { lines.push_back(0); }

  std::vector<size_t> line_starts;  // made at the first look back

  // The 0-based line of source offset `off`. Line ends are LF (CR LF counts
  // once); the loader has made lone CRs LFs.
  int source_line_of(size_t off) {
    if (off < counted_to) {  // a reference link's URL, defined above: a table, once
      if (line_starts.empty()) {
        line_starts.push_back(0);
        const char* end = source.data() + source.size();
        for (const char* p = source.data();
             (p = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p))));)
          line_starts.push_back(static_cast<size_t>(++p - source.data()));
      }
      auto after = std::upper_bound(line_starts.begin(), line_starts.end(), off);
      return static_cast<int>(after - line_starts.begin()) - 1;
    }
    counted_lines +=
        static_cast<int>(std::count(source.begin() + counted_to, source.begin() + off, '\n'));
    counted_to = off;
    return counted_lines;
  }

  void append(const char* data, size_t size) {
    const char* begin = source.data();
    bool from_source = size > 0 && begin && data >= begin && data + size <= begin + source.size();
    if (from_source) {
      size_t off = static_cast<size_t>(data - begin);
      bool text = !in_attribute;
      if (!strong && (text || !anchored)) {
        lines.back() = source_line_of(off);
        anchored = true;
        strong = text;
      }
      for (const char* nl = static_cast<const char*>(std::memchr(data, '\n', size)); nl;
           nl = static_cast<const char*>(std::memchr(nl + 1, '\n', data + size - nl - 1))) {
        lines.push_back(source_line_of(static_cast<size_t>(nl + 1 - begin)));
        // Text after the newline anchors the line; at the end of the piece
        // that is only a guess that the next piece may correct.
        anchored = strong = nl + 1 < data + size;
        if (!anchored) break;
      }
    } else {
      std::string_view chunk(data, size);
      if (chunk == "<a href=\"" || chunk == "<img src=\"" || chunk == "\" title=\"")
        in_attribute = true;
      else if (chunk == "\">" || chunk == "\" alt=\"" || chunk == "\" />")
        in_attribute = false;
      // An output line without source (between blocks) keeps the line of
      // the one before it, until a piece of source says otherwise.
      for (size_t k = chunk.find('\n'); k != std::string_view::npos; k = chunk.find('\n', k + 1)) {
        lines.push_back(lines.back());
        anchored = strong = false;
      }
    }
    html.append(data, size);
  }
};

void append_output(const MD_CHAR* data, MD_SIZE size, void* userdata) {
  static_cast<MarkdownOutput*>(userdata)->append(data, size);
}

}  // namespace

Body markdown_body(std::string_view markdown, int first_line, Diagnostics* diags,
                   const std::string& path) {
  // md4c 0.4.8 reads past the end of a body that ends inside a link
  // destination ("[a](b"), and crashes if a ')' is there (found by
  // tests/fuzz/markup_fuzz). A std::string's NUL after the end stops it.
  // The output maps its pieces back to this copy, which md4c reads.
  const std::string terminated(markdown);
  markdown = terminated;
  MarkdownOutput out(markdown);
  out.html.reserve(markdown.size() + markdown.size() / 2);
  const unsigned flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |
                         MD_FLAG_PERMISSIVEURLAUTOLINKS |
                         MD_FLAG_PERMISSIVEWWWAUTOLINKS;
  if (md_html(markdown.data(), static_cast<MD_SIZE>(markdown.size()), append_output, &out, flags,
              MD_HTML_FLAG_SKIP_UTF8_BOM) != 0) {
    out.html.clear();
    out.lines.assign(1, 0);
  }
  LineMap map{first_line, &out.lines};
  return sanitize(out.html, markdown, map, diags, path, true);
}

Body html_body(std::string_view html, int first_line, Diagnostics* diags, const std::string& path) {
  return sanitize(html, html, LineMap{first_line, nullptr}, diags, path, false);
}

}  // namespace sitegen
