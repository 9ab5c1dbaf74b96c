// Front matter: splits a Markdown or HTML content file into its YAML front
// matter (between two `---` lines) and its body, remembering on which file
// lines each part starts so diagnostics and links point into the file.
#pragma once

#include <string>
#include <string_view>

namespace sitegen {

struct FrontMatter {
  bool present = false;  // false: the file has no front matter, all of it is body
  std::string yaml;      // the text between the two `---` lines
  std::string body;      // everything after the closing `---` line
  int yaml_line = 2;     // file line (1-based) of the YAML text's first line
  int body_line = 1;     // file line (1-based) the body starts on
  std::string error;     // empty when the split succeeded
  int error_line = 0;

  bool ok() const { return error.empty(); }
};

enum class FrontMatterNeed { required, optional };

// Splits `text`. A UTF-8 BOM is dropped and CRLF and CR line ends become LF. With
// FrontMatterNeed::optional a file that does not start with `---` is all
// body; with ::required that is an error, as is a front matter never closed.
FrontMatter split_front_matter(std::string_view text,
                               FrontMatterNeed need = FrontMatterNeed::required);

// Drops a leading UTF-8 BOM and turns CRLF and a lone CR into LF (also for
// .yaml files).
std::string normalize_text(std::string_view text);

}  // namespace sitegen
