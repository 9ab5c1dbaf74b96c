#include "site-gen/model.h"

#include <functional>
#include <string_view>

namespace sitegen {

struct Body::Parts {
  std::string html, text;
  std::vector<Link> links;
  std::vector<Heading> headings;
  std::string lead;
  uint64_t text_hash = 0;
};

Body::Body(std::string html, std::string text, std::vector<Link> links,
           std::vector<Heading> headings, std::string lead) {
  auto p = std::make_shared<Parts>();
  p->html = std::move(html);
  p->text = std::move(text);
  p->links = std::move(links);
  p->headings = std::move(headings);
  p->lead = std::move(lead);
  p->text_hash = std::hash<std::string_view>{}(p->text);
  parts_ = std::move(p);
}

namespace {
const std::string kNoText;
const std::vector<Link> kNoLinks;
const std::vector<Heading> kNoHeadings;
}  // namespace

const std::string& Body::html() const { return parts_ ? parts_->html : kNoText; }
const std::string& Body::text() const { return parts_ ? parts_->text : kNoText; }
const std::vector<Link>& Body::links() const { return parts_ ? parts_->links : kNoLinks; }
const std::vector<Heading>& Body::headings() const {
  return parts_ ? parts_->headings : kNoHeadings;
}
const std::string& Body::lead() const { return parts_ ? parts_->lead : kNoText; }
uint64_t Body::text_hash() const { return parts_ ? parts_->text_hash : 0; }

bool Body::operator==(const Body& other) const {
  return parts_ == other.parts_ || html() == other.html();
}

}  // namespace sitegen
