#include "site-gen/fallback.h"

namespace sitegen {
namespace {

template <class T>
const T* find_lang(const PerLang<T>& m, const std::string& lang, const std::string& def) {
  for (const std::string* l : {&lang, &def})
    if (auto it = m.find(*l); it != m.end()) return &it->second;
  return m.empty() ? nullptr : &m.begin()->second;
}

}  // namespace

const DocumentVersion* shown_version(const Document& d, const std::string& lang,
                                     const std::string& default_lang) {
  for (const std::string* l : {&lang, &d.original, &default_lang})
    if (auto* v = d.version(*l)) return v;
  return d.versions.empty() ? nullptr : &d.versions.front();
}

const Prose* shown_prose(const PerLang<Prose>& versions, const std::string& lang,
                         const std::string& default_lang) {
  return find_lang(versions, lang, default_lang);
}

std::string text_in(const PerLang<std::string>& texts, const std::string& lang,
                    const std::string& default_lang) {
  const std::string* s = find_lang(texts, lang, default_lang);
  return s ? *s : std::string();
}

namespace {

// The per-language prose of a page, or nullptr for the kinds without one.
const PerLang<Prose>* prose_of(const Content& c, const PlannedPage& p) {
  switch (p.kind) {
    case PageKind::home: return &c.home;
    case PageKind::country: return &c.countries[p.item].prose;
    case PageKind::page: return &c.pages[p.item].versions;
    default: return nullptr;
  }
}

}  // namespace

bool is_translation(const Site& site, const PlannedPage& p, const std::string& lang) {
  const Content& c = site.content;
  if (p.kind == PageKind::document) return c.documents[p.item].version(lang) != nullptr;
  if (p.kind == PageKind::page) return c.pages[p.item].versions.count(lang) > 0;
  return true;
}

std::string text_language(const Site& site, const PlannedPage& p, const std::string& lang) {
  const Content& c = site.content;
  const std::string& def = c.config.default_language();
  if (p.kind == PageKind::document) {
    const DocumentVersion* v = shown_version(c.documents[p.item], lang, def);
    return v ? v->lang : lang;
  }
  if (p.kind == PageKind::page) {
    const Prose* prose = shown_prose(c.pages[p.item].versions, lang, def);
    return prose ? prose->lang : lang;
  }
  return lang;
}

std::vector<std::string> prose_languages(const Site& site, const PlannedPage& p) {
  std::vector<std::string> out;
  const Content& c = site.content;
  const PerLang<Prose>* prose = prose_of(c, p);
  for (const std::string& l : site.languages())
    if (p.kind == PageKind::document ? c.documents[p.item].version(l) != nullptr
                                     : prose && prose->count(l))
      out.push_back(l);
  return out;
}

std::vector<Alternate> hreflang_alternates(const Site& site, const PlannedPage& p) {
  std::vector<Alternate> out;
  if (p.kind == PageKind::not_found || p.kind == PageKind::chooser || p.kind == PageKind::alias)
    return out;
  for (const std::string& l : site.languages())
    if (is_translation(site, p, l)) out.push_back({l, url_in(site, p, l)});
  const std::string& def = site.content.config.default_language();
  out.push_back({"x-default", url_in(site, p, text_language(site, p, def))});
  return out;
}

std::optional<Date> last_modified(const Site& site, const PlannedPage& p) {
  const Content& c = site.content;
  std::optional<Date> newest;
  auto take = [&](const std::optional<Date>& d) {
    if (d && (!newest || *newest < *d)) newest = d;
  };
  auto documents = [&](const std::vector<int>& docs) {
    for (int i : docs) take(c.documents[i].date);
  };
  switch (p.kind) {
    case PageKind::document: take(c.documents[p.item].date); break;
    case PageKind::meeting: documents(site.meetings[p.item].documents); break;
    case PageKind::topic: documents(site.topics[p.item].documents); break;
    case PageKind::country: {
      documents(site.countries[p.item].documents);
      const Country& s = c.countries[p.item];
      for (const std::optional<Date>& d : {s.signed_on, s.deposited, s.entry_into_force,
                                           s.withdrawal_notice, s.withdrawal_effective})
        if (d && !(site.as_of < *d)) take(d);
      break;
    }
    default: break;
  }
  return newest;
}

}  // namespace sitegen
