// Facet counts from the table of an opened index agree with counts decoded
// from each match, whatever the documents hold, and after the index changed.
#include "index/facet_table.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "index/layout.h"
#include "tests/site_fixture.h"

namespace fs = std::filesystem;
using namespace sitegen::index;

namespace {

using sitegen::testing::TempDir;

// Slot 3 as the writer makes it: group id, then the six fields.
std::string slot(uint64_t gid, const std::vector<std::string>& fields) {
  std::string s;
  for (int i = 0; i < 8; ++i) s += char((gid >> (8 * i)) & 0xff);
  for (size_t f = 0; f < fields.size(); ++f) s += (f ? std::string(1, layout::kFieldSep) : "") + fields[f];
  return s;
}

std::string list(std::initializer_list<const char*> values) {
  std::string s;
  for (const char* v : values) s += (s.empty() ? "" : std::string(1, layout::kListSep)) + v;
  return s;
}

Xapian::Document doc(const std::string& word, const std::string& facets, bool with_slot = true) {
  Xapian::Document d;
  d.add_term(word);
  d.add_term("all");
  if (with_slot) d.add_value(layout::kSlotFacets, facets);
  return d;
}

// Groups in several languages (interleaved docids), lists with repeats,
// empty fields, a short slot and a missing one.
void fill(Xapian::WritableDatabase& db) {
  const char* langs[] = {"en", "fr", "es"};
  for (int round = 0; round < 3; ++round)
    for (uint64_t g = 1; g <= 40; ++g) {
      if (g % 3 == 0 && round == 2) continue;
      std::string lang = langs[round];
      std::string year = std::to_string(2000 + g % 7);
      std::string countries = g % 4 ? list({"AO", "DK", "AO"}) : list({"FR"});
      std::string topics = g % 5 ? list({"clearance"}) : "";
      std::string type = g % 2 ? "report" : "";
      db.add_document(doc(g % 2 ? "odd" : "even",
                          slot(g * 0x9e3779b97f4a7c15ull,
                               {lang, type, "msp-" + std::to_string(g % 3), year, countries, topics})));
    }
  db.add_document(doc("odd", "short"));
  db.add_document(doc("odd", "", false));
  db.add_document(doc("odd", slot(7, {"en"})));  // fields missing at the end
}

struct Counted {
  FacetCounts facets;
  size_t groups = 0, docs = 0;
  bool operator==(const Counted&) const = default;
};

Counted count(const Xapian::Database& db, const std::string& word, const FacetTable* table,
              bool collapse = true) {
  Xapian::Enquire enq(db);
  enq.set_query(Xapian::Query(word));
  if (collapse) enq.set_collapse_key(layout::kSlotGroup);
  FacetCounter spy(table);
  enq.add_matchspy(&spy);
  enq.get_mset(0, 10, db.get_doccount());
  Counted c;
  c.groups = spy.count(&c.facets);
  c.docs = spy.docs();
  return c;
}

}  // namespace

TEST_CASE("facet table: counts equal those decoded from every match") {
  TempDir dir;
  {
    Xapian::WritableDatabase w(dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    fill(w);
    w.commit();
  }
  Xapian::Database db(dir.path().string());
  auto table = FacetTable::build(db);
  REQUIRE(table);
  CHECK(table->describes(db));
  for (const char* word : {"all", "odd", "even", "none"}) {
    CAPTURE(word);
    Counted fast = count(db, word, table.get()), slow = count(db, word, nullptr);
    CHECK(fast == slow);
    CHECK(fast.facets.size() == 6);
  }
  Counted all = count(db, "all", table.get());
  CHECK(all.groups == 41);  // 40 groups and the one of "fields missing"
  CHECK(all.docs == 40 * 3 - 13 + 1);
  CHECK(all.facets["country"] == std::map<std::string, size_t>{{"AO", 30}, {"DK", 30}, {"FR", 10}});
  CHECK(all.facets["lang"] == std::map<std::string, size_t>{{"en", 41}, {"es", 27}, {"fr", 40}});
  CHECK(all.facets["topic"] == std::map<std::string, size_t>{{"clearance", 32}});
  CHECK(count(db, "none", table.get()).facets["lang"].empty());
}

TEST_CASE("facet table: documents added since are decoded, and the table knows it is old") {
  TempDir dir;
  Xapian::WritableDatabase w(dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE);
  fill(w);
  w.commit();
  Xapian::Database old_db(dir.path().string());
  auto table = FacetTable::build(old_db);
  REQUIRE(table);

  w.add_document(doc("odd", slot(1 * 0x9e3779b97f4a7c15ull, {"ar", "report", "msp-1", "2001", "YE", ""})));
  w.add_document(doc("odd", slot(12345, {"zh", "note", "", "2024", "CN", "stockpiles"})));
  w.commit();
  Xapian::Database new_db(dir.path().string());
  CHECK(table->describes(old_db));
  CHECK(!table->describes(new_db));
  // Even a table used with a newer handle counts the new documents right.
  for (const char* word : {"all", "odd"}) {
    CAPTURE(word);
    CHECK(count(new_db, word, table.get()) == count(new_db, word, nullptr));
  }
  Counted odd = count(new_db, "odd", table.get());
  CHECK(odd.facets["lang"]["ar"] == 1);
  CHECK(odd.facets["topic"]["stockpiles"] == 1);
}

TEST_CASE("facet table: none for several shards, whose match spies see shard docids") {
  TempDir dir;
  for (const char* shard : {"a", "b"}) {
    Xapian::WritableDatabase w((dir.path() / shard).string(), Xapian::DB_CREATE_OR_OVERWRITE);
    fill(w);
    w.commit();
  }
  std::ofstream(dir.path() / "XAPIANDB") << "auto a\nauto b\n";
  Xapian::Database db(dir.path().string());
  CHECK(FacetTable::build(db) == nullptr);
  Xapian::Database one((dir.path() / "a").string());
  auto table = FacetTable::build(one);
  REQUIRE(table);
  CHECK(!table->describes(db));
}

TEST_CASE("facet table: saved and mapped again, it counts the same") {
  TempDir dir;
  {
    Xapian::WritableDatabase w((dir.path() / "db").string(), Xapian::DB_CREATE_OR_OVERWRITE);
    fill(w);
    w.commit();
  }
  Xapian::Database db((dir.path() / "db").string());
  auto built = FacetTable::build(db);
  REQUIRE(built);
  const fs::path file = dir.path() / "db" / FacetTable::kFileName;
  std::string error;
  REQUIRE(built->save(file, &error));
  CHECK(error.empty());
  CHECK(!fs::exists(file.string() + ".tmp"));
  auto mapped = FacetTable::load(file, db);
  REQUIRE(mapped);
  CHECK(mapped->describes(db));
  CHECK(mapped->ranks() == built->ranks());
  for (const char* word : {"all", "odd", "even", "none"}) {
    CAPTURE(word);
    CHECK(count(db, word, mapped.get()) == count(db, word, built.get()));
    CHECK(count(db, word, mapped.get()) == count(db, word, nullptr));
  }
}

TEST_CASE("facet table: a saved table of another revision, or damaged, is not used") {
  TempDir dir;
  const fs::path path = dir.path() / "db", file = path / FacetTable::kFileName;
  Xapian::WritableDatabase w(path.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  fill(w);
  w.commit();
  std::string error;
  REQUIRE(FacetTable::build(Xapian::Database(path.string()))->save(file, &error));
  REQUIRE(FacetTable::load(file, Xapian::Database(path.string())));

  // Damaged: shorter, longer, another format.
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto rewritten = [&](const std::string& content) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    return FacetTable::load(file, Xapian::Database(path.string()));
  };
  CHECK(rewritten(bytes.substr(0, bytes.size() - 8)) == nullptr);
  CHECK(rewritten(bytes + std::string(8, '\0')) == nullptr);
  CHECK(rewritten(bytes.substr(0, 10)) == nullptr);
  CHECK(rewritten("") == nullptr);
  std::string other = bytes;
  other[7] = '9';  // another version of the format
  CHECK(rewritten(other) == nullptr);
  CHECK(rewritten(bytes) != nullptr);

  // A later commit: the table describes the revision before it.
  w.add_document(doc("odd", slot(12345, {"zh", "note", "", "2024", "CN", ""})));
  w.commit();
  CHECK(FacetTable::load(file, Xapian::Database(path.string())) == nullptr);
  CHECK(FacetTable::load(dir.path() / "missing", Xapian::Database(path.string())) == nullptr);
}
