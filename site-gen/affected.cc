#include "site-gen/affected.h"

#include <map>

#include "site-gen/fallback.h"

namespace sitegen {
namespace fs = std::filesystem;
namespace {

bool same_refs(const std::vector<Ref>& a, const std::vector<Ref>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].value != b[i].value) return false;
  return true;
}

bool same_body(const Body& a, const Body& b) { return a == b; }

// What lists of documents show of one (render.cc's document_item): all
// but the bodies.
bool same_listing(const Document& a, const Document& b) {
  if (a.symbol != b.symbol || a.date != b.date || a.type != b.type ||
      a.agenda_item != b.agenda_item || a.original != b.original || a.meeting != b.meeting ||
      !same_refs(a.files, b.files) || a.versions.size() != b.versions.size())
    return false;
  for (size_t i = 0; i < a.versions.size(); ++i) {
    const auto &x = a.versions[i], &y = b.versions[i];
    if (x.lang != y.lang || x.title != y.title) return false;
  }
  return true;
}

bool same_bodies(const Document& a, const Document& b) {
  for (size_t i = 0; i < a.versions.size() && i < b.versions.size(); ++i)
    if (!same_body(a.versions[i].body, b.versions[i].body)) return false;
  return a.versions.size() == b.versions.size();
}

bool same_prose(const PerLang<Prose>& a, const PerLang<Prose>& b) {
  if (a.size() != b.size()) return false;
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
    if (ia->first != ib->first || ia->second.title != ib->second.title ||
        ia->second.description != ib->second.description || ia->second.weight != ib->second.weight || !same_body(ia->second.body, ib->second.body) ||
        !same_refs(ia->second.page_aliases, ib->second.page_aliases))
      return false;
  return true;
}

// The State's facts, as its pages and the membership list show them.
bool same_facts(const Country& a, const Country& b, const CountryFacts& fa, const CountryFacts& fb) {
  return a.iso == b.iso && a.slug == b.slug && a.names == b.names && a.aliases == b.aliases &&
         fa.names == fb.names && fa.status.status == fb.status.status &&
         fa.status.in_force_pending == fb.status.in_force_pending &&
         a.signed_on == b.signed_on && a.deposited == b.deposited &&
         a.accession == b.accession && a.entry_into_force == b.entry_into_force &&
         a.withdrawal_notice == b.withdrawal_notice &&
         a.withdrawal_effective == b.withdrawal_effective &&
         same_refs(a.page_aliases, b.page_aliases);
}

}  // namespace

bool only_under(const fs::path& root, const std::vector<fs::path>& changed, const char* folder) {
  fs::path base = (root / folder).lexically_normal();
  for (const auto& c : changed) {
    fs::path p = (c.is_absolute() ? c : root / c).lexically_normal();
    auto rel = p.lexically_relative(base);
    if (rel.empty() || *rel.begin() == "..") return false;
  }
  return true;
}

std::optional<std::set<std::string>> affected_urls(const Site& before, const Site& after,
                                                   const fs::path& site_root,
                                                   const std::vector<fs::path>& changed,
                                                   const std::vector<int>* reloaded) {
  const Content &b = before.content, &a = after.content;
  // Whatever is shown on many pages at once: every page.
  if (changed.empty() || !only_under(site_root, changed, "content") ||
      b.config.languages != a.config.languages || before.as_of != after.as_of ||
      b.countries.size() != a.countries.size() || b.meetings.size() != a.meetings.size() ||
      b.topics.size() != a.topics.size() || b.pages.size() != a.pages.size() ||
      b.documents.size() != a.documents.size() || b.attachments != a.attachments)
    return std::nullopt;
  // Lists the content shares with the previous site are the same objects:
  // comparing them would only touch memory an edit after a pause finds cold.
  const bool same_meetings = &b.meetings.all() == &a.meetings.all();
  // Same States, meetings and day: resolve_site() lent the States' facts.
  const bool same_states = &b.countries.all() == &a.countries.all() && same_meetings;
  for (size_t i = 0; i < a.meetings.size() && !same_meetings; ++i) {
    const Meeting &x = b.meetings[i], &y = a.meetings[i];
    if (x.id != y.id || x.title != y.title || x.venue != y.venue || x.start != y.start ||
        x.end != y.end || x.kind != y.kind || !same_refs(x.page_aliases, y.page_aliases) ||
        (x.president ? x.president->value : "") != (y.president ? y.president->value : ""))
      return std::nullopt;
  }
  for (size_t i = 0; i < a.topics.size() && &b.topics.all() != &a.topics.all(); ++i)
    if (b.topics[i].id != a.topics[i].id || b.topics[i].names != a.topics[i].names ||
        b.topics[i].keywords != a.topics[i].keywords)
      return std::nullopt;
  const bool same_pages = &b.pages.all() == &a.pages.all();
  for (size_t i = 0; i < a.pages.size() && !same_pages; ++i)
    if (b.pages[i].slug != a.pages[i].slug) return std::nullopt;

  std::set<std::string> urls;
  const auto& langs = after.languages();
  auto add_lists = [&] {
    for (const auto& l : langs) urls.insert(home_url(l));
  };
  for (size_t i = 0; i < a.countries.size() && !same_states; ++i) {
    const Country &x = b.countries[i], &y = a.countries[i];
    if (x.names != y.names || x.aliases != y.aliases || x.iso != y.iso || x.slug != y.slug)
      return std::nullopt;  // tagging and every list of States may change
    bool facts = same_facts(x, y, before.countries[i], after.countries[i]);
    // Article 5, stockpile and mines retained are shown on the State's page only.
    bool page = same_prose(x.prose, y.prose) && x.article5 == y.article5 &&
                x.stockpile == y.stockpile && x.mines_retained == y.mines_retained;
    if (facts && page) continue;
    for (const auto& l : langs) urls.insert(country_url(after, l, int(i)));
    if (!facts) {
      for (const auto& l : langs) urls.insert("/" + l + "/membership/");
      add_lists();
    }
  }
  for (size_t i = 0; i < a.pages.size() && !same_pages; ++i) {
    const auto &x = b.pages[i].versions, &y = a.pages[i].versions;
    if (same_prose(x, y)) continue;
    for (auto ix = x.begin(), iy = y.begin(); ix != x.end() && iy != y.end(); ++ix, ++iy)
      if (ix->second.title != iy->second.title || ix->second.weight != iy->second.weight)
        return std::nullopt;  // the navigation of every page shows it
    if (x.size() != y.size()) return std::nullopt;
    for (const auto& l : langs) urls.insert(page_url(after, l, int(i)));
  }
  if (!same_prose(b.home, a.home)) add_lists();

  const std::vector<int> all_documents =
      reloaded ? std::vector<int>() : every_index(a.documents.size());
  for (int i : reloaded ? *reloaded : all_documents) {
    const Document &x = b.documents[i], &y = a.documents[i];
    const DocumentFacts &fx = before.documents[i], &fy = after.documents[i];
    // The same object (reloaded content shares what it did not parse again).
    if (&x == &y && fx.countries == fy.countries && fx.topics == fy.topics) continue;
    if (x.meeting != y.meeting || x.name != y.name || !same_refs(x.page_aliases, y.page_aliases) ||
        x.slug != y.slug)
      return std::nullopt;
    bool listed_same =
        same_listing(x, y) && fx.countries == fy.countries && fx.topics == fy.topics;
    if (listed_same && same_bodies(x, y)) continue;
    // Only the text changed: the lists of its meeting, States and topics
    // show the same item, and of its pages only those whose shown version
    // (their own, or the one they fall back to) changed.
    if (listed_same) {
      const std::string& def = a.config.default_language();
      for (const auto& l : langs) {
        const DocumentVersion *vx = shown_version(x, l, def), *vy = shown_version(y, l, def);
        if (!vx || !vy || vx->lang != vy->lang || !same_body(vx->body, vy->body))
          urls.insert(document_url(after, l, i));
      }
      continue;
    }
    for (const auto& l : langs) urls.insert(document_url(after, l, i));
    for (const auto& l : langs) {
      if (fy.meeting >= 0) urls.insert(meeting_url(after, l, fy.meeting));
      for (int k : fx.countries) urls.insert(country_url(after, l, k));
      for (int k : fy.countries) urls.insert(country_url(after, l, k));
      for (int k : fx.topics) urls.insert(topic_url(after, l, k));
      for (int k : fy.topics) urls.insert(topic_url(after, l, k));
      urls.insert("/" + l + "/topics/");
    }
    add_lists();
  }
  return urls;
}

}  // namespace sitegen
