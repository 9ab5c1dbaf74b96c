// Resolve: checks the references between content files and derives what the
// pages show: each State's status and names in every language, each
// document's States and topics (explicit plus found in its text), and the
// lists of documents per State, topic and meeting. The result is read-only
// and shared by all renderer threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "site-gen/diagnostic.h"
#include "site-gen/model.h"
#include "site-gen/status.h"

namespace sitegen {

struct CountryFacts {
  StatusOnDay status;
  PerLang<std::string> names;  // every site language: content, else CLDR
  std::vector<int> documents;  // indices into Content::documents, newest first
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

// The resolved site: the content plus everything derived from it.
struct Site {
  Content content;
  Date as_of;
  std::vector<CountryFacts> countries;  // parallel to content.countries
  std::vector<DocumentFacts> documents; // parallel to content.documents
  std::vector<MeetingFacts> meetings;   // parallel to content.meetings
  std::vector<TopicFacts> topics;       // parallel to content.topics
  std::map<std::string, int> country_by_iso;
  std::map<std::string, int> meeting_by_id;
  std::map<std::string, int> topic_by_id;
  int states_parties = 0;  // on as_of
  // What a document's facts depend on besides the document: the names and
  // keywords tagged, the order of States, meetings and topics, the
  // attachments. Equal keys and the same Document object: equal facts.
  size_t document_facts_key = 0;

  const std::vector<std::string>& languages() const { return content.config.languages; }
};

// Takes the loaded content; reports unknown references, contradictions and
// attachments that do not exist. `as_of` is the build date (--as-of).
// `previous` (a site resolved without errors, whose unchanged documents the
// content shares: reload_documents()) lends the facts of those documents.
std::unique_ptr<Site> resolve_site(Content content, const Date& as_of, Diagnostics& diags,
                                   const Site* previous = nullptr);

}  // namespace sitegen
