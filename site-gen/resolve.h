// Resolve: checks the references between content files and derives what the
// pages show: each State's status and names in every language, each
// document's States and topics (explicit plus found in its text), and the
// lists of documents per State, topic and meeting. The result is read-only
// and shared by all renderer threads.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "site-gen/diagnostic.h"
#include "site-gen/model.h"
#include "site-gen/status.h"

namespace sitegen {

struct CountryFacts {
  StatusOnDay status;
  PerLang<std::string> names;  // every site language: content, else CLDR
  // Indices into Content::documents, newest first, then by symbol, then by
  // index (as every list of documents here): a total order, so a list
  // updated after an edit equals the list made again.
  std::vector<int> documents;
};

struct DocumentFacts {
  int meeting = -1;            // index into Content::meetings
  std::vector<int> countries;  // indices into Content::countries, in slug order
  std::vector<int> topics;     // indices into Content::topics
};

struct MeetingFacts {
  std::vector<int> documents;  // newest first
  int final_report = -1;       // index of its final report, if any
};

struct TopicFacts {
  std::vector<int> documents;  // newest first
};

// Positions in a list of the content (States, meetings, topics) by ISO
// code or id, read like a std::map. Shared by the sites of successive
// edits, which have the same lists: a copy is a pointer.
class PositionMap {
 public:
  using Map = std::map<std::string, int, std::less<>>;
  using const_iterator = Map::const_iterator;

  PositionMap() : m_(std::make_shared<const Map>()) {}
  explicit PositionMap(Map m) : m_(std::make_shared<const Map>(std::move(m))) {}

  template <class Key>
  const_iterator find(const Key& key) const {
    return m_->find(key);
  }
  template <class Key>
  size_t count(const Key& key) const {
    return m_->count(key);
  }
  template <class Key>
  int at(const Key& key) const {
    auto it = m_->find(key);
    if (it == m_->end()) throw std::out_of_range("PositionMap::at");
    return it->second;
  }
  const_iterator begin() const { return m_->begin(); }
  const_iterator end() const { return m_->end(); }
  size_t size() const { return m_->size(); }
  bool empty() const { return m_->empty(); }

 private:
  std::shared_ptr<const Map> m_;
};

// The name matchers a site's documents were tagged with (resolve.cc).
struct TaggingMatchers;

// The resolved site: the content plus everything derived from it.
// The preview server resolves the site again after each edit, lending the
// previous site's facts: the lists of facts are shared between the two
// sites (a copy is a few pointers) and only what changed is replaced, so a
// rebuild does not touch the facts of every document.
struct Site {
  Content content;
  Date as_of;
  SharedVector<CountryFacts> countries;  // parallel to content.countries
  SharedList<DocumentFacts> documents;   // parallel to content.documents
  SharedVector<MeetingFacts> meetings;   // parallel to content.meetings
  SharedVector<TopicFacts> topics;       // parallel to content.topics
  PositionMap country_by_iso;
  PositionMap meeting_by_id;
  PositionMap topic_by_id;
  int states_parties = 0;  // on as_of
  // What a document's facts depend on besides the document: the names and
  // keywords tagged, the order of States, meetings and topics, the
  // attachments. Equal keys and the same Document object: equal facts.
  size_t document_facts_key = 0;
  // Lent to the next resolve when its States, meetings and topics are
  // these very lists.
  std::shared_ptr<const TaggingMatchers> matchers;

  const std::vector<std::string>& languages() const { return content.config.languages; }
};

// Takes the loaded content; reports unknown references, contradictions and
// attachments that do not exist. `as_of` is the build date (--as-of).
// `previous` (a site resolved without errors, whose unchanged documents the
// content shares: reload_documents()) lends the facts of those documents,
// and its lists of documents, updated for the documents parsed again; the
// result is the same as without `previous`. Touches only the documents
// parsed again (and the States, meetings and topics), not the others.
std::unique_ptr<Site> resolve_site(Content content, const Date& as_of, Diagnostics& diags,
                                   const Site* previous = nullptr);

}  // namespace sitegen
