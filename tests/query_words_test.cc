// Query words of our own (index/query_words.h): Chinese typed without
// spaces and Arabic clitics, alone and end to end on a small site.
#include "index/query_words.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <algorithm>

#include "index/search.h"
#include "tests/site_fixture.h"

using namespace sitegen::index;
using namespace sitegen::testing;
namespace fs = std::filesystem;

namespace {

Xapian::WritableDatabase db_with(const std::vector<std::string>& terms) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document doc;
  for (const auto& t : terms) doc.add_term(t);
  db.add_document(doc);
  return db;
}

std::string joined(const std::vector<std::string>& v) {
  std::string r;
  for (const auto& w : v) r += (r.empty() ? "" : "|") + w;
  return r;
}

}  // namespace

TEST_CASE("query words: Arabic clitic forms are those the index has") {
  // Normalised words (ة -> ه), as the index holds them.
  auto db = db_with({"تدابير", "وتدابير", "لحمايه", "وتنفيذ", "بلد", "لد", "كتاب", "تاب", "فريق",
                     "لجنه", "جنه", "ولايه", "ايه", "وحمايه"});
  // The word, what is left without the clitic, and its other clitic forms.
  CHECK(joined(arabic_forms(db, "لتدابير")) == "لتدابير|تدابير|وتدابير");
  CHECK(joined(arabic_forms(db, "تدابير")) == "تدابير|وتدابير");
  CHECK(joined(arabic_forms(db, "بتدابير")) == "بتدابير|تدابير|وتدابير");
  // حمايه is only found after a clitic: long enough to be taken for a word.
  CHECK(joined(arabic_forms(db, "فحمايه")) == "فحمايه|حمايه|وحمايه|لحمايه");
  CHECK(joined(arabic_forms(db, "حمايه")) == "حمايه|وحمايه|لحمايه");
  CHECK(joined(arabic_forms(db, "لتنفيذ")) == "لتنفيذ|تنفيذ|وتنفيذ");
  // A word's own first letter is not a clitic, even where the rest is a
  // term of the index: too short (بلد, كتاب, فريق, لجنة; ولاية is not
  // ول + آية).
  CHECK(joined(arabic_forms(db, "بلد")) == "بلد");
  CHECK(joined(arabic_forms(db, "كتاب")) == "كتاب");
  CHECK(joined(arabic_forms(db, "فريق")) == "فريق");
  CHECK(joined(arabic_forms(db, "ولايه")) == "ولايه");
  CHECK(joined(arabic_forms(db, "لجنه")) == "لجنه");
  // ...and a short word is not searched with a clitic before it.
  CHECK(joined(arabic_forms(db, "جنه")) == "جنه");
  CHECK(joined(arabic_forms(db, "تاب")) == "تاب");
  CHECK(joined(arabic_forms(db, "لد")) == "لد");
}

TEST_CASE("query words: marks what the parser cannot take, and back") {
  auto db = db_with({"تدابير", "وتدابير"});
  for (const std::string q : {"纳入也门", "纳入 也门 mines", "-地雷 (援助 OR 合作)", "abc地雷",
                              "وتدابير الشفافية", "لتدابير"}) {
    CAPTURE(q);
    std::string marked = mark_query_words(q, db);
    CHECK(marked != q);
    std::string back = unmark_query_words(marked);
    back.erase(std::remove(back.begin(), back.end(), ' '), back.end());
    std::string want = q;
    want.erase(std::remove(want.begin(), want.end(), ' '), want.end());
    CHECK(back == want);
  }
  // Left to the parser: phrases, prefixed words, words with no other form.
  for (const std::string q : {"\"合作与援助\"", "title:地雷", "mines", "الشفافية"})
    CHECK(mark_query_words(q, db) == q);
}

namespace {

std::map<std::string, std::string> words_site() {
  const std::string head = "---\ndate: 2025-10-08\ntype: working-paper\noriginal: en\n";
  return {
      {"site.yaml", "title: Test\nbase_url: https://example.org/\nlanguages: [en, ar, zh]\n"},
      {"content/meetings/msp22/meeting.yaml",
       "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\nend: 2025-12-05\n"},
      // From the Chinese report in shared/data.
      {"content/meetings/msp22/plan.zh.md",
       head + "symbol: APLC/MSP.22/2025/ZH.1\ntitle: 委员会的活动\n---\n"
              "委员会确保在执行《2025-2029 年暹粒—吴哥行动计划》过程中考虑到受影响社区人民的"
              "不同需求和经历。委员会分享了信息，包括个性化方法和国家地雷行动平台。\n"},
      {"content/meetings/msp22/yemen.zh.md",
       head + "symbol: APLC/MSP.22/2025/ZH.2\ntitle: 发言\n---\n"
              "委员会强调将地雷行动纳入发展计划方面面临的挑战。以下国家代表团作了发言：也门。\n"},
      {"content/meetings/msp22/other.zh.md", head +
                                                 "symbol: APLC/MSP.22/2025/ZH.3\ntitle: 其他\n---\n"
                                                 "个性化的工作计划和新的方法。纳入发展计划。\n"},
      {"content/meetings/msp22/measures.ar.md",
       head + "symbol: APLC/MSP.22/2025/AR.1\ntitle: تقرير\n---\n"
              "اعتمدت الدول التدابير اللازمة لحماية المدنيين وتنفيذ الخطة.\n"},
      {"content/meetings/msp22/team.ar.md", head +
                                                "symbol: APLC/MSP.22/2025/AR.2\ntitle: مذكرة\n---\n"
                                                "قدم فريق اللجنة كتابا عن ولاية البلد.\n"},
  };
}

struct WordsSite {
  TempDir dir;
  fs::path site() const { return dir.path() / "site"; }
  fs::path index() const { return dir.path() / "site" / "public-index"; }
};

std::unique_ptr<WordsSite> make_words_site() {
  auto s = std::make_unique<WordsSite>();
  write_site(s->site(), words_site());
  RunResult r = run_site_gen("build --site " + s->site().string() + " --as-of 2026-01-01");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return s;
}

std::vector<std::string> symbols(const SearchResponse& r) {
  std::vector<std::string> v;
  for (const auto& x : r.results) v.push_back(x.symbol);
  return v;
}

SearchResponse ask(const Searcher& s, const std::string& q, const std::string& lang) {
  SearchRequest req;
  req.query = q;
  req.lang = lang;
  req.lang_only = true;
  SearchResponse r = s.search(req);
  CHECK_MESSAGE(r.error.empty(), r.error);
  return r;
}

}  // namespace

TEST_CASE("query words: Chinese typed without spaces finds its document, adjacent words first") {
  auto site = make_words_site();
  Searcher s(site->index());
  REQUIRE_MESSAGE(s.ok(), s.error());
  using V = std::vector<std::string>;
  // Two words joined: Xapian's n-grams wanted the pair across them (入也).
  // (The one with both words; the relaxed ones, with either, follow it.)
  SearchResponse yemen = ask(s, "纳入也门", "zh");
  CHECK(yemen.exact_total == 1);
  REQUIRE(!yemen.results.empty());
  CHECK(symbols(yemen).front() == "APLC/MSP.22/2025/ZH.2");
  CHECK(yemen.results[0].snippet.find("<mark>纳入</mark>") != std::string::npos);
  CHECK(yemen.results[0].snippet.find("<mark>也门</mark>") != std::string::npos);
  // The text has a dash where the query has none.
  SearchResponse plan = ask(s, "暹粒吴哥行动计划", "zh");
  CHECK(plan.exact_total == 1);
  REQUIRE(!plan.results.empty());
  CHECK(symbols(plan).front() == "APLC/MSP.22/2025/ZH.1");
  CHECK(plan.results[0].snippet.find("<mark>暹粒</mark>—<mark>吴哥行动计划</mark>") !=
        std::string::npos);
  // Words side by side rank above the same words apart.
  SearchResponse method = ask(s, "个性化方法", "zh");
  CHECK(symbols(method) == V{"APLC/MSP.22/2025/ZH.1", "APLC/MSP.22/2025/ZH.3"});
  REQUIRE(!method.results.empty());
  CHECK(method.results[0].snippet.find("<mark>个性化方法</mark>") != std::string::npos);
  // What worked with spaces and quotes still does.
  // (Only one document has both words: the relaxed ones, with either, follow it.)
  SearchResponse spaced = ask(s, "纳入 也门", "zh");
  CHECK(spaced.exact_total == 1);
  REQUIRE(!spaced.results.empty());
  CHECK(spaced.results[0].symbol == "APLC/MSP.22/2025/ZH.2");
  CHECK(symbols(ask(s, "暹粒 吴哥", "zh")) == V{"APLC/MSP.22/2025/ZH.1"});
  CHECK(symbols(ask(s, "\"个性化方法\"", "zh")) == V{"APLC/MSP.22/2025/ZH.1"});
  CHECK(symbols(ask(s, "\"纳入也门\"", "zh")).empty());
  CHECK(symbols(ask(s, "纳入 -也门", "zh")) == V{"APLC/MSP.22/2025/ZH.3"});
  CHECK(symbols(ask(s, "title:发言", "zh")) == V{"APLC/MSP.22/2025/ZH.2"});
}

TEST_CASE("query words: an Arabic word with another clitic finds the same document") {
  auto site = make_words_site();
  Searcher s(site->index());
  REQUIRE_MESSAGE(s.ok(), s.error());
  const std::string measures = "APLC/MSP.22/2025/AR.1", team = "APLC/MSP.22/2025/AR.2";
  auto finds = [&](const std::string& q, const std::string& symbol) {
    auto v = symbols(ask(s, q, "ar"));
    return std::find(v.begin(), v.end(), symbol) != v.end();
  };
  // The text has التدابير, لحماية and وتنفيذ.
  for (const std::string q :
       {"التدابير", "والتدابير", "بالتدابير", "للتدابير", "وللتدابير", "وبالتدابير", "فبالتدابير",
        "حماية", "الحماية", "وحماية", "تنفيذ", "لتنفيذ", "بتنفيذ", "التنفيذ",
        // a phrase compares the words as written (not
        // stemmed): the article's combinations are stripped
        "\"وبالتدابير اللازمة\"", "\"فللتدابير اللازمة\""}) {
    CAPTURE(q);
    CHECK(finds(q, measures));
  }
  // Words whose first letter looks like a clitic find themselves...
  for (const std::string q : {"فريق", "اللجنة", "لجنة", "كتابا", "ولاية", "البلد", "بلد"}) {
    CAPTURE(q);
    CHECK(finds(q, team));
  }
  // ...and are not taken for something else.
  for (const std::string q : {"جنة", "تاب", "لد"}) {
    CAPTURE(q);
    CHECK_FALSE(finds(q, team));
  }
}

TEST_CASE("query words: an Arabic word as written ranks the texts that have it so first") {
  // Both texts are "تخطيط" to the index (the article and its combinations
  // are stripped); the second has it five times, which BM25 alone would
  // rank first for either form.
  const std::string head = "---\ndate: 2025-10-08\ntype: working-paper\noriginal: ar\n";
  TempDir dir;
  const fs::path site = dir.path() / "site";
  write_site(site, {{"site.yaml", "title: Test\nbase_url: https://example.org/\nlanguages: [ar]\n"},
                    {"content/meetings/msp22/meeting.yaml",
                     "kind: msp\ntitle: { ar: الاجتماع }\nstart: 2025-12-01\nend: 2025-12-05\n"},
                    {"content/meetings/msp22/rare.ar.md",
                     head + "symbol: APLC/MSP.22/2025/AR.1\ntitle: تقرير\n---\n"
                            "ناقشت الدول التنفيذ والتخطيط في السودان خلال الفترة.\n"},
                    {"content/meetings/msp22/common.ar.md",
                     head + "symbol: APLC/MSP.22/2025/AR.2\ntitle: مذكرة\n---\n"
                            "التخطيط في السودان. التخطيط للدول. التخطيط والتنفيذ. التخطيط المالي. "
                            "التخطيط للفترة.\n"}});
  RunResult r = run_site_gen("build --site " + site.string() + " --as-of 2026-01-01");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  Searcher s(site / "public-index");
  REQUIRE_MESSAGE(s.ok(), s.error());
  using V = std::vector<std::string>;
  const std::string rare = "APLC/MSP.22/2025/AR.1", common = "APLC/MSP.22/2025/AR.2";
  // Typed whole, being typed (the last word a prefix too), with another
  // word, in a phrase: the text with the form as written first, the other
  // still found.
  for (const std::string q : {"والتخطيط", "والتخطيط ", "والتَّخطيط", "والتخطيط السودان",
                              "السودان والتخطيط", "\"والتخطيط في\""}) {
    CAPTURE(q);
    CHECK(symbols(ask(s, q, "ar")) == V{rare, common});
  }
  // Another form finds both as before, the commoner text first.
  for (const std::string q : {"التخطيط", "تخطيط", "بالتخطيط", "التخطيط السودان"}) {
    CAPTURE(q);
    CHECK(symbols(ask(s, q, "ar")) == V{common, rare});
  }
}

TEST_CASE("query words: site-gen search --json reads Chinese typed without spaces") {
  auto site = make_words_site();
  RunResult r = run_site_gen("search --index " + site->index().string() + " --json 纳入也门");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("\"symbol\":\"APLC/MSP.22/2025/ZH.2\"") != std::string::npos);
  CHECK(r.output.find("\"exact_total\":1,") != std::string::npos);
}
