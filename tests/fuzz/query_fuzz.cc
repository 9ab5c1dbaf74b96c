// Fuzz target: the query side of the index (index/search.h), which parses a
// reader's query in its language (normalisation, symbols, Xapian's query
// parser with wildcards, CJK n-grams and spelling) and makes snippets. The
// input is the query, searched in each of the six languages in a small
// index written once at start-up. The property: no crash, no sanitizer
// report, no exception out of Searcher::search, and no error in the answer
// (an error is documented only for an index that cannot be opened).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "index/search.h"
#include "index/writer.h"

namespace {

namespace fs = std::filesystem;
using sitegen::index::Entry;

const char* const kLanguages[] = {"en", "fr", "es", "ru", "ar", "zh"};

Entry entry(std::string lang, std::string title, std::string text, std::string symbol) {
  Entry e;
  e.url = "/" + lang + "/documents/" + std::to_string(std::hash<std::string>()(title)) + "/";
  e.kind = "document";
  e.lang = e.text_lang = lang;
  e.title = std::move(title);
  e.symbol = std::move(symbol);
  e.date = "2025-06-17";
  e.type = "working-paper";
  e.meeting = "msp22";
  e.countries = {"AO", "KH"};
  e.topics = {"victim-assistance"};
  e.text = std::move(text);
  e.group = e.symbol.empty() ? e.url : e.symbol;
  e.languages = {lang};
  return e;
}

fs::path g_dir;
std::unique_ptr<sitegen::index::Searcher> g_searcher;

void remove_index() {
  g_searcher.reset();
  std::error_code ec;
  fs::remove_all(g_dir, ec);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_dir = fs::temp_directory_path() / ("site-gen-query-fuzz-" + std::to_string(getpid()));
  std::vector<Entry> entries = {
      entry("en", "Cooperation and assistance",
            "Angola reported on mine clearance, stockpile destruction and victim assistance "
            "under Article 5 (APLC/MSP.22/2025/WP.7).",
            "APLC/MSP.22/2025/WP.7"),
      entry("fr", "Coopération et assistance",
            "L'Angola a présenté l'assistance aux victimes et le déminage.",
            "APLC/MSP.22/2025/WP.7"),
      entry("es", "Cooperación y asistencia", "Asistencia a las víctimas y remoción de minas.", ""),
      entry("ru", "Сотрудничество и помощь", "Разминирование и помощь пострадавшим.", ""),
      entry("ar", "التعاون والمساعدة", "إزالة الألغام ومساعدة الضحايا في أنغولا.", ""),
      entry("zh", "合作与援助", "安哥拉报告了排雷和受害者援助。", "APLC/MSP.22/2025/WP.8"),
  };
  {
    sitegen::index::Writer writer(g_dir);
    if (!writer.ok() || !writer.update(entries, nullptr) || !writer.commit()) {
      std::fprintf(stderr, "query_fuzz: cannot write the index in %s: %s\n", g_dir.c_str(),
                   writer.error().c_str());
      std::abort();
    }
  }
  g_searcher =
      std::make_unique<sitegen::index::Searcher>(g_dir, sitegen::index::Facets::per_search);
  std::atexit(remove_index);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // Searcher::search keeps a prefix of a long query anyway
  sitegen::index::SearchRequest request;
  request.query.assign(reinterpret_cast<const char*>(data), size);
  for (const char* lang : kLanguages) {
    request.lang = lang;
    request.sort = size % 2 ? "date" : "relevance";
    try {
      sitegen::index::SearchResponse response = g_searcher->search(request);
      if (!response.error.empty()) {
        std::fprintf(stderr, "\nquery_fuzz: the answer in %s has an error: %s\n", lang,
                     response.error.c_str());
        __builtin_trap();
      }
      (void)sitegen::index::to_json(response);
      (void)sitegen::index::to_text(response);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "\nquery_fuzz: an exception left Searcher::search in %s: %s\n", lang,
                   e.what());
      __builtin_trap();
    }
  }
  return 0;
}
