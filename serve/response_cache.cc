#include "serve/response_cache.h"

namespace sitegen::serve {

uint64_t ResponseCache::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

ResponseCache::Body ResponseCache::find(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second.use);
  return it->second.body;
}

size_t ResponseCache::cost(const std::string& key, const std::string& body) {
  // A list node and a hash node, each with a string, and a shared_ptr block.
  constexpr size_t kBookkeeping = 192;
  return 2 * key.size() + body.size() + kBookkeeping;
}

void ResponseCache::evict_last() {
  auto it = entries_.find(order_.back());
  bytes_ -= cost(it->first, *it->second.body);
  entries_.erase(it);
  order_.pop_back();
}

void ResponseCache::insert(const std::string& key, Body body, uint64_t generation) {
  if (capacity_ == 0 || !body) return;
  const size_t size = cost(key, *body);
  if (size > budget_ / 4) return;
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  if (auto it = entries_.find(key); it != entries_.end()) {
    // Two searches for the same key raced: both answers are of this index.
    bytes_ -= cost(key, *it->second.body);
    order_.erase(it->second.use);
    entries_.erase(it);
  }
  while (!entries_.empty() && (entries_.size() >= capacity_ || bytes_ + size > budget_))
    evict_last();
  order_.push_front(key);
  entries_.emplace(key, Entry{std::move(body), order_.begin()});
  bytes_ += size;
}

void ResponseCache::invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
  entries_.clear();
  order_.clear();
  bytes_ = 0;
}

size_t ResponseCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

namespace {

void append_part(std::string& key, std::string_view part) {
  key += std::to_string(part.size());
  key += ':';
  key += part;
}

}  // namespace

std::string search_cache_key(std::string_view endpoint, const index::SearchRequest& r,
                             const std::multimap<std::string, std::string>* params) {
  std::string key;
  for (std::string_view part : {endpoint, std::string_view(r.query), std::string_view(r.lang),
                                std::string_view(r.country), std::string_view(r.topic),
                                std::string_view(r.meeting), std::string_view(r.type),
                                std::string_view(r.year), std::string_view(r.from),
                                std::string_view(r.to), std::string_view(r.sort),
                                std::string_view(r.query_lang)})
    append_part(key, part);
  key += r.lang_only ? 'L' : '-';
  key += r.exact ? 'E' : '-';
  key += static_cast<char>('4' + r.fallbacks);  // -1 to 3
  append_part(key, std::to_string(r.page));
  append_part(key, std::to_string(r.page_size));
  if (params)
    for (const auto& [name, value] : *params) {
      append_part(key, name);
      append_part(key, value);
    }
  return key;
}

}  // namespace sitegen::serve
