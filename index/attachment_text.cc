// Attachment text for the index: PDF through poppler-cpp, DOCX through
// libzip + libxml2 (the streaming xmlTextReader, no entity expansion, no DTD
// loading, no network).
#include "index/attachment_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <system_error>

#include "index/text.h"

namespace sitegen::index {
namespace {

namespace fs = std::filesystem;

// Largest uncompressed size read from one part of a DOCX archive (zip bombs).
constexpr std::uint64_t kMaxPartSize = 64ull << 20;

void set_warning(std::string* warning, const fs::path& file, std::string_view reason) {
  if (warning == nullptr) return;
  std::string line = file.string();
  line += ": ";
  line += reason;
  // One line: a library message may carry its own newline(s).
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::replace(line.begin(), line.end(), '\r', ' ');
  while (!line.empty() && line.back() == ' ') line.pop_back();
  *warning = std::move(line);
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// ---------------------------------------------------------------------------
// One-time library set-up.

// poppler reports through one process-wide callback; while a call extracts a
// PDF, the first message of its own thread is kept as the reason of a failure.
thread_local std::string* poppler_messages = nullptr;

void poppler_message(const std::string& message, void*) {
  if (poppler_messages != nullptr && poppler_messages->empty()) *poppler_messages = message;
}

std::once_flag libraries_once;

void init_libraries() {
  std::call_once(libraries_once, [] {
    poppler::set_debug_error_function(&poppler_message, nullptr);
    xmlInitParser();  // libxml2: once, before any concurrent parsing
  });
}

// ---------------------------------------------------------------------------
// PDF

// poppler shares process-wide state between documents (lcms2 colour
// profiles) that ThreadSanitizer shows being allocated in one thread and
// freed in another without visible synchronisation; PDFs are therefore read
// one at a time. DOCX extraction runs fully in parallel.
std::mutex poppler_mutex;

// Poppler wraps each right-to-left line it extracts in directional
// embedding marks (U+202B ... U+202C); the text is in logical order
// already, and the marks would sit inside words for the tagger, the index
// and the snippets. So the embeddings and isolates (U+202A-U+202E,
// U+2066-U+2069) are taken out.
void drop_bidi_controls(std::string& text) {
  size_t out = 0;
  for (size_t i = 0; i < text.size();) {
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        i += 3;
        continue;
      }
    }
    text[out++] = text[i++];
  }
  text.resize(out);
}

bool is_neutral(UChar32 c) { return !u_isalnum(c); }

// The code points of text[b, e) in reverse order, appended to *out.
void append_reversed(std::string_view text, int32_t b, int32_t e, std::string* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  while (e > b) {
    const int32_t end = e;
    UChar32 c;
    U8_PREV(p, b, e, c);
    out->append(text.substr(static_cast<size_t>(e), static_cast<size_t>(end - e)));
  }
}

// Poppler gives a left-to-right run inside an Arabic line (digits, Latin
// words) inside marks (U+202A ... U+202C), and takes into it the neutral
// characters beside it (spaces, a colon, a bracket) in the run's own
// order: "المادة ‪ :7‬أفغانستان" for "المادة 7: أفغانستان", "(‪)2015‬" for
// "(2015)", "التالية‪Papua New :‬" for "التالية: Papua New". In the line's
// right-to-left order they belong on the run's other side: its leading
// neutrals go after it, its trailing ones before it, each reversed.
// Otherwise a name cut at a line's end is cut by its punctuation too
// ("Papua New :" then ".Guinea": Guinea for the tagger).
std::string mend_ltr_runs(std::string_view text) {
  constexpr std::string_view kOpen = "\u202A", kClose = "\u202C";
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  for (size_t open; (open = text.find(kOpen, at)) != std::string_view::npos;) {
    const size_t close = text.find(kClose, open + kOpen.size());
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    const auto run_b = static_cast<int32_t>(open + kOpen.size()), run_e = static_cast<int32_t>(close);
    int32_t b = run_b, e = run_e;
    for (int32_t i = b; i < run_e;) {  // past the leading neutrals
      UChar32 c;
      U8_NEXT(p, i, run_e, c);
      if (!is_neutral(c)) break;
      b = i;
    }
    for (int32_t i = e; i > b;) {  // before the trailing ones
      UChar32 c;
      U8_PREV(p, b, i, c);
      if (!is_neutral(c)) break;
      e = i;
    }
    if (b == e) {
      append_reversed(text, run_b, run_e, &out);
    } else {
      append_reversed(text, e, run_e, &out);
      out.append(text.substr(static_cast<size_t>(b), static_cast<size_t>(e - b)));
      append_reversed(text, run_b, b, &out);
    }
    at = close + kClose.size();
  }
  out.append(text.substr(at));
  return out;
}

// Chinese and Japanese break a line anywhere, inside a word too: the line
// breaks poppler gives between two such characters would cut 索马里 into
// 索马 and 里 (and find Mali in it). So they are taken out, with the
// spaces around them. Not between Hangul syllables, which spaces separate.
bool joins_lines(UChar32 c) { return c >= 0 && is_cjk(c) && !(c >= 0xAC00 && c <= 0xD7AF); }

void join_cjk_lines(std::string& text) {
  std::string out;
  out.reserve(text.size());
  const int32_t n = static_cast<int32_t>(text.size());
  UChar32 before = -1;  // the last code point copied
  for (int32_t i = 0; i < n;) {
    if (text[i] == '\n' || text[i] == ' ') {
      int32_t j = i;
      bool newline = false;
      while (j < n && (text[j] == '\n' || text[j] == ' ')) newline |= text[j++] == '\n';
      UChar32 after = -1;
      if (j < n) {
        int32_t k = j;
        U8_NEXT(text.data(), k, n, after);
      }
      if (!(newline && joins_lines(before) && joins_lines(after))) out.append(text, size_t(i), size_t(j - i));
      i = j;
      before = ' ';
      continue;
    }
    const int32_t start = i;
    U8_NEXT(text.data(), i, n, before);
    out.append(text, size_t(start), size_t(i - start));
  }
  text = std::move(out);
}

std::optional<std::string> pdf_text(const fs::path& file, std::string* warning, int* page_count) {
  const std::lock_guard<std::mutex> lock(poppler_mutex);
  std::string message;
  poppler_messages = &message;
  struct Reset {
    ~Reset() { poppler_messages = nullptr; }
  } reset;

  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file.string()));
  if (!doc) {
    set_warning(warning, file,
                "cannot read PDF: " + (message.empty() ? std::string("not a PDF or damaged") : message));
    return std::nullopt;
  }
  if (doc->is_locked()) {
    set_warning(warning, file, "encrypted PDF");
    return std::nullopt;
  }
  std::string text;
  const int pages = doc->pages();
  if (page_count) *page_count = pages;
  for (int i = 0; i < pages; ++i) {
    if (i > 0) text += '\f';  // the pages apart: each is searched as one (search_entries.cc)
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;  // a damaged page: keep the others
    const poppler::byte_array utf8 = page->text().to_utf8();
    auto end = utf8.end();
    if (end != utf8.begin() && end[-1] == '\f') --end;  // poppler's own page end
    text.append(utf8.begin(), end);
  }
  text = pdf_logical_text(text);
  join_cjk_lines(text);
  // A PDF of images only (a scanned report) has no text to tag or search:
  // said as an unreadable one is.
  if (std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    set_warning(warning, file, "it has no text (a scan without a text layer?)");
    return std::nullopt;
  }
  return text;
}

// ---------------------------------------------------------------------------
// DOCX

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

enum class PartStatus { ok, missing, failed };

// Reads one member of the archive, at most kMaxPartSize bytes uncompressed.
PartStatus read_part(zip_t* zip, const char* name, std::string* out, std::string* reason) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip, name, 0, &st) != 0) {
    if (zip_error_code_zip(zip_get_error(zip)) == ZIP_ER_NOENT) return PartStatus::missing;
    *reason = std::string(name) + ": " + zip_strerror(zip);
    return PartStatus::failed;
  }
  if ((st.valid & ZIP_STAT_SIZE) != 0 && st.size > kMaxPartSize) {
    *reason = std::string(name) + " is too large (" + std::to_string(st.size) + " bytes)";
    return PartStatus::failed;
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen(zip, name, 0));
  if (!f) {
    *reason = std::string(name) + ": " + zip_strerror(zip);
    return PartStatus::failed;
  }
  // The declared size may lie: read in chunks and stop at the limit.
  out->clear();
  char buffer[64 * 1024];
  for (;;) {
    const zip_int64_t n = zip_fread(f.get(), buffer, sizeof buffer);
    if (n < 0) {
      *reason = std::string(name) + ": " + zip_file_strerror(f.get());
      return PartStatus::failed;
    }
    if (n == 0) break;
    if (out->size() + static_cast<std::uint64_t>(n) > kMaxPartSize) {
      *reason = std::string(name) + " is too large";
      return PartStatus::failed;
    }
    out->append(buffer, static_cast<std::size_t>(n));
  }
  return PartStatus::ok;
}

constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWordStrictNs = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kMarkupCompatNs =
    "http://schemas.openxmlformats.org/markup-compatibility/2006";

std::string_view view(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

struct XmlErrors {
  std::string first;
};

void xml_error(void* arg, const char* msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr locator) {
  auto* errors = static_cast<XmlErrors*>(arg);
  if (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR)
    return;  // warnings do not stop the parse
  if (!errors->first.empty() || msg == nullptr) return;
  errors->first = "line " + std::to_string(xmlTextReaderLocatorLineNumber(locator)) + ": " + msg;
}

struct ReaderFree {
  void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};

// Appends the text of a WordprocessingML part (document, footnotes, ...):
// w:t text, w:tab → tab, w:br / w:cr → newline, the end of a w:p → newline.
// Entities are never expanded or loaded (XXE): a reference is dropped.
bool wordml_text(const std::string& xml, const char* part, std::string* text, std::string* reason) {
  if (xml.size() > static_cast<std::size_t>(INT32_MAX)) {
    *reason = std::string(part) + " is too large";
    return false;
  }
  // XML_PARSE_NONET: no network; no NOENT (no substitution), no DTDLOAD /
  // DTDATTR / DTDVALID (no external subset), no HUGE (libxml2's limits stay).
  std::unique_ptr<xmlTextReader, ReaderFree> reader(
      xmlReaderForMemory(xml.data(), static_cast<int>(xml.size()), part, nullptr,
                         XML_PARSE_NONET | XML_PARSE_NOWARNING));
  if (!reader) {
    *reason = std::string("cannot parse ") + part;
    return false;
  }
  XmlErrors errors;
  xmlTextReaderSetErrorHandler(reader.get(), &xml_error, &errors);

  int in_t = 0;    // depth of open w:t elements
  int in_run = 0;  // depth of open w:r elements (w:tab also names tab stops in w:pPr)
  int ret;
  bool skip_subtree = false;
  for (;;) {
    ret = skip_subtree ? xmlTextReaderNext(reader.get()) : xmlTextReaderRead(reader.get());
    skip_subtree = false;
    if (ret != 1) break;
    const int type = xmlTextReaderNodeType(reader.get());
    if (type == XML_READER_TYPE_ELEMENT) {
      const std::string_view ns = view(xmlTextReaderConstNamespaceUri(reader.get()));
      const std::string_view name = view(xmlTextReaderConstLocalName(reader.get()));
      const bool empty = xmlTextReaderIsEmptyElement(reader.get()) == 1;
      if (ns == kMarkupCompatNs && name == "Fallback") {
        // The mc:Choice content again for older readers (e.g. text boxes as
        // VML): skip it, or its text would be indexed twice.
        skip_subtree = !empty;
        continue;
      }
      if (ns != kWordNs && ns != kWordStrictNs) continue;
      if (name == "t") {
        if (!empty) ++in_t;
      } else if (name == "r") {
        if (!empty) ++in_run;
      } else if (name == "p") {
        if (empty) *text += '\n';
      } else if (in_run > 0 && (name == "tab" || name == "ptab")) {
        *text += '\t';
      } else if (in_run > 0 && (name == "br" || name == "cr")) {
        *text += '\n';
      } else if (in_run > 0 && name == "noBreakHyphen") {
        *text += '-';
      }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      const std::string_view ns = view(xmlTextReaderConstNamespaceUri(reader.get()));
      if (ns != kWordNs && ns != kWordStrictNs) continue;
      const std::string_view name = view(xmlTextReaderConstLocalName(reader.get()));
      if (name == "t") {
        if (in_t > 0) --in_t;
      } else if (name == "r") {
        if (in_run > 0) --in_run;
      } else if (name == "p") {
        *text += '\n';
      }
    } else if (in_t > 0 &&
               (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                type == XML_READER_TYPE_WHITESPACE)) {
      *text += view(xmlTextReaderConstValue(reader.get()));
    }
  }
  if (ret != 0 || !errors.first.empty()) {
    *reason = std::string(part) + ": " +
              (errors.first.empty() ? std::string("malformed XML") : errors.first);
    return false;
  }
  return true;
}

std::optional<std::string> docx_text(const fs::path& file, std::string* warning) {
  int error = 0;
  std::unique_ptr<zip_t, ZipCloser> zip(zip_open(file.c_str(), ZIP_RDONLY, &error));
  if (!zip) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, error);
    std::string reason = error == ZIP_ER_NOZIP ? std::string("not a zip archive")
                                               : std::string(zip_error_strerror(&ze));
    zip_error_fini(&ze);
    set_warning(warning, file, "cannot read DOCX: " + reason);
    return std::nullopt;
  }

  std::string xml, reason, text;
  switch (read_part(zip.get(), "word/document.xml", &xml, &reason)) {
    case PartStatus::ok:
      break;
    case PartStatus::missing:
      set_warning(warning, file, "cannot read DOCX: no word/document.xml");
      return std::nullopt;
    case PartStatus::failed:
      set_warning(warning, file, "cannot read DOCX: " + reason);
      return std::nullopt;
  }
  if (!wordml_text(xml, "word/document.xml", &text, &reason)) {
    set_warning(warning, file, "cannot read DOCX: " + reason);
    return std::nullopt;
  }
  // Notes are best effort: a missing or damaged part leaves the body's text.
  for (const char* part : {"word/footnotes.xml", "word/endnotes.xml"}) {
    if (read_part(zip.get(), part, &xml, &reason) != PartStatus::ok) continue;
    std::string notes;
    if (wordml_text(xml, part, &notes, &reason)) text += notes;
  }
  return text;
}

}  // namespace

std::optional<std::string> attachment_text(const std::filesystem::path& file,
                                           std::string* warning, int* pages) {
  if (pages) *pages = 0;
  const std::string ext = lower_ascii(file.extension().string());
  const bool pdf = ext == ".pdf";
  const bool docx = ext == ".docx";
  if (!pdf && !docx) return std::string();

  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (!fs::exists(status)) {
    set_warning(warning, file, "file not found");
    return std::nullopt;
  }
  if (!fs::is_regular_file(status)) {
    set_warning(warning, file, "not a regular file");
    return std::nullopt;
  }

  init_libraries();
  try {
    return pdf ? pdf_text(file, warning, pages) : docx_text(file, warning);
  } catch (const std::exception& e) {  // std::bad_alloc and the like
    set_warning(warning, file, std::string("cannot read ") + (pdf ? "PDF" : "DOCX") + ": " + e.what());
    return std::nullopt;
  }
}

std::string pdf_logical_text(std::string_view text) {
  std::string out = mend_ltr_runs(text);
  drop_bidi_controls(out);
  return out;
}

}  // namespace sitegen::index
