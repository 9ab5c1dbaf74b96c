#include "site-gen/pages.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <map>
#include <optional>

#include "site-gen/utf8.h"

namespace sitegen {
namespace {

const std::set<std::string>& reserved_sections() {
  static const std::set<std::string> names = {"membership", "meetings", "documents",
                                              "topics",     "search",   "feed.xml",
                                              "404.html",   "index.html"};
  return names;
}

struct AliasSource {
  const std::vector<Ref>* aliases;
  std::string path;  // file that declares them
  std::string target;
};


int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

// The folders above an output path: "en/a/index.html" -> "en", "en/a".
std::vector<std::string> folders_above(const std::string& path) {
  std::vector<std::string> out;
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
    out.push_back(path.substr(0, slash));
  return out;
}

// Where a planned page comes from, for messages: the file (and line) that
// makes it, or site.yaml for the built-in pages of each language.
Source source_of(const Site& s, const PlannedPage& p) {
  const Content& c = s.content;
  switch (p.kind) {
    case PageKind::country:
      return c.countries[p.item].source;
    case PageKind::meeting:
      return c.meetings[p.item].source;
    case PageKind::document:
      return c.documents[p.item].source;
    case PageKind::topic:
      return c.topics[p.item].source;
    case PageKind::page:
      if (!c.pages[p.item].versions.empty())
        return {c.pages[p.item].versions.begin()->second.source.path, 1};
      break;
    default:
      break;
  }
  return c.config.source;
}

std::string where(const Source& at) {
  return at.line > 0 ? at.path + ":" + std::to_string(at.line) : at.path;
}

// Whether an error has been reported in `path` already. The checks of the
// plan are a second line of defence behind those of load.cc, which say the
// same with the author's line: one message per problem.
bool reported_in(const Diagnostics& diags, const std::string& path) {
  for (const Diagnostic& d : diags.items())
    if (d.severity == Severity::error && d.path == path) return true;
  return false;
}

// Keeps one page per output file, and only pages whose file stays inside the
// output; reports the others. Built-in pages claim their URLs first, so that
// content can never replace them.
std::vector<PlannedPage> one_page_per_path(const Site& s, std::vector<PlannedPage> pages,
                                           const std::set<std::string>& files, Diagnostics& diags) {
  std::unordered_map<std::string, size_t> owner;  // output path -> page
  owner.reserve(pages.size());
  std::vector<bool> keep(pages.size(), true);
  std::set<std::pair<std::string, std::string>> said;  // (this source, the other), once
  auto refuse = [&](size_t i, const std::string& other, const std::string& message) {
    keep[i] = false;
    Source at = source_of(s, pages[i]);
    if (said.emplace(at.path, other).second && !reported_in(diags, at.path))
      diags.error(at.path, at.line, message);
  };
  auto claim = [&](size_t i) {
    const PlannedPage& p = pages[i];
    std::string path = output_path(p.url);
    if (!is_safe_output_path(path))
      return refuse(i, "", "the URL " + printable(p.url) + " is not a safe path under the output");
    if (files.count("/" + path))
      return refuse(i, "/" + path, "the URL " + p.url + " is also the published file /" + path);
    auto [it, fresh] = owner.emplace(path, i);
    if (fresh) return;
    const PlannedPage& first = pages[it->second];
    Source other = source_of(s, first);
    refuse(
        i, other.path,
        "the URL " + p.url + " is also the URL of " +
            (first.item < 0 ? "the built-in page " + first.url : "the page from " + where(other)));
  };
  for (size_t i = 0; i < pages.size(); ++i)
    if (pages[i].item < 0) claim(i);
  for (size_t i = 0; i < pages.size(); ++i)
    if (pages[i].item >= 0) claim(i);
  std::vector<PlannedPage> out;
  out.reserve(pages.size());
  for (size_t i = 0; i < pages.size(); ++i)
    if (keep[i]) out.push_back(std::move(pages[i]));
  return out;
}

// What an alias must not replace: every page and published file (and the
// aliases accepted so far), and the folders they lie in.
class TakenPaths {
 public:
  void add(std::string path, std::string what) { taken_.emplace(std::move(path), std::move(what)); }
  // Why an alias cannot be written at `path`, or "".
  std::string conflict(const std::string& path) const {
    if (auto it = taken_.find(path); it != taken_.end()) return "would replace " + it->second;
    // The paths inside the folder `path` come first among those from "path/" on.
    const std::string inside = path + "/";
    if (auto it = taken_.lower_bound(inside); it != taken_.end() && it->first.starts_with(inside))
      return "would replace the folder that holds " + it->second;
    for (const std::string& folder : folders_above(path))
      if (auto it = taken_.find(folder); it != taken_.end())
        return "would need " + it->second + " to be a folder";
    return "";
  }

 private:
  std::map<std::string, std::string> taken_;  // output path -> what is written there
};

// Removes "." and ".." segments; returns "" if the path climbs above the root.
std::string normalize_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string seg = path.substr(i, j - i);
    if (seg == "..") {
      if (parts.empty()) return "";
      parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  bool dir = path.empty() || path.back() == '/' || path.ends_with("/.") || path.ends_with("/..");
  if (out.empty() || dir) out += "/";
  return out;
}

bool has_scheme(const std::string& href) {
  size_t colon = href.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = href[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))
      return false;
  }
  return true;
}

// The site-absolute path a link leads to, or "" when it leaves the site.
std::string internal_target(const std::string& href, const std::string& page_url,
                            const std::string& base_url) {
  std::string h = href;
  if (h.rfind(base_url, 0) == 0 && base_url.find("://") != std::string::npos)
    h = "/" + h.substr(base_url.size());
  if (h.empty() || h[0] == '#' || h.rfind("//", 0) == 0 || has_scheme(h)) return "";
  h = h.substr(0, h.find_first_of("?#"));
  if (h.empty()) return "";
  if (h[0] != '/') h = page_url.substr(0, page_url.rfind('/') + 1) + h;
  std::string n = normalize_path(h);
  return n.empty() ? "/.." : n;
}

}  // namespace

const char* layout_name(PageKind kind) {
  switch (kind) {
    case PageKind::home: return "home";
    case PageKind::membership: return "membership";
    case PageKind::country: return "country";
    case PageKind::meetings: return "meetings";
    case PageKind::meeting: return "meeting";
    case PageKind::document: return "document";
    case PageKind::topics: return "topics";
    case PageKind::topic: return "topic";
    case PageKind::page: return "page";
    case PageKind::search: return "search";
    case PageKind::not_found: return "404";
    case PageKind::chooser: return "chooser";
    case PageKind::alias: return "alias";
  }
  return "page";
}

std::string home_url(const std::string& lang) { return "/" + lang + "/"; }

std::string country_url(const Site& s, const std::string& lang, int i) {
  return "/" + lang + "/membership/" + s.content.countries[i].slug + "/";
}
std::string meeting_url(const Site& s, const std::string& lang, int i) {
  return "/" + lang + "/meetings/" + s.content.meetings[i].id + "/";
}
std::string document_url(const Site& s, const std::string& lang, int i) {
  return "/" + lang + "/documents/" + s.content.documents[i].slug + "/";
}
std::string topic_url(const Site& s, const std::string& lang, int i) {
  return "/" + lang + "/topics/" + s.content.topics[i].id + "/";
}
std::string page_url(const Site& s, const std::string& lang, int i) {
  return "/" + lang + "/" + s.content.pages[i].slug + "/";
}

std::string url_in(const Site& s, const PlannedPage& p, const std::string& lang) {
  switch (p.kind) {
    case PageKind::home: return home_url(lang);
    case PageKind::membership: return "/" + lang + "/membership/";
    case PageKind::country: return country_url(s, lang, p.item);
    case PageKind::meetings: return "/" + lang + "/meetings/";
    case PageKind::meeting: return meeting_url(s, lang, p.item);
    case PageKind::document: return document_url(s, lang, p.item);
    case PageKind::topics: return "/" + lang + "/topics/";
    case PageKind::topic: return topic_url(s, lang, p.item);
    case PageKind::page: return page_url(s, lang, p.item);
    case PageKind::search: return "/" + lang + "/search/";
    case PageKind::not_found: return "/" + lang + "/404.html";
    case PageKind::chooser: return "/index.html";
    case PageKind::alias: return p.target;
  }
  return p.url;
}

std::optional<std::string> normalize_page_alias(std::string_view alias, std::string* why) {
  if (has_scheme(std::string(alias))) {  // not a folder named "https:"
    *why = "is a full URL: give the path on this site (/old/path/)";
    return std::nullopt;
  }
  std::string path;
  for (size_t i = 0; i < alias.size(); ++i) {
    char ch = alias[i];
    if (ch == '%') {
      int hi = i + 2 < alias.size() ? hex_digit(alias[i + 1]) : -1;
      int lo = hi >= 0 ? hex_digit(alias[i + 2]) : -1;
      if (lo < 0) {
        *why = "has a malformed percent-encoding";
        return std::nullopt;
      }
      ch = char(hi * 16 + lo);
      i += 2;
    }
    unsigned char byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f ||
        std::string_view(" ?#\\\"<>").find(ch) != std::string_view::npos) {
      *why =
          "is not a clean path (no spaces, quotes, <, >, ?, #, backslashes or control characters)";
      return std::nullopt;
    }
    path += ch;
  }
  if (path.empty()) {
    *why = "is empty";
    return std::nullopt;
  }
  std::vector<std::string> parts;
  bool folder = true;  // ends with '/', "." or "..": the alias is a folder
  for (size_t i = 0; i <= path.size();) {
    size_t j = std::min(path.find('/', i), path.size());
    std::string segment = path.substr(i, j - i);
    i = j + 1;
    if (segment.empty() || segment == ".") {  // a later name makes it a file again
      folder = true;
      continue;
    }
    if (segment == "..") {
      if (parts.empty()) {
        *why = "leaves the site's root";
        return std::nullopt;
      }
      parts.pop_back();
      folder = true;
      continue;
    }
    parts.push_back(segment);
    folder = false;
  }
  if (!parts.empty() && parts.back() == "index.html") {
    parts.pop_back();
    folder = true;
  }
  // A last segment without an extension is a folder: /old/path -> /old/path/.
  if (!parts.empty() && parts.back().find('.') == std::string::npos) folder = true;
  std::string out;
  for (const std::string& part : parts) out += "/" + part;
  if (folder || out.empty()) out += "/";
  return out;
}

bool is_safe_output_path(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  for (size_t i = 0; i <= rel.size();) {
    size_t j = std::min(rel.find('/', i), rel.size());
    std::string_view segment = rel.substr(i, j - i);
    if (segment.empty() || segment == "." || segment == "..") return false;
    i = j + 1;
  }
  return rel.find('\\') == std::string_view::npos && rel.find('\0') == std::string_view::npos;
}

std::string output_path(const std::string& url) {
  std::string path = url.substr(url.find_first_not_of('/') == std::string::npos ? url.size() : 1);
  if (path.empty() || path.back() == '/') path += "index.html";
  return path;
}

Plan::Plan(std::vector<PlannedPage> pages) : pages_(std::move(pages)) {
  by_url_.reserve(pages_.size());
  for (size_t i = 0; i < pages_.size(); ++i) {
    // What plan_pages() guarantees: each page inside the output, at its own URL.
    assert(is_safe_output_path(output_path(pages_[i].url)));
    [[maybe_unused]] bool fresh = by_url_.emplace(pages_[i].url, i).second;
    assert(fresh);
  }
}

const PlannedPage* Plan::find(std::string_view url) const {
  auto it = by_url_.find(url);
  return it == by_url_.end() ? nullptr : &pages_[it->second];
}

std::vector<PlannedPage> plan_pages(const Site& s, const std::set<std::string>& files,
                                    Diagnostics& diags) {
  const Content& c = s.content;
  std::vector<PlannedPage> out;
  auto add = [&](PageKind kind, const std::string& lang, int item) {
    PlannedPage p{kind, lang, item, "", ""};
    p.url = url_in(s, p, lang);
    out.push_back(std::move(p));
  };
  for (const auto& lang : s.languages()) {
    add(PageKind::home, lang, -1);
    add(PageKind::membership, lang, -1);
    for (size_t i = 0; i < c.countries.size(); ++i) add(PageKind::country, lang, int(i));
    add(PageKind::meetings, lang, -1);
    for (size_t i = 0; i < c.meetings.size(); ++i) add(PageKind::meeting, lang, int(i));
    for (size_t i = 0; i < c.documents.size(); ++i) add(PageKind::document, lang, int(i));
    add(PageKind::topics, lang, -1);
    for (size_t i = 0; i < c.topics.size(); ++i) add(PageKind::topic, lang, int(i));
    for (size_t i = 0; i < c.pages.size(); ++i) add(PageKind::page, lang, int(i));
    add(PageKind::search, lang, -1);
    add(PageKind::not_found, lang, -1);
  }
  out.push_back({PageKind::chooser, "", -1, "/index.html", ""});
  // Servers fall back to the root 404 page; it speaks the default language.
  out.push_back({PageKind::not_found, c.config.default_language(), -1, "/404.html", ""});

  for (size_t i = 0; i < c.pages.size(); ++i)
    if (reserved_sections().count(c.pages[i].slug) && !c.pages[i].versions.empty())
      diags.error(c.pages[i].versions.begin()->second.source.path, 1,
                  "page slug \"" + c.pages[i].slug + "\" is taken by a built-in section");

  // Old URLs from page_aliases, each redirecting to the page that declares it.
  const std::string& def = c.config.default_language();
  std::vector<AliasSource> sources;
  for (size_t i = 0; i < c.countries.size(); ++i)
    sources.push_back({&c.countries[i].page_aliases, c.countries[i].source.path,
                       country_url(s, def, int(i))});
  for (size_t i = 0; i < c.meetings.size(); ++i)
    sources.push_back({&c.meetings[i].page_aliases, c.meetings[i].source.path,
                       meeting_url(s, def, int(i))});
  for (size_t i = 0; i < c.documents.size(); ++i)
    sources.push_back({&c.documents[i].page_aliases, c.documents[i].source.path,
                       document_url(s, c.documents[i].versions.empty()
                                           ? def : c.documents[i].versions.front().lang, int(i))});
  for (size_t i = 0; i < c.pages.size(); ++i)
    for (const auto& [lang, v] : c.pages[i].versions)
      sources.push_back({&v.page_aliases, v.source.path, page_url(s, lang, int(i))});
  for (const auto& [lang, v] : c.home) sources.push_back({&v.page_aliases, v.source.path, home_url(lang)});

  out = one_page_per_path(s, std::move(out), files, diags);
  // Most sites have few aliases or none: the paths they must avoid are
  // collected only when there is one.
  bool any_alias = std::any_of(sources.begin(), sources.end(),
                               [](const AliasSource& src) { return !src.aliases->empty(); });
  if (!any_alias) return out;
  TakenPaths taken;
  for (const PlannedPage& p : out)
    taken.add(output_path(p.url), (p.item < 0 ? "the built-in page " : "the page ") + p.url);
  for (const std::string& file : files)
    if (!file.empty()) taken.add(file.substr(1), "the published file " + file);
  for (const auto& src : sources) {
    for (const Ref& alias : *src.aliases) {
      auto refuse = [&](const std::string& why) {
        diags.error(alias.file_or(src.path), alias.line,
                    "page alias \"" + printable(alias.value) + "\" " + why);
      };
      std::string why;
      auto url = normalize_page_alias(alias.value, &why);
      if (!url) {
        refuse(why);
        continue;
      }
      std::string path = output_path(*url);
      if (path == output_path(src.target)) {
        refuse("is the URL of this page itself (it would redirect to itself)");
        continue;
      }
      if (std::string conflict = taken.conflict(path); !conflict.empty()) {
        refuse(conflict);
        continue;
      }
      taken.add(path, "the page alias " + *url + " of " + alias.file_or(src.path) + ":" +
                          std::to_string(alias.line));
      out.push_back({PageKind::alias, "", -1, *url, src.target});
    }
  }
  return out;
}

namespace {

// Reports the links of one body that lead nowhere. Most bodies have no
// link: their page's URL is not even made.
template <class PageUrl>
void check_body(const Site& s, const std::set<std::string>& published, const Body& body,
                const PageUrl& page_of, const std::string& path, Diagnostics& diags) {
  if (body.links().empty()) return;
  const std::string page = page_of();
  for (const Link& link : body.links()) {
    std::string target = internal_target(link.href, page, s.content.config.base_url);
    if (target.empty()) continue;
    bool found = published.count(target) ||
                 (target.back() != '/' && published.count(target + "/")) ||
                 (target.ends_with("/index.html") &&
                  published.count(target.substr(0, target.size() - 10)));
    if (!found)
      diags.error(path, link.line,
                  "broken link \"" + link.href + "\": nothing is published at " + target);
  }
}

}  // namespace

void check_document_links(const Site& s, const std::set<std::string>& published,
                          const std::vector<int>& documents, Diagnostics& diags) {
  for (int i : documents)
    for (const auto& v : s.content.documents[i].versions)
      check_body(s, published, v.body, [&] { return document_url(s, v.lang, i); }, v.source.path,
                 diags);
}

// The lambdas capture `lang` by an init-capture: clang 14 cannot capture a
// structured binding.
void check_links(const Site& s, const std::set<std::string>& published, Diagnostics& diags) {
  const Content& c = s.content;
  check_document_links(s, published, every_index(c.documents.size()), diags);
  for (size_t i = 0; i < c.countries.size(); ++i)
    for (const auto& [lang, p] : c.countries[i].prose)
      check_body(
          s, published, p.body, [&, &l = lang] { return country_url(s, l, int(i)); }, p.source.path,
          diags);
  for (size_t i = 0; i < c.pages.size(); ++i)
    for (const auto& [lang, p] : c.pages[i].versions)
      check_body(
          s, published, p.body, [&, &l = lang] { return page_url(s, l, int(i)); }, p.source.path,
          diags);
  for (const auto& [lang, p] : c.home)
    check_body(
        s, published, p.body, [&, &l = lang] { return home_url(l); }, p.source.path, diags);
}

}  // namespace sitegen
