// First page: what the first page of a UN document says about it, read
// from its text (site-gen import, issue 15). A UN document prints its
// symbol at the top and, beside it, the distribution date and the
// "Original:" language, in the document's language or in English; then the
// Convention's name, the meeting's name, its venue and dates, the agenda
// item, and the title. The reading is evidence, not certainty: each field
// says how it was found, and the caller lists what it had to guess.
// Thread-safe: the readings are pure functions (ICU patterns compiled
// once, shared read-only); pdf_first_page_text() is not (see there).
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "site-gen/date.h"

namespace sitegen {

struct FirstPage {
  // The first token starting "APLC/" (or "APL/", the Oslo Diplomatic
  // Conference's) in the header (the first 15 lines), e.g.
  // APLC/MSP.22/2025/WP.3; "" when there is none.
  std::string symbol;

  // The distribution date: the first full date of the header that is not a
  // range (the meeting's dates, "1–5 December 2025", are not it), in any
  // of the UN forms: "8 October 2025", "8 octobre 2025", "8 de octubre de
  // 2025", "8 октября 2025 года", "8 تشرين الأول/أكتوبر 2025" (either or
  // both Arabic month names, Arabic-Indic digits too), "2025年10月8日".
  std::optional<Date> date;
  bool date_above_meeting = false;   // printed above the meeting's name, as it should be
  std::set<std::string> date_langs;  // languages whose month name it uses (en, fr, es, ru, ar)

  // "Original: English" and its forms in the six languages: the code of the
  // language named, and the languages that name is written in ("anglais":
  // fr). Empty when there is no such line.
  std::string original;
  std::set<std::string> original_written_in;

  // A line that is only a language's name ("Français", "Russian", "中文"),
  // as UN headers print the version's own language: its code, or "".
  std::string named_lang;

  // The version's language by its letters: ar (Arabic script), zh (Han),
  // ru (Cyrillic), "latin" (en, fr or es: see the other evidence), "".
  std::string script;
  // en, fr or es by the commonest short words, when one clearly leads; "".
  std::string word_lang;

  // The first lines after the header (see title_doubt), "" when none.
  std::string title;
  // Why the title may be wrong ("" when it follows the header as expected).
  std::string title_doubt;
};

// Reads the first page of `text` (up to its first form feed, as
// attachment_text() ends each PDF page; all of it for a DOCX).
// `meeting_names`: the site's meetings' names in every language; a line
// that is one of them (in any case) is the masthead's meeting line, even
// in a form the patterns do not know.
FirstPage read_first_page(std::string_view text,
                          const std::vector<std::string>& meeting_names = {});

// The text of a PDF's first page with its lines as poppler lays them out.
// attachment_text() joins two lines where both sides are Chinese (a word
// cut at a line's end, for the tagger), which runs a Chinese masthead's
// venue line into the title. nullopt when poppler cannot read the file.
// Not thread-safe beside attachment_text() on another thread: poppler's
// shared state is why attachment_text.cc reads one PDF at a time.
std::optional<std::string> pdf_first_page_text(const std::filesystem::path& pdf);

// The version's language from a first page's evidence and the language a
// file name's UN suffix gives ("" for none). `doubt` is "" when the
// evidence is strong and nothing contradicts it (an Arabic, Han or Cyrillic
// text; a Latin one whose date, "Original" label or language line says
// which), else why it is a guess; `lang` is "" when nothing tells.
struct LanguageReading {
  std::string lang;
  std::string doubt;
};
LanguageReading version_language(const FirstPage& page, std::string_view file_lang);

// The document type a symbol and a title suggest: working-paper for a
// symbol with "/WP.", else by words of the title in any of the six
// languages (agenda, programme, final-report, article7-report,
// extension-request, decision, statement, report, working-paper); "" when
// neither says.
std::string document_type_of(std::string_view symbol, std::string_view title);

}  // namespace sitegen
