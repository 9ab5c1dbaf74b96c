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

}  // namespace sitegen
