#include "site-gen/new_site.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <vector>

namespace sitegen {
namespace fs = std::filesystem;
namespace {

// The texts are the Convention's, as the bundled site's: a new author
// replaces them, and their shape shows how each file is written. The one
// document is marked as an example, since its text is not the official one.
const char* kSiteYaml = R"(# The site's settings. Each language's title; the first language listed
# is the default, used where a page has no version in another language.
title:
  en: "Anti-Personnel Mine Ban Convention"
  fr: "Convention sur l'interdiction des mines antipersonnel"
  es: "Convención sobre la prohibición de las minas antipersonal"
  ar: "اتفاقية حظر الألغام المضادة للأفراد"
  ru: "Конвенция о запрещении противопехотных мин"
  zh: "禁止杀伤人员地雷公约"
base_url: https://www.example.org/   # the address the site is published at
languages: [en, fr, es, ar, ru, zh]
theme: default
)";

const char* kCanada =
    R"(# One State: the file's name (canada) is its address, /en/membership/canada/.
# Its names in the six languages come from the Unicode CLDR unless given
# under names:. Its status (State Party) follows from the dates.
iso: CA
signed: 1997-12-03
ratified: 1997-12-03
entry_into_force: 1999-03-01
)";

const char* kMeeting =
    R"(# One meeting: the folder's name (msp1) is its address, /en/meetings/msp1/.
kind: msp
number: 1
title:
  en: "First Meeting of the States Parties"
  fr: "Première Assemblée des États parties"
  es: "Primera Reunión de los Estados Partes"
  ar: "الاجتماع الأول للدول الأطراف"
  ru: "Первое совещание государств-участников"
  zh: "缔约国第一届会议"
start: 1999-05-03
end: 1999-05-07
venue:
  en: "Maputo"
  fr: "Maputo"
  es: "Maputo"
  ar: "مابوتو"
  ru: "Мапуту"
  zh: "马普托"
)";

const char* kReportEn = R"(---
symbol: APLC/MSP.1/1999/4
title: "Final Report of the First Meeting of the States Parties"
date: 1999-05-07
type: final-report
original: en
topics: [victim-assistance]
---

*Example text: the official document is the one issued under its symbol.*

The First Meeting of the States Parties to the Convention on the Prohibition
of the Use, Stockpiling, Production and Transfer of Anti-Personnel Mines and
on their Destruction was held in Maputo from 3 to 7 May 1999, two months after
the Convention entered into force. Canada, the first State to ratify the
Convention, was among the States Parties taking part.

The meeting adopted the Maputo Declaration and set up the intersessional work
programme, including a Standing Committee on victim assistance, socio-economic
reintegration and mine awareness.
)";

const char* kReportFr = R"(---
symbol: APLC/MSP.1/1999/4
title: "Rapport final de la première Assemblée des États parties"
date: 1999-05-07
type: final-report
original: en
topics: [victim-assistance]
---

*Texte d'exemple : le document officiel est celui publié sous sa cote.*

La première Assemblée des États parties à la Convention sur l'interdiction de
l'emploi, du stockage, de la production et du transfert des mines
antipersonnel et sur leur destruction s'est tenue à Maputo du 3 au 7 mai 1999,
deux mois après l'entrée en vigueur de la Convention. Le Canada, premier État
à avoir ratifié la Convention, comptait parmi les États parties présents.

L'Assemblée a adopté la Déclaration de Maputo et établi le programme de
travail intersessions, dont un Comité permanent sur l'assistance aux victimes.
)";

const char* kTopics = R"(# The topics documents are tagged with: a document names its topics, and
# every document whose text holds one of a topic's keywords gets it too.
victim-assistance:
  names:
    en: "Victim assistance"
    fr: "Assistance aux victimes"
    es: "Asistencia a las víctimas"
    ar: "مساعدة الضحايا"
    ru: "Помощь жертвам"
    zh: "受害者援助"
  keywords:
    en: ["victim assistance", "assistance to victims", "mine survivors"]
    fr: ["assistance aux victimes", "victimes des mines"]
    es: ["asistencia a las víctimas", "víctimas de las minas"]
    ar: ["مساعدة الضحايا", "ضحايا الألغام"]
    ru: ["помощь жертвам", "помощи жертвам"]
    zh: ["受害者援助", "地雷受害者"]
)";

const char* kHomeEn = R"(---
title: Anti-Personnel Mine Ban Convention
---

Welcome to the website of the Anti-Personnel Mine Ban Convention: the
[membership of the Convention](/en/membership/), with a page for each State,
and the [Meetings of the States Parties](/en/meetings/) with their documents,
in the six official languages of the United Nations.
)";

bool write_text(const fs::path& path, const std::string& text, std::string* error) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (ec || !out) {
    *error = path.string() + ": " + (ec ? ec.message() : std::strerror(errno));
    return false;
  }
  return true;
}

// `dir` may become the new site: missing, or an empty folder.
bool may_become_site(const fs::path& dir, std::string* error) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(dir, ec);
  if (status.type() == fs::file_type::not_found) return true;
  if (ec) {
    *error = dir.string() + ": " + ec.message();
    return false;
  }
  if (status.type() != fs::file_type::directory) {
    *error = dir.string() + ": exists and is not a folder; nothing was written";
    return false;
  }
  if (!fs::is_empty(dir, ec) || ec) {
    *error = dir.string() + ": " + (ec ? ec.message() : "not empty") +
             "; a new site is written into a new or empty folder, nothing was written";
    return false;
  }
  return true;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& new_site_files() {
  static const std::vector<std::pair<std::string, std::string>> files = {
      {"site.yaml", kSiteYaml},
      {"content/_index.en.md", kHomeEn},
      {"content/countries/canada.yaml", kCanada},
      {"content/meetings/msp1/meeting.yaml", kMeeting},
      {"content/meetings/msp1/final-report.en.md", kReportEn},
      {"content/meetings/msp1/final-report.fr.md", kReportFr},
      {"content/topics.yaml", kTopics},
  };
  return files;
}

// A folder that exists (empty) is kept, with its owner and permissions (an
// administrator may have made it for the author, in a parent the author
// cannot write): the site is staged inside it, then its top-level entries
// are renamed out of the staging folder. A new folder is staged beside, in
// the parent it is made in, and renamed whole.
bool write_new_site(const fs::path& dir, std::string* error) {
  if (dir.empty()) {
    *error = "new: the folder's name is empty";
    return false;
  }
  if (!may_become_site(dir, error)) return false;
  fs::path target = fs::absolute(dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();  // "mysite/"
  std::error_code ec;
  const bool exists = fs::is_directory(target, ec);  // and empty: may_become_site
  const fs::path parent = target.parent_path();
  if (!exists) fs::create_directories(parent, ec);
  if (ec) {
    *error = parent.string() + ": " + ec.message() + "; nothing was written";
    return false;
  }
  const std::string stage = ".site-gen-new-" + std::to_string(getpid());
  const fs::path staging =
      exists ? target / stage : parent / ("." + target.filename().string() + stage);
  fs::remove_all(staging, ec);
  bool ok = true;
  std::set<std::string> top;  // site.yaml, content
  for (const auto& [rel, text] : new_site_files()) {
    top.insert(fs::path(rel).begin()->string());
    if (!(ok = write_text(staging / rel, text, error))) break;
  }
  std::vector<fs::path> moved;
  for (auto it = top.begin(); ok && exists && it != top.end(); ++it) {
    // rename() fails, rather than replaces, where the author put a folder meanwhile.
    if (std::rename((staging / *it).c_str(), (target / *it).c_str()) != 0) {
      *error = (target / *it).string() + ": " + std::strerror(errno);
      ok = false;
    } else {
      moved.push_back(target / *it);
    }
  }
  // rename() replaces an empty folder made meanwhile, and fails on a full one.
  if (ok && !exists && std::rename(staging.c_str(), target.c_str()) != 0) {
    *error = target.string() + ": " + std::strerror(errno);
    ok = false;
  }
  if (!ok)
    for (const fs::path& p : moved) fs::remove_all(p, ec);
  if (exists || !ok) fs::remove_all(staging, ec);
  if (!ok) *error += "; nothing was written";
  return ok;
}

}  // namespace sitegen
