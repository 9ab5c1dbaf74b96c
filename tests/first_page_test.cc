// Reading a UN document's first page (site-gen/first_page.h): the symbol,
// distribution date, "Original:" language, the version's language and
// the title, in the six languages, from texts and from PDFs made here.
#include "site-gen/first_page.h"

#include <doctest/doctest.h>

#include "index/attachment_text.h"
#include "tests/site_fixture.h"
#include "tests/un_documents.h"

using namespace sitegen;
using namespace sitegen::testing;

namespace {

std::string iso(const std::optional<Date>& d) { return d ? d->iso() : "(none)"; }

}  // namespace

TEST_CASE("first page: each language's PDF gives its symbol, date, original, language and title") {
  TempDir dir;
  for (const UnDocument& doc : {working_paper(), final_report()}) {
    for (const UnVersion& v : doc.versions) {
      CAPTURE(doc.symbol);
      CAPTURE(v.lang);
      const auto file = dir.path() / (v.lang + ".pdf");
      write_file(file, un_pdf(v));
      const auto first = pdf_first_page_text(file);
      REQUIRE(first.has_value());
      const FirstPage page = read_first_page(*first);
      CHECK(page.symbol == doc.symbol);
      CHECK(iso(page.date) == doc.date);
      CHECK(page.date_above_meeting);
      CHECK(page.original == doc.original);
      const LanguageReading lang = version_language(page, "");
      CHECK(lang.lang == v.lang);
      CHECK(lang.doubt == "");
      CHECK(page.title == v.title);
      CHECK(page.title_doubt == "");
      CHECK(document_type_of(page.symbol, page.title) == doc.type);
      // The whole text as the index reads it gives the same, but for a
      // Chinese title after the venue, which its joined lines run together.
      std::string warning;
      const auto text = index::attachment_text(file, &warning);
      REQUIRE_MESSAGE(text.has_value(), warning);
      const FirstPage joined = read_first_page(*text);
      CHECK(joined.symbol == page.symbol);
      CHECK(joined.date == page.date);
      CHECK(joined.original == page.original);
      CHECK(version_language(joined, "").lang == v.lang);
      if (v.lang != "zh" || doc.type == "working-paper") CHECK(joined.title == page.title);
    }
  }
}

TEST_CASE("first page: Chinese lines joined into one are still read apart") {
  // attachment_text() joins lines between two Chinese characters (a word cut
  // at a line's end), so the masthead comes as one line.
  const FirstPage page = read_first_page(
      "APLC/MSP.22/2025/WP.3\nDistr.: "
      "General\n2025年10月8日中文原文：英文关于禁止使用、储存、生产和转让杀伤人员地雷及"
      "销毁此种地雷的公约缔约国第二十二届会议\n2025年12月1日至5日，日内瓦\n临时议程项目10\n"
      "关于合作与援助的结论和建议提交者：主席\n1. 安哥拉报告了进展。\f第二页");
  CHECK(page.symbol == "APLC/MSP.22/2025/WP.3");
  CHECK(iso(page.date) == "2025-10-08");
  CHECK(page.original == "en");
  CHECK(page.named_lang == "zh");
  CHECK(page.script == "zh");
  CHECK(page.title == "关于合作与援助的结论和建议");
  CHECK(page.title_doubt == "");
}

TEST_CASE("first page: distribution dates in every UN form") {
  const struct {
    const char* line;
    const char* iso;
    const char* lang;  // of the month's name
  } cases[] = {
      {"8 October 2025", "2025-10-08", "en"},
      {"1er octobre 2025", "2025-10-01", "fr"},
      {"8 octobre 2025", "2025-10-08", "fr"},
      {"8 de octubre de 2025", "2025-10-08", "es"},
      {"8 октября 2025 года", "2025-10-08", "ru"},
      {"8 октября 2025 г.", "2025-10-08", "ru"},
      {"8 تشرين الأول/أكتوبر 2025", "2025-10-08", "ar"},
      {"8 أكتوبر 2025", "2025-10-08", "ar"},
      {"٨ تشرين الأول/أكتوبر ٢٠٢٥", "2025-10-08", "ar"},
      {"3 حزيران/يونيه 2024", "2024-06-03", "ar"},
      {"2025年10月8日", "2025-10-08", ""},
      {"2025 年 10 月 8 日", "2025-10-08", ""},
      {"31 February 2025", "(none)", ""},           // no such day
      {"8 تشرين الأول/نوفمبر 2025", "(none)", ""},  // two months
      {"1-5 December 2025", "(none)", ""},          // a meeting's dates
      {"2025年12月1日至5日", "(none)", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    const FirstPage page =
        read_first_page("APLC/MSP.22/2025/1\n" + std::string(c.line) + "\nTitle of it\n");
    CHECK(iso(page.date) == c.iso);
    if (*c.lang) CHECK(page.date_langs == std::set<std::string>{c.lang});
  }
}

TEST_CASE("first page: \"Original:\" in each language's forms") {
  const struct {
    const char* line;
    const char* original;
    const char* written_in;
  } cases[] = {
      {"Original: English", "en", "en"},
      {"Original: SPANISH", "es", "en"},
      {"Original : anglais", "en", "fr"},
      {"Original\u202F: français", "fr", "fr"},
      {"Original: inglés", "en", "es"},
      {"Подлинный текст: английский", "en", "ru"},
      {"Язык оригинала: французский", "fr", "ru"},
      {"الأصل: بالإنكليزية", "en", "ar"},
      {"الأصل: الإنجليزية", "en", "ar"},
      {"الأصل: بالفرنسية", "fr", "ar"},
      {"原文：英文", "en", "zh"},
      {"原文: 英语", "en", "zh"},
      {"原文：西班牙文", "es", "zh"},
      {"Original: Englishman", "", ""},  // not a language's name
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    const FirstPage page = read_first_page("APLC/MSP.22/2025/1\n" + std::string(c.line) + "\n");
    CHECK(page.original == c.original);
    if (*c.written_in) CHECK(page.original_written_in == std::set<std::string>{c.written_in});
  }
}

TEST_CASE(
    "first page: the symbol is the first APLC/ token of the header, without the sentence's "
    "punctuation") {
  CHECK(read_first_page("APLC/CONF/2019/5/Add.1\n").symbol == "APLC/CONF/2019/5/Add.1");
  CHECK(read_first_page("APL/CONF/1997/27\n").symbol == "APL/CONF/1997/27");  // Oslo, 1997
  CHECK(read_first_page("XAPLC/MSP.1/1999/4\n").symbol == "");
  CHECK(read_first_page("Distr.: General APLC/MSP.1/1999/4.\n").symbol == "APLC/MSP.1/1999/4");
  CHECK(read_first_page("(APLC/MSP.21/2023/WP.10/Rev.1)\n").symbol ==
        "APLC/MSP.21/2023/WP.10/Rev.1");
  std::string far = "Title\n";
  for (int i = 0; i < 20; ++i) far += "A line of text\n";
  CHECK(read_first_page(far + "APLC/MSP.1/1999/4\n").symbol == "");      // not in the header
  CHECK(read_first_page("Page one\fAPLC/MSP.1/1999/4\n").symbol == "");  // not on the first page
}

TEST_CASE("first page: a Latin text's language from its evidence, and when it is a guess") {
  auto lang_of = [](const std::string& text, const char* file_lang = "") {
    return version_language(read_first_page(text), file_lang);
  };
  // The date's month, the "Original" line, the language line: each says.
  CHECK(lang_of("APLC/MSP.1/1999/4\n8 octobre 2025\n").lang == "fr");
  CHECK(lang_of("APLC/MSP.1/1999/4\nOriginal: inglés\n").lang == "es");
  CHECK(lang_of("APLC/MSP.1/1999/4\nEnglish\n").lang == "en");
  CHECK(lang_of("APLC/MSP.1/1999/4\n8 octobre 2025\n").doubt == "");
  // The file name agreeing changes nothing; contradicting makes a guess.
  CHECK(lang_of("APLC/MSP.1/1999/4\n8 octobre 2025\n", "fr").doubt == "");
  CHECK(lang_of("APLC/MSP.1/1999/4\n8 octobre 2025\n", "es").doubt ==
        "its text reads as fr but the file name says es");
  // The month says English, the "Original" line French: a conflict.
  const LanguageReading conflict =
      lang_of("APLC/MSP.1/1999/4\n8 October 2025\nOriginal : anglais\n");
  CHECK(conflict.lang == "en");
  CHECK(conflict.doubt == "its text reads as en but its \"Original\" line says fr");
  // Common words alone are weak evidence, unless the file name agrees.
  const std::string words =
      "Report\nThe States Parties and the Committee of the Convention met on the day.";
  CHECK(lang_of(words).lang == "en");
  CHECK(lang_of(words).doubt == "only its commonest words say en");
  CHECK(lang_of(words, "en").doubt == "");
  CHECK(lang_of("Rapport\nLes États et le Comité de la Convention sont réunis pour une séance.")
            .lang == "fr");
  CHECK(lang_of("Informe\nLos Estados y el Comité de la Convención para una sesión con los otros.")
            .lang == "es");
  // Nothing at all.
  CHECK(lang_of("12345\n").lang == "");
  CHECK(lang_of("12345\n", "ru").lang == "ru");
  CHECK(lang_of("12345\n", "ru").doubt == "only the file name says ru");
  // Cyrillic letters are Russian whatever the file name says, but it is then a guess.
  CHECK(lang_of("Доклад о работе\n", "en").lang == "ru");
  CHECK(lang_of("Доклад о работе\n", "en").doubt ==
        "its text reads as ru but the file name says en");
}

TEST_CASE("first page: the title, and when it is a guess") {
  SUBCASE("the line after the agenda item's name") {
    const FirstPage page = read_first_page(
        "APLC/MSP.22/2025/WP.3\n8 October 2025\nTwenty-second Meeting of the States Parties\n"
        "Item 10 of the provisional agenda\nReview of the operation and status of the Convention\n"
        "Conclusions on cooperation\nSubmitted by Norway\n1. Text.");
    CHECK(page.title == "Conclusions on cooperation");
    CHECK(page.title_doubt ==
          "took \"Review of the operation and status of the Convention\" for the agenda item's "
          "name, not the title");
  }
  SUBCASE("a title over two lines, and a date in the text after it") {
    const FirstPage page = read_first_page(
        "APLC/MSP.22/2025/1\n8 October 2025\nTwenty-second Meeting of the States Parties\n"
        "Geneva, 1-5 December 2025\nConclusions and recommendations on cooperation\n"
        "and assistance in mine action\nSubmitted by Norway\nThe Committee met on 9 October "
        "2025.\n1. Text.");
    CHECK(page.title ==
          "Conclusions and recommendations on cooperation and assistance in mine action");
    CHECK(page.title_doubt == "");
    CHECK(iso(page.date) == "2025-10-08");
  }
  SUBCASE("a title that names the meeting is not the meeting's line") {
    const FirstPage page = read_first_page(
        "APLC/MSP.22/2025/5\n5 December 2025\nTwenty-second Meeting of the States Parties\n"
        "Geneva, 1-5 December 2025\nFinal report of the Twenty-second Meeting of the States "
        "Parties\n1. Text.");
    CHECK(page.title == "Final report of the Twenty-second Meeting of the States Parties");
    CHECK(page.title_doubt == "");
    CHECK(document_type_of(page.symbol, page.title) == "final-report");
  }
  SUBCASE("the meeting's line with a numeral, in each language") {
    for (const char* meeting :
         {"22e Assemblée des États parties", "22.ª Reunión de los Estados Partes",
          "22-е Совещание государств-участников",
          "5-я Конференция по рассмотрению действия Конвенции", "الاجتماع 22 للدول الأطراف",
          "الاجتماعات بين الدورات لعام 2019", "Intersessional Meetings 2019",
          "2019年闭会期间会议"}) {
      CAPTURE(meeting);
      const FirstPage page =
          read_first_page("APLC/MSP.22/2025/5\n" + std::string(meeting) + "\nThe title\n1. Text.",
                          {"2019年闭会期间会议"});
      CHECK(page.title == "The title");
    }
  }
  SUBCASE("a meeting the patterns do not know, by the site's names") {
    const std::string text = "APLC/CONF/1997/5\nOslo Diplomatic Conference\nFinal report\n1. Text.";
    CHECK(read_first_page(text).title == "Oslo Diplomatic Conference Final report");
    CHECK(read_first_page(text, {"Oslo diplomatic conference"}).title == "Final report");
  }
  SUBCASE("a Chinese title that names the meeting, over two lines") {
    const FirstPage page = read_first_page(
        "APLC/MSP.22/2025/5\n2025年12月5日\n中文\n原文：英文\n缔约国第二十二届会议\n"
        "2025年12月1日至5日，日内瓦\n最后报告：缔约国第二十二届会议关于第5条的\n决定和建议\n1. "
        "案文。");
    CHECK(page.title == "最后报告：缔约国第二十二届会议关于第5条的决定和建议");
    const FirstPage end = read_first_page(
        "APLC/MSP.22/2025/"
        "5\n2025年12月5日\n缔约国第二十二届会议\n最后报告：缔约国第二十二届会议\n1. 案文。");
    CHECK(end.title == "最后报告：缔约国第二十二届会议");
  }
  SUBCASE("another symbol and a day in the title are the title's") {
    const FirstPage page = read_first_page(
        "APLC/MSP.22/2025/WP.9\n9 October 2025\nTwenty-second Meeting of the States Parties\n"
        "Geneva, 1-5 December 2025\nComments on APLC/MSP.22/2025/WP.3 of 8 October 2025\n1. Text.");
    CHECK(page.symbol == "APLC/MSP.22/2025/WP.9");
    CHECK(iso(page.date) == "2025-10-09");
    CHECK(page.title == "Comments on APLC/MSP.22/2025/WP.3 of 8 October 2025");
    CHECK(page.title_doubt == "");
  }
  SUBCASE("an Arabic title with digits and a colon, as poppler gives it") {
    // Poppler puts the neutral characters beside a left-to-right run
    // inside it: the PDF's text is mended before it is read.
    TempDir dir;
    for (const std::string title :
         {"التقرير الختامي: الاجتماع 10 للدول الأطراف", "تقرير المادة 7: أفغانستان (2015)"}) {
      CAPTURE(title);
      write_file(dir.path() / "ar.pdf",
                 make_unicode_pdf({"APLC/MSP.10/2010/2\n8 تشرين الأول/أكتوبر 2010\n"
                                   "الاجتماع 10 للدول الأطراف\n" +
                                   title + "\n1. نص."},
                                  true));
      const FirstPage page = read_first_page(*pdf_first_page_text(dir.path() / "ar.pdf"));
      CHECK(page.title == title);
      CHECK(iso(page.date) == "2010-10-08");
    }
  }
  SUBCASE("no header") {
    const FirstPage page = read_first_page("Some notes\nabout mines\n");
    CHECK(page.title == "Some notes about mines");
    CHECK(page.title_doubt ==
          "no UN header found on the first page; the title is its first line(s)");
  }
  SUBCASE("no title") {
    const FirstPage page = read_first_page("APLC/MSP.22/2025/5\n5 December 2025\n1. Text.");
    CHECK(page.title == "");
    CHECK(page.title_doubt == "no title found after the header of the first page");
  }
  SUBCASE("a long run of lines is cut") {
    const FirstPage page =
        read_first_page("APLC/MSP.22/2025/5\n5 December 2025\nOne\nTwo\nThree\nFour\nFive\n");
    CHECK(page.title == "One Two Three");
    CHECK(page.title_doubt == "the title was cut after 3 lines");
  }
}

TEST_CASE("first page: the type from the symbol and the title's words in each language") {
  const struct {
    const char* symbol;
    const char* title;
    const char* type;
  } cases[] = {
      {"APLC/MSP.22/2025/WP.3", "Anything", "working-paper"},
      {"APLC/MSP.22/2025/WP.3", "Report on the status of the Convention", "working-paper"},
      {"APLC/MSP.12/2012/WP.1", "Request for an extension of the deadline under Article 5: Mauritania",
       "extension-request"},
      {"APLC/MSP.12/2012/WP.1", "طلب تمديد الموعد النهائي", "extension-request"},
      {"APLC/MSP.22/2025/1", "Provisional agenda", "agenda"},
      {"APLC/MSP.22/2025/1", "Ordre du jour provisoire", "agenda"},
      {"APLC/MSP.22/2025/1", "Programa provisional", "agenda"},
      {"APLC/MSP.22/2025/1", "Предварительная повестка дня", "agenda"},
      {"APLC/MSP.22/2025/1", "جدول الأعمال المؤقت", "agenda"},
      {"APLC/MSP.22/2025/1", "临时议程", "agenda"},
      {"APLC/MSP.22/2025/2", "Provisional programme of work", "programme"},
      {"APLC/MSP.22/2025/2", "Programa de trabajo provisional", "programme"},
      {"APLC/MSP.22/2025/2", "临时工作方案", "programme"},
      {"APLC/MSP.22/2025/5", "Rapport final", "final-report"},
      {"APLC/MSP.22/2025/5", "Informe final", "final-report"},
      {"APLC/MSP.22/2025/4", "Report on the status of the Convention", "report"},
      {"APLC/MSP.22/2025/4", "Доклад о состоянии Конвенции", "report"},
      {"APLC/MSP.22/2025/ER.1", "Request for an extension of the deadline", "extension-request"},
      {"APLC/MSP.22/2025/ER.1", "Solicitud de prórroga", "extension-request"},
      {"APLC/MSP.22/2025/6", "Article 7 report of Angola", "article7-report"},
      {"APLC/MSP.22/2025/6", "第7条报告", "article7-report"},
      {"APLC/MSP.22/2025/7", "Decision on the dates of the meeting", "decision"},
      {"APLC/MSP.22/2025/8", "Statement by the President", "statement"},
      {"APLC/MSP.22/2025/8", "Déclaration du Président", "statement"},
      {"APLC/MSP.22/2025/9", "Documento de trabajo", "working-paper"},
      {"APLC/MSP.22/2025/9", "Conclusions and recommendations", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.title);
    CHECK(document_type_of(c.symbol, c.title) == c.type);
  }
}
