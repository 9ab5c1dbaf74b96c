#include "site-gen/site_snapshot.h"

#include <concepts>
#include <type_traits>
#include <unordered_map>

#include "site-gen/byte_record.h"

namespace sitegen {
namespace {

constexpr std::string_view kMagic = "site-gen site snapshot\n";
constexpr uint64_t kVersion = 1;

// Every field of the model, in declaration order: one list per type, which
// the writer (Out) and the reader (In) both walk, so the two cannot read
// the bytes differently. A field added to model.h or resolve.h and left
// out here is lost by an incremental build: tests/site_snapshot_test.cc
// writes a restored site again and compares the bytes, and
// tests/incremental_build_test.cc compares the builds made from it with
// clean ones. The types with more than fields (Ref, Body, the shared lists,
// the attachments' texts) are Out's and In's own.
template <class T, class U>
concept Is = std::same_as<std::remove_const_t<T>, U>;

template <class A> void fields(A& a, Is<Date> auto& d) { a(d.year, d.month, d.day); }
template <class A> void fields(A& a, Is<Source> auto& s) { a(s.path, s.line); }
template <class A> void fields(A& a, Is<Link> auto& l) { a(l.href, l.line); }
template <class A> void fields(A& a, Is<Heading> auto& h) { a(h.id, h.level, h.text, h.end); }
template <class A> void fields(A& a, Is<SiteConfig> auto& c) {
  a(c.title, c.base_url, c.search_url, c.languages, c.theme, c.source);
}
template <class A> void fields(A& a, Is<Extension> auto& e) {
  a(e.granted_at, e.deadline, e.request, e.line);
}
template <class A> void fields(A& a, Is<Article5> auto& x) {
  a(x.original_deadline, x.extensions, x.completed);
}
template <class A> void fields(A& a, Is<Stockpile> auto& x) { a(x.none, x.destroyed, x.completed); }
template <class A> void fields(A& a, Is<MinesRetained> auto& x) { a(x.number, x.as_of); }
template <class A> void fields(A& a, Is<Prose> auto& p) {
  a(p.lang, p.title, p.description, p.weight, p.body, p.page_aliases, p.source);
}
template <class A> void fields(A& a, Is<Country> auto& c) {
  a(c.slug, c.iso, c.iso_line, c.names, c.aliases, c.signed_on, c.accession, c.deposited,
    c.entry_into_force, c.withdrawal_notice, c.withdrawal_effective, c.declared_status,
    c.status_line, c.article5, c.stockpile, c.mines_retained, c.page_aliases, c.prose, c.source);
}
template <class A> void fields(A& a, Is<Meeting> auto& m) {
  a(m.id, m.kind, m.number, m.title, m.start, m.end, m.venue, m.president, m.page_aliases,
    m.source);
}
template <class A> void fields(A& a, Is<DocumentVersion> auto& v) {
  a(v.lang, v.title, v.body, v.files, v.source);
}
template <class A> void fields(A& a, Is<Document> auto& d) {
  a(d.meeting, d.name, d.symbol, d.slug, d.date, d.type, d.agenda_item, d.original, d.topics,
    d.countries, d.files, d.page_aliases, d.versions, d.source);
}
template <class A> void fields(A& a, Is<Topic> auto& t) { a(t.id, t.names, t.keywords, t.source); }
template <class A> void fields(A& a, Is<Page> auto& p) { a(p.slug, p.versions); }
template <class A> void fields(A& a, Is<AttachmentText> auto& x) {
  a(x.text, x.pages, x.bytes, x.readable, x.warning, x.hash, x.mtime_ns, x.cache_key);
}
template <class A> void fields(A& a, Is<Content> auto& c) {
  a(c.config, c.countries, c.meetings, c.documents, c.topics, c.pages, c.home, c.attachments,
    c.attachment_texts);
}
template <class A> void fields(A& a, Is<StatusOnDay> auto& s) { a(s.status, s.in_force_pending); }
template <class A> void fields(A& a, Is<CountryFacts> auto& f) {
  a(f.status, f.names, f.documents);
}
template <class A> void fields(A& a, Is<DocumentFacts> auto& f) {
  a(f.meeting, f.countries, f.topics);
}
template <class A> void fields(A& a, Is<MeetingFacts> auto& f) { a(f.documents, f.final_report); }
template <class A> void fields(A& a, Is<TopicFacts> auto& f) { a(f.documents); }
template <class A> void fields(A& a, Is<Site> auto& s) {
  a(s.content, s.as_of, s.countries, s.documents, s.meetings, s.topics, s.country_by_iso,
    s.meeting_by_id, s.topic_by_id, s.states_parties, s.document_facts_key);
}

template <class A, class T>
concept HasFields = requires(A& a, T& x) { fields(a, x); };

class Out {
 public:
  std::string bytes;

  template <class... T>
  void operator()(const T&... xs) {
    (put(xs), ...);
  }

  // Integers and enums as 8 bytes.
  template <class T>
    requires std::is_integral_v<T> || std::is_enum_v<T>
  void put(T v) {
    put_u64(bytes, uint64_t(int64_t(v)));
  }
  void put(const std::string& s) { put_str(bytes, s); }
  template <class T>
    requires HasFields<Out, const T>
  void put(const T& x) {
    fields(*this, x);
  }
  template <class T>
  void put(const std::optional<T>& o) {
    put(o.has_value());
    if (o) put(*o);
  }
  template <class T>
  void put(const std::vector<T>& v) {
    put(v.size());
    for (const T& x : v) put(x);
  }
  template <class K, class V, class C>
  void put(const std::map<K, V, C>& m) {
    put(m.size());
    for (const auto& [k, v] : m) {
      put(k);
      put(v);
    }
  }
  template <class T>
  void put(const SharedVector<T>& v) {
    put(v.all());
  }
  template <class T>
  void put(const SharedList<T>& v) {
    put(v.size());
    for (const T& x : v) put(x);
  }
  void put(const PositionMap& m) {
    put(m.size());
    for (const auto& [k, v] : m) {
      put(k);
      put(v);
    }
  }
  template <class T>
  void put(const std::shared_ptr<const T>& p) {
    put(p != nullptr);
    if (p) put(*p);
  }
  // The file names references share are written once each.
  void put(const Ref& r) {
    put(r.value);
    put(r.line);
    if (!r.file) return put(0);
    auto [it, added] = files_.emplace(r.file.get(), files_.size() + 1);
    put(it->second);
    if (added) put(*r.file);
  }
  // A body made of nothing (Body()) and one made of empty strings differ
  // in their text's hash.
  void put(const Body& b) {
    const bool made = b.text_hash() != 0 || !b.html().empty() || !b.text().empty();
    put(made);
    if (made) (*this)(b.html(), b.text(), b.links(), b.headings(), b.lead());
  }

 private:
  std::unordered_map<const std::string*, uint64_t> files_;
};

class In {
 public:
  explicit In(std::string_view bytes) : r_(bytes) {}
  bool ok() const { return r_.ok(); }
  bool at_end() const { return r_.at_end(); }

  template <class... T>
  void operator()(T&... xs) {
    (get(xs), ...);
  }

  template <class T>
    requires std::is_integral_v<T> || std::is_enum_v<T>
  void get(T& v) {
    v = T(int64_t(r_.u64()));
  }
  void get(std::string& s) { s = r_.str(); }
  template <class T>
    requires HasFields<In, T>
  void get(T& x) {
    fields(*this, x);
  }
  template <class T>
  void get(std::optional<T>& o) {
    o.reset();
    if (flag()) get(o.emplace());
  }
  template <class T>
  void get(std::vector<T>& v) {
    v.clear();
    for (uint64_t n = r_.count(8); ok() && n > 0; --n) get(v.emplace_back());
  }
  template <class K, class V, class C>
  void get(std::map<K, V, C>& m) {
    m.clear();
    for (uint64_t n = r_.count(16); ok() && n > 0; --n) {
      K k;
      get(k);
      get(m[std::move(k)]);
    }
  }
  template <class T>
  void get(SharedVector<T>& v) {
    get(v.edit());
  }
  template <class T>
  void get(SharedList<T>& v) {
    for (uint64_t n = r_.count(8); ok() && n > 0; --n) {
      T x;
      get(x);
      v.push_back(std::move(x));
    }
  }
  void get(PositionMap& m) {
    PositionMap::Map map;
    get(map);
    m = PositionMap(std::move(map));
  }
  template <class T>
  void get(std::shared_ptr<const T>& p) {
    p.reset();
    if (!flag()) return;
    auto made = std::make_shared<T>();
    get(*made);
    p = std::move(made);
  }
  void get(Ref& r) {
    get(r.value);
    get(r.line);
    uint64_t id = r_.u64();
    r.file.reset();
    if (id == 0) return;
    if (id == files_.size() + 1) files_.push_back(std::make_shared<const std::string>(r_.str()));
    if (id > files_.size()) return r_.reject();  // a file not named yet: damaged
    r.file = files_[id - 1];
  }
  void get(Body& b) {
    b = Body();
    if (!flag()) return;
    std::string html, text, lead;
    std::vector<Link> links;
    std::vector<Heading> headings;
    (*this)(html, text, links, headings, lead);
    b = Body(std::move(html), std::move(text), std::move(links), std::move(headings),
             std::move(lead));
  }

 private:
  bool flag() { return r_.u64() != 0; }

  ByteReader r_;
  std::vector<std::shared_ptr<const std::string>> files_;
};

}  // namespace

std::string snapshot_site(const Site& site) {
  Out out;
  out.bytes = kMagic;
  out(kVersion, site);
  return std::move(out.bytes);
}

std::unique_ptr<Site> restore_site(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return nullptr;
  In in(bytes.substr(kMagic.size()));
  uint64_t version = 0;
  in(version);
  if (version != kVersion) return nullptr;
  auto site = std::make_unique<Site>();
  in(*site);
  if (!in.ok() || !in.at_end()) return nullptr;
  return site;
}

}  // namespace sitegen
