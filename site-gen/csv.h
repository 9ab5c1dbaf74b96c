// CSV: comma-separated values as RFC 4180 has them (a header row, fields
// in double quotes holding commas, line breaks and doubled quotes, CRLF or
// LF line ends), in UTF-8, as spreadsheets export them. Used for the
// metadata that `site-gen import --csv` reads.
// Thread-safe: a pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "site-gen/diagnostic.h"

namespace sitegen {

struct CsvRecord {
  int line = 0;  // the file line the record starts on (a quoted field may span lines)
  std::vector<std::string> fields;
};

// The records of `text`, the header first. A UTF-8 byte order mark at the
// start (Excel writes one) is skipped, and so are empty lines. Each
// problem (a quote left open, a quote inside an unquoted field, text after
// a closing quote, invalid UTF-8 or a NUL byte) is reported as
// `path:line: message`; a record with a problem is left out.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& path,
                                 Diagnostics& diags);

}  // namespace sitegen
