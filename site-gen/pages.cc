#include "site-gen/pages.h"

#include <cctype>
#include <map>
#include <optional>

namespace sitegen {
namespace {

const std::set<std::string>& reserved_sections() {
  static const std::set<std::string> names = {"membership", "meetings", "documents",
                                              "topics",     "search",   "feed.xml",
                                              "404.html",   "index.html"};
  return names;
}

// "/old/path" -> "/old/path/"; a path with a file extension stays a file.
std::optional<std::string> normalize_alias(std::string path) {
  if (path.empty()) return std::nullopt;
  if (path[0] != '/') path.insert(0, "/");
  if (path.find("..") != std::string::npos || path.find("//") != std::string::npos ||
      path.find_first_of("?#\\ \t\n\"<>") != std::string::npos)
    return std::nullopt;
  size_t last = path.rfind('/');
  bool is_file = path.find('.', last) != std::string::npos;
  if (!is_file && path.back() != '/') path += '/';
  return path;
}

struct AliasSource {
  const std::vector<Ref>* aliases;
  std::string path;  // file that declares them
  std::string target;
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

std::string output_path(const std::string& url) {
  std::string path = url.substr(url.find_first_not_of('/') == std::string::npos ? url.size() : 1);
  if (path.empty() || path.back() == '/') path += "index.html";
  return path;
}

Plan::Plan(std::vector<PlannedPage> pages) : pages_(std::move(pages)) {
  by_url_.reserve(pages_.size());
  for (size_t i = 0; i < pages_.size(); ++i) by_url_.emplace(pages_[i].url, i);
}

const PlannedPage* Plan::find(std::string_view url) const {
  auto it = by_url_.find(url);
  return it == by_url_.end() ? nullptr : &pages_[it->second];
}

std::vector<PlannedPage> plan_pages(const Site& s, Diagnostics& diags) {
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

  std::map<std::string, std::string> taken;  // url -> what uses it
  for (const auto& p : out) taken[p.url] = "a page";
  for (const auto& src : sources) {
    for (const Ref& alias : *src.aliases) {
      auto url = normalize_alias(alias.value);
      if (!url) {
        diags.error(src.path, alias.line, "page alias \"" + alias.value + "\" is not a clean path");
        continue;
      }
      auto [it, fresh] = taken.emplace(*url, src.path);
      if (!fresh) {
        diags.error(src.path, alias.line,
                    "page alias " + *url + " is already used by " + it->second);
        continue;
      }
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
