#include "site-gen/load.h"

#include <algorithm>
#include <unordered_map>
#include <mutex>
#include <fstream>
#include <set>
#include <tuple>
#include <sstream>

#include <sys/stat.h>
#include <unicode/uloc.h>

#include "site-gen/attachment_type.h"
#include "site-gen/files.h"
#include "site-gen/front_matter.h"
#include "site-gen/markup.h"
#include "site-gen/parallel.h"
#include "site-gen/utf8.h"
#include "site-gen/yaml_util.h"

namespace sitegen {
namespace {

namespace fs = std::filesystem;
using Languages = std::vector<std::string>;

const std::set<std::string> kMeetingKinds = {"msp", "review-conference", "intersessional",
                                             "special"};
const std::set<std::string> kDocumentTypes = {"agenda",          "programme",
                                              "report",          "final-report",
                                              "working-paper",   "extension-request",
                                              "article7-report", "statement",
                                              "decision",        "other"};

std::string joined(const Languages& items, const std::string& sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return s;
}

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}


// Ids that become one segment of a URL, and so of a path under the output
// (`what` is "topic id", "meeting id", ...): anything else could climb out of
// the output ("../x"), replace a list (".", ""), nest ("a/b") or differ only
// in case on a case-insensitive host.
bool check_url_id(const std::string& what, std::string_view id, const std::string& path, int line,
                  Diagnostics& diags) {
  if (is_url_segment(id)) return true;
  diags.error(path, line,
              what + " \"" + printable(id) +
                  "\" is not a URL segment (lower-case letters a-z, digits and hyphens, "
                  "not starting with a hyphen)");
  return false;
}

// ---------------------------------------------------------------- files

std::optional<std::string> read_file(const fs::path& file, const std::string& path,
                                     Diagnostics& diags) {
  std::string why;
  auto text = read_whole_file(file, &why);
  if (!text) diags.error(path, 1, "cannot read: " + why);
  return text;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A content file name <base>.<lang>.<ext>, split. lang is empty without a suffix.
struct LangFile {
  std::string base, lang, ext;
};

std::optional<LangFile> lang_file(const std::string& filename) {
  for (std::string ext : {".md", ".html"}) {
    if (!ends_with(filename, ext)) continue;
    std::string stem = filename.substr(0, filename.size() - ext.size());
    size_t dot = stem.rfind('.');
    if (dot == std::string::npos) return LangFile{stem, "", ext};
    return LangFile{stem.substr(0, dot), stem.substr(dot + 1), ext};
  }
  return std::nullopt;
}

// The suffix must be one of site.yaml's languages. When site.yaml gave none
// (already reported), any well-formed code passes so as not to bury that
// error under one per file.
bool check_language(const std::string& lang, const Languages& langs, const std::string& path,
                    Diagnostics& diags) {
  bool known = langs.empty() ? is_language_code(lang)
                             : std::find(langs.begin(), langs.end(), lang) != langs.end();
  if (!known)
    diags.error(path, 1,
                "unknown language \"" + lang +
                    "\" (site languages: " + (langs.empty() ? "none" : joined(langs)) + ")");
  return known;
}

size_t language_rank(const std::string& lang, const Languages& langs) {
  return std::find(langs.begin(), langs.end(), lang) - langs.begin();
}

// ---------------------------------------------------------------- fields

// A per-language map, or one plain string meaning every language. Without
// the site's languages (the string entry points) the plain string is kept
// under "" which lookups fall back to.
PerLang<std::string> text_per_lang(YamlMap& m, const std::string& key, const Languages& langs) {
  auto v = m.get(key);
  if (!v || !v->IsScalar()) return m.per_lang_text(key);
  PerLang<std::string> out;
  if (langs.empty()) out[""] = v->Scalar();
  for (const auto& lang : langs) out[lang] = v->Scalar();
  return out;
}

// One of a fixed set of words; an error listing them otherwise.
std::optional<std::string> one_of(YamlMap& m, const std::string& key,
                                  const std::set<std::string>& allowed, Need need,
                                  const std::string& list) {
  auto s = m.string(key, need);
  if (!s || allowed.count(*s)) return s;
  m.error(m.value_line(key), "unknown " + key + " \"" + *s + "\" (expected " + list + ")");
  return std::nullopt;
}

std::optional<long long> count(YamlMap& m, const std::string& key, Need need = Need::optional) {
  auto n = m.integer(key, need);
  if (n && *n < 0) {
    m.error(m.value_line(key), "\"" + m.name(key) + "\" must not be negative");
    return std::nullopt;
  }
  return n;
}

// An ISO code written in lower case is an error (codes are upper case
// everywhere: file names, URLs, the index), but it is read upper-cased, so
// that one slip does not also give "unknown country" wherever it is used.
Ref upper_ref(Ref r, const YamlMap& m, const std::string& what) {
  if (std::string u = upper(r.value); u != r.value) {
    m.error(r.line, what + " \"" + r.value + "\" must be upper case (" + u + ")");
    r.value = std::move(u);
  }
  return r;
}

std::vector<Ref> upper_refs(std::vector<Ref> refs, const YamlMap& m, const std::string& what) {
  for (Ref& r : refs) r = upper_ref(std::move(r), m, what);
  return refs;
}

// ---------------------------------------------------------------- countries

// ISO 3166-1 alpha-2 codes as ICU knows them, less those ICU adds that ISO
// has not assigned: DG, EA and IC are exceptionally reserved (Diego Garcia,
// Ceuta and Melilla, the Canary Islands), XK is user-assigned (Kosovo).
bool is_assigned_iso(const std::string& code) {
  static const std::set<std::string> codes = [] {
    std::set<std::string> out;
    for (const char* const* c = uloc_getISOCountries(); c && *c; ++c) out.insert(*c);
    for (const char* not_assigned : {"DG", "EA", "IC", "XK"}) out.erase(not_assigned);
    return out;
  }();
  return codes.count(code) > 0;
}

void read_iso(YamlMap& m, Country& c) {
  auto iso = m.ref("iso", Need::required);
  if (!iso) return;
  bool letters =
      iso->value.size() == 2 && std::all_of(iso->value.begin(), iso->value.end(), [](char ch) {
        return is_ascii_alnum(ch) && !(ch >= '0' && ch <= '9');
      });
  if (!letters) {
    m.error(iso->line, "iso \"" + iso->value + "\" is not a two-letter code (ISO 3166-1 alpha-2)");
    return;
  }
  c.iso = upper_ref(*iso, m, "iso").value;
  c.iso_line = iso->line;
  if (!is_assigned_iso(c.iso))
    m.error(iso->line, "iso \"" + c.iso + "\" is not an assigned ISO 3166-1 alpha-2 code");
}

// ratified:, acceded: and succeeded: are three ways to join; a State uses one.
void read_accession(YamlMap& m, Country& c) {
  static const std::pair<const char*, Accession> kinds[] = {{"ratified", Accession::ratified},
                                                            {"acceded", Accession::acceded},
                                                            {"succeeded", Accession::succeeded}};
  struct Given {
    int line;
    std::string key;
    Accession kind;
    std::optional<Date> date;
  };
  std::vector<Given> given;
  for (const auto& [key, kind] : kinds)
    if (m.get(key)) given.push_back({m.key_line(key), key, kind, m.date(key)});
  std::sort(given.begin(), given.end(),
            [](const Given& a, const Given& b) { return a.line < b.line; });
  for (size_t i = 1; i < given.size(); ++i)
    m.error(given[i].line,
            "both " + given[0].key + " and " + given[i].key +
                " are given (a State joins one way only: ratified, acceded or succeeded)");
  if (given.empty()) return;
  c.accession = given[0].kind;
  c.deposited = given[0].date;
}

void read_status(YamlMap& m, Country& c) {
  static const std::map<std::string, Status> kStatus = {{"state-party", Status::state_party},
                                                        {"signatory", Status::signatory},
                                                        {"not-party", Status::not_party},
                                                        {"withdrawn", Status::withdrawn}};
  auto s = m.string("status");
  if (!s) return;
  c.status_line = m.value_line("status");
  auto it = kStatus.find(*s);
  if (it != kStatus.end())
    c.declared_status = it->second;
  else
    m.error(c.status_line, "unknown status \"" + *s +
                               "\" (expected state-party, signatory, not-party or withdrawn)");
}

std::optional<Extension> read_extension(const YAML::Node& node, const std::string& prefix,
                                        int fallback, const YamlMap& parent) {
  YamlMap m(node, parent.source(), parent.diags(), prefix, fallback);
  if (!m.is_map()) return std::nullopt;
  Extension x;
  x.line = m.line();
  auto granted = m.ref("granted_at", Need::required);
  auto deadline = m.date("deadline", Need::required);
  x.request = m.string("request").value_or("");
  m.check_unknown();
  if (!granted || !deadline) return std::nullopt;
  x.granted_at = *granted;
  x.deadline = *deadline;
  return x;
}

std::vector<Extension> read_extensions(YamlMap& m) {
  std::vector<Extension> out;
  auto list = m.get("extensions");
  if (!list) return out;
  if (!list->IsSequence()) {
    m.error(m.value_line("extensions"), "\"" + m.name("extensions") + "\" must be a list");
    return out;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const YAML::Node item = (*list)[i];
    std::string prefix = m.name("extensions") + "[" + std::to_string(i) + "].";
    int line = node_line(item, m.source(), m.value_line("extensions"));
    if (auto x = read_extension(item, prefix, line, m)) out.push_back(*x);
  }
  return out;
}

std::optional<Article5> read_article5(YamlMap& parent) {
  auto node = parent.get("article5");
  if (!node) return std::nullopt;
  YamlMap m(*node, parent.source(), parent.diags(), "article5.", parent.value_line("article5"));
  if (!m.is_map()) return std::nullopt;
  Article5 a;
  a.original_deadline = m.date("original_deadline");
  a.extensions = read_extensions(m);
  a.completed = m.date("completed");
  m.check_unknown();
  return a;
}

std::optional<Stockpile> read_stockpile(YamlMap& parent) {
  auto node = parent.get("stockpile");
  if (!node) return std::nullopt;
  int line = parent.value_line("stockpile");
  if (node->IsScalar()) {
    if (node->Scalar() == "none") {
      Stockpile none;
      none.none = true;
      return none;
    }
    parent.error(line, "\"stockpile\" must be none or a map {destroyed, completed}, not \"" +
                           node->Scalar() + "\"");
    return std::nullopt;
  }
  YamlMap m(*node, parent.source(), parent.diags(), "stockpile.", line);
  if (!m.is_map()) return std::nullopt;
  Stockpile s;
  s.destroyed = count(m, "destroyed");
  s.completed = m.date("completed");
  m.check_unknown();
  return s;
}

std::optional<MinesRetained> read_mines_retained(YamlMap& parent) {
  auto node = parent.get("mines_retained");
  if (!node) return std::nullopt;
  YamlMap m(*node, parent.source(), parent.diags(), "mines_retained.",
            parent.value_line("mines_retained"));
  if (!m.is_map()) return std::nullopt;
  auto number = count(m, "number", Need::required);
  auto as_of = m.integer("as_of");
  m.check_unknown();
  if (!number) return std::nullopt;
  MinesRetained r;
  r.number = *number;
  if (as_of) r.as_of = int(*as_of);
  return r;
}

// A country without a usable iso is dropped: nothing can refer to it.
std::optional<Country> country_from(std::string_view yaml, const std::string& slug,
                                    const std::string& path, Diagnostics& diags) {
  YamlSource src{path, 1};
  auto root = parse_yaml(yaml, src, diags);
  if (!root) return std::nullopt;
  YamlMap m(*root, src, diags);
  if (!m.is_map()) return std::nullopt;
  Country c;
  c.slug = slug;
  c.source = {path, 1};
  read_iso(m, c);
  c.names = m.per_lang_text("names");
  c.aliases = m.per_lang_lists("aliases");
  c.signed_on = m.date("signed");
  read_accession(m, c);
  c.entry_into_force = m.date("entry_into_force");
  c.withdrawal_notice = m.date("withdrawal_notice");
  c.withdrawal_effective = m.date("withdrawal_effective");
  read_status(m, c);
  c.article5 = read_article5(m);
  c.stockpile = read_stockpile(m);
  c.mines_retained = read_mines_retained(m);
  c.page_aliases = m.refs("page_aliases");
  m.check_unknown();
  if (c.iso.empty()) return std::nullopt;
  return c;
}

// ---------------------------------------------------------------- meetings

void read_meeting_dates(YamlMap& m, Meeting& mt) {
  auto start = m.date("start", Need::required);
  auto end = m.date("end", Need::required);
  if (start) mt.start = *start;
  if (end) mt.end = *end;
  if (start && end && *end < *start)
    m.error(m.value_line("end"), "end " + end->iso() + " is before start " + start->iso());
}

std::optional<Meeting> meeting_from(std::string_view yaml, const std::string& id,
                                    const std::string& path, const Languages& langs,
                                    Diagnostics& diags) {
  YamlSource src{path, 1};
  auto root = parse_yaml(yaml, src, diags);
  if (!root) return std::nullopt;
  YamlMap m(*root, src, diags);
  if (!m.is_map()) return std::nullopt;
  Meeting mt;
  mt.id = id;
  mt.source = {path, 1};
  mt.kind = one_of(m, "kind", kMeetingKinds, Need::required,
                   "msp, review-conference, intersessional or special")
                .value_or("");
  if (auto n = m.integer("number")) mt.number = int(*n);
  mt.title = text_per_lang(m, "title", langs);
  if (mt.title.empty() && m.get("title"))
    m.error(m.value_line("title"), "\"title\" must give the title in at least one language");
  else if (mt.title.empty() && !m.get("title"))
    m.missing("title");
  read_meeting_dates(m, mt);
  mt.venue = text_per_lang(m, "venue", langs);
  if (auto p = m.ref("president")) mt.president = upper_ref(*p, m, "president");
  mt.page_aliases = m.refs("page_aliases");
  m.check_unknown();
  return mt;
}

// ---------------------------------------------------------------- topics

std::vector<Topic> topics_from(std::string_view yaml, const std::string& path, Diagnostics& diags) {
  std::vector<Topic> out;
  YamlSource src{path, 1};
  auto root = parse_yaml(yaml, src, diags);
  if (!root || root->IsNull()) return out;
  if (!root->IsMap()) {
    diags.error(path, node_line(*root, src, 1), "topics.yaml must be a map of topic ids");
    return out;
  }
  std::map<std::string, int> first_line;  // id -> where it is first defined
  for (auto it = root->begin(); it != root->end(); ++it) {
    Topic t;
    t.id = it->first.Scalar();
    t.source = {path, node_line(it->first, src, 1)};
    check_url_id("topic id", t.id, path, t.source.line, diags);
    if (auto [at, fresh] = first_line.emplace(t.id, t.source.line); !fresh)
      diags.error(path, t.source.line,
                  "topic id \"" + printable(t.id) + "\" is already defined at line " +
                      std::to_string(at->second));
    YamlMap m(it->second, src, diags, t.id + ".", t.source.line);
    if (!m.is_map()) continue;
    t.names = m.per_lang_text("names");
    t.keywords = m.per_lang_lists("keywords");
    m.check_unknown();
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const Topic& a, const Topic& b) { return a.id < b.id; });
  return out;
}

// ---------------------------------------------------------------- site.yaml

Languages read_languages(YamlMap& m) {
  Languages out;
  std::vector<Ref> codes = m.refs("languages");
  for (const Ref& code : codes) {
    if (!is_language_code(code.value))
      m.error(code.line, "invalid language code \"" + code.value +
                             "\" in languages (expected lower case, like en)");
    else if (std::find(out.begin(), out.end(), code.value) != out.end())
      m.error(code.line, "duplicate language \"" + code.value + "\" in languages");
    else
      out.push_back(code.value);
  }
  if (!m.get("languages"))
    m.missing("languages");
  else if (out.empty() && codes.empty())
    m.error(m.value_line("languages"), "\"languages\" must list at least one language");
  return out;
}

// ---------------------------------------------------------------- prose

// A body, with its own problems (bad bytes, raw HTML left open) reported.
Body body_from(const FrontMatter& fm, bool html, const std::string& path, Diagnostics& diags) {
  report_bad_bytes(fm.body, path, fm.body_line, diags);
  return html ? html_body(fm.body, fm.body_line, &diags, path)
              : markdown_body(fm.body, fm.body_line, &diags, path);
}

// A page with no front matter may still name itself with a leading heading.
std::string leading_heading(const std::string& body) {
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    return line.rfind("# ", 0) == 0 ? line.substr(2) : "";
  }
  return "";
}

// A country's prose, a general page or a home page: optional front matter
// with title, weight and page_aliases. Other keys only warn, as Hugo users
// carry keys for other tools.
std::optional<Prose> prose_from(std::string_view text, const std::string& path,
                                const std::string& lang, Need title, Diagnostics& diags) {
  FrontMatter fm = split_front_matter(text, FrontMatterNeed::optional);
  if (!fm.ok()) {
    diags.error(path, fm.error_line, fm.error);
    return std::nullopt;
  }
  Prose p;
  p.lang = lang;
  p.source = {path, 1};
  if (fm.present) {
    YamlSource src{path, fm.yaml_line};
    auto root = parse_yaml(fm.yaml, src, diags);
    std::optional<YamlMap> parsed;
    if (root) parsed.emplace(*root, src, diags, "", 1);
    if (!parsed || !parsed->is_map()) {  // reported; the body's own problems too, in this run
      body_from(fm, false, path, diags);
      return std::nullopt;
    }
    YamlMap& m = *parsed;
    p.title = m.string("title", title).value_or("");
    p.description = m.string("description").value_or("");
    p.weight = int(m.integer("weight").value_or(0));
    p.page_aliases = m.refs("page_aliases");
    m.check_unknown(Severity::warning);
  } else if (title == Need::required) {
    p.title = leading_heading(fm.body);
    if (p.title.empty())
      diags.error(path, 1,
                  "missing required field \"title\" (no front matter, no leading # heading)");
  }
  p.body = body_from(fm, false, path, diags);
  return p;
}

// ---------------------------------------------------------------- documents

// One language file of a document with the front matter fields that must
// agree across versions, and the lines they were written on.
struct VersionFile {
  DocumentVersion version;
  Ref symbol, type, original;  // empty value: missing or invalid
  Date date;
  int date_line = 0;  // 0: missing or invalid
  std::string agenda_item;
  std::vector<Ref> topics, countries, page_aliases;
  // False when a required field is missing or invalid (already reported):
  // the version is kept so that its references and links are checked in
  // the same run, but the build stops on that error before anything is
  // written.
  bool complete = true;
};

// Front matter of a document version, with what could be read of it.
VersionFile version_fields(YamlMap& m) {
  VersionFile f;
  auto symbol = m.ref("symbol", Need::required);
  auto title = m.string("title", Need::required);
  auto date = m.date("date", Need::required);
  auto type = one_of(m, "type", kDocumentTypes, Need::required,
                     "agenda, programme, report, final-report, working-paper, extension-request, "
                     "article7-report, statement, decision or other");
  f.agenda_item = m.string("agenda_item").value_or("");
  if (auto o = m.ref("original")) {
    if (is_language_code(o->value))
      f.original = *o;
    else
      m.error(o->line, "invalid language code \"" + o->value + "\" for original");
  }
  f.topics = m.refs("topics");
  f.countries = upper_refs(m.refs("countries"), m, "country code");
  f.version.files = m.refs("files");
  f.page_aliases = m.refs("page_aliases");
  m.check_unknown();
  f.complete = symbol && title && date && type;
  if (symbol) f.symbol = *symbol;
  if (title) f.version.title = *title;
  if (date) {
    f.date = *date;
    f.date_line = m.value_line("date");
  }
  if (type) f.type = {*type, m.value_line("type"), m.source().file};
  return f;
}

std::optional<VersionFile> version_from(std::string_view text, const std::string& path,
                                        const LangFile& name, Diagnostics& diags) {
  FrontMatter fm = split_front_matter(text, FrontMatterNeed::required);
  if (!fm.ok()) {
    diags.error(path, fm.error_line, fm.error);
    return std::nullopt;
  }
  const bool html = name.ext == ".html";
  YamlSource src{path, fm.yaml_line};
  auto root = parse_yaml(fm.yaml, src, diags);
  std::optional<YamlMap> m;
  if (root) m.emplace(*root, src, diags, "", 1);
  if (!m || !m->is_map()) {  // reported; the body's own problems too, in this run
    body_from(fm, html, path, diags);
    return std::nullopt;
  }
  std::optional<VersionFile> f = version_fields(*m);
  f->version.lang = name.lang;
  f->version.source = {path, 1};
  f->version.body = body_from(fm, html, path, diags);
  return f;
}

void add_union(std::vector<Ref>& into, const std::vector<Ref>& from) {
  for (const Ref& r : from)
    if (std::none_of(into.begin(), into.end(), [&](const Ref& x) { return x.value == r.value; }))
      into.push_back(r);
}

// Each version's references, once per file: a wrong one written in two
// versions is two mistakes, each reported where it was written.
void add_per_file(std::vector<Ref>& into, const std::vector<Ref>& from) {
  for (const Ref& r : from)
    if (std::none_of(into.begin(), into.end(), [&](const Ref& x) {
          return x.value == r.value && x.file_or("") == r.file_or("");
        }))
      into.push_back(r);
}

// Versions must agree on what identifies the document.
void check_agreement(const VersionFile& v, const VersionFile& main, Diagnostics& diags) {
  const std::string& path = v.version.source.path;
  const std::string& other = main.version.source.path;
  // A field missing or invalid in either version was reported already.
  if (!v.symbol.value.empty() && !main.symbol.value.empty() && v.symbol.value != main.symbol.value)
    diags.error(path, v.symbol.line,
                "symbol " + v.symbol.value + " differs from " + main.symbol.value + " in " + other);
  if (v.date_line > 0 && main.date_line > 0 && v.date != main.date)
    diags.error(path, v.date_line,
                "date " + v.date.iso() + " differs from " + main.date.iso() + " in " + other);
  if (!v.type.value.empty() && !main.type.value.empty() && v.type.value != main.type.value)
    diags.error(path, v.type.line,
                "type " + v.type.value + " differs from " + main.type.value + " in " + other);
  if (!v.original.value.empty() && !main.original.value.empty() &&
      v.original.value != main.original.value)
    diags.error(
        path, v.original.line,
        "original " + v.original.value + " differs from " + main.original.value + " in " + other);
}

// The version whose fields speak for the document: the original language's,
// else the first in the site's language order.
size_t main_version(const std::vector<VersionFile>& files) {
  for (const auto& f : files)
    if (!f.original.value.empty())
      for (size_t i = 0; i < files.size(); ++i)
        if (files[i].version.lang == f.original.value) return i;
  return 0;
}

struct Assembled {
  Document doc;
  Source symbol_at;  // where the main version wrote the symbol
};

Assembled assemble_document(const std::string& meeting, const std::string& name,
                            std::vector<VersionFile> files, const Languages& langs,
                            Diagnostics& diags) {
  std::stable_sort(files.begin(), files.end(), [&](const VersionFile& a, const VersionFile& b) {
    return std::pair(language_rank(a.version.lang, langs), a.version.lang) <
           std::pair(language_rank(b.version.lang, langs), b.version.lang);
  });
  for (const auto& f : files)
    if (!f.original.value.empty() && !langs.empty() &&
        std::find(langs.begin(), langs.end(), f.original.value) == langs.end())
      diags.error(f.version.source.path, f.original.line,
                  "unknown language \"" + f.original.value +
                      "\" for original (site languages: " + joined(langs) + ")");
  const VersionFile& main = files[main_version(files)];
  for (const auto& f : files)
    if (&f != &main) check_agreement(f, main, diags);
  // The symbol of the main version, or (when it has none: reported) of another.
  const VersionFile* named = &main;
  for (const auto& f : files)
    if (named->symbol.value.empty() && !f.symbol.value.empty()) named = &f;
  Assembled a;
  Document& d = a.doc;
  d.meeting = meeting;
  d.name = name;
  d.symbol = named->symbol.value;
  d.slug = symbol_slug(d.symbol);
  // Without a symbol (reported) the document still needs a URL of its own
  // for the checks that follow; nothing is published with the error.
  if (d.slug.empty()) d.slug = "invalid-" + meeting + "-" + name;
  d.date = main.date;
  d.type = main.type.value;
  d.agenda_item = main.agenda_item;
  for (const auto& f : files)
    if (d.original.empty()) d.original = f.original.value;
  a.symbol_at = {named->version.source.path, named->symbol.line};
  for (auto& f : files) {
    add_per_file(d.topics, f.topics);
    add_per_file(d.countries, f.countries);
    add_union(d.files, f.version.files);
    add_union(d.page_aliases, f.page_aliases);
    d.versions.push_back(std::move(f.version));
  }
  d.source = {d.versions.front().source.path, 1};
  return a;
}

void check_duplicate_symbols(const std::vector<Assembled>& docs, Diagnostics& diags) {
  std::map<std::string, std::string> first_path;
  for (const Assembled& a : docs) {
    if (a.doc.symbol.empty()) continue;  // missing: reported
    auto [it, fresh] = first_path.emplace(a.doc.symbol, a.symbol_at.path);
    if (!fresh)
      diags.error(a.symbol_at.path, a.symbol_at.line,
                  "duplicate symbol \"" + a.doc.symbol + "\" also used by " + it->second);
  }
}

// A document's URL is made of its symbol's slug: two symbols that differ only
// in punctuation or case would publish one page over the other, and a symbol
// with no letter or digit would publish over the documents list.
void check_symbol_slugs(const std::vector<Assembled>& docs, Diagnostics& diags) {
  std::map<std::string, const Assembled*> first;  // slug -> first document with it
  for (const Assembled& a : docs) {
    if (a.doc.symbol.empty()) continue;  // no symbol: reported where it is missing
    if (symbol_slug(a.doc.symbol).empty()) {  // a.doc.slug is a placeholder then
      diags.error(
          a.symbol_at.path, a.symbol_at.line,
          "symbol \"" + printable(a.doc.symbol) + "\" has no letter or digit to make its URL from");
      continue;
    }
    auto [it, fresh] = first.emplace(a.doc.slug, &a);
    if (!fresh && it->second->doc.symbol != a.doc.symbol)  // the same symbol: reported above
      diags.error(a.symbol_at.path, a.symbol_at.line,
                  "symbol \"" + printable(a.doc.symbol) + "\" has the same URL (documents/" +
                      a.doc.slug + "/) as \"" + printable(it->second->doc.symbol) + "\" in " +
                      it->second->symbol_at.path + ":" +
                      std::to_string(it->second->symbol_at.line));
  }
}

// ---------------------------------------------------------------- the site

// What says a file is unchanged: one stat(2) (the two std::filesystem
// calls cost two, for each of 18,000 files on every edit).
struct FileStamp {
  int64_t mtime_ns = 0;
  uint64_t size = 0, inode = 0;
  bool operator==(const FileStamp&) const = default;
};

std::optional<FileStamp> stamp_of(const fs::path& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                   uint64_t(st.st_size), uint64_t(st.st_ino)};
}

}  // namespace

struct LoadCache::Impl {
  struct Parsed {
    FileStamp stamp;
    std::optional<VersionFile> result;
    Diagnostics diags;
  };
  std::mutex mu;
  std::unordered_map<std::string, Parsed> versions;  // by path relative to the site

  // The parse of `rel` if the file is unchanged since it was kept.
  bool find(const std::string& rel, const FileStamp& stamp, std::optional<VersionFile>* result,
            Diagnostics* diags) {
    std::lock_guard lock(mu);
    auto it = versions.find(rel);
    if (it == versions.end() || !(it->second.stamp == stamp)) return false;
    *result = it->second.result;
    *diags = it->second.diags;
    return true;
  }
  void keep(const std::string& rel, const FileStamp& stamp,
            const std::optional<VersionFile>& result, const Diagnostics& diags) {
    std::lock_guard lock(mu);
    versions[rel] = Parsed{stamp, result, diags};
  }

  // Attachment type checks (attachment_type.h), by path relative to the
  // site and the stamp of the real file: libmagic takes ~0.2 ms for a PDF
  // and a few ms for a text file, for each attachment on every full load.
  struct Checked {
    FileStamp stamp;
    std::optional<std::string> problem;
  };
  std::unordered_map<std::string, Checked> attachment_types;

  std::optional<std::string> attachment_problem(const std::string& rel, const fs::path& real,
                                                const std::string& name) {
    std::optional<FileStamp> stamp = stamp_of(real);
    if (stamp) {
      std::lock_guard lock(mu);
      auto it = attachment_types.find(rel);
      if (it != attachment_types.end() && it->second.stamp == *stamp) return it->second.problem;
    }
    std::optional<std::string> problem = attachment_file_problem(real, name);
    if (stamp) {
      std::lock_guard lock(mu);
      attachment_types[rel] = Checked{*stamp, problem};
    }
    return problem;
  }
};

LoadCache::LoadCache() : impl(std::make_unique<Impl>()) {}
LoadCache::~LoadCache() = default;

namespace {

// The parse of one document version file, from the cache (when there is
// one) if the file is unchanged since it was kept. Its problems, cached or
// new, go to `diags`.
std::optional<VersionFile> parse_version_file(const fs::path& root, const std::string& rel,
                                              const LangFile& name, LoadCache* cache,
                                              Diagnostics& diags) {
  std::optional<FileStamp> stamp = cache ? stamp_of(root / rel) : std::nullopt;
  std::optional<VersionFile> result;
  Diagnostics found;
  if (!stamp || !cache->impl->find(rel, *stamp, &result, &found)) {
    if (auto text = read_file(root / rel, rel, found)) result = version_from(*text, rel, name, found);
    if (stamp) cache->impl->keep(rel, *stamp, result, found);
  }
  diags.merge(std::move(found));
  return result;
}

class SiteLoader {
 public:
  SiteLoader(fs::path root, Diagnostics& diags, LoadCache* cache)
      : root_(std::move(root)), tree_(root_), diags_(diags), cache_(cache) {}

  Content load() {
    load_config();
    load_countries();
    load_meetings();
    load_topics();
    load_pages();
    load_home();
    return std::move(c_);
  }

 private:
  std::optional<std::string> read(const std::string& rel) {
    return read_file(root_ / rel, rel, diags_);
  }

  // An entry that cannot be used is an error wherever it is under content/:
  // a FIFO, a device, a dangling link, a loop or a link out of the site is
  // never what an author meant, and reading it could hang or publish a file
  // from outside the site.
  bool usable(const SiteEntry& e) {
    if (e.kind != SiteEntry::Kind::problem) return true;
    // Once: content/topics.yaml is also an entry of content/.
    if (reported_.insert(e.rel).second) diags_.error(e.rel, 1, "cannot read: " + e.problem);
    return false;
  }

  // What folder() does with an unusable entry: reports it, or (a possible
  // attachment, in a meeting folder) keeps it for check_attachment_types(),
  // which reports it at the files: line that names it.
  enum class Unusable { report, defer_attachments, defer_all };

  // The usable entries of a folder of the site (none when it is missing).
  std::vector<SiteEntry> folder(const std::string& rel) { return folder(tree_.find(rel)); }
  std::vector<SiteEntry> folder(const SiteEntry& dir, Unusable unusable = Unusable::report) {
    std::vector<SiteEntry> out;
    if (!usable(dir) || dir.kind == SiteEntry::Kind::missing) return out;
    if (!dir.is_folder()) {
      diags_.error(dir.rel, 1, "expected a folder, found a file");
      return out;
    }
    std::string error;
    for (SiteEntry& e : tree_.list(dir, &error)) {
      bool content = e.name() == "meeting.yaml" || lang_file(e.name());
      if (e.kind == SiteEntry::Kind::problem &&
          (unusable == Unusable::defer_all ||
           (unusable == Unusable::defer_attachments && !content)))
        unusable_[e.rel] = std::move(e);
      else if (usable(e))
        out.push_back(std::move(e));
    }
    if (!error.empty()) diags_.error(dir.rel, 1, error);
    return out;
  }

  // A single file the site may have (site.yaml, content/topics.yaml):
  // whether it is there and readable, its problem reported.
  bool optional_file(const std::string& rel) {
    SiteEntry e = tree_.find(rel);
    if (e.kind == SiteEntry::Kind::missing || !usable(e)) return false;
    if (!e.is_file()) diags_.error(rel, 1, "cannot read: it is a folder, not a file");
    return e.is_file();
  }

  void load_config() {
    if (tree_.find("site.yaml").kind == SiteEntry::Kind::missing) {
      diags_.error("site.yaml", 1, "missing file: every site needs a site.yaml");
      return;
    }
    if (!optional_file("site.yaml")) return;
    if (auto text = read("site.yaml"))
      if (auto cfg = parse_site_config(normalize_text(*text), "site.yaml", diags_))
        c_.config = *cfg;
  }

  const Languages& langs() const { return c_.config.languages; }

  // A .md/.html file's language, checked; nullopt when it is not content.
  std::optional<LangFile> content_name(const std::string& filename, const std::string& rel) {
    auto lf = lang_file(filename);
    if (lf && !check_language(lf->lang, langs(), rel, diags_)) lf->lang.clear();
    return lf;
  }

  void load_countries() {
    std::map<std::string, std::vector<Prose>> prose;  // slug -> versions
    for (const SiteEntry& e : folder("content/countries")) {
      std::string filename = e.name(), rel = e.rel;
      if (!e.is_file()) continue;
      if (ends_with(filename, ".yaml")) {
        load_country(filename.substr(0, filename.size() - 5), rel);
      } else if (auto lf = content_name(filename, rel)) {
        if (lf->lang.empty()) continue;
        if (auto text = read(rel))
          if (auto p = prose_from(*text, rel, lf->lang, Need::optional, diags_))
            prose[lf->base].push_back(std::move(*p));
      } else {
        diags_.warning(rel, 1, "ignored: expected <slug>.yaml or <slug>.<lang>.md");
      }
    }
    std::sort(c_.countries.edit().begin(), c_.countries.edit().end(),
              [](const Country& a, const Country& b) { return a.slug < b.slug; });
    attach_country_prose(prose);
    check_duplicate_iso();
  }

  void load_country(const std::string& slug, const std::string& rel) {
    check_url_id("country slug (the file's name)", slug, rel, 1, diags_);
    auto text = read(rel);
    if (!text) return;
    if (auto c = country_from(normalize_text(*text), slug, rel, diags_))
      c_.countries.edit().push_back(std::move(*c));
  }

  void attach_country_prose(std::map<std::string, std::vector<Prose>>& prose) {
    for (auto& [slug_binding, versions] : prose) {
      const std::string& slug = slug_binding;  // clang 14 cannot capture a binding
      auto& countries = c_.countries.edit();
      auto it = std::find_if(countries.begin(), countries.end(),
                             [&](const Country& c) { return c.slug == slug; });
      for (auto& p : versions) {
        if (it == countries.end())
          diags_.error(p.source.path, 1,
                       "prose for a State with no content/countries/" + slug + ".yaml");
        else
          it->prose[p.lang] = std::move(p);
      }
    }
  }

  void check_duplicate_iso() {
    std::map<std::string, std::string> first_path;
    for (const Country& c : c_.countries) {
      auto [it, fresh] = first_path.emplace(c.iso, c.source.path);
      if (!fresh)
        diags_.error(c.source.path, c.iso_line,
                     "duplicate iso \"" + c.iso + "\": also used by " + it->second);
    }
  }

  // Document files are read and converted on all cores: Markdown and HTML
  // bodies are most of the loading time of a large archive.
  struct VersionJob {
    std::string meeting, rel;
    LangFile name;
    std::optional<VersionFile> result;
    Diagnostics diags;
  };

  void load_meetings() {
    std::vector<VersionJob> jobs;
    for (const SiteEntry& e : folder("content/meetings")) {
      if (e.is_folder()) {
        check_url_id("meeting id (the folder's name)", e.name(), e.rel + "/meeting.yaml", 1,
                     diags_);
        load_meeting(e, jobs);
      } else
        diags_.warning(e.rel, 1, "ignored: content/meetings/ holds one folder per meeting");
    }
    parallel_for(jobs.size(), default_jobs(), [&](size_t i) {
      VersionJob& job = jobs[i];
      job.result = parse_version_file(root_, job.rel, job.name, cache_, job.diags);
    });
    // meeting -> base name -> versions; maps keep the output independent of
    // directory order.
    std::map<std::pair<std::string, std::string>, std::vector<VersionFile>> versions;
    for (auto& job : jobs) {
      diags_.merge(std::move(job.diags));
      if (job.result) versions[{job.meeting, job.name.base}].push_back(std::move(*job.result));
    }
    std::vector<Assembled> docs;
    for (auto& [key, files] : versions)
      docs.push_back(assemble_document(key.first, key.second, std::move(files), langs(), diags_));
    check_duplicate_symbols(docs, diags_);
    check_symbol_slugs(docs, diags_);
    for (auto& a : docs) c_.documents.push_back(std::move(a.doc));
    std::sort(c_.attachments.begin(), c_.attachments.end());
    check_attachment_types();
  }

  void load_meeting(const SiteEntry& dir, std::vector<VersionJob>& jobs) {
    const std::string id = dir.name();
    std::vector<SiteEntry> found = folder(dir, Unusable::defer_attachments);
    if (!has_meeting_yaml(dir, found))
      diags_.error(dir.rel + "/meeting.yaml", 1,
                   "missing file: every meeting folder needs a meeting.yaml");
    for (const SiteEntry& e : found) {
      std::string filename = e.name(), rel = e.rel;
      if (filename == "meeting.yaml") {
        if (auto text = read(rel))
          if (auto m = meeting_from(normalize_text(*text), id, rel, langs(), diags_))
            c_.meetings.edit().push_back(std::move(*m));
      } else if (e.is_folder()) {
        add_attachments(e);
      } else if (auto lf = content_name(filename, rel)) {
        if (!lf->lang.empty()) jobs.push_back({id, rel, *lf, std::nullopt, {}});
      } else {
        add_attachment(e);
      }
    }
  }

  // Whether the meeting folder has a meeting.yaml, or one whose problem
  // (a FIFO, a dangling link...) was reported already.
  bool has_meeting_yaml(const SiteEntry& dir, const std::vector<SiteEntry>& usable) {
    for (const SiteEntry& e : usable)
      if (e.name() == "meeting.yaml") return true;
    return tree_.find(dir.rel + "/meeting.yaml").kind != SiteEntry::Kind::missing;
  }

  // Files in a meeting's subfolders are attachments too (files: [annex/a.pdf]).
  void add_attachments(const SiteEntry& dir) {
    for (const SiteEntry& e : folder(dir, Unusable::defer_all)) {
      if (e.is_folder())
        add_attachments(e);
      else
        add_attachment(e);
    }
  }

  void add_attachment(const SiteEntry& e) {
    c_.attachments.push_back(e.rel);
    attachment_files_[e.rel] = e.resolved;
  }

  // The unusable entry (the file or a folder on its way) that keeps the
  // attachment `rel` from being published, or null.
  const SiteEntry* unusable_attachment(const std::string& rel, const std::string& meeting_dir) {
    for (std::string p = rel; p.size() > meeting_dir.size(); p = p.substr(0, p.rfind('/')))
      if (auto it = unusable_.find(p); it != unusable_.end()) return &it->second;
    return nullptr;
  }

  // Each file that a document's files: names must be usable (a link inside
  // the site, not a FIFO...) and of a passive type by its name and its
  // bytes (attachment_type.h); the error goes to each files: line naming
  // it. A name not found at all is resolve's to report.
  void check_attachment_types() {
    struct Named {
      std::string rel, name;
      std::optional<std::string> problem;
    };
    std::vector<Named> files;
    std::map<std::string, size_t> index;  // rel -> files[i]
    std::set<std::string> explained;      // unusable entries a files: line reports
    for (const Document& d : c_.documents)
      for (const DocumentVersion& v : d.versions)
        for (const Ref& f : v.files) {
          std::string dir = "content/meetings/" + d.meeting, rel = dir + "/" + f.value;
          if (attachment_files_.count(rel)) {
            if (index.emplace(rel, files.size()).second) files.push_back({rel, f.value, {}});
          } else if (const SiteEntry* bad = unusable_attachment(rel, dir)) {
            std::string where = bad->rel == rel ? "" : bad->rel.substr(dir.size() + 1) + ": ";
            diags_.error(
                v.source.path, f.line,
                "attachment \"" + f.value + "\" cannot be published: " + where + bad->problem);
            explained.insert(bad->rel);
            // Found, though unusable: resolve need not say it is missing.
            c_.attachments.push_back(rel);
          }
        }
    std::sort(c_.attachments.begin(), c_.attachments.end());
    c_.attachments.erase(std::unique(c_.attachments.begin(), c_.attachments.end()),
                         c_.attachments.end());
    for (const auto& [rel, e] : unusable_)
      if (!explained.count(rel)) usable(e);
    parallel_for(files.size(), default_jobs(), [&](size_t i) {
      const fs::path& real = attachment_files_.at(files[i].rel);
      files[i].problem = cache_
                             ? cache_->impl->attachment_problem(files[i].rel, real, files[i].name)
                             : attachment_file_problem(real, files[i].name);
    });
    for (const Document& d : c_.documents)
      for (const DocumentVersion& v : d.versions)
        for (const Ref& f : v.files) {
          auto it = index.find("content/meetings/" + d.meeting + "/" + f.value);
          if (it != index.end() && files[it->second].problem)
            diags_.error(v.source.path, f.line, *files[it->second].problem);
        }
  }

  void load_topics() {
    if (!optional_file("content/topics.yaml")) return;
    if (auto text = read("content/topics.yaml"))
      c_.topics.edit() = parse_topics(normalize_text(*text), "content/topics.yaml", diags_);
  }

  void load_pages() {
    std::map<std::string, Page> pages;
    std::set<std::string> bad_slugs;
    for (const SiteEntry& e : folder("content/pages")) {
      std::string filename = e.name(), rel = e.rel;
      auto lf =
          e.is_file() && ends_with(filename, ".md") ? content_name(filename, rel) : std::nullopt;
      if (!lf) {
        diags_.warning(rel, 1, "ignored: expected <slug>.<lang>.md");
        continue;
      }
      if (lf->lang.empty()) continue;
      if (!pages.count(lf->base) && !bad_slugs.count(lf->base) &&
          !check_url_id("page slug (the file's name)", lf->base, rel, 1, diags_))
        bad_slugs.insert(lf->base);  // once per page, not once per language
      if (auto text = read(rel))
        if (auto p = prose_from(*text, rel, lf->lang, Need::required, diags_)) {
          pages[lf->base].slug = lf->base;
          pages[lf->base].versions[lf->lang] = std::move(*p);
        }
    }
    for (auto& [slug, page] : pages) c_.pages.edit().push_back(std::move(page));  // map order: sorted
  }

  void load_home() {
    for (const SiteEntry& e : folder("content")) {
      std::string filename = e.name(), rel = e.rel;
      if (!e.is_file() || filename.rfind("_index.", 0) != 0) continue;
      auto lf = content_name(filename, rel);
      if (!lf || lf->lang.empty()) continue;
      if (auto text = read(rel))
        if (auto p = prose_from(*text, rel, lf->lang, Need::optional, diags_))
          c_.home[lf->lang] = std::move(*p);
    }
  }

  fs::path root_;
  SiteTree tree_;
  Diagnostics& diags_;
  LoadCache* cache_;  // may be null
  Content c_;
  std::map<std::string, fs::path> attachment_files_;  // attachment -> its real path
  std::map<std::string, SiteEntry> unusable_;         // in meeting folders, not reported yet
  std::set<std::string> reported_;                    // unusable entries reported
};

}  // namespace

bool is_url_segment(std::string_view id) {
  if (id.empty() || id.front() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  });
}

std::string symbol_slug(std::string_view symbol) {
  std::string out;
  bool gap = false;
  for (char ch : symbol) {
    if (!is_ascii_alnum(ch)) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '-';
    gap = false;
    out += (ch >= 'A' && ch <= 'Z') ? char(ch - 'A' + 'a') : ch;
  }
  return out;
}

std::optional<SiteConfig> parse_site_config(std::string_view yaml, const std::string& path,
                                            Diagnostics& diags) {
  YamlSource src{path, 1};
  auto root = parse_yaml(yaml, src, diags);
  if (!root) return std::nullopt;
  YamlMap m(*root, src, diags);
  if (!m.is_map()) return std::nullopt;
  SiteConfig cfg;
  cfg.source = {path, 1};
  cfg.languages = read_languages(m);
  cfg.title = text_per_lang(m, "title", cfg.languages);
  cfg.base_url = m.string("base_url").value_or("/");
  if (cfg.base_url.back() != '/') cfg.base_url += '/';
  cfg.theme = m.string("theme").value_or("default");
  // A search service on another host (or under another path): the search
  // forms submit there and the instant-search script asks it.
  if (auto s = m.string("search_url")) {
    auto starts = [&](std::string_view p) { return s->rfind(p, 0) == 0 && s->size() > p.size(); };
    bool ok = (starts("http://") || starts("https://") ||
               (!s->empty() && (*s)[0] == '/' && (s->size() < 2 || (*s)[1] != '/'))) &&
              s->find_first_of(" \t\"'<>?#\\") == std::string::npos;
    if (ok) {
      cfg.search_url = *s;
      if (cfg.search_url.back() != '/') cfg.search_url += '/';
    } else {
      m.error(m.value_line("search_url"),
              "search_url must be an absolute http:// or https:// URL or a path starting with '/' "
              "(without spaces, quotes, '?' or '#'), not \"" +
                  *s + "\"");
    }
  }
  m.check_unknown();
  if (cfg.languages.empty()) return std::nullopt;
  return cfg;
}

std::optional<Country> parse_country(std::string_view yaml, const std::string& slug,
                                     const std::string& path, Diagnostics& diags) {
  return country_from(yaml, slug, path, diags);
}

std::optional<Meeting> parse_meeting(std::string_view yaml, const std::string& id,
                                     const std::string& path, Diagnostics& diags) {
  return meeting_from(yaml, id, path, {}, diags);
}

std::vector<Topic> parse_topics(std::string_view yaml, const std::string& path,
                                Diagnostics& diags) {
  return topics_from(yaml, path, diags);
}

Content load_site(const std::filesystem::path& site_root, Diagnostics& diags, LoadCache* cache) {
  return SiteLoader(site_root, diags, cache).load();
}

namespace {

// The document (index in `c.documents`) with a version in `rel`
// (content/meetings/<meeting>/<file>), or -1. Documents are in the order of
// (meeting, base name), as load_site() assembles them.
int document_with_version(const Content& c, const std::string& rel, const std::string& meeting,
                          const std::string& name) {
  const auto key = std::tie(meeting, name);
  size_t lo = 0, hi = c.documents.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const Document& d = c.documents[mid];
    if (std::tie(d.meeting, d.name) < key) lo = mid + 1;
    else hi = mid;
  }
  if (lo == c.documents.size() || std::tie(c.documents[lo].meeting, c.documents[lo].name) != key)
    return -1;
  for (const DocumentVersion& v : c.documents[lo].versions)
    if (v.source.path == rel) return int(lo);
  return -1;
}

}  // namespace

std::optional<Reloaded> reload_documents(const fs::path& site_root, const Content& previous,
                                         const std::vector<fs::path>& changed, LoadCache& cache,
                                         Diagnostics& diags) {
  const fs::path root = fs::absolute(site_root).lexically_normal();
  std::set<int> docs;
  for (const fs::path& path : changed) {
    fs::path p = (path.is_absolute() ? path : root / path).lexically_normal();
    std::string rel = p.lexically_relative(root).generic_string();
    auto name = lang_file(p.filename().string());
    std::error_code ec;
    // A file added, removed or renamed changes the set of pages: not here.
    // Nor a link (load_site() checks where it leads) or a FIFO.
    fs::path folder = fs::path(rel).parent_path();
    if (rel.rfind("content/meetings/", 0) != 0 || folder.parent_path() != "content/meetings" ||
        !name || name->lang.empty() || fs::symlink_status(p, ec).type() != fs::file_type::regular)
      return std::nullopt;
    int i = document_with_version(previous, rel, folder.filename().string(), name->base);
    if (i < 0) return std::nullopt;
    docs.insert(i);
  }
  if (docs.empty()) return std::nullopt;
  Content c = previous;
  Diagnostics found;
  for (int i : docs) {
    const Document& before = previous.documents[i];
    std::vector<VersionFile> files;
    for (const DocumentVersion& v : before.versions) {
      auto name = lang_file(fs::path(v.source.path).filename().string());
      auto f = parse_version_file(root, v.source.path, *name, &cache, found);
      if (!f) return std::nullopt;  // unreadable or invalid: load_site() says why
      files.push_back(std::move(*f));
    }
    Assembled a = assemble_document(before.meeting, before.name, std::move(files),
                                    c.config.languages, found);
    // A new symbol may collide with another document's: load_site() checks.
    if (a.doc.symbol != before.symbol || a.doc.files != before.files ||
        a.doc.page_aliases != before.page_aliases)
      return std::nullopt;
    c.documents.replace(i, std::move(a.doc));
  }
  if (found.has_errors()) return std::nullopt;
  diags.merge(std::move(found));
  return Reloaded{std::move(c), std::vector<int>(docs.begin(), docs.end())};
}

}  // namespace sitegen
