// The site snapshot: a resolved site written and read back whole; damaged
// bytes are no site.
#include "site-gen/site_snapshot.h"

#include <doctest/doctest.h>

#include "site-gen/load.h"

using namespace sitegen;

namespace {

// The bundled site, resolved: every kind of content and fact.
const Site& bundled() {
  static const std::unique_ptr<Site> site = [] {
    Diagnostics diags;
    Content c = load_site(SITE_GEN_SOURCE_DIR, diags);
    auto s = resolve_site(std::move(c), *parse_iso_date("2026-03-01"), diags);
    REQUIRE(!diags.has_errors());
    return s;
  }();
  return *site;
}

}  // namespace

TEST_CASE("site snapshot: a restored site is the one snapshotted") {
  const Site& site = bundled();
  const std::string bytes = snapshot_site(site);
  std::unique_ptr<Site> back = restore_site(bytes);
  REQUIRE(back);
  // Written again, the same bytes: every field read back as written.
  CHECK(snapshot_site(*back) == bytes);
  CHECK(back->content.documents.size() == site.content.documents.size());
  CHECK(back->content.countries.size() == site.content.countries.size());
  CHECK(back->as_of == site.as_of);
  CHECK(back->states_parties == site.states_parties);
  CHECK(back->document_facts_key == site.document_facts_key);
  const Document &a = site.content.documents[0], &b = back->content.documents[0];
  CHECK(a.symbol == b.symbol);
  REQUIRE(a.versions.size() == b.versions.size());
  CHECK(a.versions[0].body == b.versions[0].body);
  CHECK(a.versions[0].body.text_hash() == b.versions[0].body.text_hash());
  CHECK(a.versions[0].body.headings().size() == b.versions[0].body.headings().size());
  // References to one file share its name, as the loader made them.
  const Country& c = back->content.countries[0];
  if (c.page_aliases.size() > 1 && c.page_aliases[0].file)
    CHECK(c.page_aliases[0].file == c.page_aliases[1].file);
}

TEST_CASE("site snapshot: cut short, damaged or of another version, no site") {
  const std::string bytes = snapshot_site(bundled());
  for (size_t cut : {size_t(0), size_t(10), bytes.size() / 3, bytes.size() - 1})
    CHECK_FALSE(restore_site(std::string_view(bytes).substr(0, cut)));
  CHECK_FALSE(restore_site(bytes + "x"));
  std::string version = bytes;
  version[std::string_view("site-gen site snapshot\n").size()] ^= 0x7f;
  CHECK_FALSE(restore_site(version));
  // A count made huge allocates nothing: it is more than the bytes hold.
  std::string counts = bytes;
  for (size_t i = 40; i < 48; ++i) counts[i] = '\xff';
  CHECK_FALSE(restore_site(counts));
}
