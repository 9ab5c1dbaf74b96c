#include "site-gen/render.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <tuple>

#include "site-gen/fallback.h"
#include "site-gen/locale.h"
#include "site-gen/utf8.h"

namespace sitegen {
namespace {

using List = kainjow::mustache::data;

List list() { return List(List::type::list); }

const std::vector<std::string>& document_types() {
  static const std::vector<std::string> types = {
      "final-report", "agenda",    "programme", "report", "working-paper", "extension-request",
      "article7-report", "statement", "decision",  "other"};
  return types;
}

std::string key_of(std::string_view id) {  // "final-report" -> "final_report"
  std::string k(id);
  std::replace(k.begin(), k.end(), '-', '_');
  return k;
}

std::string lang_dir(const std::string& lang) { return is_rtl(lang) ? "rtl" : "ltr"; }

// The version shown for a language: its own, else the original, else the
// default language's, else the first that exists.




}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

struct Renderer::Impl {
  const Site& site;
  const Theme& theme;
  const Content& c;
  const std::string& def;
  std::string base;  // base_url without its trailing '/'
  // What depends on the language but not on the documents: the UI strings
  // and site fields of every page, and the States in each language's
  // collation order. An edit of documents leaves it as it was, and making
  // it (ICU date formats and collation keys, six times) was a large part of
  // the rebuild after an edit, so the next renderer shares it.
  struct LanguageData {
    PerLang<Data> page_fields;
    PerLang<std::vector<int>> collated_states;  // [lang] -> country indices
    PerLang<std::vector<int>> state_rank;       // [lang][country] -> place in that order
  };
  std::shared_ptr<const LanguageData> shared;
  const PerLang<Data>& lang_data;
  const PerLang<std::vector<int>>& collated_states;
  const PerLang<std::vector<int>>& state_rank;
  // [lang][document]: made on first use, once, by whichever renderer thread
  // needs it (a rebuild after an edit needs only a few).
  struct DocItem {
    std::once_flag made;
    std::unique_ptr<const Data> item;
  };
  mutable PerLang<std::vector<DocItem>> doc_items;
  // Symbol -> document, for the links of Article 5 extension requests.
  mutable std::map<std::string, int> document_by_symbol;
  mutable std::once_flag document_by_symbol_made;

  Impl(const Site& s, const Theme& t, const Impl* previous)
      : site(s), theme(t), c(s.content), def(s.content.config.default_language()),
        shared(same_languages(previous) ? previous->shared : make_language_data()),
        lang_data(shared->page_fields), collated_states(shared->collated_states),
        state_rank(shared->state_rank) {
    base = c.config.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    for (const auto& lang : site.languages())
      doc_items.emplace(std::piecewise_construct, std::forward_as_tuple(lang),
                        std::forward_as_tuple(c.documents.size()));
  }

  // Whether `previous` had the same language data: the same theme object,
  // day, title and languages, and the very States (content shared, names
  // lent by resolve_site()).
  bool same_languages(const Impl* previous) const {
    return previous && &previous->theme == &theme && previous->site.as_of == site.as_of &&
           previous->c.config.title == c.config.title &&
           previous->site.languages() == site.languages() &&
           &previous->c.countries.all() == &c.countries.all();
  }

  std::shared_ptr<const LanguageData> make_language_data() const {
    auto d = std::make_shared<LanguageData>();
    for (const auto& lang : site.languages()) {
      d->page_fields[lang] = make_lang_data(lang);
      d->collated_states[lang] = collate_states(lang);
      auto& rank = d->state_rank[lang];
      rank.resize(c.countries.size());
      const auto& order = d->collated_states[lang];
      for (size_t k = 0; k < order.size(); ++k) rank[order[k]] = int(k);
    }
    return d;
  }

  const Data& doc_item(const std::string& lang, int i) const {
    DocItem& slot = doc_items.at(lang)[i];
    std::call_once(slot.made, [&] { slot.item = std::make_unique<const Data>(document_item(lang, i)); });
    return *slot.item;
  }

  // The document with this symbol, or -1.
  int document_with_symbol(const std::string& symbol) const {
    std::call_once(document_by_symbol_made, [&] {
      for (size_t i = 0; i < c.documents.size(); ++i)
        document_by_symbol[c.documents[i].symbol] = int(i);
    });
    auto it = document_by_symbol.find(symbol);
    return it == document_by_symbol.end() ? -1 : it->second;
  }

  const std::string& t(const std::string& lang, const std::string& key) const {
    return theme.string(lang, key);
  }

  Data make_lang_data(const std::string& lang) const {
    Data d;
    d.set("lang", lang);
    d.set("dir", lang_dir(lang));
    Data strings;
    auto add_strings = [&](const std::string& l) {
      if (auto it = theme.strings.find(l); it != theme.strings.end())
        for (const auto& [k, v] : it->second)
          if (!strings.get(k)) strings.set(k, v);
    };
    add_strings(lang);
    add_strings("en");
    d.set("t", strings);
    d.set("site_title", text_in(c.config.title, lang, def));
    d.set("home_url", home_url(lang));
    d.set("search_url", c.config.search_url + lang + "/search/");
    d.set("build_date", format_date(site.as_of, lang));
    d.set("generator", "site-gen");
    return d;
  }

  std::vector<int> collate_states(const std::string& lang) const {
    std::vector<std::pair<std::string, int>> keyed;
    for (size_t i = 0; i < c.countries.size(); ++i)
      keyed.emplace_back(collation_key(site.countries[i].names.at(lang), lang), int(i));
    std::sort(keyed.begin(), keyed.end());
    std::vector<int> out;
    for (auto& k : keyed) out.push_back(k.second);
    return out;
  }

  Data link(std::string name, std::string url) const {
    Data d;
    d.set("name", std::move(name));
    d.set("url", std::move(url));
    return d;
  }

  std::string type_label(const std::string& lang, const std::string& type) const {
    return t(lang, "type_" + key_of(type));
  }

  Data document_item(const std::string& lang, int i) const {
    const Document& d = c.documents[i];
    const DocumentVersion* v = shown_version(d, lang, def);
    Data item;
    item.set("title", v ? v->title : d.symbol);
    item.set("title_lang", v ? v->lang : lang);
    item.set("title_dir", lang_dir(v ? v->lang : lang));
    item.set("url", document_url(site, lang, i));
    item.set("symbol", d.symbol);
    item.set("date", format_date(d.date, lang));
    item.set("date_iso", d.date.iso());
    item.set("type", d.type);
    item.set("type_label", type_label(lang, d.type));
    item.set("type_name", t(lang, "doctype_" + key_of(d.type)));
    if (!d.agenda_item.empty()) item.set("agenda_item", d.agenda_item);
    int m = site.documents[i].meeting;
    if (m >= 0) {
      item.set("meeting_title", text_in(c.meetings[m].title, lang, def));
      item.set("meeting_url", meeting_url(site, lang, m));
    }
    Data langs = list();
    for (const auto& version : d.versions) {
      Data l;
      l.set("code", version.lang);
      l.set("name", language_autonym(version.lang));
      l.set("url", document_url(site, version.lang, i));
      langs.push_back(l);
    }
    item.set("languages", langs);
    return item;
  }

  // Documents grouped by type in the order of SITE-FORMAT, newest first.
  Data document_groups(const std::string& lang, const std::vector<int>& docs,
                       bool skip_article7 = false) const {
    Data groups = list();
    for (const auto& type : document_types()) {
      if (skip_article7 && type == "article7-report") continue;
      Data items = list();
      for (int i : docs)
        if (c.documents[i].type == type) items.push_back(doc_item(lang, i));
      if (items.is_empty_list()) continue;
      Data g;
      g.set("type", type);
      g.set("label", type_label(lang, type));
      g.set("documents", items);
      groups.push_back(g);
    }
    return groups;
  }

  std::string states_parties(const std::string& lang) const {
    return format_message(t(lang, "states_parties_as_of"), lang,
                          {{"count", std::to_string(site.states_parties)},
                           {"date", format_date(site.as_of, lang)}});
  }

  // A body's HTML with a link to each of its headings at the heading's end
  // (docs/headings.md), named in the page's language, which on a fallback
  // page is not the text's.
  std::string body_html(const Body& body, const std::string& lang,
                        const std::string& text_lang) const {
    const std::vector<Heading>& headings = body.headings();
    const std::string& html = body.html();
    if (headings.empty()) return html;
    std::string attrs = "\" aria-label=\"" + xml_escape(t(lang, "heading_anchor")) + "\"";
    if (text_lang != lang) attrs += " lang=\"" + xml_escape(lang) + "\"";
    attrs += ">#</a>";
    std::string out;
    out.reserve(html.size() + headings.size() * (attrs.size() + 48));
    size_t from = 0;
    for (const Heading& h : headings) {
      if (h.end < from || h.end > html.size()) continue;
      out.append(html, from, h.end - from);
      out += "<a class=\"heading-anchor\" href=\"#";
      out += xml_escape(h.id);
      out += attrs;
      from = h.end;
    }
    out.append(html, from, std::string::npos);
    return out;
  }

  // Absent fields stay unset: mustache treats even an empty string as true.
  void set_date(Data& d, const std::string& key, const std::optional<Date>& date,
                const std::string& lang) const {
    if (date) d.set(key, format_date(*date, lang));
  }

  // Fields every page has besides the language's: title, URLs, alternates,
  // the language switcher, the navigation, a description, and the fallback
  // notice. A 404 page has no canonical URL nor alternates, and says
  // noindex. A fallback page (another language's text, docs/fallback.md)
  // is no translation: hreflang leaves it out, and its canonical URL is the
  // version whose text it shows.
  void set_common(Data& d, const PlannedPage& p, const std::string& title,
                  const std::string& text_lang) const {
    const std::string& lang = p.lang;
    const std::string& shown = text_lang.empty() ? lang : text_lang;
    d.set("title", title);
    d.set("url", p.url);
    d.set("description", title + " – " + text_in(c.config.title, lang, def));
    if (p.kind == PageKind::not_found) {
      d.set("noindex", true);
    } else {
      d.set("canonical", base + (is_translation(site, p, lang) ? p.url : url_in(site, p, shown)));
      Data alternates = list();
      for (const Alternate& alt : hreflang_alternates(site, p)) {
        Data a;
        a.set("hreflang", alt.hreflang);
        a.set("href", base + alt.url);
        alternates.push_back(a);
      }
      d.set("alternates", alternates);
    }
    Data translations = list();
    for (const auto& l : site.languages()) {
      Data tr;
      tr.set("code", l);
      tr.set("name", language_autonym(l));
      tr.set("url", url_in(site, p, l));
      tr.set("dir", lang_dir(l));
      tr.set("current", l == lang);
      translations.push_back(tr);
    }
    d.set("translations", translations);
    d.set("nav", nav(p));
    d.set("text_lang", shown);
    d.set("text_dir", lang_dir(shown));
    if (shown != lang) d.set("fallback", fallback_notice(p, shown));
  }

  // The notice of a page showing `shown`'s text in `p.lang`'s tree: which
  // part is missing (a document's or page's text, or only a State's or the
  // home page's prose), the language shown, and links to the versions that
  // have that part.
  Data fallback_notice(const PlannedPage& p, const std::string& shown) const {
    const std::string& lang = p.lang;
    const char* key = p.kind == PageKind::document  ? "fallback_document"
                      : p.kind == PageKind::country ? "fallback_prose"
                      : p.kind == PageKind::home    ? "fallback_home"
                                                    : "fallback_notice";
    Data f;
    f.set("notice",
          format_message(t(lang, key), lang, {{"language", language_name(shown, lang)}}));
    Data versions = list();
    for (const std::string& l : prose_languages(site, p)) {
      if (l == lang) continue;
      Data v;
      v.set("code", l);
      v.set("name", language_autonym(l));
      v.set("url", url_in(site, p, l));
      v.set("dir", lang_dir(l));
      versions.push_back(v);
    }
    if (!versions.is_empty_list()) {
      f.set("versions", versions);
      f.set("has_versions", true);
    }
    return f;
  }

  // A description of at most ~160 characters: search engines cut longer
  // ones. Cut at a space when there is one in the last third.
  static std::string shortened(const std::string& text) {
    constexpr size_t kMax = 160;
    if (code_points(text) <= kMax) return text;
    size_t cut = 0, n = 0;
    while (cut < text.size() && n < kMax) {
      cut += std::max<size_t>(1, utf8_sequence_length(text, cut));
      ++n;
    }
    size_t space = text.rfind(' ', cut);
    if (space != std::string::npos && space > cut * 2 / 3) cut = space;
    return text.substr(0, cut) + "…";
  }

  // A page's description from its prose: the front matter's, else its first
  // paragraph; "" when the prose is another language's or says nothing.
  static std::string prose_description(const Prose* prose, const std::string& lang) {
    if (!prose || prose->lang != lang) return "";
    return shortened(!prose->description.empty() ? prose->description : prose->body.lead());
  }

  std::string joined(const std::string& lang, const std::vector<std::string>& parts) const {
    std::string out;
    for (const std::string& part : parts)
      if (!part.empty()) out += (out.empty() ? "" : t(lang, "list_separator")) + part;
    return out;
  }

  Data nav(const PlannedPage& p) const {
    const std::string& lang = p.lang;
    Data items = list();
    auto add = [&](const std::string& url, const std::string& label) {
      Data it;
      it.set("url", url);
      it.set("label", label);
      it.set("current", p.url == url || (url != home_url(lang) && p.url.rfind(url, 0) == 0));
      items.push_back(it);
    };
    add(home_url(lang), t(lang, "nav_home"));
    add("/" + lang + "/membership/", t(lang, "nav_membership"));
    add("/" + lang + "/meetings/", t(lang, "nav_meetings"));
    add("/" + lang + "/topics/", t(lang, "nav_topics"));
    std::vector<std::pair<int, int>> pages;  // weight, index
    for (size_t i = 0; i < c.pages.size(); ++i)
      if (auto* v = shown_prose(c.pages[i].versions, lang, def)) pages.emplace_back(v->weight, int(i));
    std::sort(pages.begin(), pages.end());
    for (auto [w, i] : pages)
      add(page_url(site, lang, i), shown_prose(c.pages[i].versions, lang, def)->title);
    add("/" + lang + "/search/", t(lang, "nav_search"));
    return items;
  }

  Data meeting_item(const std::string& lang, int i) const {
    const Meeting& m = c.meetings[i];
    Data d;
    d.set("id", m.id);
    d.set("title", text_in(m.title, lang, def));
    d.set("url", meeting_url(site, lang, i));
    d.set("dates", format_date_range(m.start, m.end, lang));
    d.set("start_iso", m.start.iso());
    d.set("venue", text_in(m.venue, lang, def));
    d.set("kind", m.kind);
    d.set("kind_label", t(lang, "kind_" + key_of(m.kind)));
    return d;
  }

  std::vector<int> meetings_newest_first() const {
    std::vector<int> order = every_index(c.meetings.size());
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      if (c.meetings[a].start != c.meetings[b].start) return c.meetings[a].start > c.meetings[b].start;
      return c.meetings[a].id < c.meetings[b].id;
    });
    return order;
  }

  // ---- One function per page kind, each returning the page's own data.

  Data home(const PlannedPage& p) const {
    Data d;
    const Prose* prose = shown_prose(c.home, p.lang, def);
    // The home page's h1 is the site title; its <title> should not repeat it.
    set_common(d, p, t(p.lang, "nav_home"), prose ? prose->lang : "");
    if (prose) d.set("body", body_html(prose->body, p.lang, prose->lang));
    d.set("states_parties", states_parties(p.lang));
    std::string about = prose_description(prose, p.lang);
    d.set("description", about.empty() ? text_in(c.config.title, p.lang, def) + " – " +
                                             states_parties(p.lang)
                                       : about);
    Data latest = list();
    std::vector<int> order = every_index(c.documents.size());
    std::partial_sort(order.begin(), order.begin() + std::min<size_t>(10, order.size()), order.end(),
                      [&](int a, int b) {
                        if (c.documents[a].date != c.documents[b].date)
                          return c.documents[a].date > c.documents[b].date;
                        return c.documents[a].symbol < c.documents[b].symbol;
                      });
    for (size_t k = 0; k < std::min<size_t>(10, order.size()); ++k)
      latest.push_back(doc_item(p.lang, order[k]));
    d.set("latest", latest);
    Data recent = list();
    auto meetings = meetings_newest_first();
    for (size_t k = 0; k < std::min<size_t>(5, meetings.size()); ++k)
      recent.push_back(meeting_item(p.lang, meetings[k]));
    d.set("recent_meetings", recent);
    Data topics = list();
    for (size_t i = 0; i < c.topics.size(); ++i)
      topics.push_back(link(text_in(c.topics[i].names, p.lang, def), topic_url(site, p.lang, int(i))));
    d.set("topics", topics);
    return d;
  }

  Data country_fields(const std::string& lang, int i) const {
    const Country& c0 = c.countries[i];
    const CountryFacts& f = site.countries[i];
    Data d;
    d.set("name", f.names.at(lang));
    d.set("iso", c0.iso);
    d.set("url", country_url(site, lang, i));
    d.set("status", std::string(status_id(f.status.status)));
    d.set("status_label", t(lang, "status_" + key_of(status_id(f.status.status))));
    set_date(d, "signed", c0.signed_on, lang);
    set_date(d, "joined", c0.deposited, lang);
    static const char* joined_keys[] = {"", "joined_ratified", "joined_acceded", "joined_succeeded"};
    if (c0.accession != Accession::none)
      d.set("joined_label", t(lang, joined_keys[static_cast<int>(c0.accession)]));
    set_date(d, "entry_into_force", c0.entry_into_force, lang);
    set_date(d, "withdrawal_notice", c0.withdrawal_notice, lang);
    set_date(d, "withdrawal_effective", c0.withdrawal_effective, lang);
    d.set("in_force_pending", f.status.in_force_pending);
    return d;
  }

  Data membership(const PlannedPage& p) const {
    Data d;
    set_common(d, p, t(p.lang, "title_membership"), "");
    d.set("states_parties", states_parties(p.lang));
    Data states = list();
    for (int i : collated_states.at(p.lang)) states.push_back(country_fields(p.lang, i));
    d.set("states", states);
    d.set("columns", membership_columns());
    return d;
  }

  // Which of the membership table's date columns any State has a date in:
  // a column empty in every row is left out (it read as a broken table).
  Data membership_columns() const {
    bool signed_on = false, joined = false, in_force = false, withdrawal = false;
    for (const Country& co : c.countries) {
      signed_on |= co.signed_on.has_value();
      joined |= co.deposited.has_value();
      in_force |= co.entry_into_force.has_value();
      withdrawal |= co.withdrawal_effective.has_value();
    }
    Data d;
    d.set("signed", signed_on);
    d.set("joined", joined);
    d.set("entry_into_force", in_force);
    d.set("withdrawal", withdrawal);
    return d;
  }

  Data country(const PlannedPage& p) const {
    const std::string& lang = p.lang;
    const Country& co = c.countries[p.item];
    const CountryFacts& f = site.countries[p.item];
    Data d;
    const Prose* prose = shown_prose(co.prose, lang, def);
    set_common(d, p, f.names.at(lang), prose ? prose->lang : "");
    d.set("country", country_fields(lang, p.item));
    std::string about = prose_description(prose, lang);
    d.set("description",
          about.empty()
              ? joined(lang, {f.names.at(lang),
                              t(lang, "status_" + key_of(status_id(f.status.status)))})
              : about);
    if (prose) d.set("body", body_html(prose->body, lang, prose->lang));
    if (co.article5) {
      const Article5& a = *co.article5;
      Data a5;
      set_date(a5, "original_deadline", a.original_deadline, lang);
      Data exts = list();
      std::optional<Date> current = a.original_deadline;
      bool any_request = false;
      for (const auto& e : a.extensions) {
        any_request |= !e.request.empty();
        Data x;
        x.set("deadline", format_date(e.deadline, lang));
        if (auto it = site.meeting_by_id.find(e.granted_at.value); it != site.meeting_by_id.end())
          x.set("meeting", link(text_in(c.meetings[it->second].title, lang, def),
                                meeting_url(site, lang, it->second)));
        if (!e.request.empty()) {
          x.set("request", e.request);
          if (int doc = document_with_symbol(e.request); doc >= 0)
            x.set("request_url", document_url(site, lang, doc));
        }
        exts.push_back(x);
        current = e.deadline;
      }
      a5.set("extensions", exts);
      a5.set("has_request", any_request);  // else the Request column is left out
      set_date(a5, "completed", a.completed, lang);
      set_date(a5, "current_deadline", current, lang);
      d.set("article5", a5);
    }
    if (co.stockpile) {
      Data s;
      s.set("none", co.stockpile->none);
      if (co.stockpile->destroyed) s.set("destroyed", format_number(*co.stockpile->destroyed, lang));
      set_date(s, "completed", co.stockpile->completed, lang);
      d.set("stockpile", s);
    }
    if (co.mines_retained) {
      Data m;
      m.set("number", format_number(co.mines_retained->number, lang));
      if (co.mines_retained->as_of) m.set("as_of", std::to_string(*co.mines_retained->as_of));
      d.set("mines_retained", m);
    }
    d.set("document_groups", document_groups(lang, f.documents, true));
    std::map<int, Data, std::greater<int>> by_year;
    for (int i : f.documents)
      if (c.documents[i].type == "article7-report") {
        auto [it, fresh] = by_year.try_emplace(c.documents[i].date.year, list());
        it->second.push_back(doc_item(lang, i));
      }
    Data years = list();
    for (auto& [year, docs] : by_year) {
      Data y;
      y.set("year", std::to_string(year));
      y.set("documents", docs);
      years.push_back(y);
    }
    d.set("article7", years);
    d.set("has_documents", !f.documents.empty());
    return d;
  }

  Data meetings(const PlannedPage& p) const {
    Data d;
    set_common(d, p, t(p.lang, "title_meetings"), "");
    Data items = list();
    for (int i : meetings_newest_first()) items.push_back(meeting_item(p.lang, i));
    d.set("meetings", items);
    return d;
  }

  Data meeting(const PlannedPage& p) const {
    const Meeting& m = c.meetings[p.item];
    const MeetingFacts& f = site.meetings[p.item];
    Data d;
    set_common(d, p, text_in(m.title, p.lang, def), "");
    Data item = meeting_item(p.lang, p.item);
    if (m.president)
      if (auto it = site.country_by_iso.find(m.president->value); it != site.country_by_iso.end())
        item.set("president", link(site.countries[it->second].names.at(p.lang),
                                   country_url(site, p.lang, it->second)));
    if (f.final_report >= 0) item.set("final_report", doc_item(p.lang, f.final_report));
    std::vector<int> others;
    for (int i : f.documents)
      if (i != f.final_report) others.push_back(i);
    item.set("document_groups", document_groups(p.lang, others));
    d.set("meeting", item);
    return d;
  }

  Data document(const PlannedPage& p) const {
    const Document& doc = c.documents[p.item];
    const DocumentFacts& f = site.documents[p.item];
    const DocumentVersion* v = shown_version(doc, p.lang, def);
    Data d;
    set_common(d, p, v ? v->title : doc.symbol, v ? v->lang : "");
    Data item = doc_item(p.lang, p.item);
    if (!doc.original.empty()) item.set("original_name", language_name(doc.original, p.lang));
    Data countries = list(), topics = list(), files = list();
    std::vector<int> states = f.countries;
    const auto& rank = state_rank.at(p.lang);
    std::sort(states.begin(), states.end(), [&](int a, int b) { return rank[a] < rank[b]; });
    for (int k : states)
      countries.push_back(link(site.countries[k].names.at(p.lang), country_url(site, p.lang, k)));
    for (int k : f.topics)
      topics.push_back(link(text_in(c.topics[k].names, p.lang, def), topic_url(site, p.lang, k)));
    for (const Ref& file : doc.files) files.push_back(file_item(doc, file.value, p));
    item.set("countries", countries);
    item.set("topics", topics);
    item.set("files", files);
    // A list's label is shown only beside a list: "Files: None" read as missing data.
    item.set("has_countries", !f.countries.empty());
    item.set("has_topics", !f.topics.empty());
    item.set("has_files", !doc.files.empty());
    d.set("document", item);
    if (v) d.set("body", body_html(v->body, p.lang, v->lang));
    int m = f.meeting;
    d.set("description", joined(p.lang, {doc.symbol, t(p.lang, "doctype_" + key_of(doc.type)),
                                         m >= 0 ? text_in(c.meetings[m].title, p.lang, def) : "",
                                         format_date(doc.date, p.lang)}));
    return d;
  }

  // An attachment on its document's page: the languages of the versions
  // that name it (each UN language version has its PDF), its size, a
  // PDF's pages, and whether its text could be read for the search.
  Data file_item(const Document& doc, const std::string& file, const PlannedPage& p) const {
    Data d = link(file, p.url + file);
    std::vector<std::string> facts;
    for (const DocumentVersion& v : doc.versions)
      for (const Ref& f : v.files)
        if (f.value == file) {
          facts.push_back(language_name(v.lang, p.lang));
          break;
        }
    if (const AttachmentText* a = c.attachment(doc, file)) {
      facts.push_back(format_file_size(a->bytes, p.lang));
      if (a->pages > 0)
        facts.push_back(format_message(t(p.lang, "file_pages"), p.lang, {{"count", std::to_string(a->pages)}}));
      if (!a->readable) d.set("not_searchable", t(p.lang, "file_not_searchable"));
    }
    std::string joined;
    for (const std::string& f : facts) joined += (joined.empty() ? "" : t(p.lang, "list_separator")) + f;
    if (!joined.empty()) d.set("facts", joined);
    return d;
  }

  Data topics(const PlannedPage& p) const {
    Data d;
    set_common(d, p, t(p.lang, "title_topics"), "");
    std::vector<std::pair<std::string, int>> keyed;
    for (size_t i = 0; i < c.topics.size(); ++i)
      keyed.emplace_back(collation_key(text_in(c.topics[i].names, p.lang, def), p.lang), int(i));
    std::sort(keyed.begin(), keyed.end());
    Data items = list();
    for (auto& [key, i] : keyed) {
      Data it = link(text_in(c.topics[i].names, p.lang, def), topic_url(site, p.lang, i));
      it.set("count", format_number(static_cast<long long>(site.topics[i].documents.size()), p.lang));
      items.push_back(it);
    }
    d.set("topics", items);
    return d;
  }

  Data topic(const PlannedPage& p) const {
    const Topic& tp = c.topics[p.item];
    Data d;
    std::string name = text_in(tp.names, p.lang, def);
    set_common(d, p, name, "");
    Data td;
    td.set("id", tp.id);
    td.set("name", name);
    d.set("topic", td);
    d.set("document_groups", document_groups(p.lang, site.topics[p.item].documents));
    return d;
  }

  Data page(const PlannedPage& p) const {
    const Prose* prose = shown_prose(c.pages[p.item].versions, p.lang, def);
    Data d;
    set_common(d, p, prose ? prose->title : c.pages[p.item].slug, prose ? prose->lang : "");
    if (prose) d.set("body", body_html(prose->body, p.lang, prose->lang));
    if (std::string about = prose_description(prose, p.lang); !about.empty())
      d.set("description", about);
    return d;
  }

  Data simple(const PlannedPage& p, const std::string& title_key) const {
    Data d;
    set_common(d, p, t(p.lang, title_key), "");
    return d;
  }

  Data chooser(const PlannedPage& p) const {
    Data d;
    d.set("title", text_in(c.config.title, def, def));
    d.set("url", p.url);
    d.set("canonical", base + p.url);
    Data langs = list(), alternates = list();
    for (const auto& l : site.languages()) {
      Data it;
      it.set("code", l);
      it.set("name", language_autonym(l));
      it.set("url", home_url(l));
      it.set("dir", lang_dir(l));
      it.set("choose", t(l, "choose_language"));
      // Each title once: a language without its own shows the default's.
      if (c.config.title.count(l) || (l == def && c.config.title.empty()))
        it.set("own_title", text_in(c.config.title, l, def));
      langs.push_back(it);
      Data a;
      a.set("hreflang", l);
      a.set("href", base + home_url(l));
      alternates.push_back(a);
    }
    Data x;
    x.set("hreflang", "x-default");
    x.set("href", base + home_url(def));  // not the chooser itself: it has no text
    alternates.push_back(x);
    d.set("description", joined(def, [&] {
            std::vector<std::string> titles;
            for (const auto& l : site.languages()) {
              std::string title = text_in(c.config.title, l, def);
              if (std::find(titles.begin(), titles.end(), title) == titles.end())
                titles.push_back(title);
            }
            return titles;
          }()));
    d.set("languages", langs);
    d.set("translations", langs);
    d.set("alternates", alternates);
    return d;
  }

  Data page_data(const PlannedPage& p) const {
    switch (p.kind) {
      case PageKind::home: return home(p);
      case PageKind::membership: return membership(p);
      case PageKind::country: return country(p);
      case PageKind::meetings: return meetings(p);
      case PageKind::meeting: return meeting(p);
      case PageKind::document: return document(p);
      case PageKind::topics: return topics(p);
      case PageKind::topic: return topic(p);
      case PageKind::page: return page(p);
      case PageKind::search: return simple(p, "title_search");
      case PageKind::not_found: return simple(p, "title_not_found");
      case PageKind::chooser: return chooser(p);
      case PageKind::alias: {
        Data d;
        d.set("target", p.target);
        d.set("title", p.target);
        return d;
      }
    }
    return Data();
  }
};

Renderer::Renderer(const Site& site, const Theme& theme, const Renderer* previous)
    : impl_(std::make_unique<Impl>(site, theme, previous ? previous->impl_.get() : nullptr)) {}
Renderer::~Renderer() = default;

std::string Renderer::render(const PlannedPage& page, Layouts& layouts, std::string* error) const {
  static const Data nothing;
  return render(page, layouts, nothing, error);
}

std::string Renderer::render(const PlannedPage& page, Layouts& layouts, const Data& extra,
                             std::string* error) const {
  auto it = layouts.find(layout_name(page.kind));
  if (it == layouts.end()) {
    *error = std::string("no layout \"") + layout_name(page.kind) + "\"";
    return "";
  }
  // Pages without a language (the chooser, the root 404) speak the default one.
  const std::string& lang = page.lang.empty() ? impl_->def : page.lang;
  Data data = impl_->page_data(page);
  kainjow::mustache::context<std::string> ctx(&impl_->lang_data.at(lang));
  ctx.push(&data);
  ctx.push(&extra);
  std::string html = it->second.render(ctx);
  if (!it->second.is_valid()) {
    *error = it->second.error_message();
    return "";
  }
  return html;
}

std::string Renderer::feed(const std::string& lang) const {
  const Impl& r = *impl_;
  const Content& c = r.c;
  std::vector<int> order = every_index(c.documents.size());
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (c.documents[a].date != c.documents[b].date) return c.documents[a].date > c.documents[b].date;
    return c.documents[a].symbol < c.documents[b].symbol;
  });
  if (order.size() > 50) order.resize(50);
  std::string self = r.base + "/" + lang + "/feed.xml";
  std::string updated = (order.empty() ? r.site.as_of : c.documents[order[0]].date).iso();
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" + xml_escape(lang) + "\">\n";
  out += "  <title>" +
         xml_escape(format_message(r.t(lang, "feed_title"), lang,
                                   {{"site", text_in(c.config.title, lang, r.def)}})) +
         "</title>\n";
  out += "  <id>" + xml_escape(self) + "</id>\n  <link rel=\"self\" href=\"" + xml_escape(self) +
         "\"/>\n  <link href=\"" + xml_escape(r.base + home_url(lang)) + "\"/>\n";
  out += "  <updated>" + updated + "T00:00:00Z</updated>\n  <generator>site-gen</generator>\n";
  for (int i : order) {
    const Document& d = c.documents[i];
    const DocumentVersion* v = shown_version(d, lang, r.def);
    std::string url = r.base + document_url(r.site, lang, i);
    // A title in another language than the feed's says so (a fallback).
    std::string title_lang =
        v && v->lang != lang ? " xml:lang=\"" + xml_escape(v->lang) + "\"" : std::string();
    out += "  <entry>\n    <title" + title_lang + ">" + xml_escape(v ? v->title : d.symbol) +
           "</title>\n";
    out += "    <id>" + xml_escape(url) + "</id>\n    <link href=\"" + xml_escape(url) + "\"/>\n";
    out += "    <updated>" + d.date.iso() + "T00:00:00Z</updated>\n";
    out += "    <author><name>" + xml_escape(text_in(c.config.title, lang, r.def)) + "</name></author>\n";
    out += "    <summary>" + xml_escape(d.symbol + " — " + r.type_label(lang, d.type)) + "</summary>\n";
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

std::string Renderer::sitemap(const std::vector<PlannedPage>& pages) const {
  const Impl& r = *impl_;
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
      "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
  for (const PlannedPage& p : pages) {
    if (p.kind == PageKind::alias || p.kind == PageKind::not_found || p.kind == PageKind::chooser)
      continue;
    // A fallback page is no translation: its canonical URL is another's.
    if (!is_translation(r.site, p, p.lang)) continue;
    out += "  <url>\n    <loc>" + xml_escape(r.base + p.url) + "</loc>\n";
    if (std::optional<Date> date = last_modified(r.site, p))
      out += "    <lastmod>" + date->iso() + "</lastmod>\n";
    for (const Alternate& alt : hreflang_alternates(r.site, p))
      out += "    <xhtml:link rel=\"alternate\" hreflang=\"" + xml_escape(alt.hreflang) +
             "\" href=\"" + xml_escape(r.base + alt.url) + "\"/>\n";
    out += "  </url>\n";
  }
  out += "</urlset>\n";
  return out;
}

std::string Renderer::robots_txt() const {
  const Impl& r = *impl_;
  std::string out = "User-agent: *\nAllow: /\n";
  // The Sitemap line needs an absolute URL: a site without a full base_url
  // has none to give.
  if (r.base.find("://") != std::string::npos) out += "\nSitemap: " + r.base + "/sitemap.xml\n";
  return out;
}

}  // namespace sitegen
