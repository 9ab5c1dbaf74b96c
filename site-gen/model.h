// The content model: plain data loaded from a site folder (see
// shared/spec/SITE-FORMAT.md §1). Built once by load_site(), then read by
// the resolver and by every renderer thread without copies. Nothing here
// touches the disk or knows about HTML output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "site-gen/date.h"

namespace sitegen {

// Language code -> value, e.g. names["fr"].
template <class T>
using PerLang = std::map<std::string, T>;

// Where something was written: a path relative to the site root and a line.
struct Source {
  std::string path;
  int line = 0;
};

// A string value from YAML together with the file and line it was written
// on, so the resolver can report an unknown reference where the author wrote
// it: a document's lists join the lists of all its language versions, each
// from its own file.
struct Ref {
  std::string value;
  int line = 0;
  // The file it was written in, shared by the references of one file (a
  // string each cost 15 MB on an archive of 18,000 files); null: the
  // owner's file.
  std::shared_ptr<const std::string> file;

  bool operator==(const Ref& o) const {
    return value == o.value && line == o.line && file_or("") == o.file_or("");
  }
  // The file to name in a message about this reference.
  const std::string& file_or(const std::string& owner) const { return file ? *file : owner; }
};

// A link found in a body, with the line of the source file it came from.
struct Link {
  std::string href;
  int line = 0;
};

// A heading of a body: its id (a link target, unique in the body), level
// (1-6), plain text, and where its end tag `</hN>` starts in Body::html(),
// so a renderer can add a link to it without parsing the HTML again (npos:
// the heading is inside a link, and takes none).
struct Heading {
  std::string id;
  int level = 0;
  std::string text;
  size_t end = 0;
};

// The prose of one language version, already turned into safe HTML.
// Immutable and shared: the preview server keeps every parsed file and
// loads the whole site again after each edit, and copying 130 MB of bodies
// took most of that load; a copy of a Body is a reference count.
class Body {
 public:
  Body() = default;
  Body(std::string html, std::string text, std::vector<Link> links,
       std::vector<Heading> headings = {}, std::string lead = {});

  const std::string& html() const;        // sanitized HTML fragment, ready to insert raw
  const std::string& text() const;        // plain text, for tagging and the search index
  const std::vector<Link>& links() const;  // every href/src, for the broken-link check
  const std::vector<Heading>& headings() const;  // in document order
  // The plain text of the first paragraph (a page's summary when it has no
  // description), "" if none.
  const std::string& lead() const;
  uint64_t text_hash() const;             // of text(), computed once

  // Same HTML (and so the same text and links).
  bool operator==(const Body& other) const;

 private:
  struct Parts;
  std::shared_ptr<const Parts> parts_;
};

struct SiteConfig {
  PerLang<std::string> title;
  std::string base_url = "/";           // always ends with '/'
  // Where /<lang>/search/ is answered: "/" (this host) or another host's
  // http(s) URL or a path; always ends with '/'.
  std::string search_url = "/";
  std::vector<std::string> languages;   // the first is the default language
  std::string theme = "default";
  Source source;

  const std::string& default_language() const { return languages.front(); }
};

enum class Status { state_party, signatory, not_party, withdrawn };
enum class Accession { none, ratified, acceded, succeeded };

struct Extension {
  Ref granted_at;  // meeting id
  Date deadline;
  std::string request;  // symbol of the request document, may be empty
  int line = 0;

  bool operator==(const Extension&) const = default;
};

struct Article5 {
  std::optional<Date> original_deadline;
  std::vector<Extension> extensions;  // oldest first
  std::optional<Date> completed;

  bool operator==(const Article5&) const = default;
};

struct Stockpile {
  bool none = false;  // "stockpile: none": the State never held one
  std::optional<long long> destroyed;
  std::optional<Date> completed;

  bool operator==(const Stockpile&) const = default;
};

struct MinesRetained {
  long long number = 0;
  std::optional<int> as_of;  // a year

  bool operator==(const MinesRetained&) const = default;
};

// Prose about a State, a general page or a home page in one language.
struct Prose {
  std::string lang;
  std::string title;  // front matter title, may be empty
  std::string description;  // front matter description (the page's meta description), may be empty
  int weight = 0;     // front matter weight (menu order of general pages)
  Body body;
  std::vector<Ref> page_aliases;
  Source source;
};

struct Country {
  std::string slug;  // file name without .yaml
  std::string iso;   // ISO 3166-1 alpha-2, upper case
  int iso_line = 0;  // line of iso:, for duplicate-code errors
  PerLang<std::string> names;                 // as written; CLDR fills the rest
  PerLang<std::vector<std::string>> aliases;  // more names to find in text
  std::optional<Date> signed_on;
  Accession accession = Accession::none;
  std::optional<Date> deposited;  // the date of ratified:, acceded: or succeeded:
  std::optional<Date> entry_into_force;
  std::optional<Date> withdrawal_notice;
  std::optional<Date> withdrawal_effective;
  std::optional<Status> declared_status;  // explicit status:, checked against dates
  int status_line = 0;
  std::optional<Article5> article5;
  std::optional<Stockpile> stockpile;
  std::optional<MinesRetained> mines_retained;
  std::vector<Ref> page_aliases;
  PerLang<Prose> prose;  // content/countries/<slug>.<lang>.md
  Source source;
};

struct Meeting {
  std::string id;    // folder name
  std::string kind;  // msp | review-conference | intersessional | special
  std::optional<int> number;
  PerLang<std::string> title;
  Date start, end;
  PerLang<std::string> venue;
  std::optional<Ref> president;  // ISO code
  std::vector<Ref> page_aliases;
  Source source;
};

// One language file of a document: meetings/<id>/<name>.<lang>.(md|html).
struct DocumentVersion {
  std::string lang;
  std::string title;
  Body body;
  std::vector<Ref> files;  // attachments this version names
  Source source;           // the file, line 1
};

// A document: all files sharing a base name in one meeting folder. The
// document-level fields come from the front matter of its versions (they must
// agree; lists are the union).
struct Document {
  std::string meeting;  // meeting id (the folder)
  std::string name;     // the shared base name, e.g. "wp3"
  std::string symbol;   // e.g. APLC/MSP.22/2025/WP.3
  std::string slug;     // aplc-msp-22-2025-wp-3
  Date date;
  std::string type;  // one of the types of SITE-FORMAT §1
  std::string agenda_item;
  std::string original;     // language code the document was written in
  // Explicit, from front matter: each version's, so a value may come once
  // per version file (Ref::path), for messages that name the right file.
  std::vector<Ref> topics;
  std::vector<Ref> countries;
  std::vector<Ref> files;      // union of the versions' attachments
  std::vector<Ref> page_aliases;
  std::vector<DocumentVersion> versions;  // in the site's language order
  Source source;                          // the first version's file

  const DocumentVersion* version(const std::string& lang) const {
    for (const auto& v : versions)
      if (v.lang == lang) return &v;
    return nullptr;
  }
};

struct Topic {
  std::string id;
  PerLang<std::string> names;
  PerLang<std::vector<std::string>> keywords;
  Source source;
};

// A general page: content/pages/<slug>.<lang>.md, one Prose per language.
struct Page {
  std::string slug;
  PerLang<Prose> versions;
};

// 0, 1, ..., n - 1: every item of a list, where a function takes the
// indices of some.
inline std::vector<int> every_index(size_t n) {
  std::vector<int> out(n);
  std::iota(out.begin(), out.end(), 0);
  return out;
}

// A list of immutable items shared between copies of the list, in chunks:
// a copy copies one pointer per 64 items, and replacing an item copies its
// chunk. The preview server copies the whole content after each edit and
// replaces the one document that changed; on this project's machines,
// memory left untouched for a second costs ~15 us a page to touch again,
// so a copy that touched all 3,000 documents took 50 ms.
template <class T>
class SharedList {
  static constexpr size_t kChunk = 64;
  using Chunk = std::vector<std::shared_ptr<const T>>;

 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;
    const_iterator() = default;
    const_iterator(const SharedList* list, size_t i) : list_(list), i_(i) {}
    const T& operator*() const { return (*list_)[i_]; }
    const T* operator->() const { return &(*list_)[i_]; }
    const_iterator& operator++() { ++i_; return *this; }
    const_iterator operator++(int) { auto old = *this; ++i_; return old; }
    difference_type operator-(const const_iterator& o) const {
      return difference_type(i_) - difference_type(o.i_);
    }
    bool operator==(const const_iterator&) const = default;

   private:
    const SharedList* list_ = nullptr;
    size_t i_ = 0;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return *(*chunks_[i / kChunk])[i % kChunk]; }
  const T& front() const { return (*this)[0]; }
  const T& back() const { return (*this)[size_ - 1]; }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size_); }

  void push_back(T item) {
    if (size_ % kChunk == 0) chunks_.push_back(std::make_shared<Chunk>());
    own(chunks_.size() - 1).push_back(std::make_shared<const T>(std::move(item)));
    ++size_;
  }
  void replace(size_t i, T item) {
    own(i / kChunk)[i % kChunk] = std::make_shared<const T>(std::move(item));
  }

  // The indices whose items are not the very objects of `other`'s, in
  // order. Requires: other.size() == size(). Chunks the lists share are
  // skipped without reading them, so after an edit this touches the
  // changed chunks only.
  std::vector<size_t> differences(const SharedList& other) const {
    std::vector<size_t> out;
    for (size_t k = 0; k < chunks_.size(); ++k) {
      if (chunks_[k] == other.chunks_[k]) continue;
      for (size_t i = k * kChunk; i < size_ && i < (k + 1) * kChunk; ++i)
        if (&(*this)[i] != &other[i]) out.push_back(i);
    }
    return out;
  }

 private:
  // Chunk k, copied first if another list shares it.
  Chunk& own(size_t k) {
    if (chunks_[k].use_count() > 1) chunks_[k] = std::make_shared<Chunk>(*chunks_[k]);
    return *chunks_[k];
  }

  std::vector<std::shared_ptr<Chunk>> chunks_;
  size_t size_ = 0;
};

// A vector shared between copies until one of them is edited (then that
// one copies it first): copying the content after an edit leaves the
// States, meetings and topics where they are.
template <class T>
class SharedVector {
 public:
  size_t size() const { return v_->size(); }
  bool empty() const { return v_->empty(); }
  const T& operator[](size_t i) const { return (*v_)[i]; }
  const T& front() const { return v_->front(); }
  const T& back() const { return v_->back(); }
  typename std::vector<T>::const_iterator begin() const { return v_->begin(); }
  typename std::vector<T>::const_iterator end() const { return v_->end(); }
  const std::vector<T>& all() const { return *v_; }

  std::vector<T>& edit() {
    if (v_.use_count() > 1) v_ = std::make_shared<std::vector<T>>(*v_);
    return *v_;
  }

 private:
  std::shared_ptr<std::vector<T>> v_ = std::make_shared<std::vector<T>>();
};

// What the build read of one attachment (site-gen/attachments.h).
struct AttachmentText {
  std::string text;         // "" for a type without text, or unreadable
  int pages = 0;            // a PDF's pages (0: another type, or unreadable)
  std::uintmax_t bytes = 0;
  bool readable = true;     // false: `warning` says why; its text is not searchable
  std::string warning;
  size_t hash = 0;          // of text, for the tagging cache
  // When the text was read: the file's size and modification time then.
  std::int64_t mtime_ns = 0;
  std::string cache_key;  // its record in the build's cache, "" for none
};
// By path relative to the site root (content/meetings/msp22/report.pdf).
using AttachmentTexts = std::map<std::string, AttachmentText>;

// Everything load_site() read. Vectors are sorted by slug/id/symbol so that
// output does not depend on directory order.
struct Content {
  SiteConfig config;
  SharedVector<Country> countries;
  SharedVector<Meeting> meetings;
  SharedList<Document> documents;
  SharedVector<Topic> topics;
  SharedVector<Page> pages;
  PerLang<Prose> home;  // content/_index.<lang>.md
  // Files in meeting folders that are not content (attachments), relative
  // to the site root, e.g. content/meetings/msp22/report.pdf.
  std::vector<std::string> attachments;
  // The text of the documents' attachments, read after loading
  // (read_attachments(), site-gen/attachments.h); null: none read.
  std::shared_ptr<const AttachmentTexts> attachment_texts;

  // The text read of a document's attachment `file` (a files: value), or
  // null.
  const AttachmentText* attachment(const Document& d, const std::string& file) const {
    if (!attachment_texts) return nullptr;
    auto it = attachment_texts->find("content/meetings/" + d.meeting + "/" + file);
    return it == attachment_texts->end() ? nullptr : &it->second;
  }
};

}  // namespace sitegen
