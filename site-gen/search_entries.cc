#include "site-gen/search_entries.h"

#include <map>
#include <mutex>
#include <set>

#include "index/attachment_text.h"
#include "site-gen/fallback.h"
#include "site-gen/pages.h"
#include "site-gen/parallel.h"

namespace sitegen {
namespace fs = std::filesystem;
namespace {

using index::Entry;

// A topic's text names at most this many of its documents (newest first):
// enough for a snippet, and a topic with hundreds stays a small entry.
constexpr size_t kTopicTitles = 20;

class EntryMaker {
 public:
  explicit EntryMaker(const Site& site)
      : s_(site), c_(site.content), def_(c_.config.default_language()) {}

  std::vector<Entry> all() const {
    std::vector<Entry> out;
    for (const std::string& lang : s_.languages()) {
      for (size_t i = 0; i < c_.documents.size(); ++i) document(lang, int(i), out);
      for (size_t i = 0; i < c_.countries.size(); ++i) out.push_back(state(lang, int(i)));
      for (size_t i = 0; i < c_.meetings.size(); ++i) out.push_back(meeting(lang, int(i)));
      for (size_t i = 0; i < c_.topics.size(); ++i) out.push_back(topic(lang, int(i)));
      for (size_t i = 0; i < c_.pages.size(); ++i)
        if (auto e = page(lang, int(i))) out.push_back(std::move(*e));
    }
    return out;
  }

  // The entries of these pages (the others have none).
  std::vector<Entry> of(const std::vector<const PlannedPage*>& pages) const {
    std::vector<Entry> out;
    for (const PlannedPage* p : pages) {
      std::optional<Entry> e;
      switch (p->kind) {
        case PageKind::document: document(p->lang, p->item, out); break;
        case PageKind::country: e = state(p->lang, p->item); break;
        case PageKind::meeting: e = meeting(p->lang, p->item); break;
        case PageKind::topic: e = topic(p->lang, p->item); break;
        case PageKind::page: e = page(p->lang, p->item); break;
        default: break;
      }
      if (e) out.push_back(std::move(*e));
    }
    return out;
  }

 private:
  Entry base(const std::string& kind, const std::string& lang, std::string url,
             std::string group) const {
    Entry e;
    e.kind = kind;
    e.lang = lang;
    e.text_lang = lang;
    e.url = std::move(url);
    e.group = std::move(group);
    e.languages = s_.languages();
    return e;
  }

  // A document's index entries are its real language versions (a fallback
  // page shows another version's text, which is indexed once), each with
  // an entry per page of its attachments: a hit in a PDF is then shown
  // with the page it is on.
  void document(const std::string& lang, int i, std::vector<Entry>& out) const {
    const Document& d = c_.documents[i];
    if (!d.version(lang)) return;
    const DocumentFacts& f = s_.documents[i];
    Entry e = base("document", lang, document_url(s_, lang, i), "doc:" + d.symbol);
    e.symbol = d.symbol;
    e.date = d.date.iso();
    e.type = d.type;
    e.meeting = d.meeting;
    for (int k : f.countries) e.countries.push_back(c_.countries[k].iso);
    for (int k : f.topics) e.topics.push_back(c_.topics[k].id);
    e.languages.clear();
    for (const auto& v : d.versions) e.languages.push_back(v.lang);
    const DocumentVersion* v = shown_version(d, lang, def_);
    if (v) {
      e.text_lang = v->lang;
      e.title = v->title;
      e.text = v->body.text();
    }
    out.push_back(e);
    if (!v) return;
    e.text.clear();
    for (const Ref& file : v->files)
      if (const AttachmentText* a = c_.attachment(d, file.value); a && !a->text.empty())
        attachment_pages(e, file.value, *a, out);
  }

  // The entries of a file's pages, made from its document's entry; a file
  // without pages (DOCX) is one entry. Blank pages have none.
  static void attachment_pages(const Entry& document, const std::string& file,
                               const AttachmentText& a, std::vector<Entry>& out) {
    std::string_view rest = a.text;
    for (int page = 1;; ++page) {
      const size_t end = a.pages > 0 ? rest.find('\f') : std::string_view::npos;
      const std::string_view page_text = rest.substr(0, end);
      if (page_text.find_first_not_of(" \t\r\n\v") != std::string_view::npos) {
        Entry e = document;
        e.file = file;
        e.file_page = a.pages > 0 ? page : 0;
        e.text = page_text;
        out.push_back(std::move(e));
      }
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }

  Entry state(const std::string& lang, int i) const {
    const Country& co = c_.countries[i];
    Entry e = base("state", lang, country_url(s_, lang, i), "state:" + co.slug);
    e.title = s_.countries[i].names.at(lang);
    e.countries = {co.iso};
    e.text = e.title;
    for (const auto& [l, list] : co.aliases)
      for (const auto& a : list) e.text += "\n" + a;
    if (const Prose* p = shown_prose(co.prose, lang, def_)) {
      e.text += "\n" + p->body.text();
      e.text_lang = p->lang;
    }
    return e;
  }

  Entry meeting(const std::string& lang, int i) const {
    const Meeting& m = c_.meetings[i];
    Entry e = base("meeting", lang, meeting_url(s_, lang, i), "meeting:" + m.id);
    e.title = text_in(m.title, lang, def_);
    e.date = m.start.iso();
    e.meeting = m.id;
    e.text = e.title + "\n" + text_in(m.venue, lang, def_);
    if (m.president)
      if (auto it = s_.country_by_iso.find(m.president->value); it != s_.country_by_iso.end())
        e.text += "\n" + s_.countries[it->second].names.at(lang);
    return e;
  }

  Entry topic(const std::string& lang, int i) const {
    const Topic& t = c_.topics[i];
    Entry e = base("topic", lang, topic_url(s_, lang, i), "topic:" + t.id);
    e.title = text_in(t.names, lang, def_);
    e.topics = {t.id};
    // The text (what a snippet is made of) is the titles of its documents,
    // as its page lists them; its keywords are searched but are no text to
    // show ("mines retained retained mines Article 3"), so they go where
    // the index keeps words it does not quote for a topic (index/search.cc).
    // Only the titles in the entry's language: the snippet is marked as
    // that language, and a Chinese title under an English topic helps nobody.
    size_t named = 0;
    for (int k : s_.topics[i].documents) {
      const DocumentVersion* v = c_.documents[k].version(lang);
      if (!v || v->title.empty()) continue;
      if (++named > kTopicTitles) break;
      if (!e.text.empty()) e.text += " · ";
      e.text += v->title;
    }
    if (auto it = t.keywords.find(lang); it != t.keywords.end())
      for (const auto& k : it->second) e.attachment_text += k + "\n";
    return e;
  }

  std::optional<Entry> page(const std::string& lang, int i) const {
    const Page& pg = c_.pages[i];
    const Prose* p = shown_prose(pg.versions, lang, def_);
    if (!p) return std::nullopt;
    Entry e = base("page", lang, page_url(s_, lang, i), "page:" + pg.slug);
    e.title = p->title;
    e.text = p->body.text();
    e.text_lang = p->lang;
    return e;
  }

  const Site& s_;
  const Content& c_;
  const std::string& def_;
};

}  // namespace

std::vector<index::Entry> search_entries(const Site& site,
                                         const std::vector<const PlannedPage*>* only) {
  EntryMaker maker(site);
  return only ? maker.of(*only) : maker.all();
}

}  // namespace sitegen
