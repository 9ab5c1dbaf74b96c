#include "site-gen/front_matter.h"

namespace sitegen {
namespace {

// A delimiter line is `---` alone; trailing blanks are forgiven because
// editors add them invisibly.
bool is_delimiter(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == "---";
}

// The line starting at `pos` (without its '\n') and the position after it.
std::string_view line_at(std::string_view text, size_t pos, size_t* next) {
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  *next = end < text.size() ? end + 1 : end;
  return text.substr(pos, end - pos);
}

}  // namespace

std::string normalize_text(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  // CR LF and a lone CR (old Mac editors, some exports) end a line as LF
  // does, so that every later step counts lines one way.
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r')
      out += text[i];
    else if (!(i + 1 < text.size() && text[i + 1] == '\n'))
      out += '\n';
  }
  return out;
}

FrontMatter split_front_matter(std::string_view raw, FrontMatterNeed need) {
  const std::string text = normalize_text(raw);
  FrontMatter fm;
  size_t pos = 0;
  if (text.empty() || !is_delimiter(line_at(text, 0, &pos))) {
    fm.body = text;
    if (need == FrontMatterNeed::required) {
      fm.error = "missing front matter: the file must start with a line \"---\"";
      fm.error_line = 1;
    }
    return fm;
  }
  fm.present = true;
  const size_t yaml_start = pos;
  for (int line = 2; pos < text.size(); ++line) {
    size_t line_start = pos;
    if (is_delimiter(line_at(text, line_start, &pos))) {
      fm.yaml = text.substr(yaml_start, line_start - yaml_start);
      fm.body = text.substr(pos);
      fm.body_line = line + 1;
      return fm;
    }
  }
  fm.error = "front matter opened on line 1 is never closed (expected a line \"---\")";
  fm.error_line = 1;
  return fm;
}

}  // namespace sitegen
