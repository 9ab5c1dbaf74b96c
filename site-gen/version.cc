#include "site-gen/version.h"

#include <libxml/parser.h>
#include <magic.h>
#include <microhttpd.h>
#include <poppler-version.h>
#include <unicode/uversion.h>
#include <xapian.h>
#include <zip.h>

#include <cstdlib>

#ifndef SITE_GEN_VERSION
#error "SITE_GEN_VERSION is set by CMakeLists.txt from project(VERSION)"
#endif

namespace sitegen {
namespace {

// libxml2 gives its run-time version as "20914" (xmlParserVersion).
std::string libxml2_version() {
  const int v = std::atoi(xmlParserVersion);
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." +
         std::to_string(v % 100);
}

std::string icu_version() {
  UVersionInfo info;
  u_getVersion(info);
  char text[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(info, text);
  return text;
}

// libmagic's is one number, 545 for 5.45.
std::string libmagic_version() {
  const int v = magic_version();
  return std::to_string(v / 100) + "." + std::to_string(v % 100);
}

}  // namespace

const char* tool_version() { return SITE_GEN_VERSION; }

std::string version_text() {
  std::string out = std::string("site-gen ") + tool_version() + "\n";
  auto line = [&](const char* name, const std::string& version) {
    out += std::string("  ") + name + " " + version + "\n";
  };
  line("Xapian", Xapian::version_string());
  line("ICU", icu_version());
  line("libxml2", libxml2_version());
  line("poppler", poppler::version_string());
  line("libzip", zip_libzip_version());
  line("libmagic", libmagic_version());
  line("libmicrohttpd", MHD_get_version());
#ifdef SITE_GEN_MD4C_VERSION
  line("md4c", std::string(SITE_GEN_MD4C_VERSION) + " (built with; md4c has no run-time version)");
#endif
  return out;
}

}  // namespace sitegen
