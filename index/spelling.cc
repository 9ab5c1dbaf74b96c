// Per-language vocabularies and typo correction: see spelling.h. The
// metadata entries are described in docs/index-format.md ("Spelling").
#include "index/spelling.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <bit>
#include <fstream>
#include <functional>
#include <map>
#include <unordered_map>

#include "index/analyzer.h"
#include "index/text.h"

namespace sitegen::index {
namespace {

constexpr char kFormat = '1';
constexpr size_t kMinLetters = 4;  // shorter words: too many neighbours
constexpr size_t kLongWord = 7;    // from here, two edits are allowed
constexpr uint32_t kSimilar = 3;   // "similar frequency": within a factor 3
constexpr size_t kMaxAlternatives = 3;
constexpr int kMaxStubDepth = 4;  // stubs listing stubs

std::u32string code_points(std::string_view s) {
  std::u32string out;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    out += static_cast<char32_t>(c < 0 ? 0xFFFD : c);
  }
  return out;
}

// A 64-bit set of the word's letters (hashed): one edit changes at most two
// bits of the difference of two sets, so popcount(a ^ b) > 2 * d rules a
// word out before any distance is computed.
uint64_t letter_set(const std::u32string& w) {
  uint64_t s = 0;
  for (char32_t c : w) s |= uint64_t(1) << ((c * 2654435761u) >> 26);
  return s;
}

// Damerau distance (optimal string alignment: a swap of neighbours is one
// edit, the commonest typo), or max + 1 as soon as it must exceed max.
int edit_distance(const std::u32string& a, const std::u32string& b, int max) {
  const size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > size_t(max)) return max + 1;
  thread_local std::vector<int> rows;
  rows.assign(3 * (m + 1), 0);
  int* before = rows.data();
  int* prev = before + (m + 1);
  int* cur = prev + (m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = int(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = int(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, before[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max) return max + 1;
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

void put_number(std::string& out, uint64_t n) {
  while (n >= 0x80) {
    out += char((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += char(n);
}

bool get_number(std::string_view s, size_t& pos, uint64_t& n) {
  n = 0;
  for (int shift = 0; shift <= 56; shift += 7) {
    if (pos >= s.size()) return false;
    unsigned char c = s[pos++];
    n |= uint64_t(c & 0x7f) << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}

// -------------------------------------------------- the databases of a dir

// Calls `each` with every database behind `path`: itself, or each shard
// its stub lists (Xapian::Database::get_metadata reads the first shard of
// a stub only).
void for_each_database(const std::filesystem::path& path, int depth,
                       const std::function<void(const Xapian::Database&)>& each) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path stub;
  if (fs::is_directory(path, ec) && fs::exists(path / "XAPIANDB", ec))
    stub = path / "XAPIANDB";
  else if (fs::is_regular_file(path, ec))
    stub = path;
  if (stub.empty()) {
    try {
      each(Xapian::Database(path.string()));
    } catch (const Xapian::Error&) {
    }
    return;
  }
  if (depth >= kMaxStubDepth) return;
  std::ifstream in(stub);
  for (std::string line; std::getline(in, line);) {
    size_t sp = line.find(' ');
    if (sp == std::string::npos) continue;
    std::string type = line.substr(0, sp), spec = line.substr(sp + 1);
    while (!spec.empty() && (spec.back() == '\r' || spec.back() == ' ')) spec.pop_back();
    if (spec.empty()) continue;
    try {
      if (type == "auto" || type == "glass" || type == "chert") {
        fs::path p = spec;
        for_each_database(p.is_absolute() ? p : stub.parent_path() / p, depth + 1, each);
      } else if (type == "remote" && spec[0] == ':') {
        size_t args = spec.find(' ');
        each(Xapian::Remote::open(spec.substr(1, args == std::string::npos ? args : args - 1),
                                  args == std::string::npos ? "" : spec.substr(args + 1)));
      } else if (type == "remote") {
        size_t colon = spec.rfind(':');
        if (colon == std::string::npos) continue;
        each(Xapian::Remote::open(spec.substr(0, colon),
                                  static_cast<unsigned>(std::atoi(spec.c_str() + colon + 1))));
      }
    } catch (const Xapian::Error&) {
      // A shard that cannot be reached offers no corrections; the search
      // itself reports it.
    }
  }
}

}  // namespace

// ----------------------------------------------------------------- writing

std::string vocabulary_key(std::string_view lang) {
  return "sitegen.vocabulary." + std::string(lang);
}

bool is_spelling_word(std::string_view t) {
  if (t.size() < 2 || (t[0] >= 'A' && t[0] <= 'Z')) return false;
  bool letter = false;
  int32_t i = 0, n = static_cast<int32_t>(t.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(t.data(), i, n, c);
    if (c < 0 || is_cjk(c)) return false;
    if (!(c >= '0' && c <= '9')) letter = true;
  }
  return letter;
}

void VocabularyChanges::count(const Xapian::Document& doc, const std::string& lang, int sign) {
  auto& words = delta_[lang];
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
    if (is_spelling_word(*t)) words[*t] += sign;
}

void VocabularyChanges::merge(const VocabularyChanges& other) {
  for (const auto& [lang, words] : other.delta_) {
    auto& mine = delta_[lang];
    for (const auto& [word, n] : words) mine[word] += n;
  }
}

void VocabularyChanges::apply(Xapian::WritableDatabase& db) const {
  for (const auto& [lang, words] : delta_) {
    const std::string key = vocabulary_key(lang);
    std::map<std::string, int64_t> counts;
    for (auto& [word, n] : decode_vocabulary(db.get_metadata(key))) counts.emplace(word, n);
    bool changed = false;
    for (const auto& [word, n] : words) {
      if (n == 0) continue;
      changed = true;
      // Below zero only if the entry predates this layout (an index of
      // format 2 re-indexed): the word is then simply not there.
      if ((counts[word] += n) <= 0) counts.erase(word);
    }
    if (!changed) continue;
    std::vector<WordCount> sorted;
    sorted.reserve(counts.size());
    for (const auto& [word, n] : counts)
      sorted.emplace_back(word, static_cast<uint32_t>(std::min<int64_t>(n, UINT32_MAX)));
    db.set_metadata(key, sorted.empty() ? std::string() : encode_vocabulary(sorted));
  }
}

std::string encode_vocabulary(const std::vector<WordCount>& sorted_words) {
  std::string out(1, kFormat);
  std::string_view last;
  for (const auto& [word, n] : sorted_words) {
    size_t shared = 0;
    while (shared < last.size() && shared < word.size() && last[shared] == word[shared]) ++shared;
    put_number(out, shared);
    put_number(out, word.size() - shared);
    out.append(word, shared, std::string::npos);
    put_number(out, n);
    last = word;
  }
  return out;
}

std::vector<WordCount> decode_vocabulary(std::string_view value) {
  std::vector<WordCount> out;
  if (value.empty() || value[0] != kFormat) return out;
  size_t pos = 1;
  std::string word;
  while (pos < value.size()) {
    uint64_t shared, len, n;
    if (!get_number(value, pos, shared) || shared > word.size() || !get_number(value, pos, len) ||
        len > value.size() - pos)
      break;
    word.resize(shared);
    word.append(value.substr(pos, len));
    pos += len;
    if (!get_number(value, pos, n)) break;
    out.emplace_back(word, static_cast<uint32_t>(std::min<uint64_t>(n, UINT32_MAX)));
  }
  return out;
}

// ----------------------------------------------------------------- lookup

struct Vocabulary::Impl {
  struct Word {
    std::u32string letters;
    uint64_t set;
    uint32_t index;  // into words
  };
  std::vector<WordCount> words;
  std::unordered_map<std::string, uint32_t> frequency;
  std::vector<std::vector<Word>> by_length;  // by number of code points
};

Vocabulary::Vocabulary(std::vector<WordCount> words) : impl_(std::make_unique<Impl>()) {
  impl_->words = std::move(words);
  impl_->frequency.reserve(impl_->words.size());
  for (uint32_t i = 0; i < impl_->words.size(); ++i) {
    const auto& [word, n] = impl_->words[i];
    impl_->frequency[word] += n;
    std::u32string letters = code_points(word);
    if (letters.size() + 2 < kMinLetters) continue;  // never within reach
    if (impl_->by_length.size() <= letters.size()) impl_->by_length.resize(letters.size() + 1);
    uint64_t set = letter_set(letters);
    impl_->by_length[letters.size()].push_back({std::move(letters), set, i});
  }
}

Vocabulary::~Vocabulary() = default;

size_t Vocabulary::size() const { return impl_->frequency.size(); }

uint32_t Vocabulary::frequency(std::string_view word) const {
  auto it = impl_->frequency.find(std::string(word));
  return it == impl_->frequency.end() ? 0 : it->second;
}

std::vector<std::string> Vocabulary::corrections(std::string_view word) const {
  if (knows(word)) return {};
  const std::u32string letters = code_points(word);
  const size_t n = letters.size();
  if (n < kMinLetters) return {};
  const int allowed = n >= kLongWord ? 2 : 1;
  const uint64_t set = letter_set(letters);
  int best = allowed + 1;
  std::vector<std::pair<uint32_t, const std::string*>> found;  // frequency, word
  for (size_t len = n - allowed; len <= n + size_t(allowed); ++len) {
    if (len >= impl_->by_length.size()) break;
    for (const Impl::Word& w : impl_->by_length[len]) {
      if (std::popcount(set ^ w.set) > 2 * best) continue;
      int d = edit_distance(letters, w.letters, std::min(best, allowed));
      if (d > std::min(best, allowed)) continue;
      if (d < best) {
        best = d;
        found.clear();
      }
      const WordCount& wc = impl_->words[w.index];
      found.emplace_back(impl_->frequency.at(wc.first), &wc.first);
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : *a.second < *b.second;
  });
  std::vector<std::string> out;
  for (const auto& [freq, w] : found) {
    if (out.size() == kMaxAlternatives || uint64_t(freq) * kSimilar < found[0].first) break;
    if (std::find(out.begin(), out.end(), *w) == out.end()) out.push_back(*w);
  }
  return out;
}

std::shared_ptr<const Vocabulary> Vocabulary::load(const std::filesystem::path& index_dir,
                                                   const std::string& lang) {
  std::map<std::string, uint64_t> counts;
  const std::string key = vocabulary_key(lang);
  size_t parts = 0;
  std::vector<WordCount> single;
  for_each_database(index_dir, 0, [&](const Xapian::Database& db) {
    std::string value = db.get_metadata(key);
    if (value.empty()) return;
    std::vector<WordCount> words = decode_vocabulary(value);
    if (++parts == 1) {
      single = std::move(words);
      return;
    }
    if (parts == 2)
      for (auto& [w, c] : single) counts[w] += c;
    for (auto& [w, c] : words) counts[w] += c;
  });
  if (parts <= 1) return std::make_shared<const Vocabulary>(std::move(single));
  std::vector<WordCount> merged;
  merged.reserve(counts.size());
  for (const auto& [w, c] : counts)
    merged.emplace_back(w, static_cast<uint32_t>(std::min<uint64_t>(c, UINT32_MAX)));
  return std::make_shared<const Vocabulary>(std::move(merged));
}

// --------------------------------------------------------------- queries

namespace {

bool is_operator(std::string_view t) {
  return t == "AND" || t == "OR" || t == "NOT" || t == "XOR" || t == "NEAR" || t == "ADJ";
}

// A single word of letters (and marks), as the index holds one.
bool is_plain_word(std::string_view w) {
  if (w.empty()) return false;
  int32_t i = 0, n = static_cast<int32_t>(w.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(w.data(), i, n, c);
    if (c < 0 || is_cjk(c)) return false;
    if (u_isalpha(c)) continue;
    int8_t t = u_charType(c);
    if (t != U_NON_SPACING_MARK && t != U_COMBINING_SPACING_MARK) return false;
  }
  return true;
}

}  // namespace

QueryCorrection correct_query(std::string_view query, const std::string& lang,
                              const Vocabulary& vocabulary,
                              const std::function<bool(const std::string&)>& also_known) {
  QueryCorrection out;
  bool in_phrase = false;
  for (size_t i = 0; i < query.size();) {
    size_t j = i;
    while (j < query.size() && !is_space(query[j])) ++j;
    std::string_view token = query.substr(i, j - i);
    // Whitespace as typed, so that an unchanged query stays the same.
    while (j < query.size() && is_space(query[j])) ++j;
    std::string_view space = query.substr(i + token.size(), j - i - token.size());
    i = j;
    const bool quoted = in_phrase;
    if (std::count(token.begin(), token.end(), '"') % 2) in_phrase = !in_phrase;

    size_t b = 0, e = token.size();
    while (b < e && std::string_view("(\"+-").find(token[b]) != std::string_view::npos) ++b;
    while (e > b && std::string_view(")\",;.!?").find(token[e - 1]) != std::string_view::npos) --e;
    std::string_view lead = token.substr(0, b), core = token.substr(b, e - b),
                     trail = token.substr(e);
    std::string replacement;
    if (!core.empty() && !is_operator(core) && lead.find('-') == std::string_view::npos &&
        core.find_first_of(":*") == std::string_view::npos) {
      std::string word = Xapian::Unicode::tolower(normalize_for_search(core, lang));
      if (is_plain_word(word) && !vocabulary.knows(word) && !(also_known && also_known(word))) {
        std::vector<std::string> alternatives = vocabulary.corrections(word);
        const bool alone = quoted || in_phrase || lead.find_first_of("+\"") != std::string::npos;
        if (alternatives.size() == 1 || (alone && !alternatives.empty())) {
          replacement = alternatives[0];
        } else if (!alternatives.empty()) {
          replacement = "(";
          for (size_t k = 0; k < alternatives.size(); ++k)
            replacement += (k ? " OR " : "") + alternatives[k];
          replacement += ")";
        }
      }
    }
    if (replacement.empty()) {
      out.query.append(token);
    } else {
      out.query.append(lead).append(replacement).append(trail);
      out.changed = true;
    }
    out.query.append(space);
  }
  return out;
}

}  // namespace sitegen::index
