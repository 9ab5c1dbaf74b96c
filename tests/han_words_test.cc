// Han runs as words on the index and the query side (index/han_words.h).
#include "index/han_words.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace sitegen::index;

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string r;
  for (const auto& w : v) r += (r.empty() ? "" : "|") + w;
  return r;
}

// term -> positions of the document made from text.
std::map<std::string, std::vector<Xapian::termpos>> terms_of(const std::string& text) {
  Xapian::Document doc;
  Xapian::TermGenerator tg;
  tg.set_document(doc);
  tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  index_text(tg, doc, text);
  std::map<std::string, std::vector<Xapian::termpos>> out;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    auto& ps = out[*t];
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) ps.push_back(*p);
  }
  return out;
}

}  // namespace

TEST_CASE("han words: a run is cut into dictionary words") {
  // From the corpus's phrase lists and the Chinese report (shared/data).
  CHECK(joined(segment_han("纳入也门")) == "纳入|也门");
  CHECK(joined(segment_han("将地雷行动纳入发展计划")) == "将|地雷|行动|纳入|发展|计划");
  CHECK(joined(segment_han("合作与援助")) == "合作|与|援助");
  CHECK(joined(segment_han("受害者援助")) == "受害者|援助");
  // A name the dictionary does not know falls apart into characters.
  CHECK(joined(segment_han("暹粒吴哥行动计划")) == "暹|粒|吴|哥|行动|计划");
  // A query can be cut otherwise than the sentence it comes from:
  // 个性化 is 个性|化 in both, 执行支助股 a word alone but not in a sentence.
  CHECK(joined(segment_han("个性化方法")) == "个性|化|方法");
  CHECK(joined(segment_han("包括个性化方法和国家地雷行动平台")) ==
        "包括|个性|化|方法|和|国家|地雷|行动|平台");
  CHECK(segment_han("").empty());
  // Characters outside the BMP are kept whole.
  std::string cat;
  for (const auto& w : segment_han("𠀀𠀁地雷")) cat += w;
  CHECK(cat == "𠀀𠀁地雷");
}

TEST_CASE("han words: runs are the Han characters only") {
  CHECK(joined(han_runs("执行《2025-2029 年暹粒—吴哥行动计划》过程中")) ==
        "执行|年暹粒|吴哥行动计划|过程中");
  CHECK(joined(han_runs("abc 地雷を除去 ایران 々")) == "地雷|除去|々");
  CHECK(han_runs("mines, ألغام, мины").empty());
  CHECK(is_han(U'地'));
  CHECK(is_han(0x20000));
  CHECK(!is_han(U'を'));
  CHECK(!is_han(U'—'));
  CHECK(!is_han(0x3000));
}

TEST_CASE("han words: indexed as characters, pairs and words, with positions") {
  auto t = terms_of("国际合作与援助。受害者");
  // Characters at their positions, one after another across punctuation.
  CHECK(t["国"] == std::vector<Xapian::termpos>{1});
  CHECK(t["助"] == std::vector<Xapian::termpos>{7});
  CHECK(t["受"] == std::vector<Xapian::termpos>{8});
  // A pair that is a word has the position of its first character; one
  // across two words has none, but is there.
  CHECK(t["合作"] == std::vector<Xapian::termpos>{3});
  CHECK(t.count("作与") == 1);
  CHECK(t["作与"].empty());
  // A longer word is a term of its own.
  CHECK(t["受害者"] == std::vector<Xapian::termpos>{8});
  CHECK(t.count("国际合作") == 0);

  // Other text around keeps its positions, kana and Hangul their n-grams.
  auto m = terms_of("abc地雷を除去 한국어");
  CHECK(m["abc"] == std::vector<Xapian::termpos>{1});
  CHECK(m["地雷"] == std::vector<Xapian::termpos>{2});
  CHECK(m["を"] == std::vector<Xapian::termpos>{4});
  CHECK(m["除"] == std::vector<Xapian::termpos>{5});
  CHECK(m.count("한국") == 1);
}

TEST_CASE("han words: the query finds the words wherever they are, adjacent first") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const std::vector<std::string> texts = {
      "委员会强调将地雷行动纳入发展计划。以下国家代表团作了发言：也门。",  // 1: apart
      "决定纳入也门的报告。",                                              // 2: adjacent
      "在执行《2025-2029 年暹粒—吴哥行动计划》过程中",                     // 3
      "包括个性化方法和国家地雷行动平台",                                  // 4
      "个性化的工作和新的方法",                                            // 5: apart
      "纳入发展计划。",                                                    // 6: no 也门
  };
  for (const auto& text : texts) {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    tg.set_document(doc);
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    index_text(tg, doc, text);
    db.add_document(doc);
  }
  auto ranked = [&](const std::string& run) {
    Xapian::Enquire e(db);
    e.set_query(han_query(run));
    std::vector<Xapian::docid> ids;
    Xapian::MSet m = e.get_mset(0, 10);
    for (auto it = m.begin(); it != m.end(); ++it) ids.push_back(*it);
    return ids;
  };
  CHECK(ranked("纳入也门") == std::vector<Xapian::docid>{2, 1});
  CHECK(ranked("暹粒吴哥行动计划") == std::vector<Xapian::docid>{3});
  CHECK(ranked("个性化方法") == std::vector<Xapian::docid>{4, 5});
  CHECK(ranked("也门").size() == 2);
  CHECK(ranked("受害者").empty());
  // A word of three characters that a text was cut otherwise into (no
  // such example found in the corpus's phrases, where ICU cuts a phrase
  // alone and in its sentences alike) still matches, by its pairs, below
  // one where it is a word.
  Xapian::Document cut;
  for (const char* t : {"受", "害", "者", "受害", "害者"}) cut.add_term(t);
  Xapian::docid apart = db.add_document(cut);
  Xapian::Document doc;
  Xapian::TermGenerator tg;
  tg.set_document(doc);
  tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  index_text(tg, doc, "地雷受害者");
  Xapian::docid word = db.add_document(doc);
  CHECK(ranked("受害者") == std::vector<Xapian::docid>{word, apart});
}

TEST_CASE("han words: characters side by side rank above the same characters scattered") {
  // A name the dictionary cuts into characters (暹|粒|吴|哥): without the
  // whole run as a phrase in either text, its pairs decide.
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const char* text : {"暹者粒者吴者哥者暹者粒者吴者哥者", "暹粒是城市，吴哥是古迹"}) {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    tg.set_document(doc);
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    index_text(tg, doc, text);
    db.add_document(doc);
  }
  Xapian::Enquire e(db);
  e.set_query(han_query("暹粒吴哥"));
  Xapian::MSet m = e.get_mset(0, 10);
  REQUIRE(m.size() == 2);
  CHECK(*m.begin() == 2);
}

TEST_CASE("han words: thread-safe") {
  std::vector<std::thread> ts;
  std::vector<std::string> out(4);
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&, i] {
      for (int k = 0; k < 50; ++k) out[i] = joined(segment_han("将地雷行动纳入发展计划"));
    });
  for (auto& t : ts) t.join();
  for (const auto& o : out) CHECK(o == "将|地雷|行动|纳入|发展|计划");
}
