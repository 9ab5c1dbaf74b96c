// Remote shards for real: a small site built with `--shards`, two of its
// shards served by Xapian's own xapian-tcpsrv on loopback, the rest local,
// all listed in a stub; every answer (results, order, total, each facet
// count) must equal the single local index built from the same site.
// Compiled only when CMake found xapian-tcpsrv (SITE_GEN_XAPIAN_TCPSRV).
#include <doctest/doctest.h>

#ifdef SITE_GEN_XAPIAN_TCPSRV

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "index/search.h"
#include "tests/raw_client.h"
#include "tests/site_fixture.h"

using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

bool accepts(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(s);
  return ok;
}

// xapian-tcpsrv serving one database. It signals its whole process group
// when it stops, so it gets a group of its own (setsid), and is stopped by
// a signal to that group.
class TcpServer {
 public:
  TcpServer(const fs::path& db, int port) : port_(port) {
    fflush(nullptr);  // or the child's copy of our buffers is written twice
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      setsid();
      // It prints a line for each connection that closes (the probes below).
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      std::string p = std::to_string(port);
      execl(SITE_GEN_XAPIAN_TCPSRV, "xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
            p.c_str(), "--quiet", db.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && !accepts(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(accepts(port_));
  }
  ~TcpServer() {
    kill(-pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_;
};

std::string doc(const std::string& symbol, const std::string& title, const std::string& date,
                const std::string& type, const std::string& body) {
  return "---\nsymbol: " + symbol + "\ntitle: " + title + "\ndate: " + date + "\ntype: " + type +
         "\noriginal: en\n---\n" + body + "\n";
}

// Several meetings, years, types, States and topics, documents in one to
// three languages, some with the same date (ties for the date order).
std::map<std::string, std::string> shard_site() {
  std::map<std::string, std::string> f = {
      {"site.yaml", "title: Test\nbase_url: https://example.org/\nlanguages: [en, fr, es]\n"},
      {"content/countries/denmark.yaml", "iso: DK\nstatus: state-party\n"},
      {"content/countries/sudan.yaml", "iso: SD\nstatus: state-party\n"},
      {"content/countries/angola.yaml", "iso: AO\nstatus: state-party\n"},
      {"content/countries/peru.yaml", "iso: PE\nstatus: state-party\n"},
      {"content/topics.yaml",
       "clearance:\n  names: { en: Mine clearance, fr: Déminage, es: Desminado }\n"
       "  keywords: { en: [mine clearance], fr: [déminage], es: [desminado] }\n"
       "assistance:\n  names: { en: Victim assistance, fr: Assistance aux victimes }\n"
       "  keywords: { en: [victim assistance], fr: [assistance aux victimes], es: [asistencia a "
       "las víctimas] }\n"},
      {"content/meetings/msp21/meeting.yaml",
       "kind: msp\ntitle: { en: Twenty-First Meeting }\nstart: 2023-11-20\nend: 2023-11-24\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2024-12-01\nend: 2024-12-05\n"},
  };
  const char* countries[] = {"Denmark", "Sudan", "Angola", "Peru"};
  const char* fr_countries[] = {"Danemark", "Soudan", "Angola", "Pérou"};
  const char* es_countries[] = {"Dinamarca", "Sudán", "Angola", "Perú"};
  for (int i = 0; i < 16; ++i) {
    std::string meeting = i % 2 ? "msp22" : "msp21";
    std::string year = i % 2 ? "2024" : "2023";
    std::string date = year + (i % 2 ? "-12-0" : "-11-2") + std::to_string(1 + (i / 4) % 3);
    std::string type = i % 3 == 0 ? "working-paper" : i % 3 == 1 ? "report" : "statement";
    std::string symbol =
        "APLC/MSP." + std::string(i % 2 ? "22/2024" : "21/2023") + "/WP." + std::to_string(i + 1);
    std::string name = meeting + "/wp" + std::to_string(i + 1);
    const int a = i % 4, b = (i + 1) % 4;
    std::string en = std::string(countries[a]) + " reported on mine clearance" +
                     (i % 3 ? " and victim assistance" : "") + ". Mines were destroyed in " +
                     (i % 2 ? countries[b] : "the field") + ". Paper " + std::to_string(i) + ".";
    f["content/meetings/" + name + ".en.md"] =
        doc(symbol, "Paper " + std::to_string(i) + " on mines", date, type, en);
    if (i % 4 != 3)
      f["content/meetings/" + name + ".fr.md"] =
          doc(symbol, "Document " + std::to_string(i) + " sur les mines", date, type,
              std::string(fr_countries[a]) + " a rendu compte du déminage" +
                  (i % 3 ? " et de l'assistance aux victimes" : "") + ". Des mines détruites.");
    if (i % 2 == 0)
      f["content/meetings/" + name + ".es.md"] =
          doc(symbol, "Documento " + std::to_string(i) + " sobre minas", date, type,
              std::string(es_countries[a]) + " informó sobre el desminado. Minas " +
                  (i % 3 ? "y asistencia a las víctimas." : "destruidas."));
  }
  // Exact ties (same title, text, date and so weight) across languages:
  // one database and shards number them differently, so only a tie-break
  // by value gives both the same order.
  for (int i = 0; i < 6; ++i) {
    std::string lang = i % 2 ? "fr" : "en";
    f["content/meetings/msp21/note" + std::to_string(i) + "." + lang + ".md"] =
        doc("APLC/MSP.21/2023/INF." + std::to_string(i), "Stockpile note", "2023-11-22",
            "statement", "Stockpile note, stockpile figures.");
  }
  return f;
}

// Everything an answer says, as text, so that a difference shows whole.
std::string answer(const sitegen::index::SearchResponse& r) {
  std::string s = "error=" + r.error + " total=" + std::to_string(r.total) +
                  " corrected=" + r.corrected + " suggestion=" + r.suggestion +
                  " exact=" + std::to_string(r.exact_total) + (r.relaxed ? " relaxed" : "") +
                  (r.other_languages ? " other_languages" : "") + "\n";
  for (const auto& x : r.results) s += x.url + " " + x.lang + " " + x.snippet + "\n";
  for (const auto& [facet, values] : r.facets)
    for (const auto& [v, n] : values) s += facet + ":" + v + "=" + std::to_string(n) + "\n";
  return s;
}

}  // namespace

TEST_CASE("remote shards: xapian-tcpsrv shards answer as the single local index") {
  TempDir dir;
  fs::path site = dir.path() / "site";
  write_site(site, shard_site());
  fs::path single = dir.path() / "single", sharded = dir.path() / "sharded";
  for (const auto& [index, flags] : {std::pair{single, std::string()}, {sharded, " --shards"}}) {
    RunResult r = run_site_gen("build --site " + site.string() + " --out " +
                               (dir.path() / ("out-" + index.filename().string())).string() +
                               " --index " + index.string() + " --as-of 2026-01-01" + flags);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }
  REQUIRE(fs::exists(sharded / "en" / "iamglass"));
  REQUIRE(fs::exists(sharded / "fr" / "iamglass"));
  REQUIRE(fs::exists(sharded / "es" / "iamglass"));

  TcpServer en(sharded / "en", free_port());
  TcpServer fr(sharded / "fr", free_port());
  // The stub a deployment writes: two remote shards and one local.
  fs::path stub = dir.path() / "remote";
  write_file(stub / "XAPIANDB", "remote 127.0.0.1:" + std::to_string(en.port()) +
                                    "\nremote 127.0.0.1:" + std::to_string(fr.port()) + "\nauto " +
                                    (sharded / "es").string() + "\n");

  using sitegen::index::Facets;
  using sitegen::index::Searcher;
  using sitegen::index::SearchRequest;
  Searcher local(single, Facets::per_search), remote(stub, Facets::table);
  REQUIRE(local.ok());
  REQUIRE(remote.ok());
  // The table path of the local index (once read) must agree too.
  Searcher table(single, Facets::table);

  auto req = [](std::string q, std::string lang = "en") {
    SearchRequest r;
    r.query = std::move(q);
    r.lang = std::move(lang);
    return r;
  };
  std::vector<SearchRequest> asks = {req("mines"),
                                     req("mines", "fr"),
                                     req("minas", "es"),
                                     req("déminage", "fr"),
                                     req("clearance OR assistance"),
                                     req("APLC/MSP.22/2024/WP.4"),
                                     req("MSP.22"),
                                     req(""),
                                     // Typos: each language's words are read from its shard,
                                     // remote ones included (xapian-tcpsrv serves metadata).
                                     req("clearence"),
                                     req("déminnage", "fr"),
                                     req("desminaod", "es")};
  {
    auto r = req("mines");
    r.country = "SD";
    asks.push_back(r);
    r = req("");
    r.country = "DK";
    asks.push_back(r);
    r = req("mines");
    r.topic = "assistance";
    asks.push_back(r);
    r = req("mines");
    r.type = "report";
    asks.push_back(r);
    r = req("mines");
    r.year = "2023";
    asks.push_back(r);
    r = req("mines");
    r.lang = "fr";
    r.lang_only = true;
    asks.push_back(r);
    r = req("mines");
    r.lang = "es";
    r.lang_only = true;
    r.query_lang = "en";
    asks.push_back(r);
    r = req("mines");
    r.sort = "date";
    asks.push_back(r);
    r = req("");
    r.sort = "date";
    r.page = 2;
    r.page_size = 5;
    asks.push_back(r);
    r = req("mines");
    r.page = 2;
    r.page_size = 4;
    asks.push_back(r);
    r = req("mines");
    r.from = "2024-01-01";
    asks.push_back(r);
    // Fallbacks (index/search.cc): relaxed, other languages, a prefix.
    asks.push_back(req("Denmark stockpile"));
    asks.push_back(req("clearan"));
    asks.push_back(req("mines clearan", "fr"));
    r = req("stockpile");
    r.lang = "es";
    r.lang_only = true;
    asks.push_back(r);
    r = req("stockpile Sudan");
    r.lang = "es";
    r.lang_only = true;
    asks.push_back(r);
    for (int page = 1; page <= 4; ++page) {
      r = req("Denmark stockpile");
      r.page = page;
      r.page_size = 3;
      asks.push_back(r);
    }
    for (int page = 1; page <= 3; ++page) {
      r = req("stockpile");
      r.page = page;
      r.page_size = 2;
      asks.push_back(r);
      r.sort = "date";
      asks.push_back(r);
      r = req("", "fr");
      r.type = "statement";
      r.page = page;
      r.page_size = 3;
      asks.push_back(r);
    }
  }
  // Let the table be read (on its idle thread) before comparing with it.
  for (int i = 0; i < 100; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  int relaxed = 0, other_languages = 0;
  for (const auto& a : asks) {
    CAPTURE(a.query);
    CAPTURE(a.lang);
    CAPTURE(a.country + "/" + a.topic + "/" + a.type + "/" + a.year + "/" + a.sort + "/" +
            std::to_string(a.page));
    auto want = local.search(a);
    REQUIRE(want.error.empty());
    relaxed += want.relaxed;
    other_languages += want.other_languages;
    CHECK(answer(remote.search(a)) == answer(want));
    CHECK(answer(table.search(a)) == answer(want));
  }
  // The fallbacks were compared too.
  CHECK(relaxed >= 5);
  CHECK(other_languages >= 2);
  // `site-gen search` as a user runs it, with the stub's folder as index.
  for (const char* args :
       {"--json mines", "--json --lang fr --sort date mines", "--json --country AO ''"}) {
    CAPTURE(args);
    RunResult a = run_site_gen("search --index " + stub.string() + " " + args);
    RunResult b = run_site_gen("search --index " + single.string() + " " + args);
    CHECK(a.exit_code == 0);
    CHECK(a.output.find("\"total\":0") == std::string::npos);
    CHECK(a.output == b.output);
  }
  // Not vacuous: the queries find things, and facets are counted.
  auto mines = local.search(req("mines"));
  // 16 papers and both topic pages, whose text is their papers' titles.
  CHECK(mines.total == 18);
  CHECK(mines.facets["lang"]["fr"] == 14);
  CHECK(mines.facets["country"]["AO"] == 8);
  CHECK(local.search(req("minas", "es")).facets["lang"]["es"] == 10);
  CHECK(local.search(req("stockpile")).total == 6);
  CHECK(local.search(req("déminnage", "fr")).corrected == "deminage");
  CHECK(remote.search(req("clearence")).corrected == "clearance");
}

#endif  // SITE_GEN_XAPIAN_TCPSRV
