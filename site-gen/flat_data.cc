// Flat values for the part renderer: see flat_data.h.
#include "site-gen/flat_data.h"

namespace sitegen {

FlatData::FlatData() {
  // A results page's facets: a few hundred nodes, some kilobytes of text.
  nodes_.reserve(512);
  text_.reserve(16 * 1024);
  add(Kind::object);
}

uint32_t FlatData::append(std::string_view s) {
  const auto at = static_cast<uint32_t>(text_.size());
  text_.append(s);
  return at;
}

FlatData::Id FlatData::add(Kind k) {
  nodes_.push_back(Node{k});
  return static_cast<Id>(nodes_.size() - 1);
}

FlatData::Id FlatData::add_string(std::string_view s) {
  Id n = add(Kind::string);
  nodes_[n].text_off = append(s);
  nodes_[n].text_len = static_cast<uint32_t>(s.size());
  return n;
}

FlatData::Id FlatData::add_bool(bool value) {
  Id n = add(Kind::boolean);
  nodes_[n].value = value;
  return n;
}

FlatData::Id FlatData::add_list() { return add(Kind::list); }
FlatData::Id FlatData::add_object() { return add(Kind::object); }

void FlatData::link(Id parent, Id child) {
  Node& p = nodes_[parent];
  if (p.last == kNone)
    p.first = child;
  else
    nodes_[p.last].next = child;
  p.last = child;
}

void FlatData::name(Id value, std::string_view key) {
  nodes_[value].key_off = append(key);
  nodes_[value].key_len = static_cast<uint32_t>(key.size());
}

void FlatData::set(Id object, std::string_view key, Id value) {
  name(value, key);
  // A key set again takes the old value's place.
  for (Id c = nodes_[object].first, before = kNone; c != kNone; before = c, c = nodes_[c].next) {
    if (this->key(c) != key) continue;
    nodes_[value].next = nodes_[c].next;
    if (before == kNone)
      nodes_[object].first = value;
    else
      nodes_[before].next = value;
    if (nodes_[object].last == c) nodes_[object].last = value;
    return;
  }
  link(object, value);
}

void FlatData::add_member(Id object, std::string_view key, Id value) {
  name(value, key);
  link(object, value);
}

void FlatData::push(Id list, Id value) { link(list, value); }

FlatData::Id FlatData::find(Id object, std::string_view key) const {
  for (Id c = nodes_[object].first; c != kNone; c = nodes_[c].next)
    if (this->key(c) == key) return c;
  return kNone;
}

Data FlatData::to_mustache(Id n) const {
  switch (kind(n)) {
    case Kind::string:
      return Data(std::string(text(n)));
    case Kind::boolean:
      return Data(truth(n) ? Data::type::bool_true : Data::type::bool_false);
    case Kind::list: {
      Data list(Data::type::list);
      for (Id c = first(n); c != kNone; c = next(c)) list.push_back(to_mustache(c));
      return list;
    }
    case Kind::object:
      break;
  }
  Data object(Data::type::object);
  for (Id c = first(n); c != kNone; c = next(c)) object.set(std::string(key(c)), to_mustache(c));
  return object;
}

}  // namespace sitegen
