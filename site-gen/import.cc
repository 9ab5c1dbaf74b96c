#include "site-gen/import.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include "index/attachment_text.h"
#include "site-gen/attachment_type.h"
#include "site-gen/csv.h"
#include "site-gen/date.h"
#include "site-gen/files.h"
#include "site-gen/first_page.h"
#include "site-gen/load.h"
#include "site-gen/model.h"
#include "site-gen/parallel.h"
#include "site-gen/pdf_workers.h"
#include "site-gen/utf8.h"

// The import runs in three steps, each reporting into the report's
// problems: read (the folder, the CSV, each file's first page: a Version
// per file), settle (the versions of one symbol into one document whose
// versions agree, in a meeting of the site), place (each file written, or
// found there already). Nothing is written before every file has been read
// and settled, and nothing at all when the CSV has a problem.

namespace sitegen {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kColumns = {"file", "symbol", "lang",     "title",
                                           "date", "type",   "original", "meeting"};
const std::vector<std::string> kTypes = {"agenda",          "programme",
                                         "report",          "final-report",
                                         "working-paper",   "extension-request",
                                         "article7-report", "statement",
                                         "decision",        "other"};

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string joined(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Text from a PDF or a CSV as one line: every run of white space or
// control characters becomes one space, none at either end.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string extension_of(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? ""
                                                   : lower_ascii(std::string(name.substr(dot)));
}

// ---------------------------------------------------------------- the site

bool is_site_language(const Content& site, const std::string& lang) {
  const auto& langs = site.config.languages;
  return std::find(langs.begin(), langs.end(), lang) != langs.end();
}

const Meeting* find_meeting(const Content& site, const std::string& id) {
  for (const Meeting& m : site.meetings)
    if (m.id == id) return &m;
  return nullptr;
}

const Document* document_with_symbol(const Content& site, const std::string& symbol) {
  for (const Document& d : site.documents)
    if (d.symbol == symbol) return &d;
  return nullptr;
}

// The digits at the start of `s`, as a number; -1 when there are none.
int leading_number(std::string_view s) {
  int n = 0, digits = 0;
  for (char c : s) {
    if (c < '0' || c > '9' || digits == 6) break;
    n = n * 10 + (c - '0');
    ++digits;
  }
  return digits == 0 ? -1 : n;
}

// The site's meeting that a symbol names: APLC/MSP.22/... the msp
// numbered 22, APLC/CONF/2019/... the review conference that began in
// 2019. "" and `*why` when there is none, or more than one.
std::string meeting_of_symbol(const Content& site, const std::string& symbol, std::string* why) {
  std::string kind, what;
  int number = -1;
  if (symbol.rfind("APLC/MSP.", 0) == 0) {
    kind = "msp";
    number = leading_number(std::string_view(symbol).substr(9));
    what = "a meeting of kind msp numbered " + std::to_string(number);
  } else if (symbol.rfind("APLC/CONF/", 0) == 0) {
    kind = "review-conference";
    number = leading_number(std::string_view(symbol).substr(10));
    what = "a review conference that began in " + std::to_string(number);
  }
  if (number < 0) {
    *why = "its symbol " + symbol +
           " names no meeting (APLC/MSP.<number>/... or APLC/CONF/<year>/...)";
    return "";
  }
  std::vector<std::string> found;
  for (const Meeting& m : site.meetings) {
    if (m.kind != kind) continue;
    if (kind == "msp" ? m.number == number : m.start.year == number) found.push_back(m.id);
  }
  if (found.size() == 1) return found.front();
  *why = found.empty() ? "the site has no meeting for " + symbol + " (" + what + ")"
                       : "the site has " + std::to_string(found.size()) + " meetings for " +
                             symbol + " (" + joined(found) + ")";
  return "";
}

// ---------------------------------------------------------------- the folder

// Whether two paths name one file (the CSV may lie in the folder).
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return !b.empty() && fs::equivalent(a, b, ec);
}

// The PDF and DOCX files of the folder, by name; every other entry but
// the CSV is listed as skipped (dot files, the litter of editors and
// systems, are passed over as the site's own folders are). `*all` gets
// every name, for the CSV's check.
std::vector<std::string> files_to_import(const fs::path& dir, const fs::path& csv,
                                         std::set<std::string>* all, Diagnostics& problems) {
  std::vector<std::string> out;
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(*it);
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) {
              return a.path() < b.path();
            });
  for (const fs::directory_entry& e : entries) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.' || same_file(e.path(), csv)) continue;
    all->insert(name);
    const std::string shown = (dir / name).string();
    std::error_code type_ec;
    if (e.is_directory(type_ec)) {
      problems.warning(
          shown, 0,
          "skipped: a folder (the import reads the files of its folder, not of subfolders)");
    } else if (!e.is_regular_file(type_ec)) {
      problems.warning(shown, 0, "skipped: not a regular file");
    } else if (const std::string ext = extension_of(name); ext != ".pdf" && ext != ".docx") {
      problems.warning(shown, 0, "skipped: not a PDF or DOCX file");
    } else {
      out.push_back(name);
    }
  }
  return out;
}

// ---------------------------------------------------------------- the CSV

// One CSV row's values, by column; only the non-empty ones.
struct Metadata {
  int line = 0;
  std::map<std::string, std::string> values;

  const std::string* get(const std::string& column) const {
    auto it = values.find(column);
    return it == values.end() ? nullptr : &it->second;
  }
};

// The header's columns, lower case; nullopt after reporting a problem.
std::optional<std::vector<std::string>> csv_columns(const CsvRecord& header,
                                                    const std::string& path,
                                                    Diagnostics& problems) {
  std::vector<std::string> columns;
  bool ok = true;
  for (const std::string& field : header.fields) {
    const std::string name = lower_ascii(one_line(field));
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      problems.error(path, header.line,
                     "unknown column \"" + name + "\" (columns: " + joined(kColumns) + ")");
      ok = false;
    } else if (std::find(columns.begin(), columns.end(), name) != columns.end()) {
      problems.error(path, header.line, "column \"" + name + "\" appears twice");
      ok = false;
    }
    columns.push_back(name);
  }
  if (std::find(columns.begin(), columns.end(), "file") == columns.end()) {
    problems.error(path, header.line, "no \"file\" column: each row names a file of the folder");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return columns;
}

// Why a CSV value cannot be used ("" when it can).
std::string csv_value_problem(const std::string& column, const std::string& value,
                              const Content& site) {
  const std::string languages = joined(site.config.languages);
  if (column == "date" && !parse_iso_date(value))
    return "invalid date \"" + value + "\" (YYYY-MM-DD)";
  if ((column == "lang" || column == "original") && !is_site_language(site, value))
    return "unknown language \"" + value + "\" for " + column + " (site languages: " + languages +
           ")";
  if (column == "type" && std::find(kTypes.begin(), kTypes.end(), value) == kTypes.end())
    return "unknown type \"" + value + "\" (types: " + joined(kTypes) + ")";
  if (column == "meeting" && !find_meeting(site, value))
    return "no meeting \"" + value + "\" in the site (content/meetings/" + value + "/meeting.yaml)";
  if (column == "symbol" && symbol_slug(value).empty())
    return "symbol \"" + value + "\" has no letter or digit to make its URL from";
  return "";
}

// One row's values, checked; nullopt after reporting its problems.
std::optional<Metadata> csv_row(const CsvRecord& r, const std::vector<std::string>& columns,
                                const std::set<std::string>& names, const ImportOptions& options,
                                const Content& site, const std::string& path,
                                Diagnostics& problems) {
  if (r.fields.size() != columns.size()) {
    problems.error(path, r.line,
                   std::to_string(r.fields.size()) + " fields where the header has " +
                       std::to_string(columns.size()));
    return std::nullopt;
  }
  Metadata m;
  m.line = r.line;
  bool ok = true;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string value = one_line(r.fields[i]);
    if (value.empty()) continue;  // not given: the first page says
    if (std::string why = csv_value_problem(columns[i], value, site); !why.empty()) {
      problems.error(path, r.line, why);
      ok = false;
    }
    m.values[columns[i]] = value;
  }
  const std::string* file = m.get("file");
  if (!file) {
    problems.error(path, r.line, "no file named in the \"file\" column");
    ok = false;
  } else if (!names.count(*file)) {
    problems.error(path, r.line, "no file \"" + *file + "\" in " + options.dir.string());
    ok = false;
  }
  if (!ok) return std::nullopt;
  return m;
}

// The CSV's rows by file name; nullopt when it has any problem (all
// reported) or cannot be read (`*usage_error`).
std::optional<std::map<std::string, Metadata>> read_metadata(const ImportOptions& options,
                                                             const std::set<std::string>& names,
                                                             const Content& site,
                                                             Diagnostics& problems,
                                                             std::string* usage_error) {
  const std::string path = options.csv.string();
  std::string why;
  const std::optional<std::string> text = read_whole_file(options.csv, &why);
  if (!text) {
    *usage_error = "--csv " + path + ": cannot read: " + why;
    return std::nullopt;
  }
  const size_t errors_before = problems.error_count();
  const std::vector<CsvRecord> records = parse_csv(*text, path, problems);
  if (records.empty()) {
    if (problems.error_count() == errors_before) problems.error(path, 1, "empty: no header row");
    return std::nullopt;
  }
  const auto columns = csv_columns(records.front(), path, problems);
  if (!columns) return std::nullopt;
  std::map<std::string, Metadata> rows;
  for (size_t i = 1; i < records.size(); ++i) {
    auto m = csv_row(records[i], *columns, names, options, site, path, problems);
    if (!m) continue;
    const std::string file = *m->get("file");
    if (auto [it, fresh] = rows.emplace(file, *m); !fresh)
      problems.error(path, m->line,
                     "another row for \"" + file + "\" at line " + std::to_string(it->second.line));
  }
  if (problems.error_count() != errors_before) return std::nullopt;
  return rows;
}

// ---------------------------------------------------------------- a file

// One file of the folder as read: a language version of a document.
struct Version {
  std::string name;  // in the folder
  fs::path path;
  std::string shown;  // its path in messages
  std::string ext;    // ".pdf" or ".docx"
  std::string symbol, lang, title, type, original, meeting;
  std::optional<Date> date;
};

// A file's text, or why it has none (damaged, encrypted, a scan).
struct FileText {
  std::optional<std::string> text;
  std::string why;
};

// The files' texts: the PDFs read by worker processes on all cores
// (site-gen/pdf_workers.h: a PDF that crashes poppler or stalls it costs
// its own text, not the import), DOCX files here, as the build reads them.
std::vector<FileText> read_texts(const std::vector<Version>& files) {
  std::vector<FileText> out(files.size());
  std::vector<fs::path> pdfs;
  std::vector<size_t> pdf_at;
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].ext == ".pdf") {
      pdfs.push_back(files[i].path);
      pdf_at.push_back(i);
      continue;
    }
    std::string warning;
    out[i].text = index::attachment_text(files[i].path, &warning);
    // The reason comes as "<file>: reason"; the messages name the file already.
    const std::string prefix = files[i].path.string() + ": ";
    out[i].why = warning.rfind(prefix, 0) == 0 ? warning.substr(prefix.size()) : warning;
  }
  std::vector<PdfText> read = read_pdfs(pdfs, default_jobs());
  for (size_t k = 0; k < read.size(); ++k)
    out[pdf_at[k]] = {std::move(read[k].text), std::move(read[k].warning)};
  return out;
}

// Whether the CSV gives what a document file needs when the first page
// cannot be read.
bool metadata_is_whole(const Metadata* m) {
  return m && m->get("symbol") && m->get("lang") && m->get("title") && m->get("date");
}

void take_symbol(Version& v, const FirstPage& page, const Metadata* m, Diagnostics& problems) {
  const std::string from_name = symbol_of_file_name(v.name);
  if (const std::string* s = m ? m->get("symbol") : nullptr) {
    v.symbol = *s;
  } else if (!page.symbol.empty()) {
    v.symbol = page.symbol;
    if (!from_name.empty() && from_name != page.symbol)
      problems.warning(
          v.shown, 0,
          "symbol " + page.symbol + " from its first page written; its name says " + from_name);
  } else if (!from_name.empty()) {
    v.symbol = from_name;
    problems.warning(v.shown, 0,
                     "symbol " + from_name + " guessed from its name: its first page has none");
  }
}

bool take_language(Version& v, const FirstPage& page, const Metadata* m, const Content& site,
                   Diagnostics& problems) {
  if (const std::string* l = m ? m->get("lang") : nullptr) {
    v.lang = *l;
    return true;
  }
  const LanguageReading r = version_language(page, language_of_file_name(v.name));
  if (r.lang.empty()) {
    problems.error(v.shown, 0,
                   "not imported: cannot tell its language: " + r.doubt + " (give it in the CSV)");
    return false;
  }
  if (!is_site_language(site, r.lang)) {
    problems.error(v.shown, 0,
                   "not imported: its language, " + r.lang + ", is not one of the site's (" +
                       joined(site.config.languages) + ")");
    return false;
  }
  v.lang = r.lang;
  if (!r.doubt.empty()) problems.warning(v.shown, 0, "language " + r.lang + " guessed: " + r.doubt);
  return true;
}

void take_date(Version& v, const FirstPage& page, const Metadata* m, Diagnostics& problems) {
  if (const std::string* d = m ? m->get("date") : nullptr) {
    v.date = parse_iso_date(*d);
  } else if (page.date) {
    v.date = page.date;
    if (!page.date_above_meeting)
      problems.warning(
          v.shown, 0,
          "date " + page.date->iso() +
              " guessed: it is printed below the meeting's name, not beside the symbol");
  }
}

void take_original(Version& v, const FirstPage& page, const Metadata* m, const Content& site,
                   Diagnostics& problems) {
  if (const std::string* o = m ? m->get("original") : nullptr) {
    v.original = *o;
  } else if (!page.original.empty() && !is_site_language(site, page.original)) {
    problems.warning(v.shown, 0,
                     "its \"Original:\" line names " + page.original +
                         ", which is not one of the site's languages; original left out");
  } else {
    v.original = page.original;
  }
}

void take_title(Version& v, const FirstPage& page, const Metadata* m, Diagnostics& problems) {
  if (const std::string* t = m ? m->get("title") : nullptr) {
    v.title = *t;
  } else if (const std::string title = one_line(page.title); !title.empty()) {
    v.title = title;
    if (!page.title_doubt.empty())
      problems.warning(v.shown, 0, "title \"" + title + "\" guessed: " + page.title_doubt);
  } else {
    v.title = v.symbol;
    problems.warning(v.shown, 0,
                     "no title found (" +
                         (page.title_doubt.empty() ? "its text cannot be read" : page.title_doubt) +
                         "); its symbol is written as its title");
  }
}

bool take_meeting(Version& v, const Metadata* m, const ImportOptions& options, const Content& site,
                  Diagnostics& problems) {
  if (const std::string* id = m ? m->get("meeting") : nullptr) {
    v.meeting = *id;
  } else if (!options.meeting.empty()) {
    v.meeting = options.meeting;
  } else {
    std::string why;
    v.meeting = meeting_of_symbol(site, v.symbol, &why);
    if (v.meeting.empty()) {
      problems.error(v.shown, 0,
                     "not imported: " + why + "; give --meeting ID or a meeting column in the CSV");
      return false;
    }
  }
  return true;
}

// The first page of a file's text: for a PDF, its own lines (see
// pdf_first_page_text()), read in this process only once a worker has read
// the whole file without harm; for a DOCX, the text's first lines.
FirstPage first_page_of(const Version& v, const std::string& text, const Content& site) {
  // The masthead prints the meeting's name as the site may have it.
  std::vector<std::string> meetings;
  for (const Meeting& m : site.meetings)
    for (const auto& [lang, title] : m.title) meetings.push_back(title);
  if (v.ext == ".pdf")
    if (auto page = pdf_first_page_text(v.path)) return read_first_page(*page, meetings);
  return read_first_page(text, meetings);
}

// One file of the folder as a version, or nullopt when it cannot be
// imported (reported).
std::optional<Version> read_version(Version v, const FileText& t, const Metadata* m,
                                    const ImportOptions& options, const Content& site,
                                    Diagnostics& problems) {
  FirstPage page;
  if (t.text) {
    page = first_page_of(v, *t.text, site);
  } else if (metadata_is_whole(m)) {
    problems.warning(v.shown, 0,
                     "its text cannot be read (" + t.why + "); imported from the CSV alone");
  } else {
    problems.error(
        v.shown, 0,
        "not imported: " + t.why +
            " (a CSV row with its symbol, lang, title and date would import it as it is)");
    return std::nullopt;
  }
  take_symbol(v, page, m, problems);
  if (v.symbol.empty()) {
    problems.error(v.shown, 0,
                   "not imported: no symbol (APLC/... or APL/...) on its first page or in its name "
                   "(give it in the CSV)");
    return std::nullopt;
  }
  if (!take_language(v, page, m, site, problems)) return std::nullopt;
  take_date(v, page, m, problems);
  take_original(v, page, m, site, problems);
  take_title(v, page, m, problems);
  const std::string* type = m ? m->get("type") : nullptr;
  v.type = type ? *type : document_type_of(v.symbol, v.title);
  if (!take_meeting(v, m, options, site, problems)) return std::nullopt;
  return v;
}

// ---------------------------------------------------------------- a document

// The versions of one symbol, settled: what they share.
struct Settled {
  std::string symbol, slug, meeting, type, original;
  Date date;
  std::vector<Version> versions;       // one per language, in the site's language order
  const Document* existing = nullptr;  // the site's document of that symbol, if any
};

// Two files for one language of a symbol: neither is imported.
std::vector<Version> without_conflicts(std::vector<Version> versions, Diagnostics& problems) {
  std::map<std::string, std::vector<const Version*>> by_lang;
  for (const Version& v : versions) by_lang[v.lang].push_back(&v);
  std::vector<Version> out;
  for (const Version& v : versions) {
    const auto& same = by_lang[v.lang];
    if (same.size() == 1) {
      out.push_back(v);
      continue;
    }
    std::vector<std::string> others;
    for (const Version* o : same)
      if (o != &v) others.push_back(o->name);
    problems.error(
        v.shown, 0,
        "not imported: " + joined(others) + " is the " + v.lang + " version of " + v.symbol +
            " too; neither is written (leave one in the folder, or give each its lang in the CSV)");
  }
  return out;
}

using Field = std::function<std::string(const Version&)>;

// The value of one field that the versions must share: the original
// version's, else the most common (the first version's on a tie); each
// version that says otherwise is listed. "" when none has one.
std::string shared_value(const std::vector<Version>& versions, const std::string& original,
                         const std::string& field, const Field& value_of, Diagnostics& problems) {
  std::map<std::string, int> count;
  for (const Version& v : versions)
    if (!value_of(v).empty()) ++count[value_of(v)];
  std::string chosen, whose;
  for (const Version& v : versions)
    if (v.lang == original && !value_of(v).empty()) {
      chosen = value_of(v);
      whose = "the " + v.lang + " version's, the original";
    }
  if (chosen.empty()) {
    int best = 0;
    for (const Version& v : versions)
      if (!value_of(v).empty() && count[value_of(v)] > best)
        chosen = value_of(v), best = count[chosen];
    whose = "most versions'";
  }
  for (const Version& v : versions)
    if (!value_of(v).empty() && value_of(v) != chosen)
      problems.warning(v.shown, 0,
                       field + " " + value_of(v) + " differs from " + chosen + " (" + whose +
                           "); " + chosen + " written");
  return chosen;
}

std::string date_of(const Version& v) { return v.date ? v.date->iso() : ""; }

// A new version of a document the site has must agree with it: its
// fields are the site's, and each version that says otherwise is listed.
void take_site_fields(Settled& s, Diagnostics& problems) {
  s.original = s.existing->original;
  s.type = s.existing->type;
  s.date = s.existing->date;
  for (const Version& v : s.versions) {
    auto differs = [&](const std::string& field, const std::string& mine, const std::string& site) {
      const std::string written = site.empty() ? "none" : site;
      if (!mine.empty() && mine != site)
        problems.warning(v.shown, 0,
                         field + " " + mine + " differs from " + written +
                             " (the site's document's); " + written + " written");
    };
    differs("original", v.original, s.original);
    differs("type", v.type, s.type);
    differs("date", date_of(v), s.date.iso());
  }
}

// What the versions share; false when they have no date at all (reported).
bool settle_fields(Settled& s, Diagnostics& problems) {
  if (s.existing) {
    take_site_fields(s, problems);
    return true;
  }
  const std::vector<Version>& versions = s.versions;
  // The original language is the one most versions name.
  std::map<std::string, int> named;
  std::string original;
  for (const Version& v : versions)
    if (!v.original.empty() && ++named[v.original] > named[original]) original = v.original;
  s.original = shared_value(
      versions, original, "original", [](const Version& v) { return v.original; }, problems);
  s.type = shared_value(
      versions, s.original, "type", [](const Version& v) { return v.type; }, problems);
  const std::string date = shared_value(versions, s.original, "date", date_of, problems);
  if (date.empty()) {
    for (const Version& v : versions)
      problems.error(v.shown, 0,
                     "not imported: no date on its first page, nor on any other version's (give it "
                     "in the CSV)");
    return false;
  }
  s.date = *parse_iso_date(date);
  if (s.type.empty()) {
    s.type = "other";
    for (const Version& v : versions)
      problems.warning(v.shown, 0,
                       "type other written: neither its symbol nor its title tells its type");
  }
  if (s.original.empty())
    for (const Version& v : versions)
      problems.warning(v.shown, 0, "no \"Original:\" line found; original left out");
  return true;
}

void refuse_all(const Settled& s, const std::string& why, Diagnostics& problems) {
  for (const Version& v : s.versions) problems.error(v.shown, 0, "not imported: " + why);
}

// Whether the document can go where its symbol leads: not a second
// document of a symbol the site has, nor over another symbol's URL or
// files (reported).
bool check_place(const Settled& s, const Content& site, Diagnostics& problems) {
  if (s.existing && (s.existing->meeting != s.meeting || s.existing->name != s.slug)) {
    refuse_all(s,
               s.symbol + " is in the site already, as content/meetings/" + s.existing->meeting +
                   "/" + s.existing->name + ".* (a second document would repeat its symbol)",
               problems);
    return false;
  }
  for (const Document& d : site.documents) {
    if (d.symbol == s.symbol) continue;
    if (d.slug == s.slug) {
      refuse_all(s,
                 "its URL, documents/" + s.slug + "/, is that of " + d.symbol + " in the site (" +
                     d.source.path + ")",
                 problems);
      return false;
    }
    if (d.meeting == s.meeting && d.name == s.slug) {
      refuse_all(
          s, "content/meetings/" + s.meeting + "/" + s.slug + ".*.md are the files of " + d.symbol,
          problems);
      return false;
    }
  }
  return true;
}

// The versions of one symbol as one document, or nullopt when none of them
// can be imported (reported).
std::optional<Settled> settle(const std::string& symbol, std::vector<Version> versions,
                              const Content& site, Diagnostics& problems) {
  Settled s;
  s.symbol = symbol;
  s.slug = symbol_slug(symbol);
  s.versions = without_conflicts(std::move(versions), problems);
  if (s.versions.empty()) return std::nullopt;
  if (s.slug.empty()) {  // a CSV's symbol is checked; one from a page always has letters
    refuse_all(s, "its symbol " + symbol + " has no letter or digit to make its URL from",
               problems);
    return std::nullopt;
  }
  const auto& langs = site.config.languages;
  std::stable_sort(s.versions.begin(), s.versions.end(), [&](const Version& a, const Version& b) {
    return std::find(langs.begin(), langs.end(), a.lang) <
           std::find(langs.begin(), langs.end(), b.lang);
  });
  s.existing = document_with_symbol(site, symbol);
  // What the versions disagree on is listed with the value written, so only
  // once the document is known to be written.
  Diagnostics fields;
  if (!settle_fields(s, fields)) {
    problems.merge(std::move(fields));
    return std::nullopt;
  }
  s.meeting = shared_value(
      s.versions, s.original, "meeting", [](const Version& v) { return v.meeting; }, fields);
  if (!check_place(s, site, problems)) return std::nullopt;
  problems.merge(std::move(fields));
  return s;
}

// ---------------------------------------------------------------- writing

// A version's document file: its front matter, and no body (its text is
// its attachment's, which the build reads and tags).
std::string document_file(const Settled& s, const Version& v, const std::string& attachment) {
  std::string out = "---\n";
  out += "symbol: " + yaml_quoted(s.symbol) + "\n";
  out += "title: " + yaml_quoted(v.title) + "\n";
  out += "date: " + s.date.iso() + "\n";
  out += "type: " + s.type + "\n";
  if (!s.original.empty()) out += "original: " + s.original + "\n";
  out += "files: [" + yaml_quoted(attachment) + "]\n";
  out += "---\n";
  return out;
}

bool write_all(int fd, std::string_view bytes) {
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

// Writes a new file whole or not at all: the bytes go to a file with no
// name (O_TMPFILE) that is linked into place once complete, so a killed
// import leaves nothing; where the file system cannot, to a hidden
// temporary file (which the site's loader skips) renamed into place.
// Neither replaces a file that appeared meanwhile.
bool write_new_file(const fs::path& target, std::string_view bytes, std::string* why) {
  const fs::path folder = target.parent_path();
  fs::path named;
  int fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) {
    named = folder / ("." + target.filename().string() + ".import-" + std::to_string(::getpid()));
    fd = ::open(named.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  }
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  // The bytes on disk before the file has a name: a crash after the link
  // must not leave it empty.
  bool ok = write_all(fd, bytes) && ::fsync(fd) == 0;
  int error = errno;
  if (ok && named.empty()) {
    // linkat with AT_EMPTY_PATH needs a capability; through /proc it does not.
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    ok = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW) == 0;
    error = errno;
  }
  ::close(fd);
  if (ok && !named.empty()) {
    ok = ::renameat2(AT_FDCWD, named.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0;
    error = errno;
  }
  if (!ok && !named.empty()) ::unlink(named.c_str());
  if (!ok) *why = error == EEXIST ? "it appeared while the import ran" : std::strerror(error);
  return ok;
}

// Puts one file in the site unless it is there: the same bytes are left as
// they are, other bytes left alone and listed. nullopt when it could not
// be written (reported).
std::optional<ImportedFile::Outcome> place(const fs::path& root, const std::string& rel,
                                           std::string_view bytes, bool dry_run,
                                           const std::string& shown, Diagnostics& problems) {
  const fs::path target = root / rel;
  std::error_code ec;
  if (fs::symlink_status(target, ec).type() != fs::file_type::not_found) {
    std::string why;
    const std::optional<std::string> there = read_whole_file(target, &why);
    if (there && *there == bytes) return ImportedFile::Outcome::unchanged;
    problems.warning(
        shown, 0,
        rel + (there ? " exists, differs; left alone" : " exists (" + why + "); left alone"));
    return ImportedFile::Outcome::left_alone;
  }
  if (dry_run) return ImportedFile::Outcome::would_write;
  std::string why;
  if (!write_new_file(target, bytes, &why)) {
    problems.error(shown, 0, "not imported: cannot write " + rel + ": " + why);
    return std::nullopt;
  }
  return ImportedFile::Outcome::written;
}

// Writes one version: its attachment first, so that no document file ever
// names a file that is not there.
void place_version(const Settled& s, const Version& v, const ImportOptions& options,
                   ImportReport& report) {
  const std::string folder = "content/meetings/" + s.meeting + "/";
  const std::string attachment = s.slug + "." + v.lang + v.ext;
  const std::string document = folder + s.slug + "." + v.lang + ".md";
  if (s.existing)
    if (const DocumentVersion* there = s.existing->version(v.lang);
        there && there->source.path != document) {
      report.problems.warning(
          v.shown, 0,
          "the site has its " + v.lang + " version as " + there->source.path + "; left alone");
      report.files.push_back({there->source.path, ImportedFile::Outcome::left_alone});
      return;
    }
  std::string why;
  const std::optional<std::string> bytes = read_whole_file(v.path, &why);
  if (!bytes) {
    report.problems.error(v.shown, 0, "not imported: cannot read: " + why);
    return;
  }
  auto copied =
      place(options.site, folder + attachment, *bytes, options.dry_run, v.shown, report.problems);
  if (!copied) return;
  report.files.push_back({folder + attachment, *copied});
  auto written = place(options.site, document, document_file(s, v, attachment), options.dry_run,
                       v.shown, report.problems);
  if (written) report.files.push_back({document, *written});
}

// ---------------------------------------------------------------- the steps

// The site to import into; nullopt when it cannot be loaded or has errors
// (a document that failed to load could not be seen, and would be written
// a second time): `*usage_error` or the problems say why.
std::optional<Content> load_target(const ImportOptions& options, ImportReport& report) {
  std::error_code ec;
  if (!fs::is_regular_file(options.site / "site.yaml", ec)) {
    report.usage_error =
        "no site.yaml in " + options.site.string() + " (--site names the site's folder)";
    return std::nullopt;
  }
  Diagnostics diags;
  Content site = load_site(options.site, diags);
  if (diags.has_errors()) {
    for (const Diagnostic& d : diags.sorted())
      if (d.severity == Severity::error)
        report.problems.add({(options.site / d.path).string(), d.line, d.message, Severity::error});
    report.stopped =
        "the site has errors (listed; site-gen check lists them too): nothing was imported";
    return std::nullopt;
  }
  if (!options.meeting.empty() && !find_meeting(site, options.meeting)) {
    report.usage_error = "--meeting " + options.meeting + ": no such meeting in " +
                         options.site.string() + " (content/meetings/" + options.meeting +
                         "/meeting.yaml)";
    return std::nullopt;
  }
  return site;
}

// The files that the build could publish, as versions to read: a file it
// would refuse (a .pdf that is HTML) cannot be imported at all.
std::vector<Version> publishable(const std::vector<std::string>& names,
                                 const ImportOptions& options, Diagnostics& problems) {
  std::vector<Version> out;
  for (const std::string& name : names) {
    Version v;
    v.name = name;
    v.path = options.dir / name;
    v.shown = v.path.string();
    v.ext = extension_of(name);
    if (auto problem = attachment_file_problem(v.path, v.name))
      problems.error(v.shown, 0, "not imported: " + *problem);
    else
      out.push_back(std::move(v));
  }
  return out;
}

// Every importable file of the folder as a version, grouped by symbol.
std::map<std::string, std::vector<Version>> read_folder(
    const std::vector<std::string>& names, const std::map<std::string, Metadata>& metadata,
    const ImportOptions& options, const Content& site, Diagnostics& problems) {
  std::vector<Version> files = publishable(names, options, problems);
  const std::vector<FileText> texts = read_texts(files);
  std::map<std::string, std::vector<Version>> by_symbol;
  for (size_t i = 0; i < files.size(); ++i) {
    auto it = metadata.find(files[i].name);
    const Metadata* m = it == metadata.end() ? nullptr : &it->second;
    if (auto v = read_version(std::move(files[i]), texts[i], m, options, site, problems))
      by_symbol[v->symbol].push_back(std::move(*v));
  }
  return by_symbol;
}

// "1 file", "2 files".
std::string counted(int n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

const char* outcome_word(ImportedFile::Outcome o) {
  switch (o) {
    case ImportedFile::Outcome::written:
      return "wrote      ";
    case ImportedFile::Outcome::would_write:
      return "would write";
    case ImportedFile::Outcome::unchanged:
      return "unchanged  ";
    case ImportedFile::Outcome::left_alone:
      return "left alone ";
  }
  return "";
}

// The UN's letters for the six languages in a file name's suffix.
std::string language_of_letter(char c) {
  switch (c) {
    case 'A':
      return "ar";
    case 'C':
      return "zh";
    case 'E':
      return "en";
    case 'F':
      return "fr";
    case 'R':
      return "ru";
    case 'S':
      return "es";
  }
  return "";
}

std::string stem_of(std::string_view name) {
  const size_t dot = name.rfind('.');
  return std::string(dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot));
}

// How many characters of the stem's end are its language suffix (0: none).
size_t language_suffix_length(const std::string& stem, std::string* lang) {
  const size_t n = stem.size();
  if (n >= 3 && (stem[n - 2] == '-' || stem[n - 2] == '_')) {
    *lang = language_of_letter(stem[n - 1]);
    if (!lang->empty()) return 2;
  }
  if (n >= 4 && (stem[n - 3] == '-' || stem[n - 3] == '_' || stem[n - 3] == '.')) {
    const std::string code = lower_ascii(stem.substr(n - 2));
    for (const char* l : {"ar", "en", "es", "fr", "ru", "zh"})
      if (code == l) {
        *lang = code;
        return 3;
      }
  }
  lang->clear();
  return 0;
}

}  // namespace

std::string language_of_file_name(std::string_view name) {
  std::string lang;
  language_suffix_length(stem_of(name), &lang);
  return lang;
}

std::string symbol_of_file_name(std::string_view name) {
  std::string stem = stem_of(name), lang;
  stem.resize(stem.size() - language_suffix_length(stem, &lang));
  const std::string prefix = lower_ascii(stem.substr(0, 5)) == "aplc_"  ? "APLC/"
                             : lower_ascii(stem.substr(0, 4)) == "apl_" ? "APL/"
                                                                        : "";
  if (prefix.empty() || stem.size() <= prefix.size()) return "";
  std::string symbol = prefix + stem.substr(prefix.size());
  std::replace(symbol.begin(), symbol.end(), '_', '/');
  const bool plain = std::all_of(symbol.begin(), symbol.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '/' || c == '-' || c == '(' || c == ')';
  });
  return plain ? symbol : "";
}

std::string yaml_quoted(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : utf8_sequence_length(text, i);
    if (len == 0) {  // not UTF-8 (a CSV's is refused): the replacement character
      out += "\\uFFFD";
      ++i;
      continue;
    }
    // The code point, to escape what YAML does not take as printable or
    // reads as a line break: the controls (C0, DEL, C1, NEL among them),
    // LS and PS, a byte order mark, U+FFFE and U+FFFF.
    char32_t code = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k)
      code = code << 6 | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    if (code == '"' || code == '\\') {
      out += '\\';
      out += static_cast<char>(code);
    } else if (code < 0x20 || (code >= 0x7F && code < 0xA0) || code == 0x2028 || code == 0x2029 ||
               code == 0xFEFF || code == 0xFFFE || code == 0xFFFF) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(code));
      out += escape;
    } else {
      out.append(text, i, len);
    }
    i += len;
  }
  return out + "\"";
}

int ImportReport::exit_code() const {
  if (!usage_error.empty()) return 2;
  return problems.has_errors() || !stopped.empty() ? 1 : 0;
}

std::string ImportReport::file_list() const {
  std::string out;
  for (const ImportedFile& f : files)
    out += std::string(outcome_word(f.outcome)) + " " + f.path + "\n";
  return out;
}

std::string ImportReport::totals() const {
  if (!stopped.empty()) return "site-gen import: " + stopped + "\n";
  std::map<ImportedFile::Outcome, int> count;
  for (const ImportedFile& f : files) ++count[f.outcome];
  std::set<std::string> refused;
  for (const Diagnostic& d : problems.items())
    if (d.severity == Severity::error) refused.insert(d.path);
  std::string out = "site-gen import" + std::string(dry_run ? " (dry run)" : "") + ": " +
                    counted(files_read, "file") + " read, " + counted(documents, "document") + "; ";
  if (dry_run)
    out += counted(count[ImportedFile::Outcome::would_write], "file") + " would be written, ";
  else
    out += counted(count[ImportedFile::Outcome::written], "file") + " written, ";
  out += std::to_string(count[ImportedFile::Outcome::unchanged]) + " unchanged, " +
         std::to_string(count[ImportedFile::Outcome::left_alone]) + " left alone";
  if (!refused.empty())
    out += "; " + counted(int(refused.size()), "file") + " not imported (listed)";
  if (dry_run) out += "; nothing was written";
  return out + "\n";
}

std::string ImportReport::summary() const { return file_list() + totals(); }

ImportReport import_documents(const ImportOptions& options) {
  ImportReport report;
  report.dry_run = options.dry_run;
  std::error_code ec;
  if (!fs::is_directory(options.dir, ec)) {
    report.usage_error = options.dir.string() + ": not a folder";
    return report;
  }
  std::optional<Content> site = load_target(options, report);
  if (!site) return report;
  std::set<std::string> all_names;
  const std::vector<std::string> names =
      files_to_import(options.dir, options.csv, &all_names, report.problems);
  std::map<std::string, Metadata> metadata;
  if (!options.csv.empty()) {
    auto rows = read_metadata(options, all_names, *site, report.problems, &report.usage_error);
    if (!rows) {  // a CSV with problems: nothing is read or written
      if (report.usage_error.empty())
        report.stopped = "the CSV has problems (listed): nothing was imported";
      return report;
    }
    metadata = std::move(*rows);
  }
  report.files_read = static_cast<int>(names.size());
  std::vector<Settled> documents;
  for (auto& [symbol, versions] : read_folder(names, metadata, options, *site, report.problems))
    if (auto s = settle(symbol, std::move(versions), *site, report.problems))
      documents.push_back(std::move(*s));
  for (const Settled& s : documents)
    for (const Version& v : s.versions) place_version(s, v, options, report);
  report.documents = static_cast<int>(documents.size());
  return report;
}

}  // namespace sitegen
