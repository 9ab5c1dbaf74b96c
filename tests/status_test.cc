#include "site-gen/status.h"

#include <doctest/doctest.h>

using namespace sitegen;

namespace {

Date d(const char* iso) { return *parse_iso_date(iso); }

}  // namespace

TEST_CASE("status: derived from the dates on a given day") {
  Country marshall;  // signed 1997, ratified 2025-03-12, in force 2025-09-01
  marshall.signed_on = d("1997-12-04");
  marshall.accession = Accession::ratified;
  marshall.deposited = d("2025-03-12");
  marshall.entry_into_force = d("2025-09-01");
  Country estonia;  // only the withdrawal is known
  estonia.withdrawal_notice = d("2025-06-27");
  estonia.withdrawal_effective = d("2025-12-27");
  Country none;
  Country declared;
  declared.declared_status = Status::state_party;

  struct Case {
    const char* name;
    const Country* country;
    const char* day;
    Status status;
    bool pending;
  } cases[] = {
      {"before signature", &marshall, "1997-01-01", Status::not_party, false},
      {"signed", &marshall, "2000-01-01", Status::signatory, false},
      {"ratified, not yet in force", &marshall, "2025-06-01", Status::signatory, true},
      {"in force on the day", &marshall, "2025-09-01", Status::state_party, false},
      {"withdrawal notified", &estonia, "2025-07-01", Status::state_party, false},
      {"withdrawal effective", &estonia, "2025-12-27", Status::withdrawn, false},
      {"no dates, no status", &none, "2025-01-01", Status::not_party, false},
      {"no dates, declared", &declared, "2025-01-01", Status::state_party, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    StatusOnDay s = status_on(*c.country, d(c.day));
    CHECK(s.status == c.status);
    CHECK(s.in_force_pending == c.pending);
  }
}

TEST_CASE("status: ids round-trip") {
  for (Status s : {Status::state_party, Status::signatory, Status::not_party, Status::withdrawn})
    CHECK(parse_status(status_id(s)) == s);
  CHECK_FALSE(parse_status("party").has_value());
}
