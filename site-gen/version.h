// Version: what `site-gen --version` prints, the tool's own version and the
// versions of the libraries it runs with, so a report from an installed
// package says which Xapian, ICU and libxml2 read the site.
// Thread-safe.
#pragma once

#include <string>

namespace sitegen {

// The project's version, from CMakeLists.txt's project(VERSION).
const char* tool_version();

// "site-gen X.Y.Z" then one "  library version" line per library, each
// asked at run time of the library loaded (the shared library the package
// depends on, not the headers it was built with), except md4c, which has
// no such call: its line says it is the version built with.
std::string version_text();

}  // namespace sitegen
