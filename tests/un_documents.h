// UN documents for the import tests: the first pages of two documents in
// the six languages, laid out as the UN prints them (symbol, distribution
// date, language, "Original:", the Convention's name, the meeting, its
// venue and dates, the agenda item, the title, the body), made into PDFs
// by make_unicode_pdf (the Arabic drawn right to left).
#pragma once

#include <string>
#include <vector>

#include "tests/attachment_fixtures.h"

namespace sitegen::testing {

struct UnVersion {
  std::string lang;
  std::string title;  // as the first page prints it
  std::string page1, page2;
};

struct UnDocument {
  std::string symbol, date, type, original;
  std::vector<UnVersion> versions;  // ar, en, es, fr, ru, zh
};

// APLC/MSP.22/2025/WP.3: a working paper of the Twenty-second Meeting,
// with an agenda item; its first pages name Angola, its second Cambodia.
inline UnDocument working_paper() {
  UnDocument d{"APLC/MSP.22/2025/WP.3", "2025-10-08", "working-paper", "en", {}};
  d.versions = {
      {"ar", "استنتاجات وتوصيات بشأن التعاون والمساعدة",
       "APLC/MSP.22/2025/WP.3\nDistr.: General\n8 تشرين الأول/أكتوبر 2025\nالعربية\nالأصل: "
       "بالإنكليزية\n"
       "اتفاقية حظر استعمال وتخزين وإنتاج ونقل الألغام المضادة للأفراد\nوتدمير تلك الألغام\n"
       "الاجتماع الثاني والعشرون للدول الأطراف\nجنيف، 1-5 كانون الأول/ديسمبر 2025\n"
       "البند 10 من جدول الأعمال المؤقت\nاستنتاجات وتوصيات بشأن التعاون والمساعدة\nمقدمة من "
       "الرئيس\n"
       "1. أبلغت أنغولا عن التقدم المحرز في إزالة الألغام.",
       "تحدثت كمبوديا عن المساعدة."},
      {"en", "Conclusions and recommendations on cooperation and assistance",
       "APLC/MSP.22/2025/WP.3\nDistr.: General\n8 October 2025\nOriginal: English\n"
       "Convention on the Prohibition of the Use, Stockpiling,\nProduction and Transfer of "
       "Anti-Personnel Mines\n"
       "and on their Destruction\nTwenty-second Meeting of the States Parties\nGeneva, 1-5 "
       "December 2025\n"
       "Item 10 of the provisional agenda\nConclusions and recommendations on cooperation and "
       "assistance\n"
       "Submitted by the President\n1. Angola reported progress in the clearance of mined areas.",
       "Cambodia spoke of assistance and of the cooperation it received."},
      {"es", "Conclusiones y recomendaciones sobre cooperación y asistencia",
       "APLC/MSP.22/2025/WP.3\nDistr. general\n8 de octubre de 2025\nEspañol\nOriginal: inglés\n"
       "Convención sobre la prohibición del empleo, almacenamiento,\n"
       "producción y transferencia de minas antipersonal y sobre su destrucción\n"
       "Vigésima Segunda Reunión de los Estados Partes\nGinebra, 1 a 5 de diciembre de 2025\n"
       "Tema 10 del programa provisional\nConclusiones y recomendaciones sobre cooperación y "
       "asistencia\n"
       "Presentado por el Presidente\n1. Angola informó de los progresos en la limpieza de las "
       "zonas minadas.",
       "Camboya habló de la asistencia y de la cooperación que recibió."},
      {"fr", "Conclusions et recommandations sur la coopération et l'assistance",
       "APLC/MSP.22/2025/WP.3\nDistr. générale\n8 octobre 2025\nFrançais\nOriginal : anglais\n"
       "Convention sur l'interdiction de l'emploi, du stockage,\n"
       "de la production et du transfert des mines antipersonnel\net sur leur destruction\n"
       "Vingt-deuxième Assemblée des États parties\nGenève, 1er-5 décembre 2025\n"
       "Point 10 de l'ordre du jour provisoire\nConclusions et recommandations sur la coopération "
       "et l'assistance\n"
       "Présenté par le Président\n1. L'Angola a fait état des progrès du déminage des zones "
       "minées.",
       "Le Cambodge a parlé de l'assistance et de la coopération qu'il a reçues."},
      {"ru", "Выводы и рекомендации по сотрудничеству и содействию",
       "APLC/MSP.22/2025/WP.3\nDistr.: General\n8 октября 2025 года\nРусский\nПодлинный текст: "
       "английский\n"
       "Конвенция о запрещении применения, накопления запасов, производства\n"
       "и передачи противопехотных мин и об их уничтожении\n"
       "Двадцать второе совещание государств-участников\nЖенева, 1–5 декабря 2025 года\n"
       "Пункт 10 предварительной повестки дня\nВыводы и рекомендации по сотрудничеству и "
       "содействию\n"
       "Представлено Председателем\n1. Ангола сообщила о ходе разминирования заминированных "
       "районов.",
       "Камбоджа рассказала о помощи и о сотрудничестве."},
      {"zh", "关于合作与援助的结论和建议",
       "APLC/MSP.22/2025/WP.3\nDistr.: General\n2025年10月8日\n中文\n原文：英文\n"
       "关于禁止使用、储存、生产和转让杀伤人员地雷及销毁此种地雷的公约\n缔约国第二十二届会议\n"
       "2025年12月1日至5日，日内瓦\n临时议程项目10\n关于合作与援助的结论和建议\n提交者：主席\n"
       "1. 安哥拉报告了雷区清理工作的进展。",
       "柬埔寨谈到了援助与合作。"},
  };
  return d;
}

// APLC/CONF/2024/5: the final report of the Fifth Review Conference, with
// no agenda item; English names itself, the Arabic date is in
// Arabic-Indic digits, the Russian one ends "г."; its first pages name
// Mozambique, its second Colombia.
inline UnDocument final_report() {
  UnDocument d{"APLC/CONF/2024/5", "2024-11-29", "final-report", "en", {}};
  d.versions = {
      {"ar", "التقرير الختامي للمؤتمر الاستعراضي الخامس",
       "APLC/CONF/2024/5\nDistr.: General\n٢٩ تشرين الثاني/نوفمبر ٢٠٢٤\nالعربية\nالأصل: "
       "بالإنكليزية\n"
       "المؤتمر الاستعراضي الخامس\nسييم ريب، 25-29 تشرين الثاني/نوفمبر 2024\n"
       "التقرير الختامي للمؤتمر الاستعراضي الخامس\n1. افتتحت موزامبيق المؤتمر.",
       "تحدثت كولومبيا."},
      {"en", "Final report of the Fifth Review Conference",
       "APLC/CONF/2024/5\nDistr.: General\n29 November 2024\nEnglish\nOriginal: English\n"
       "Fifth Review Conference\nSiem Reap, 25-29 November 2024\nFinal report of the Fifth Review "
       "Conference\n"
       "1. Mozambique opened the Conference.",
       "Colombia spoke."},
      {"es", "Informe final de la Quinta Conferencia de Examen",
       "APLC/CONF/2024/5\nDistr. general\n29 de noviembre de 2024\nEspañol\nOriginal: inglés\n"
       "Quinta Conferencia de Examen\nSiem Reap, 25 a 29 de noviembre de 2024\n"
       "Informe final de la Quinta Conferencia de Examen\n1. Mozambique abrió la Conferencia.",
       "Colombia hizo uso de la palabra."},
      {"fr", "Rapport final de la cinquième Conférence d'examen",
       "APLC/CONF/2024/5\nDistr. générale\n29 novembre 2024\nFrançais\nOriginal : anglais\n"
       "Cinquième Conférence d'examen\nSiem Reap, 25-29 novembre 2024\n"
       "Rapport final de la cinquième Conférence d'examen\n1. Le Mozambique a ouvert la "
       "Conférence.",
       "La Colombie a pris la parole."},
      {"ru", "Заключительный доклад пятой обзорной конференции",
       "APLC/CONF/2024/5\nDistr.: General\n29 ноября 2024 г.\nРусский\nПодлинный текст: "
       "английский\n"
       "Пятая обзорная конференция\nСиемреап, 25–29 ноября 2024 года\n"
       "Заключительный доклад пятой обзорной конференции\n1. Мозамбик открыл Конференцию.",
       "Колумбия выступила."},
      {"zh", "第五次审议会议最后报告",
       "APLC/CONF/2024/5\nDistr.: General\n2024年11月29日\n中文\n原文：英文\n第五次审议会议\n"
       "2024年11月25日至29日，暹粒\n第五次审议会议最后报告\n1. 莫桑比克宣布会议开幕。",
       "哥伦比亚发了言。"},
  };
  return d;
}

inline std::string un_pdf(const UnVersion& v) {
  return make_unicode_pdf({v.page1, v.page2}, v.lang == "ar");
}

}  // namespace sitegen::testing
