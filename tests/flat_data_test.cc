// Flat data (site-gen/flat_data.h): values kept as set, a key set again
// replaced in place, and the same values as kainjow's data.
#include "site-gen/flat_data.h"

#include <doctest/doctest.h>

#include <string>

using sitegen::Data;
using sitegen::FlatData;

TEST_CASE("flat data: objects, lists, strings and booleans as set") {
  FlatData f;
  const FlatData::Id list = f.add_list();
  for (const char* title : {"one", "two", "three"}) {
    const FlatData::Id item = f.add_object();
    f.set(item, "title", title);
    f.set(item, "shown", std::string(title) != "two");
    f.push(list, item);
  }
  f.set(FlatData::root(), "items", list);
  f.set(FlatData::root(), "query", std::string("mines"));

  const FlatData::Id items = f.find(FlatData::root(), "items");
  REQUIRE(items != FlatData::kNone);
  CHECK(f.kind(items) == FlatData::Kind::list);
  std::string titles;
  for (FlatData::Id c = f.first(items); c != FlatData::kNone; c = f.next(c)) {
    CHECK(f.kind(c) == FlatData::Kind::object);
    titles += std::string(f.text(f.find(c, "title"))) + (f.truth(f.find(c, "shown")) ? "+" : "-") + " ";
  }
  CHECK(titles == "one+ two- three+ ");
  CHECK(f.text(f.find(FlatData::root(), "query")) == "mines");
  CHECK(f.find(FlatData::root(), "missing") == FlatData::kNone);
  CHECK(f.find(f.first(items), "query") == FlatData::kNone);
}

TEST_CASE("flat data: a key set again replaces its value, in its place") {
  FlatData f;
  f.set(FlatData::root(), "a", "1");
  f.set(FlatData::root(), "b", "2");
  f.set(FlatData::root(), "c", "3");
  f.set(FlatData::root(), "b", "two");
  f.set(FlatData::root(), "c", "three");
  std::string seen;
  for (FlatData::Id c = f.first(FlatData::root()); c != FlatData::kNone; c = f.next(c))
    seen += std::string(f.key(c)) + "=" + std::string(f.text(c)) + " ";
  CHECK(seen == "a=1 b=two c=three ");
  // And a value added after the replaced last one.
  f.set(FlatData::root(), "d", "4");
  CHECK(f.text(f.find(FlatData::root(), "d")) == "4");
  CHECK(f.text(f.find(FlatData::root(), "c")) == "three");
}

TEST_CASE("flat data: as kainjow's data") {
  FlatData f;
  const FlatData::Id list = f.add_list();
  f.push(list, f.add_string("<x>"));
  f.push(list, f.add_string("y"));
  const FlatData::Id item = f.add_object();
  f.set(item, "on", true);
  f.set(item, "off", false);
  f.set(FlatData::root(), "list", list);
  f.set(FlatData::root(), "item", item);
  f.set(FlatData::root(), "empty", f.add_list());
  const Data d = f.to_mustache();
  REQUIRE(d.is_object());
  REQUIRE(d.get("list"));
  CHECK(d.get("list")->list_value().size() == 2);
  CHECK(d.get("list")->list_value()[0].string_value() == "<x>");
  CHECK(d.get("item")->get("on")->is_true());
  CHECK(d.get("item")->get("off")->is_false());
  CHECK(d.get("empty")->is_empty_list());
  CHECK(d.get("missing") == nullptr);
}
