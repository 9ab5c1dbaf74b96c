#include "site-gen/site_snapshot.h"

#include <unordered_map>

#include "site-gen/byte_record.h"

namespace sitegen {
namespace {

constexpr std::string_view kMagic = "site-gen site snapshot\n";
constexpr uint64_t kVersion = 1;

// Every field of the model, in declaration order, one put() and one get()
// per type. A field added to model.h or resolve.h and left out here is lost
// by an incremental build: tests/site_snapshot_test.cc compares a restored
// site with the one snapshotted, and tests/incremental_build_test.cc the
// builds made from it with clean ones.
class Out {
 public:
  std::string bytes;

  void put(uint64_t v) { put_u64(bytes, v); }
  void put(int v) { put_u64(bytes, uint64_t(int64_t(v))); }
  void put(long long v) { put_u64(bytes, uint64_t(v)); }
  void put(bool v) { put_u64(bytes, v); }
  void put(const std::string& s) { put_str(bytes, s); }
  void put(const Date& d) {
    put(d.year);
    put(d.month);
    put(d.day);
  }
  template <class T>
  void put(const std::optional<T>& o) {
    put(o.has_value());
    if (o) put(*o);
  }
  template <class T>
  void put(const std::vector<T>& v) {
    put(uint64_t(v.size()));
    for (const T& x : v) put(x);
  }
  template <class K, class V, class C>
  void put(const std::map<K, V, C>& m) {
    put(uint64_t(m.size()));
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
    put(uint64_t(v.size()));
    for (const T& x : v) put(x);
  }
  void put(Status s) { put(int(s)); }
  void put(Accession a) { put(int(a)); }
  void put(const Source& s) {
    put(s.path);
    put(s.line);
  }
  // The file names references share are written once each.
  void put(const Ref& r) {
    put(r.value);
    put(r.line);
    if (!r.file) return put(uint64_t(0));
    auto [it, added] = files_.emplace(r.file.get(), files_.size() + 1);
    put(uint64_t(it->second));
    if (added) put(*r.file);
  }
  void put(const Link& l) {
    put(l.href);
    put(l.line);
  }
  void put(const Heading& h) {
    put(h.id);
    put(h.level);
    put(h.text);
    put(uint64_t(h.end));
  }
  // A body made of nothing (Body()) and one made of empty strings differ
  // in their text's hash.
  void put(const Body& b) {
    const bool made = b.text_hash() != 0 || !b.html().empty() || !b.text().empty();
    put(made);
    if (!made) return;
    put(b.html());
    put(b.text());
    put(b.links());
    put(b.headings());
    put(b.lead());
  }
  void put(const SiteConfig& c) {
    put(c.title);
    put(c.base_url);
    put(c.search_url);
    put(c.languages);
    put(c.theme);
    put(c.source);
  }
  void put(const Extension& e) {
    put(e.granted_at);
    put(e.deadline);
    put(e.request);
    put(e.line);
  }
  void put(const Article5& a) {
    put(a.original_deadline);
    put(a.extensions);
    put(a.completed);
  }
  void put(const Stockpile& s) {
    put(s.none);
    put(s.destroyed);
    put(s.completed);
  }
  void put(const MinesRetained& m) {
    put(m.number);
    put(m.as_of);
  }
  void put(const Prose& p) {
    put(p.lang);
    put(p.title);
    put(p.description);
    put(p.weight);
    put(p.body);
    put(p.page_aliases);
    put(p.source);
  }
  void put(const Country& c) {
    put(c.slug);
    put(c.iso);
    put(c.iso_line);
    put(c.names);
    put(c.aliases);
    put(c.signed_on);
    put(c.accession);
    put(c.deposited);
    put(c.entry_into_force);
    put(c.withdrawal_notice);
    put(c.withdrawal_effective);
    put(c.declared_status);
    put(c.status_line);
    put(c.article5);
    put(c.stockpile);
    put(c.mines_retained);
    put(c.page_aliases);
    put(c.prose);
    put(c.source);
  }
  void put(const Meeting& m) {
    put(m.id);
    put(m.kind);
    put(m.number);
    put(m.title);
    put(m.start);
    put(m.end);
    put(m.venue);
    put(m.president);
    put(m.page_aliases);
    put(m.source);
  }
  void put(const DocumentVersion& v) {
    put(v.lang);
    put(v.title);
    put(v.body);
    put(v.files);
    put(v.source);
  }
  void put(const Document& d) {
    put(d.meeting);
    put(d.name);
    put(d.symbol);
    put(d.slug);
    put(d.date);
    put(d.type);
    put(d.agenda_item);
    put(d.original);
    put(d.topics);
    put(d.countries);
    put(d.files);
    put(d.page_aliases);
    put(d.versions);
    put(d.source);
  }
  void put(const Topic& t) {
    put(t.id);
    put(t.names);
    put(t.keywords);
    put(t.source);
  }
  void put(const Page& p) {
    put(p.slug);
    put(p.versions);
  }
  void put(const AttachmentText& a) {
    put(a.text);
    put(a.pages);
    put(uint64_t(a.bytes));
    put(a.readable);
    put(a.warning);
    put(uint64_t(a.hash));
    put(uint64_t(a.mtime_ns));
    put(a.cache_key);
  }
  void put(const Content& c) {
    put(c.config);
    put(c.countries);
    put(c.meetings);
    put(c.documents);
    put(c.topics);
    put(c.pages);
    put(c.home);
    put(c.attachments);
    put(c.attachment_texts != nullptr);
    if (c.attachment_texts) put(*c.attachment_texts);
  }
  void put(const StatusOnDay& s) {
    put(s.status);
    put(s.in_force_pending);
  }
  void put(const CountryFacts& f) {
    put(f.status);
    put(f.names);
    put(f.documents);
  }
  void put(const DocumentFacts& f) {
    put(f.meeting);
    put(f.countries);
    put(f.topics);
  }
  void put(const MeetingFacts& f) {
    put(f.documents);
    put(f.final_report);
  }
  void put(const TopicFacts& f) { put(f.documents); }
  void put(const PositionMap& m) {
    put(uint64_t(m.size()));
    for (const auto& [k, v] : m) {
      put(k);
      put(v);
    }
  }
  void put(const Site& s) {
    put(s.content);
    put(s.as_of);
    put(s.countries);
    put(s.documents);
    put(s.meetings);
    put(s.topics);
    put(s.country_by_iso);
    put(s.meeting_by_id);
    put(s.topic_by_id);
    put(s.states_parties);
    put(uint64_t(s.document_facts_key));
  }

 private:
  std::unordered_map<const std::string*, uint64_t> files_;
};

class In {
 public:
  explicit In(std::string_view bytes) : r_(bytes) {}
  bool ok() const { return r_.ok(); }
  bool at_end() const { return r_.at_end(); }

  void get(uint64_t& v) { v = r_.u64(); }
  void get(int& v) { v = int(int64_t(r_.u64())); }
  void get(long long& v) { v = (long long)r_.u64(); }
  void get(bool& v) { v = r_.u64() != 0; }
  void get(std::string& s) { s = r_.str(); }
  void get(Date& d) {
    get(d.year);
    get(d.month);
    get(d.day);
  }
  template <class T>
  void get(std::optional<T>& o) {
    bool has = false;
    get(has);
    o.reset();
    if (has) get(o.emplace());
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
  void get(Status& s) { s = Status(int(r_.u64())); }
  void get(Accession& a) { a = Accession(int(r_.u64())); }
  void get(Source& s) {
    get(s.path);
    get(s.line);
  }
  void get(Ref& r) {
    get(r.value);
    get(r.line);
    uint64_t id = r_.u64();
    if (id == 0) return r.file.reset();
    if (id == files_.size() + 1) files_.push_back(std::make_shared<const std::string>(r_.str()));
    if (id > files_.size()) {
      r_.count(~size_t(0) >> 1);  // a reference to a file not read yet: damaged
      return;
    }
    r.file = files_[id - 1];
  }
  void get(Link& l) {
    get(l.href);
    get(l.line);
  }
  void get(Heading& h) {
    get(h.id);
    get(h.level);
    get(h.text);
    uint64_t end = 0;
    get(end);
    h.end = size_t(end);
  }
  void get(Body& b) {
    bool made = false;
    get(made);
    if (!made) return void(b = Body());
    std::string html, text, lead;
    std::vector<Link> links;
    std::vector<Heading> headings;
    get(html);
    get(text);
    get(links);
    get(headings);
    get(lead);
    b = Body(std::move(html), std::move(text), std::move(links), std::move(headings),
             std::move(lead));
  }
  void get(SiteConfig& c) {
    get(c.title);
    get(c.base_url);
    get(c.search_url);
    get(c.languages);
    get(c.theme);
    get(c.source);
  }
  void get(Extension& e) {
    get(e.granted_at);
    get(e.deadline);
    get(e.request);
    get(e.line);
  }
  void get(Article5& a) {
    get(a.original_deadline);
    get(a.extensions);
    get(a.completed);
  }
  void get(Stockpile& s) {
    get(s.none);
    get(s.destroyed);
    get(s.completed);
  }
  void get(MinesRetained& m) {
    get(m.number);
    get(m.as_of);
  }
  void get(Prose& p) {
    get(p.lang);
    get(p.title);
    get(p.description);
    get(p.weight);
    get(p.body);
    get(p.page_aliases);
    get(p.source);
  }
  void get(Country& c) {
    get(c.slug);
    get(c.iso);
    get(c.iso_line);
    get(c.names);
    get(c.aliases);
    get(c.signed_on);
    get(c.accession);
    get(c.deposited);
    get(c.entry_into_force);
    get(c.withdrawal_notice);
    get(c.withdrawal_effective);
    get(c.declared_status);
    get(c.status_line);
    get(c.article5);
    get(c.stockpile);
    get(c.mines_retained);
    get(c.page_aliases);
    get(c.prose);
    get(c.source);
  }
  void get(Meeting& m) {
    get(m.id);
    get(m.kind);
    get(m.number);
    get(m.title);
    get(m.start);
    get(m.end);
    get(m.venue);
    get(m.president);
    get(m.page_aliases);
    get(m.source);
  }
  void get(DocumentVersion& v) {
    get(v.lang);
    get(v.title);
    get(v.body);
    get(v.files);
    get(v.source);
  }
  void get(Document& d) {
    get(d.meeting);
    get(d.name);
    get(d.symbol);
    get(d.slug);
    get(d.date);
    get(d.type);
    get(d.agenda_item);
    get(d.original);
    get(d.topics);
    get(d.countries);
    get(d.files);
    get(d.page_aliases);
    get(d.versions);
    get(d.source);
  }
  void get(Topic& t) {
    get(t.id);
    get(t.names);
    get(t.keywords);
    get(t.source);
  }
  void get(Page& p) {
    get(p.slug);
    get(p.versions);
  }
  void get(AttachmentText& a) {
    get(a.text);
    get(a.pages);
    uint64_t v = 0;
    get(v);
    a.bytes = v;
    get(a.readable);
    get(a.warning);
    get(v);
    a.hash = size_t(v);
    get(v);
    a.mtime_ns = int64_t(v);
    get(a.cache_key);
  }
  void get(Content& c) {
    get(c.config);
    get(c.countries);
    get(c.meetings);
    get(c.documents);
    get(c.topics);
    get(c.pages);
    get(c.home);
    get(c.attachments);
    bool texts = false;
    get(texts);
    if (texts) {
      auto t = std::make_shared<AttachmentTexts>();
      get(*t);
      c.attachment_texts = std::move(t);
    }
  }
  void get(StatusOnDay& s) {
    get(s.status);
    get(s.in_force_pending);
  }
  void get(CountryFacts& f) {
    get(f.status);
    get(f.names);
    get(f.documents);
  }
  void get(DocumentFacts& f) {
    get(f.meeting);
    get(f.countries);
    get(f.topics);
  }
  void get(MeetingFacts& f) {
    get(f.documents);
    get(f.final_report);
  }
  void get(TopicFacts& f) { get(f.documents); }
  void get(PositionMap& m) {
    PositionMap::Map map;
    get(map);
    m = PositionMap(std::move(map));
  }
  void get(Site& s) {
    get(s.content);
    get(s.as_of);
    get(s.countries);
    get(s.documents);
    get(s.meetings);
    get(s.topics);
    get(s.country_by_iso);
    get(s.meeting_by_id);
    get(s.topic_by_id);
    get(s.states_parties);
    uint64_t key = 0;
    get(key);
    s.document_facts_key = size_t(key);
  }

 private:
  ByteReader r_;
  std::vector<std::shared_ptr<const std::string>> files_;
};

}  // namespace

std::string snapshot_site(const Site& site) {
  Out out;
  out.bytes = kMagic;
  out.put(kVersion);
  out.put(site);
  return std::move(out.bytes);
}

std::unique_ptr<Site> restore_site(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return nullptr;
  In in(bytes.substr(kMagic.size()));
  uint64_t version = 0;
  in.get(version);
  if (version != kVersion) return nullptr;
  auto site = std::make_unique<Site>();
  in.get(*site);
  if (!in.ok() || !in.at_end()) return nullptr;
  return site;
}

}  // namespace sitegen
