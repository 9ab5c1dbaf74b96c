// site-gen: the command line. Parses flags and dispatches to a subcommand;
// all the work is done in the sitegen library.
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "index/search.h"
#include "index/writer.h"
#include "serve/cgi.h"
#include "serve/cross_origin.h"
#include "serve/search_service.h"
#include "serve/server.h"
#include "site-gen/build.h"
#include "site-gen/import.h"
#include "site-gen/new_site.h"
#include "site-gen/version.h"

namespace {

using sitegen::BuildOptions;

const char* kUsage =
    "site-gen: builds the Convention's static site in six languages\n"
    "\n"
    "usage:\n"
    "  site-gen build  [--site DIR] [--out DIR] [--index DIR] [--as-of DATE] [--jobs N]\n"
    "                  [--shards] [--no-index] [--clean] [--verbose]\n"
    "  site-gen check  [--site DIR] [--as-of DATE]   validate content and links, write nothing\n"
    "  site-gen serve  [--site DIR] [--bind 127.0.0.1] [--port 8080] [--out DIR] [--index DIR]\n"
    "                  [--as-of DATE] [--jobs N] [--no-search-cache]\n"
    "                  build, serve with search, rebuild on edits and reload open pages\n"
    "  site-gen search-server [--out DIR] [--index DIR] [--bind 127.0.0.1] [--port 8081]\n"
    "                  [--threads N] [--access-log FILE|-] [--static] [--no-search-cache]\n"
    "                  [--allow-origin ORIGIN,...|*]\n"
    "                  answer searches (and with --static the pages) from the published\n"
    "                  site, following each new build; never writes (see README, Publishing)\n"
    "  site-gen search [--index DIR] [--site DIR] [--lang L] [--country ISO] [--topic T]\n"
    "                  [--meeting ID] [--type T] [--year Y] [--from DATE] [--to DATE]\n"
    "                  [--sort relevance|date] [--page N] [--exact] [--json] QUERY\n"
    "  site-gen import DIR [--site DIR] [--meeting ID] [--csv FILE] [--dry-run]\n"
    "                  turn a folder of UN documents (PDF, DOCX: one file per language)\n"
    "                  into document files of the site, by their first pages or the CSV;\n"
    "                  lists every file not imported and every guess (see README)\n"
    "  site-gen new DIR\n"
    "                  write a minimal site (six languages, a State, a meeting with a\n"
    "                  document, a topic) into a new or empty folder, to start from\n"
    "  site-gen --version\n"
    "                  the version of site-gen and of the libraries it runs with\n"
    "  site-gen --help\n"
    "\n"
    "  --site DIR     the site folder holding site.yaml (default: .)\n"
    "  --out DIR      where the site is published (default: SITE/public)\n"
    "  --index DIR    the search index, beside the site (default: OUT-index)\n"
    "  --shards       write one index database per language, searched as one\n"
    "  --no-index     build the pages only\n"
    "  --clean        build everything, even when nothing changed since the last build\n"
    "  --as-of DATE   build as of this day, YYYY-MM-DD (default: today)\n"
    "  --jobs N       renderer threads (default: the number of cores)\n"
    "  --verbose      print the time each stage took\n"
    "  --meeting ID   import: the meeting every file belongs to (default: its symbol's)\n"
    "  --csv FILE     import: metadata (file,symbol,lang,title,date,type,original,meeting)\n"
    "  --dry-run      import: show what would be written, write nothing\n"
    "  --no-search-cache  serve: search anew for every request (to measure search)\n"
    "  --allow-origin ORIGINS  search-server: pages of these origins (besides the\n"
    "                 site's base_url) may read its answers from another host\n";

struct Args {
  std::vector<std::string> rest;
  std::map<std::string, std::string> flags;
};

// Flags take one value: "--site DIR" or "--site=DIR".
bool parse_args(int argc, char** argv, int first, Args* args, std::string* error) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      args->rest.push_back(a);
      continue;
    }
    if (a == "--help" || a == "--verbose" || a == "--json" || a == "--shards" ||
        a == "--no-index" || a == "--no-search-cache" || a == "--static" || a == "--exact" ||
        a == "--dry-run" || a == "--version" || a == "--clean") {
      args->flags[a.substr(2)] = "1";
      continue;
    }
    std::string name = a.substr(2), value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      *error = "flag --" + name + " needs a value";
      return false;
    }
    args->flags[name] = value;
  }
  return true;
}

bool options_from(const Args& args, const std::vector<std::string>& allowed, BuildOptions* opt,
                  std::string* error) {
  for (const auto& [name, value] : args.flags) {
    if (name == "help" || name == "verbose" || name == "shards" || name == "no-index" ||
        name == "clean")
      continue;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      *error = "unknown flag --" + name;
      return false;
    }
    if (name == "site") opt->site = value;
    if (name == "out") opt->out = value;
    if (name == "index") opt->index = value;
    if (name == "as-of") {
      opt->as_of = sitegen::parse_iso_date(value);
      if (!opt->as_of) {
        *error = "--as-of: \"" + value + "\" is not a date (YYYY-MM-DD)";
        return false;
      }
    }
    if (name == "jobs") {
      try {
        opt->jobs = std::stoi(value);
      } catch (...) {
        opt->jobs = 0;
      }
      if (opt->jobs < 1) {
        *error = "--jobs: \"" + value + "\" is not a positive number";
        return false;
      }
    }
  }
  opt->shard_index = args.flags.count("shards") > 0;
  opt->write_index = args.flags.count("no-index") == 0;
  if (!args.rest.empty()) {
    *error = "unexpected argument \"" + args.rest.front() + "\"";
    return false;
  }
  return true;
}

int report_and_exit(const sitegen::BuildReport& r, bool wrote, bool verbose) {
  for (const auto& d : r.diags.sorted()) std::cerr << d.str() << "\n";
  if (!r.ok()) {
    std::cerr << "site-gen: " << r.diags.error_count() << " error(s); "
              << (wrote ? "the published site and its search index were left as they were"
                        : "nothing was written")
              << "\n";
    return 1;
  }
  if (r.unchanged) {
    std::cout << "site-gen: nothing changed since the last build; " << r.pages << " pages, "
              << r.files << " files published as they were (checked in " << r.seconds
              << " s; --clean builds everything)\n";
  } else if (wrote && r.pages < r.site_pages) {
    std::cout << "site-gen: " << r.pages << " of " << r.site_pages
              << " pages rendered again after the edits (--clean renders all), " << r.files
              << " files written, " << r.indexed << " search entries indexed in " << r.seconds
              << " s\n";
  } else if (wrote) {
    std::cout << "site-gen: " << r.pages << " pages, " << r.files << " files, "
              << r.indexed << " search entries indexed (" << r.index_unchanged << " unchanged, "
              << r.index_deleted << " removed) in " << r.seconds << " s\n";
  } else {
    std::cout << "site-gen: content is valid\n";
  }
  if (verbose)
    for (const auto& [stage, seconds] : r.stages)
      std::cout << "  " << stage << ": " << seconds << " s\n";
  if (verbose && r.index_seconds > 0)
    std::cout << "  (the index took " << r.index_seconds << " s, beside the render)\n";
  return 0;
}

int cmd_build(const Args& args, bool write) {
  BuildOptions opt;
  opt.write = write;
  std::string error;
  std::vector<std::string> allowed = {"site", "as-of"};
  if (write) allowed.insert(allowed.end(), {"out", "jobs", "index", "shards", "no-index"});
  if (!write && args.flags.count("clean")) {
    std::cerr << "site-gen: unknown flag --clean\n" << kUsage;
    return 2;
  }
  if (!options_from(args, allowed, &opt, &error)) {
    std::cerr << "site-gen: " << error << "\n" << kUsage;
    return 2;
  }
  opt.incremental = write;
  opt.clean = args.flags.count("clean") > 0;
  return report_and_exit(sitegen::build_site(opt), write, args.flags.count("verbose") > 0);
}

}  // namespace

int cmd_serve(const Args& args) {
  sitegen::serve::ServeOptions opt;
  Args build_args = args;
  for (const char* own : {"bind", "port", "no-search-cache"}) build_args.flags.erase(own);
  std::string error;
  if (!options_from(build_args, {"site", "as-of", "out", "index", "jobs"}, &opt.build, &error)) {
    std::cerr << "site-gen: " << error << "\n" << kUsage;
    return 2;
  }
  if (args.flags.count("bind")) opt.bind = args.flags.at("bind");
  if (args.flags.count("no-search-cache")) opt.search_cache = 0;  // to measure the search
  if (args.flags.count("port")) {
    opt.port = std::atoi(args.flags.at("port").c_str());
    if (opt.port < 1 || opt.port > 65535) {
      std::cerr << "site-gen: --port takes a number from 1 to 65535\n";
      return 2;
    }
  }
  opt.log = &std::cerr;
  return sitegen::serve::run_serve(opt);
}

int cmd_search_server(const Args& args) {
  sitegen::serve::SearchServiceOptions opt;
  BuildOptions where;
  auto number = [&](const std::string& flag, int lo, int hi, int* out) {
    if (!args.flags.count(flag)) return true;
    *out = std::atoi(args.flags.at(flag).c_str());
    if (*out >= lo && *out <= hi) return true;
    std::cerr << "site-gen: --" << flag << " takes a number from " << lo << " to " << hi << "\n";
    return false;
  };
  for (const auto& [name, value] : args.flags) {
    if (name == "out") where.out = value;
    else if (name == "index") where.index = value;
    else if (name == "bind") opt.bind = value;
    else if (name == "access-log") opt.access_log = value;
    else if (name == "static") opt.serve_static = true;
    else if (name == "no-search-cache") opt.search_cache = 0;
    else if (name == "allow-origin") {
      std::string bad;
      if (!sitegen::serve::parse_origins(value, &opt.allow_origins, &bad)) {
        std::cerr << "site-gen: --allow-origin takes origins such as https://www.example.org "
                     "(comma-separated) or *, not \"" << bad << "\"\n";
        return 2;
      }
    } else if (name != "port" && name != "threads" && name != "help") {
      std::cerr << "site-gen: unknown flag --" << name << "\n" << kUsage;
      return 2;
    }
  }
  if (!args.rest.empty()) {
    std::cerr << "site-gen: unexpected argument \"" << args.rest.front() << "\"\n" << kUsage;
    return 2;
  }
  int threads = static_cast<int>(opt.threads);
  if (!number("port", 1, 65535, &opt.port) || !number("threads", 1, 256, &threads)) return 2;
  opt.threads = static_cast<unsigned>(threads);
  opt.out = sitegen::output_dir(where);
  opt.index = sitegen::index_dir(where);
  opt.log = &std::cerr;
  return sitegen::serve::run_search_service(opt);
}

int cmd_search(const Args& args) {
  sitegen::index::SearchRequest req;
  BuildOptions where;
  std::string error;
  for (const auto& [name, value] : args.flags) {
    if (name == "index") where.index = value;
    else if (name == "site") where.site = value;
    else if (name == "lang") req.lang = value, req.lang_only = true;
    else if (name == "country") req.country = value;
    else if (name == "topic") req.topic = value;
    else if (name == "meeting") req.meeting = value;
    else if (name == "type") req.type = value;
    else if (name == "year") req.year = value;
    else if (name == "from") req.from = value;
    else if (name == "to") req.to = value;
    else if (name == "sort") req.sort = value;
    else if (name == "page") req.page = std::atoi(value.c_str());
    else if (name == "exact") req.exact = true;  // the words as typed, typos not corrected
    else if (name != "json" && name != "help") error = "unknown flag --" + name;
  }
  if (req.sort != "relevance" && req.sort != "date") error = "--sort takes relevance or date";
  if (req.page < 1) error = "--page takes a number from 1";
  if (!error.empty()) {
    std::cerr << "site-gen: " << error << "\n" << kUsage;
    return 2;
  }
  for (const auto& word : args.rest) req.query += (req.query.empty() ? "" : " ") + word;
  if (req.lang.empty()) {
    // The asker's language: the first two letters of the locale, as a browser would send.
    const char* env = std::getenv("LANG");
    std::string l = env ? std::string(env).substr(0, 2) : "";
    req.lang = (l.size() == 2 && l != "C." && l != "PO") ? l : "en";
  }
  sitegen::index::Searcher searcher(sitegen::index_dir(where), sitegen::index::Facets::per_search);
  if (!searcher.ok()) {
    std::cerr << "site-gen: cannot open the index " << sitegen::index_dir(where).string() << ": "
              << searcher.error() << "\n";
    return 1;
  }
  auto response = searcher.search(req);
  std::cout << (args.flags.count("json") ? sitegen::index::to_json(response) + "\n"
                                         : sitegen::index::to_text(response));
  return 0;
}

int cmd_import(const Args& args) {
  sitegen::ImportOptions opt;
  for (const auto& [name, value] : args.flags) {
    if (name == "site") opt.site = value;
    else if (name == "meeting") opt.meeting = value;
    else if (name == "csv") opt.csv = value;
    else if (name == "dry-run") opt.dry_run = true;
    else if (name != "help") {
      std::cerr << "site-gen: unknown flag --" << name << "\n" << kUsage;
      return 2;
    }
  }
  if (args.rest.size() != 1) {
    std::cerr << "site-gen: import takes one folder of files to import\n" << kUsage;
    return 2;
  }
  opt.dir = args.rest.front();
  const sitegen::ImportReport report = sitegen::import_documents(opt);
  if (!report.usage_error.empty()) {
    std::cerr << "site-gen: " << report.usage_error << "\n";
    return report.exit_code();
  }
  // The files, the problems, then the counts: read in that order on a terminal.
  std::cout << report.file_list() << std::flush;
  for (const auto& d : report.problems.sorted()) std::cerr << d.str() << "\n";
  std::cout << report.totals();
  return report.exit_code();
}

int cmd_new(const Args& args) {
  for (const auto& [name, value] : args.flags)
    if (name != "help") {
      std::cerr << "site-gen: unknown flag --" << name << "\n" << kUsage;
      return 2;
    }
  if (args.rest.size() != 1) {
    std::cerr << "site-gen: new takes the folder to write the site into\n" << kUsage;
    return 2;
  }
  std::string error;
  if (!sitegen::write_new_site(args.rest.front(), &error)) {
    std::cerr << "site-gen: " << error << "\n";
    return 1;
  }
  const std::string& dir = args.rest.front();
  std::cout << "site-gen: a new site in " << dir << "; build it with: site-gen build --site "
            << dir << "\n";
  return 0;
}

int main(int argc, char** argv) {
  // Run by a web server as a CGI program: one search request, then exit.
  if (std::getenv("GATEWAY_INTERFACE") && argc == 1)
    return sitegen::serve::run_cgi(
        [](const char* name) {
          const char* v = std::getenv(name);
          return std::string(v ? v : "");
        },
        std::cout);
  sitegen::index::tune_xapian_flushing();
  std::map<std::string, std::function<int(const Args&)>> commands = {
      {"build", [](const Args& a) { return cmd_build(a, true); }},
      {"check", [](const Args& a) { return cmd_build(a, false); }},
      {"import", cmd_import},
      {"new", cmd_new},
      {"search", cmd_search},
      {"search-server", cmd_search_server},
      {"serve", cmd_serve},
  };
  // No subcommand: build the site in the current folder, like hugo does.
  std::string name = argc > 1 && argv[1][0] != '-' ? argv[1] : "build";
  int first = argc > 1 && argv[1][0] != '-' ? 2 : 1;
  Args args;
  std::string error;
  if (!parse_args(argc, argv, first, &args, &error)) {
    std::cerr << "site-gen: " << error << "\n" << kUsage;
    return 2;
  }
  if (args.flags.count("version") || name == "version") {
    std::cout << sitegen::version_text();
    return 0;
  }
  if (args.flags.count("help") || name == "help") {
    std::cout << kUsage;
    return 0;
  }
  auto it = commands.find(name);
  if (it == commands.end()) {
    std::cerr << "site-gen: unknown command \"" << name << "\"\n" << kUsage;
    return 2;
  }
  return it->second(args);
}
