// Status of a State under the Convention on a given day, derived from the
// dates in its file (SITE-FORMAT §1). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "site-gen/model.h"

namespace sitegen {

struct StatusOnDay {
  Status status = Status::not_party;
  // Joined (instrument deposited) but the Convention enters into force for
  // it after the day: shown as joined, "in force from" that date.
  bool in_force_pending = false;
};

// The status that the dates alone give; a State with no dates at all takes
// its declared status (or not-party).
StatusOnDay status_on(const Country& c, const Date& day);

// The status as the dates give it, or nullopt when the file has no dates to
// judge by (then a declared status stands on its own).
std::optional<Status> status_from_dates(const Country& c, const Date& day);

std::string_view status_id(Status s);  // "state-party", "signatory", ...
std::optional<Status> parse_status(std::string_view id);

}  // namespace sitegen
