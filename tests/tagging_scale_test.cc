// Tagging at scale: the benchmark corpus generator (shared/bench/make-corpus)
// knows which States and topics each synthetic text names, traps included;
// every document of a generated site must carry exactly those tags.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "site-gen/load.h"
#include "site-gen/resolve.h"
#include "tests/site_fixture.h"

using namespace sitegen;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

fs::path corpus_generator() {
  return fs::path(SITE_GEN_SOURCE_DIR).parent_path() / "shared" / "bench" / "make-corpus";
}

// truth.json flattened by python3 to "symbol\tISO ISO\ttopic topic" lines.
std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> read_truth(
    const fs::path& corpus) {
  std::string cmd =
      "python3 -c 'import json,sys\n"
      "t=json.load(open(sys.argv[1]))[\"symbols\"]\n"
      "for s,d in t.items(): print(s, \" \".join(sorted(set(d[\"countries\"])|set(d[\"explicit_countries\"]))),"
      " \" \".join(d[\"topics\"]), sep=\"\\t\")' " +
      (corpus / "truth.json").string();
  FILE* p = popen(cmd.c_str(), "r");
  std::string text;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
  pclose(p);
  std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string symbol, countries, topics;
    std::getline(fields, symbol, '\t');
    std::getline(fields, countries, '\t');
    std::getline(fields, topics, '\t');
    auto split = [](const std::string& s) {
      std::set<std::string> set;
      std::istringstream words(s);
      for (std::string w; words >> w;) set.insert(w);
      return set;
    };
    out[symbol] = {split(countries), split(topics)};
  }
  return out;
}

}  // namespace

TEST_CASE("tagging: every document of a generated corpus gets exactly its true tags") {
  if (!fs::exists(corpus_generator())) {
    MESSAGE("skipped: no " << corpus_generator());
    return;
  }
  TempDir dir;
  fs::path corpus = dir.path() / "corpus";
  std::string cmd = corpus_generator().string() + " --out " + corpus.string() +
                    " --documents 150 --seed 7 >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto truth = read_truth(corpus);
  REQUIRE(truth.size() == 150);

  Diagnostics diags;
  auto site = resolve_site(load_site(corpus, diags), *parse_iso_date("2026-01-01"), diags);
  REQUIRE_FALSE(diags.has_errors());
  REQUIRE(site->content.documents.size() == truth.size());
  int wrong = 0;
  for (size_t i = 0; i < site->content.documents.size(); ++i) {
    const Document& d = site->content.documents[i];
    std::set<std::string> countries, topics;
    for (int k : site->documents[i].countries) countries.insert(site->content.countries[k].iso);
    for (int k : site->documents[i].topics) topics.insert(site->content.topics[k].id);
    const auto& [want_countries, want_topics] = truth.at(d.symbol);
    if (countries != want_countries || topics != want_topics) {
      ++wrong;
      CAPTURE(d.symbol);
      CHECK(countries == want_countries);
      CHECK(topics == want_topics);
    }
  }
  CHECK(wrong == 0);
}
