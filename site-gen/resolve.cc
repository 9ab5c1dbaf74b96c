#include "site-gen/resolve.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <set>

#include "site-gen/locale.h"
#include "site-gen/parallel.h"
#include "site-gen/tagger.h"

namespace sitegen {

struct TaggingMatchers {
  struct Language {
    std::shared_ptr<const NameMatcher> countries, topics;
    size_t hash = 0;  // of what they match
  };
  std::map<std::string, Language> by_lang;
  // What a document's facts depend on besides the document and the
  // attachments: the matchers and the order of States, meetings and topics.
  size_t key = 0;
};

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
PositionMap index_by(const std::vector<T>& items, std::string T::*key) {
  PositionMap::Map out;
  for (size_t i = 0; i < items.size(); ++i) out.emplace(items[i].*key, static_cast<int>(i));
  return PositionMap(std::move(out));
}

template <class T>
bool same_list(const SharedVector<T>& a, const SharedVector<T>& b) {
  return &a.all() == &b.all();
}

class Resolver {
 public:
  Resolver(Site& site, const Site* previous, Diagnostics& diags)
      : s_(site), c_(site.content), prev_(previous), diags_(diags) {}

  void run() {
    index_content();
    if (!lend_country_facts()) resolve_countries();
    check_presidents();
    make_matchers();
    find_documents_to_resolve();
    resolve_documents();
    tag_documents();
    store_document_facts();
    if (!update_lists()) list_documents();
  }

 private:
  // The previous site's maps (shared) when the lists are the previous
  // site's: copying them after a pause took as long as the rest of an edit's
  // resolve.
  void index_content() {
    s_.country_by_iso = prev_ && same_list(prev_->content.countries, c_.countries)
                            ? prev_->country_by_iso
                            : index_by(c_.countries.all(), &Country::iso);
    s_.meeting_by_id = prev_ && same_list(prev_->content.meetings, c_.meetings)
                           ? prev_->meeting_by_id
                           : index_by(c_.meetings.all(), &Meeting::id);
    s_.topic_by_id = prev_ && same_list(prev_->content.topics, c_.topics)
                         ? prev_->topic_by_id
                         : index_by(c_.topics.all(), &Topic::id);
  }

  void resolve_countries() {
    const std::string& def = c_.config.default_language();
    std::vector<CountryFacts>& facts = s_.countries.edit();
    facts.resize(c_.countries.size());
    for (size_t i = 0; i < c_.countries.size(); ++i) {
      const Country& c = c_.countries[i];
      CountryFacts& f = facts[i];
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

  // The previous site, resolved without errors, checked these very
  // meetings against these very States.
  void check_presidents() {
    if (prev_ && same_list(prev_->content.countries, c_.countries) &&
        same_list(prev_->content.meetings, c_.meetings))
      return;
    for (const Meeting& m : c_.meetings)
      if (m.president) check_country(*m.president, m.source.path);
  }

  // The States' names and status, when the States and meetings are the
  // very lists of the previous site (shared: reload_documents()) on the
  // same day; with the previous lists of documents, which update_lists()
  // keeps or edits a copy of.
  bool lend_country_facts() {
    if (!prev_ || prev_->as_of != s_.as_of || !same_list(prev_->content.countries, c_.countries) ||
        !same_list(prev_->content.meetings, c_.meetings))
      return false;
    s_.countries = prev_->countries;
    s_.states_parties = prev_->states_parties;
    countries_lent_ = true;
    return true;
  }

  // The documents to resolve: after an edit, those that are not the very
  // objects of the previous site (reload_documents() shares the others,
  // and their facts are lent), when nothing else they depend on changed.
  void find_documents_to_resolve() {
    std::hash<std::string_view> hash;
    size_t key = s_.matchers->key;
    for (const std::string& a : c_.attachments) key = (key * 31 + hash(a)) * 31 + a.size();
    if (c_.attachment_texts)  // documents are tagged with their text
      for (const auto& [file, a] : *c_.attachment_texts) key = (key * 31 + a.hash) * 31 + a.text.size();
    s_.document_facts_key = key;
    lending_ = prev_ && prev_->document_facts_key == key &&
               prev_->content.documents.size() == c_.documents.size() &&
               prev_->documents.size() == c_.documents.size();
    if (lending_) {
      for (size_t i : c_.documents.differences(prev_->content.documents))
        todo_.push_back(static_cast<int>(i));
    } else {
      todo_ = every_index(c_.documents.size());
    }
    fresh_.resize(todo_.size());
  }

  void resolve_documents() {
    std::optional<std::set<std::string>> attachments;  // made when a document names one
    for (size_t k = 0; k < todo_.size(); ++k) {
      const Document& d = c_.documents[todo_[k]];
      DocumentFacts& f = fresh_[k];
      const std::string& path = d.source.path;
      if (auto it = s_.meeting_by_id.find(d.meeting); it != s_.meeting_by_id.end())
        f.meeting = it->second;
      // A value comes once per version that names it (see Document).
      auto add = [](std::vector<int>& ids, int id) {
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      };
      for (const Ref& iso : d.countries)
        if (int c = check_country(iso, path); c >= 0) add(f.countries, c);
      for (const Ref& t : d.topics) {
        auto it = s_.topic_by_id.find(t.value);
        if (it == s_.topic_by_id.end())
          diags_.error(t.file_or(path), t.line,
                       "unknown topic \"" + t.value + "\" (not in content/topics.yaml)");
        else
          add(f.topics, it->second);
      }
      for (const DocumentVersion& v : d.versions)
        for (const Ref& file : v.files) {
          if (!attachments) attachments.emplace(c_.attachments.begin(), c_.attachments.end());
          if (!attachments->count("content/meetings/" + d.meeting + "/" + file.value))
            diags_.error(file.file_or(v.source.path), file.line,
                         "attachment \"" + file.value + "\" not found in content/meetings/" +
                             d.meeting + "/");
        }
    }
  }

  int check_country(const Ref& iso, const std::string& path) {
    auto it = s_.country_by_iso.find(iso.value);
    if (it != s_.country_by_iso.end()) return it->second;
    diags_.error(iso.file_or(path), iso.line,
                 "unknown country \"" + iso.value + "\" (no content/countries/ file has this iso)");
    return -1;
  }

  void check_meeting(const Ref& id, const std::string& path) {
    if (!s_.meeting_by_id.count(id.value))
      diags_.error(id.file_or(path), id.line,
                   "unknown meeting \"" + id.value + "\" (no content/meetings/" + id.value +
                       "/meeting.yaml)");
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
    // The UN languages' names are no State's: a Chinese text writes a
    // language with its country's name ("原文：西班牙文", the Spanish
    // original, as every UN first page has it, is not Spain), so they are
    // names of their own, longer than the State's. ICU's Chinese names end
    // in 语; UN documents write 文.
    const int language = other++;
    for (const char* code : {"ar", "en", "es", "fr", "ru", "zh"})
      for (const std::string& in : {lang, std::string("en")}) {
        const std::string name = language_name(code, in);
        add_all(name, language);
        if (const std::string yu = "语"; name.size() > yu.size() && name.compare(name.size() - yu.size(), yu.size(), yu) == 0)
          add_all(name.substr(0, name.size() - yu.size()) + "文", language);
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

  // What a country matcher is made of, as a string: equal strings, equal
  // matchers.
  std::string country_names_key(const std::string& lang) const {
    std::string key = "countries:" + lang;
    for (const Country& c : c_.countries) {
      key += '\0' + c.iso;
      for (const auto& [l, name] : c.names) key += '\1' + l + '=' + name;
      for (const auto& [l, list] : c.aliases)
        for (const auto& a : list) key += '\2' + l + '=' + a;
    }
    return key;
  }

  std::string topic_keywords_key(const std::string& lang) const {
    std::string key = "topics:" + lang;
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

  // The previous site's matchers when the States, meetings and topics are
  // its very lists: the keys that find them in the cache spell out every
  // name and keyword, and making them took a fifth of an edit's resolve.
  void make_matchers() {
    if (prev_ && prev_->matchers && same_list(prev_->content.countries, c_.countries) &&
        same_list(prev_->content.meetings, c_.meetings) &&
        same_list(prev_->content.topics, c_.topics) && prev_->languages() == c_.config.languages) {
      s_.matchers = prev_->matchers;
      return;
    }
    auto m = std::make_shared<TaggingMatchers>();
    std::hash<std::string_view> hash;
    for (const auto& lang : c_.config.languages) {
      std::string ckey = country_names_key(lang), tkey = topic_keywords_key(lang);
      TaggingMatchers::Language& l = m->by_lang[lang];
      l.countries = cached_matcher(ckey, [&] { return country_matcher(lang); });
      l.topics = cached_matcher(tkey, [&] { return topic_matcher(lang); });
      l.hash = hash(ckey) * 31 + hash(tkey);
    }
    size_t key = 0;
    auto mix = [&](std::string_view part) { key = (key * 31 + hash(part)) * 31 + part.size(); };
    for (const auto& [lang, l] : m->by_lang) key = (key * 31 + l.hash) * 31 + hash(lang);
    for (const Country& c : c_.countries) mix(c.iso);
    for (const Meeting& mt : c_.meetings) mix(mt.id);
    for (const Topic& t : c_.topics) mix(t.id);
    m->key = key;
    s_.matchers = std::move(m);
  }

  // Threads pay for themselves on a full build, not for the one or two
  // documents of an edit.
  static constexpr size_t kDocumentsPerThread = 16;

  // The tags belong to the document: the union over all its versions.
  void tag_documents() {
    const TaggingMatchers& matchers = *s_.matchers;
    std::hash<std::string_view> hash;
    const int n = static_cast<int>(c_.countries.size());
    const int jobs = static_cast<int>(
        std::min<size_t>(static_cast<size_t>(std::max(jobs_, 1)),
                         (todo_.size() + kDocumentsPerThread - 1) / kDocumentsPerThread));
    parallel_for(todo_.size(), jobs, [&](size_t k) {
      DocumentFacts& f = fresh_[k];
      for (const DocumentVersion& v : c_.documents[todo_[k]].versions) {
        auto lm = matchers.by_lang.find(v.lang);
        if (lm == matchers.by_lang.end()) continue;
        const TaggingMatchers::Language& l = lm->second;
        // Its attachments' text too: a report published as its PDF alone is
        // on the pages of the States it names.
        std::vector<const std::string*> texts = {&v.body.text(), &v.title};
        size_t key =
            ((l.hash * 31 + hash(v.title)) * 31 + v.body.text_hash()) * 31 + v.body.text().size();
        for (const Ref& file : v.files)
          if (const AttachmentText* a = c_.attachment(c_.documents[todo_[k]], file.value)) {
            texts.push_back(&a->text);
            key = (key * 31 + a->hash) * 31 + a->text.size();
          }
        Tags tags;
        if (!cached_tags(key, &tags, nullptr)) {
          for (const std::string* text : texts) {
            for (int id : l.countries->find_ids(*text))
              if (id < n) tags.countries.push_back(id);
            for (int id : l.topics->find_ids(*text)) tags.topics.push_back(id);
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

  // After an edit: the previous site's facts, which this site shares,
  // with those of the documents resolved again replaced.
  void store_document_facts() {
    if (lending_) s_.documents = prev_->documents;
    for (size_t k = 0; k < todo_.size(); ++k) {
      if (lending_)
        s_.documents.replace(todo_[k], std::move(fresh_[k]));
      else
        s_.documents.push_back(std::move(fresh_[k]));  // todo_ is every index
    }
    fresh_.clear();
  }

  // The order of every list of documents: newest first; the symbol, then
  // the index break ties, so that the order is total and a list updated in
  // place equals the list made again.
  bool newer(int a, int b) const {
    const Document &x = c_.documents[a], &y = c_.documents[b];
    if (x.date != y.date) return x.date > y.date;
    if (x.symbol != y.symbol) return x.symbol < y.symbol;
    return a < b;
  }

  void list_documents() {
    std::vector<CountryFacts>& countries = s_.countries.edit();
    for (CountryFacts& f : countries) f.documents.clear();  // lent with the previous lists
    std::vector<TopicFacts>& topics = s_.topics.edit();
    std::vector<MeetingFacts>& meetings = s_.meetings.edit();
    topics.assign(c_.topics.size(), {});
    meetings.assign(c_.meetings.size(), {});
    std::vector<int> order = every_index(c_.documents.size());
    std::sort(order.begin(), order.end(), [&](int a, int b) { return newer(a, b); });
    for (int i : order) {
      const DocumentFacts& f = s_.documents[i];
      for (int c : f.countries) countries[c].documents.push_back(i);
      for (int t : f.topics) topics[t].documents.push_back(i);
      if (f.meeting < 0) continue;
      MeetingFacts& m = meetings[f.meeting];
      m.documents.push_back(i);
      if (is_final_report(i) && m.final_report < 0) m.final_report = i;
    }
  }

  bool is_final_report(int i) const { return c_.documents[i].type == "final-report"; }

  // The lists of each State's, topic's and meeting's documents, when the
  // documents' facts were lent: the previous lists (shared), with the
  // documents resolved again that moved (another date, symbol, type,
  // meeting, States or topics) taken out and put in again at their place.
  // Making them again would touch every document.
  bool update_lists() {
    if (!lending_ || prev_->countries.size() != c_.countries.size() ||
        prev_->meetings.size() != c_.meetings.size() || prev_->topics.size() != c_.topics.size())
      return false;
    std::vector<int> moved;  // in order, as todo_
    for (int i : todo_) {
      const Document &a = prev_->content.documents[i], &b = c_.documents[i];
      const DocumentFacts &fa = prev_->documents[i], &fb = s_.documents[i];
      if (a.date != b.date || a.symbol != b.symbol || a.type != b.type ||
          fa.meeting != fb.meeting || fa.countries != fb.countries || fa.topics != fb.topics)
        moved.push_back(i);
    }
    s_.topics = prev_->topics;
    s_.meetings = prev_->meetings;
    if (!countries_lent_) {
      std::vector<CountryFacts>& countries = s_.countries.edit();
      for (size_t k = 0; k < countries.size(); ++k)
        countries[k].documents = prev_->countries[k].documents;
    }
    if (moved.empty()) return true;

    std::vector<CountryFacts>& countries = s_.countries.edit();
    std::vector<TopicFacts>& topics = s_.topics.edit();
    std::vector<MeetingFacts>& meetings = s_.meetings.edit();
    auto take_out = [](std::vector<int>& list, int i) {
      if (auto it = std::find(list.begin(), list.end(), i); it != list.end()) list.erase(it);
    };
    auto put_in = [&](std::vector<int>& list, int i) {
      list.insert(
          std::lower_bound(list.begin(), list.end(), i, [&](int a, int b) { return newer(a, b); }),
          i);
    };
    std::set<int> touched;  // meetings
    // All out first: the lists are in order again before any goes back in.
    for (int i : moved) {
      const DocumentFacts& f = prev_->documents[i];
      for (int c : f.countries) take_out(countries[c].documents, i);
      for (int t : f.topics) take_out(topics[t].documents, i);
      if (f.meeting >= 0) {
        take_out(meetings[f.meeting].documents, i);
        touched.insert(f.meeting);
      }
    }
    for (int i : moved) {
      const DocumentFacts& f = s_.documents[i];
      for (int c : f.countries) put_in(countries[c].documents, i);
      for (int t : f.topics) put_in(topics[t].documents, i);
      if (f.meeting >= 0) {
        put_in(meetings[f.meeting].documents, i);
        touched.insert(f.meeting);
      }
    }
    for (int m : touched)
      meetings[m].final_report = first_final_report(m, prev_->meetings[m].final_report, moved);
    return true;
  }

  // The first final report in meeting m's (updated) list; `before` was the
  // previous site's. The documents that did not move kept their type and
  // their order: unless `before` moved, only a moved one can precede it.
  int first_final_report(int m, int before, const std::vector<int>& moved) const {
    if (before >= 0 && std::binary_search(moved.begin(), moved.end(), before)) {
      for (int i : s_.meetings[m].documents)
        if (is_final_report(i)) return i;
      return -1;
    }
    int first = before;
    for (int i : moved)
      if (s_.documents[i].meeting == m && is_final_report(i) && (first < 0 || newer(i, first)))
        first = i;
    return first;
  }

  Site& s_;
  const Content& c_;
  const Site* prev_;  // may be null
  Diagnostics& diags_;
  int jobs_ = default_jobs();
  bool countries_lent_ = false;       // s_.countries is prev_'s, with its lists
  bool lending_ = false;              // the documents not in todo_ have prev_'s facts
  std::vector<int> todo_;             // the documents to resolve, in order
  std::vector<DocumentFacts> fresh_;  // their facts, parallel to todo_
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
