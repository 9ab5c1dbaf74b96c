#include "tests/fuzz/html_safety.h"

#include <gumbo.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <vector>

namespace sitegen::fuzz {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// What site-gen/markup.cc writes: any other element or attribute read back
// from its output means the parsers see a tree other than the one it
// checked (a parser differential, the way mutation XSS starts).
const std::set<std::string, std::less<>>& written_elements() {
  static const std::set<std::string, std::less<>> s = {
      "html",   "head",       "body",  // the page around the fragment
      "br",     "hr",         "p",    "h1",      "h2",       "h3",    "h4",     "h5",
      "h6",     "ul",         "ol",   "li",      "dl",       "dt",    "dd",     "blockquote",
      "pre",    "code",       "em",   "strong",  "b",        "i",     "u",      "s",
      "del",    "ins",        "sub",  "sup",     "small",    "mark",  "abbr",   "cite",
      "q",      "span",       "div",  "section", "article",  "aside", "header", "footer",
      "figure", "figcaption", "a",    "img",     "table",    "thead", "tbody",  "tfoot",
      "tr",     "th",         "td",   "caption", "colgroup", "col",   "bdi",    "bdo"};
  return s;
}

const std::set<std::string, std::less<>>& written_attributes() {
  static const std::set<std::string, std::less<>> s = {
      "id",      "lang",  "dir",   "title",  "class",   "href",    "hreflang",
      "src",     "alt",   "width", "height", "colspan", "rowspan", "scope",
      "headers", "align", "start", "type",   "span"};
  return s;
}

// Attributes whose value a browser loads or navigates to.
bool is_url_attribute(std::string_view name) {
  static const std::set<std::string, std::less<>> s = {
      "href",       "src",      "action",  "formaction", "data",     "poster",
      "background", "lowsrc",   "dynsrc",  "ping",       "longdesc", "cite",
      "manifest",   "codebase", "classid", "icon",       "profile",  "archive",
      "usemap",     "itemtype", "srcset",  "imagesrcset"};
  size_t colon = name.rfind(':');  // xlink:href
  if (colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return s.count(name) > 0;
}

// The sanitizer reads the type with controls, DEL and spaces left out (a browser
// takes "image/p\bng" for an invalid type, which an <img> cannot run either);
// gumbo turns some controls into U+FFFD, left out too.
bool is_raster_image_data_url(std::string_view url) {
  std::string u;
  for (size_t i = 0; i < url.size(); ++i) {
    if (url.substr(i, 3) == "\xEF\xBF\xBD") {
      i += 2;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(url[i]);
    if (c > 0x20 && c != 0x7f) u += lower(url[i]);
  }
  for (std::string_view type :
       {"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"})
    if (u.size() > type.size() && u.compare(0, type.size(), type) == 0 &&
        (u[type.size()] == ';' || u[type.size()] == ','))
      return true;
  return false;
}

// Why an element `element` with attribute `name`="`value`" (as the parser
// decoded it) is active, or "".
std::string check_attribute(std::string_view element, std::string_view raw_name,
                            std::string_view value) {
  std::string name = lowered(raw_name);
  if (name.size() >= 2 && name[0] == 'o' && name[1] == 'n') return "event attribute " + name;
  if (name == "style") {
    std::string css;
    for (char c : value)
      if (static_cast<unsigned char>(c) > 0x20 && c != '\\') css += lower(c);
    for (std::string_view bad :
         {"expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding", "url("})
      if (css.find(bad) != std::string::npos) return "style with " + std::string(bad);
  }
  if (name == "srcdoc") return "srcdoc attribute";
  if (is_url_attribute(name)) {
    std::vector<std::string_view> urls;
    if (name == "srcset" || name == "imagesrcset") {
      // Candidates are "URL descriptor, URL descriptor".
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        if (comma == std::string_view::npos) comma = value.size();
        urls.push_back(value.substr(start, comma - start));
        start = comma + 1;
      }
    } else {
      urls.push_back(value);
    }
    for (std::string_view url : urls) {
      std::string scheme = url_scheme(url);
      if (scheme.empty() || scheme == "http" || scheme == "https" || scheme == "mailto" ||
          scheme == "tel")
        continue;
      if (scheme == "data" && element == "img" && name == "src" && is_raster_image_data_url(url))
        continue;
      return name + " with a " + scheme + ": URL";
    }
  }
  if (!written_attributes().count(name)) return "unexpected attribute " + name;
  return "";
}

std::string check_element(std::string_view raw_name) {
  std::string name = lowered(raw_name);
  if (name == "script") return "a <script> element";
  if (!written_elements().count(name)) return "unexpected element <" + name + ">";
  return "";
}

std::string in_page(std::string_view fragment) {
  std::string page = "<!DOCTYPE html><html><head></head><body>";
  page.append(fragment);
  page += "</body></html>";
  return page;
}

void ignore_error(void*, const char*, ...) {}

std::string check_libxml2(const std::string& page) {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  xmlSetGenericErrorFunc(nullptr, ignore_error);
  xmlSetStructuredErrorFunc(nullptr, [](void*, auto) {});
  const int options = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
  htmlDocPtr doc =
      htmlReadMemory(page.data(), static_cast<int>(page.size()), nullptr, "UTF-8", options);
  if (!doc) return "";
  std::string found;
  std::vector<xmlNode*> stack;
  for (xmlNode* n = doc->children; n; n = n->next) stack.push_back(n);
  while (!stack.empty() && found.empty()) {
    xmlNode* n = stack.back();
    stack.pop_back();
    if (n->type != XML_ELEMENT_NODE) continue;
    std::string element = lowered(reinterpret_cast<const char*>(n->name));
    found = check_element(element);
    for (xmlAttr* a = n->properties; a && found.empty(); a = a->next) {
      xmlChar* value = xmlNodeListGetString(doc, a->children, 1);
      found = check_attribute(element, reinterpret_cast<const char*>(a->name),
                              value ? reinterpret_cast<const char*>(value) : "");
      xmlFree(value);
    }
    for (xmlNode* c = n->children; c; c = c->next) stack.push_back(c);
  }
  xmlFreeDoc(doc);
  return found.empty() ? "" : "libxml2 reads " + found;
}

std::string gumbo_name(const GumboElement& e) {
  if (e.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.tag);
  GumboStringPiece piece = e.original_tag;
  gumbo_tag_from_original_text(&piece);
  return std::string(piece.data ? piece.data : "", piece.data ? piece.length : 0);
}

std::string check_gumbo(const std::string& page) {
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, page.data(), page.size());
  if (!out) return "";
  std::string found;
  std::vector<const GumboNode*> stack = {out->root};
  while (!stack.empty() && found.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboElement& e = n->v.element;
    std::string element = lowered(gumbo_name(e));
    if (e.tag_namespace != GUMBO_NAMESPACE_HTML)
      found = "foreign (SVG or MathML) element <" + element + ">";
    if (found.empty()) found = check_element(element);
    for (unsigned i = 0; i < e.attributes.length && found.empty(); ++i) {
      auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
      found = check_attribute(element, a->name, a->value);
    }
    for (unsigned i = 0; i < e.children.length; ++i)
      stack.push_back(static_cast<const GumboNode*>(e.children.data[i]));
  }
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return found.empty() ? "" : "an HTML5 parser (gumbo) reads " + found;
}

}  // namespace

std::string url_scheme(std::string_view url) {
  // WHATWG URL parsing: leading and trailing C0 controls and spaces are
  // stripped, tabs and newlines anywhere are removed.
  while (!url.empty() && static_cast<unsigned char>(url.front()) <= 0x20) url.remove_prefix(1);
  while (!url.empty() && static_cast<unsigned char>(url.back()) <= 0x20) url.remove_suffix(1);
  std::string scheme;
  for (char c : url) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool more = alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (c == ':') return scheme;  // "" for ":x", which is relative
    if (scheme.empty() ? !alpha : !more) return "";
    scheme += lower(c);
  }
  return "";
}

std::string find_active_content(std::string_view fragment) {
  std::string page = in_page(fragment);
  std::string found = check_libxml2(page);
  if (found.empty()) found = check_gumbo(page);
  return found;
}

}  // namespace sitegen::fuzz
