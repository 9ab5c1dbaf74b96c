// Fallback: which text a page shows in a language that has none of its own
// (SITE-FORMAT §2: the original, else the default language). Used by the
// renderer and by the search entries, so a page and its index entry agree.
#pragma once

#include <string>

#include "site-gen/model.h"

namespace sitegen {

// The version shown for `lang`: its own, else the original's, else the
// default language's, else the first that exists (nullptr if none).
const DocumentVersion* shown_version(const Document& d, const std::string& lang,
                                     const std::string& default_lang);

// Prose in `lang`, else in the default language, else any.
const Prose* shown_prose(const PerLang<Prose>& versions, const std::string& lang,
                         const std::string& default_lang);

// A per-language text in `lang`, else the default language's, else any ("" if none).
std::string text_in(const PerLang<std::string>& texts, const std::string& lang,
                    const std::string& default_lang);

}  // namespace sitegen
