#include "site-gen/theme.h"

#include "site-gen/files.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace sitegen {
namespace fs = std::filesystem;
namespace {

fs::path executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

std::string relative_to(const fs::path& p, const fs::path& root) {
  std::error_code ec;
  fs::path rel = fs::relative(p, root, ec);
  if (ec) rel = p.lexically_relative(root);  // a loop of links cannot be resolved
  if (rel.empty() || *rel.begin() == "..") return p.string();
  return rel.generic_string();
}

// Files named *.mustache in dir, by name without extension. One that is not
// a regular file (a FIFO, a dangling link, a loop of links) is an error
// rather than silently replaced by the theme's: opening it could hang, and
// the error codes keep a loop from throwing.
std::map<std::string, fs::path> mustache_files(const fs::path& dir, const fs::path& site_root,
                                               Diagnostics& diags) {
  std::map<std::string, fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() != ".mustache") continue;
    std::error_code status_ec;
    std::string why;
    if (fs::is_regular_file(fs::status(p, status_ec)))
      out[p.stem().string()] = p;
    else if (!read_whole_file(p, &why))
      diags.error(relative_to(p, site_root), 1, "cannot read: " + why);
  }
  return out;
}

void load_strings(const fs::path& i18n_dir, const SiteConfig& config, const fs::path& site_root,
                  Theme& theme, Diagnostics& diags) {
  for (const auto& lang : config.languages) {
    fs::path file = i18n_dir / (lang + ".yaml");
    std::string rel = relative_to(file, site_root);
    auto text = read_whole_file(file);
    if (!text) {
      diags.warning(rel, 0, "no UI strings for language \"" + lang + "\"; English is used");
      continue;
    }
    try {
      YAML::Node root = YAML::Load(*text);
      if (!root.IsMap()) {
        if (!root.IsNull()) diags.error(rel, 1, "UI strings must be a map of key: text");
        continue;
      }
      auto& strings = theme.strings[lang];
      for (const auto& kv : root) {
        if (!kv.second.IsScalar()) {
          diags.error(rel, kv.first.Mark().line + 1,
                      "UI string \"" + kv.first.as<std::string>() + "\" must be text");
          continue;
        }
        strings[kv.first.as<std::string>()] = kv.second.as<std::string>();
      }
    } catch (const YAML::Exception& e) {
      diags.error(rel, e.mark.line + 1, "malformed YAML: " + e.msg);
    }
  }
}

}  // namespace

const std::string& Theme::string(const std::string& lang, const std::string& key) const {
  static const std::string english = "en";
  for (const std::string* l : {&lang, &english}) {
    auto it = strings.find(*l);
    if (it == strings.end()) continue;
    if (auto s = it->second.find(key); s != it->second.end()) return s->second;
  }
  thread_local std::string missing;
  missing = key;
  return missing;
}

const std::vector<std::string>& required_layouts() {
  static const std::vector<std::string> names = {
      "home",  "membership", "country", "meetings", "meeting", "document", "topics",
      "topic", "page",       "search",  "404",      "chooser", "alias"};
  return names;
}

std::vector<fs::path> theme_search_path(const fs::path& site_root, const std::string& name) {
  std::vector<fs::path> dirs = {site_root / "themes" / name};
  if (const char* env = std::getenv("SITE_GEN_THEMES"); env && *env)
    dirs.push_back(fs::path(env) / name);
  if (fs::path exe = executable_dir(); !exe.empty())
    dirs.push_back(exe.parent_path() / "share" / "site-gen" / "themes" / name);
  dirs.push_back(fs::path(SITE_GEN_DATA_DIR) / "themes" / name);
  dirs.push_back(fs::path(SITE_GEN_SOURCE_DIR) / "themes" / name);
  return dirs;
}

std::string inline_partials(const std::string& text,
                            const std::map<std::string, std::string>& partials,
                            const std::string& path, Diagnostics& diags, int depth) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{>", pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open);
    if (close == std::string::npos) break;
    std::string name = text.substr(open + 3, close - open - 3);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    out.append(text, pos, open - pos);
    auto it = partials.find(name);
    if (it == partials.end()) {
      int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + open, '\n'));
      diags.error(path, line, "unknown partial \"" + name + "\"");
    } else if (depth >= 8) {
      diags.error(path, 0, "partials nested more than 8 deep (a partial includes itself?)");
    } else {
      out += inline_partials(it->second, partials, "partials/" + name + ".mustache", diags,
                             depth + 1);
    }
    pos = close + 2;
  }
  out.append(text, pos);
  return out;
}

std::optional<Theme> load_theme(const fs::path& site_root, const SiteConfig& config,
                                Diagnostics& diags) {
  Theme theme;
  for (const auto& dir : theme_search_path(site_root, config.theme)) {
    std::error_code ec;
    if (fs::is_directory(dir / "layouts", ec)) {
      theme.dir = dir;
      break;
    }
  }
  if (theme.dir.empty()) {
    diags.error(config.source.path, config.source.line,
                "theme \"" + config.theme + "\" not found (looked in themes/ and the installed themes)");
    return std::nullopt;
  }
  // The site's own files override the theme's files of the same name.
  auto files_in = [&](const fs::path& dir) { return mustache_files(dir, site_root, diags); };
  std::map<std::string, fs::path> layout_files = files_in(theme.dir / "layouts");
  for (auto& [n, p] : files_in(site_root / "layouts")) layout_files[n] = p;
  std::map<std::string, fs::path> partial_files = files_in(theme.dir / "partials");
  for (auto& [n, p] : files_in(site_root / "partials")) partial_files[n] = p;
  for (auto& [n, p] : files_in(site_root / "layouts" / "partials")) partial_files[n] = p;

  std::map<std::string, std::string> partials;
  for (const auto& [name, path] : partial_files) partials[name] = read_whole_file(path).value_or("");
  for (const auto& [name, path] : layout_files) {
    std::string rel = relative_to(path, site_root);
    std::string text = inline_partials(read_whole_file(path).value_or(""), partials, rel, diags);
    Mustache tmpl(text);
    if (!tmpl.is_valid()) {
      diags.error(rel, 0, "template error: " + tmpl.error_message());
      continue;
    }
    theme.layouts.emplace(name, std::move(tmpl));
    theme.sources.emplace(name, std::move(text));
  }
  for (const auto& name : required_layouts())
    if (!layout_files.count(name))
      diags.error(relative_to(theme.dir / "layouts", site_root), 0,
                  "missing layout \"" + name + ".mustache\"");
  load_strings(theme.dir / "i18n", config, site_root, theme, diags);
  // As in Hugo, a site's own i18n/ files override single strings of the theme.
  std::error_code i18n_ec;
  if (fs::is_directory(site_root / "i18n", i18n_ec)) {
    Theme site_strings;
    Diagnostics ignored_missing;
    load_strings(site_root / "i18n", config, site_root, site_strings, ignored_missing);
    for (const auto& d : ignored_missing.items())
      if (d.severity == Severity::error) diags.add(d);
    for (auto& [lang, strings] : site_strings.strings)
      for (auto& [key, text] : strings) theme.strings[lang][key] = text;
  }
  theme.static_roots.push_back(theme.dir / "static");
  theme.static_roots.push_back(site_root / "static");
  return theme;
}

LayoutPool::Lease LayoutPool::take(const Layouts& layouts) {
  {
    std::lock_guard lock(mu_);
    if (!spare_.empty()) {
      auto copy = std::move(spare_.back());
      spare_.pop_back();
      return Lease(this, std::move(copy));
    }
  }
  return Lease(this, std::make_unique<Layouts>(layouts));
}

LayoutPool::Lease::~Lease() {
  if (!copy_) return;
  // kainjow keeps a render error in the template: such a copy is not lent again.
  for (const auto& [name, layout] : *copy_)
    if (!layout.is_valid()) return;
  std::lock_guard lock(pool_->mu_);
  pool_->spare_.push_back(std::move(copy_));
}

LayoutPool::Lease Theme::borrow_layouts() const { return pool->take(layouts); }

}  // namespace sitegen
