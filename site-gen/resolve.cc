#include "site-gen/resolve.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <set>

#include "site-gen/locale.h"
#include "site-gen/parallel.h"
#include "site-gen/tagger.h"

namespace sitegen {
namespace {

// CLDR writes some names in a form texts rarely use ("Bosnia & Herzegovina",
// "Myanmar (Burma)", "St. Lucia"); texts use the long forms, so look for both.
std::vector<std::string> name_variants(const std::string& name) {
  std::vector<std::string> out{name};
  auto replace_all = [](std::string s, std::string_view from, std::string_view to) {
    for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
      s.replace(p, from.size(), to);
    return s;
  };
  if (auto open = name.find(" ("); open != std::string::npos && name.back() == ')')
    out.push_back(name.substr(0, open));
  for (size_t i = 0, n = out.size(); i < n; ++i) {
    if (out[i].find(" & ") != std::string::npos)
      out.push_back(replace_all(out[i], " & ", " and "));
    if (out[i].rfind("St. ", 0) == 0) out.push_back("Saint " + out[i].substr(4));
  }
  return out;
}

std::string fill_name(const Country& c, const std::string& lang, const std::string& fallback_lang) {
  if (auto it = c.names.find(lang); it != c.names.end()) return it->second;
  if (std::string cldr = country_name(c.iso, lang); !cldr.empty()) return cldr;
  if (auto it = c.names.find(fallback_lang); it != c.names.end()) return it->second;
  if (!c.names.empty()) return c.names.begin()->second;
  return c.iso;
}

template <class T>
std::map<std::string, int> index_by(const std::vector<T>& items, std::string T::*key) {
  std::map<std::string, int> out;
  for (size_t i = 0; i < items.size(); ++i) out.emplace(items[i].*key, static_cast<int>(i));
  return out;
}

class Resolver {
 public:
  Resolver(Site& site, const Site* previous, Diagnostics& diags)
      : s_(site), c_(site.content), prev_(previous), diags_(diags) {}

  void run() {
    s_.country_by_iso = index_by(c_.countries.all(), &Country::iso);
    s_.meeting_by_id = index_by(c_.meetings.all(), &Meeting::id);
    s_.topic_by_id = index_by(c_.topics.all(), &Topic::id);
    if (!lend_country_facts()) resolve_countries();
    resolve_meetings();
    make_matchers();
    lend_document_facts();
    resolve_documents();
    tag_documents();
    if (!lend_lists()) list_documents();
  }

 private:
  void resolve_countries() {
    const std::string& def = c_.config.default_language();
    s_.countries.resize(c_.countries.size());
    for (size_t i = 0; i < c_.countries.size(); ++i) {
      const Country& c = c_.countries[i];
      CountryFacts& f = s_.countries[i];
      for (const auto& lang : c_.config.languages) f.names[lang] = fill_name(c, lang, def);
      f.status = status_on(c, s_.as_of);
      if (f.status.status == Status::state_party) ++s_.states_parties;
      check_declared_status(c);
      if (c.article5)
        for (const auto& e : c.article5->extensions) check_meeting(e.granted_at, c.source.path);
    }
  }

  void check_declared_status(const Country& c) {
    if (!c.declared_status) return;
    auto derived = status_from_dates(c, s_.as_of);
    if (derived && *derived != *c.declared_status)
      diags_.error(c.source.path, c.status_line,
                   "status " + std::string(status_id(*c.declared_status)) +
                       " contradicts the dates, which make it " +
                       std::string(status_id(*derived)) + " on " + s_.as_of.iso());
  }

  void resolve_meetings() {
    s_.meetings.resize(c_.meetings.size());
    for (const Meeting& m : c_.meetings)
      if (m.president) check_country(*m.president, m.source.path);
  }

  // The States' names and status, when the States and meetings are the
  // very lists of the previous site (shared: reload_documents()) on the
  // same day. Their document lists are left to lend_lists() or made again.
  bool lend_country_facts() {
    if (!prev_ || prev_->as_of != s_.as_of ||
        &prev_->content.countries.all() != &c_.countries.all() ||
        &prev_->content.meetings.all() != &c_.meetings.all())
      return false;
    s_.countries.resize(prev_->countries.size());
    for (size_t k = 0; k < s_.countries.size(); ++k) {
      s_.countries[k].names = prev_->countries[k].names;
      s_.countries[k].status = prev_->countries[k].status;
    }
    s_.states_parties = prev_->states_parties;
    return true;
  }

  // The lists of each State's, topic's and meeting's documents, when every
  // document is the previous site's or was reloaded with the same facts and
  // the same place in the order (date, symbol) and type: then they are the
  // previous lists, and making them again would touch every document.
  bool lend_lists() {
    if (!prev_ || prev_->document_facts_key != s_.document_facts_key ||
        prev_->content.documents.size() != c_.documents.size() ||
        prev_->countries.size() != s_.countries.size() ||
        &prev_->content.topics.all() != &c_.topics.all())
      return false;
    for (size_t i = 0; i < c_.documents.size(); ++i) {
      if (lent_[i]) continue;
      const Document &a = prev_->content.documents[i], &b = c_.documents[i];
      const DocumentFacts &fa = prev_->documents[i], &fb = s_.documents[i];
      if (a.date != b.date || a.symbol != b.symbol || a.type != b.type ||
          fa.meeting != fb.meeting || fa.countries != fb.countries || fa.topics != fb.topics)
        return false;
    }
    for (size_t k = 0; k < s_.countries.size(); ++k)
      s_.countries[k].documents = prev_->countries[k].documents;
    s_.topics = prev_->topics;
    s_.meetings = prev_->meetings;
    return true;
  }

  // The preview server resolves the site after every edit, and all but the
  // edited documents are the very objects of the previous site.
  void lend_document_facts() {
    s_.documents.resize(c_.documents.size());
    lent_.assign(c_.documents.size(), false);
    std::hash<std::string_view> hash;
    size_t key = 0;
    auto mix = [&](std::string_view part) { key = (key * 31 + hash(part)) * 31 + part.size(); };
    for (const auto& [lang, h] : matcher_hash_) key = (key * 31 + h) * 31 + hash(lang);
    for (const Country& c : c_.countries) mix(c.iso);
    for (const Meeting& m : c_.meetings) mix(m.id);
    for (const Topic& t : c_.topics) mix(t.id);
    for (const std::string& a : c_.attachments) mix(a);
    s_.document_facts_key = key;
    if (!prev_ || prev_->document_facts_key != key ||
        prev_->content.documents.size() != c_.documents.size())
      return;
    for (size_t i = 0; i < c_.documents.size(); ++i)
      if (&prev_->content.documents[i] == &c_.documents[i]) {
        s_.documents[i] = prev_->documents[i];
        lent_[i] = true;
      }
  }

  void resolve_documents() {
    std::set<std::string> attachments(c_.attachments.begin(), c_.attachments.end());
    for (size_t i = 0; i < c_.documents.size(); ++i) {
      if (lent_[i]) continue;
      const Document& d = c_.documents[i];
      DocumentFacts& f = s_.documents[i];
      const std::string& path = d.source.path;
      if (auto it = s_.meeting_by_id.find(d.meeting); it != s_.meeting_by_id.end())
        f.meeting = it->second;
      for (const Ref& iso : d.countries)
        if (int k = check_country(iso, path); k >= 0) f.countries.push_back(k);
      for (const Ref& t : d.topics) {
        auto it = s_.topic_by_id.find(t.value);
        if (it == s_.topic_by_id.end())
          diags_.error(path, t.line, "unknown topic \"" + t.value + "\" (not in content/topics.yaml)");
        else
          f.topics.push_back(it->second);
      }
      for (const DocumentVersion& v : d.versions)
        for (const Ref& file : v.files)
          if (!attachments.count("content/meetings/" + d.meeting + "/" + file.value))
            diags_.error(v.source.path, file.line,
                         "attachment \"" + file.value + "\" not found in content/meetings/" +
                             d.meeting + "/");
    }
  }

  int check_country(const Ref& iso, const std::string& path) {
    auto it = s_.country_by_iso.find(iso.value);
    if (it != s_.country_by_iso.end()) return it->second;
    diags_.error(path, iso.line,
                 "unknown country \"" + iso.value + "\" (no content/countries/ file has this iso)");
    return -1;
  }

  void check_meeting(const Ref& id, const std::string& path) {
    if (!s_.meeting_by_id.count(id.value))
      diags_.error(path, id.line, "unknown meeting \"" + id.value + "\" (no content/meetings/" +
                                      id.value + "/meeting.yaml)");
  }

  // One matcher per language: the names a text in that language may use are
  // its own and, as real texts do, the English ones. States without a file
  // are in the matcher too (id >= countries.size()), so that a longer name
  // of such a State is not read as the shorter name of one with a file.
  NameMatcher country_matcher(const std::string& lang) const {
    NameMatcher m;
    const int n = static_cast<int>(c_.countries.size());
    auto add_all = [&](const std::string& name, int id) {
      for (const auto& v : name_variants(name)) m.add(v, id);
    };
    for (int i = 0; i < n; ++i) {
      const Country& c = c_.countries[i];
      for (const auto& [l, name] : c.names) add_all(name, i);
      for (const auto& [l, list] : c.aliases)
        for (const auto& a : list) add_all(a, i);
    }
    int other = n;
    for (const auto& code : all_country_codes()) {
      auto it = s_.country_by_iso.find(code);
      int id = it != s_.country_by_iso.end() ? it->second : other++;
      add_all(country_name(code, lang), id);
      if (lang != "en") add_all(country_name(code, "en"), id);
    }
    m.build();
    return m;
  }

  NameMatcher topic_matcher(const std::string& lang) const {
    NameMatcher m;
    for (size_t i = 0; i < c_.topics.size(); ++i)
      if (auto it = c_.topics[i].keywords.find(lang); it != c_.topics[i].keywords.end())
        for (const auto& k : it->second) m.add(k, static_cast<int>(i));
    m.build();
    return m;
  }

  // The tags belong to the document: the union over all its versions.
  // What a country matcher is made of, as a string: equal strings, equal
  // matchers.
  std::string country_names_key(const std::string& lang) const {
    std::string key = "countries\0" + lang;
    for (const Country& c : c_.countries) {
      key += '\0' + c.iso;
      for (const auto& [l, name] : c.names) key += '\1' + l + '=' + name;
      for (const auto& [l, list] : c.aliases)
        for (const auto& a : list) key += '\2' + l + '=' + a;
    }
    return key;
  }

  std::string topic_keywords_key(const std::string& lang) const {
    std::string key = "topics\0" + lang;
    for (const Topic& t : c_.topics)
      if (auto it = t.keywords.find(lang); it != t.keywords.end())
        for (const auto& k : it->second) key += '\1' + t.id + '=' + k;
    return key;
  }

  // The preview server resolves the site after every edit; the matchers
  // only change when names or keywords do, and building them is most of
  // the cost of resolving a small site.
  template <class Make>
  static std::shared_ptr<const NameMatcher> cached_matcher(const std::string& key, Make make) {
    static std::mutex mu;
    static std::map<std::string, std::shared_ptr<const NameMatcher>> cache;
    {
      std::lock_guard lock(mu);
      if (auto it = cache.find(key); it != cache.end()) return it->second;
    }
    auto m = std::make_shared<const NameMatcher>(make());
    std::lock_guard lock(mu);
    if (cache.size() >= 24) cache.clear();
    cache.emplace(key, m);
    return m;
  }

  // The tags of one language version, kept between builds by the hash of
  // what decides them (the matchers' names, the title, the text): after an
  // edit, the preview server tags only the versions that changed.
  struct Tags {
    std::vector<int> countries, topics;
  };
  static bool cached_tags(size_t key, Tags* out, const Tags* store) {
    static std::shared_mutex mu;  // every version is looked up, on all cores
    static std::unordered_map<size_t, Tags> cache;
    if (store) {
      std::unique_lock lock(mu);
      if (cache.size() > 500000) cache.clear();
      cache[key] = *store;
      return true;
    }
    std::shared_lock lock(mu);
    auto it = cache.find(key);
    if (it == cache.end()) return false;
    *out = it->second;
    return true;
  }

  void make_matchers() {
    std::hash<std::string_view> hash;
    for (const auto& lang : c_.config.languages) {
      std::string ckey = country_names_key(lang), tkey = topic_keywords_key(lang);
      country_m_[lang] = cached_matcher(ckey, [&] { return country_matcher(lang); });
      topic_m_[lang] = cached_matcher(tkey, [&] { return topic_matcher(lang); });
      matcher_hash_[lang] = hash(ckey) * 31 + hash(tkey);
    }
  }

  void tag_documents() {
    const auto &country_m = country_m_, &topic_m = topic_m_;
    const auto& matcher_hash = matcher_hash_;
    std::hash<std::string_view> hash;
    const int n = static_cast<int>(c_.countries.size());
    parallel_for(c_.documents.size(), jobs_, [&](size_t i) {
      if (lent_[i]) return;
      DocumentFacts& f = s_.documents[i];
      for (const DocumentVersion& v : c_.documents[i].versions) {
        auto cm = country_m.find(v.lang);
        if (cm == country_m.end()) continue;
        size_t key = ((matcher_hash.at(v.lang) * 31 + hash(v.title)) * 31 + v.body.text_hash()) *
                         31 + v.body.text().size();
        Tags tags;
        if (!cached_tags(key, &tags, nullptr)) {
          const NameMatcher& topic = *topic_m.at(v.lang);
          for (const std::string* text : {&v.body.text(), &v.title}) {
            for (int id : cm->second->find_ids(*text))
              if (id < n) tags.countries.push_back(id);
            for (int id : topic.find_ids(*text)) tags.topics.push_back(id);
          }
          cached_tags(key, nullptr, &tags);
        }
        f.countries.insert(f.countries.end(), tags.countries.begin(), tags.countries.end());
        f.topics.insert(f.topics.end(), tags.topics.begin(), tags.topics.end());
      }
      sort_unique(f.countries);
      sort_unique(f.topics);
    });
  }

  static void sort_unique(std::vector<int>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  void list_documents() {
    s_.topics.resize(c_.topics.size());
    std::vector<int> order(c_.documents.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    // Newest first; the symbol breaks ties so the order is stable.
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      const Document &x = c_.documents[a], &y = c_.documents[b];
      if (x.date != y.date) return x.date > y.date;
      return x.symbol < y.symbol;
    });
    for (int i : order) {
      const DocumentFacts& f = s_.documents[i];
      for (int c : f.countries) s_.countries[c].documents.push_back(i);
      for (int t : f.topics) s_.topics[t].documents.push_back(i);
      if (f.meeting < 0) continue;
      MeetingFacts& m = s_.meetings[f.meeting];
      m.documents.push_back(i);
      if (c_.documents[i].type == "final-report" && m.final_report < 0) m.final_report = i;
    }
  }

  Site& s_;
  const Content& c_;
  const Site* prev_;  // may be null
  Diagnostics& diags_;
  int jobs_ = default_jobs();
  std::map<std::string, std::shared_ptr<const NameMatcher>> country_m_, topic_m_;
  std::map<std::string, size_t> matcher_hash_;  // by language: what the matchers match
  std::vector<bool> lent_;                      // document facts taken from prev_
};

}  // namespace

std::unique_ptr<Site> resolve_site(Content content, const Date& as_of, Diagnostics& diags,
                                   const Site* previous) {
  auto site = std::make_unique<Site>();
  site->content = std::move(content);
  site->as_of = as_of;
  Resolver(*site, previous, diags).run();
  return site;
}

}  // namespace sitegen
