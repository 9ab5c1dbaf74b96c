#include "site-gen/csv.h"

#include <optional>

#include "site-gen/utf8.h"

namespace sitegen {
namespace {

// Reads records one after the other, counting lines for messages.
class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& path, Diagnostics& diags)
      : text_(text), path_(path), diags_(diags) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3;
  }

  // Moves past empty lines; false at the end of the text.
  bool next() {
    while (at_ < text_.size() && (text_[at_] == '\n' || text_[at_] == '\r')) end_of_line();
    return at_ < text_.size();
  }

  // The record that starts here, or nullopt when it is malformed (reported,
  // and the rest of its line skipped).
  std::optional<CsvRecord> record() {
    CsvRecord r;
    r.line = line_;
    for (;;) {
      std::string field;
      if (!read_field(&field)) {
        skip_rest_of_line();
        return std::nullopt;
      }
      r.fields.push_back(std::move(field));
      if (at_ >= text_.size()) return r;
      if (text_[at_] != ',') break;
      ++at_;
    }
    end_of_line();  // read_field stops at a comma or a line end
    return r;
  }

 private:
  void end_of_line() {
    if (at_ < text_.size() && text_[at_] == '\r') ++at_;
    if (at_ < text_.size() && text_[at_] == '\n') ++at_;
    ++line_;
  }

  void skip_rest_of_line() {
    while (at_ < text_.size() && text_[at_] != '\n' && text_[at_] != '\r') ++at_;
    if (at_ < text_.size()) end_of_line();
  }

  bool fail(int line, const std::string& message) {
    diags_.error(path_, line, message);
    return false;
  }

  bool read_field(std::string* out) {
    if (at_ < text_.size() && text_[at_] == '"') return read_quoted(out);
    for (; at_ < text_.size(); ++at_) {
      const char c = text_[at_];
      if (c == ',' || c == '\r' || c == '\n') break;
      if (c == '"')
        return fail(
            line_, "a quote inside an unquoted field (quote the whole field and double the quote)");
      out->push_back(c);
    }
    return true;
  }

  bool read_quoted(std::string* out) {
    const int start = line_;
    ++at_;  // the opening quote
    for (;;) {
      if (at_ >= text_.size()) return fail(start, "a quoted field is not closed");
      const char c = text_[at_++];
      if (c == '"' && at_ < text_.size() && text_[at_] == '"') {
        out->push_back('"');
        ++at_;
        continue;
      }
      if (c == '"') {
        if (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\r' && text_[at_] != '\n')
          return fail(
              line_, "text after a closing quote (a quote inside a quoted field is written twice)");
        return true;
      }
      // A line break inside the field: CRLF, LF or a lone CR is one line.
      if (c == '\n' || (c == '\r' && (at_ >= text_.size() || text_[at_] != '\n'))) ++line_;
      out->push_back(c);
    }
  }

  std::string_view text_;
  const std::string& path_;
  Diagnostics& diags_;
  size_t at_ = 0;
  int line_ = 1;
};

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& path,
                                 Diagnostics& diags) {
  // A NUL or an invalid byte would reach titles and messages: the file is
  // refused, at each line that holds one.
  Diagnostics bad;
  report_bad_bytes(text, path, 1, bad);
  if (bad.has_errors()) {
    diags.merge(std::move(bad));
    return {};
  }
  std::vector<CsvRecord> out;
  CsvReader reader(text, path, diags);
  while (reader.next())
    if (auto r = reader.record()) out.push_back(std::move(*r));
  return out;
}

}  // namespace sitegen
