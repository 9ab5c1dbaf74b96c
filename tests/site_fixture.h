// Test fixtures: small sites written to a temporary folder, built with the
// library or the site-gen binary, and their output read back.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

namespace sitegen::testing {

// A temporary folder removed when the fixture goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("site-gen-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes each relative path -> text under root.
inline void write_site(const std::filesystem::path& root,
                       const std::map<std::string, std::string>& files) {
  for (const auto& [rel, text] : files) write_file(root / rel, text);
}

struct RunResult {
  int exit_code = 0;
  std::string output;  // stdout and stderr together
};

// Runs a shell command line, its stderr with its stdout.
inline RunResult run_command(const std::string& command) {
  std::string cmd = command + " 2>&1";
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs the site-gen binary built beside the tests.
inline RunResult run_site_gen(const std::string& args) {
  return run_command(std::string(SITE_GEN_BINARY) + " " + args);
}

inline size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1))
    ++n;
  return n;
}

#ifdef SITE_GEN_SOURCE_DIR
// A UI string of the default theme, as its i18n file has it.
inline std::string theme_string(const std::string& lang, const std::string& key) {
  std::ifstream in(std::filesystem::path(SITE_GEN_SOURCE_DIR) / "themes/default/i18n" / (lang + ".yaml"));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ": \"", 0) == 0) return line.substr(key.size() + 3, line.size() - key.size() - 4);
  return "";
}
#endif

}  // namespace sitegen::testing
