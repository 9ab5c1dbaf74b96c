#include "site-gen/status.h"

namespace sitegen {
namespace {

bool has_dates(const Country& c) {
  return c.signed_on || c.deposited || c.entry_into_force || c.withdrawal_notice ||
         c.withdrawal_effective;
}

}  // namespace

std::optional<Status> status_from_dates(const Country& c, const Date& day) {
  if (!has_dates(c)) return std::nullopt;
  if (c.withdrawal_effective && day >= *c.withdrawal_effective) return Status::withdrawn;
  if (c.entry_into_force && day >= *c.entry_into_force) return Status::state_party;
  // Some files carry a deposit without an entry-into-force date; the deposit
  // is then the best day we have for joining.
  if (!c.entry_into_force && c.deposited && day >= *c.deposited) return Status::state_party;
  // A withdrawal proves the State was a party even when its joining dates
  // are not recorded (the bundled content knows only the withdrawal).
  if (!c.entry_into_force && !c.deposited && (c.withdrawal_notice || c.withdrawal_effective))
    return Status::state_party;
  if (c.signed_on && day >= *c.signed_on) return Status::signatory;
  return Status::not_party;
}

StatusOnDay status_on(const Country& c, const Date& day) {
  StatusOnDay out;
  if (auto s = status_from_dates(c, day)) {
    out.status = *s;
  } else {
    out.status = c.declared_status.value_or(Status::not_party);
  }
  out.in_force_pending = c.deposited && c.entry_into_force && day >= *c.deposited &&
                         day < *c.entry_into_force;
  return out;
}

std::string_view status_id(Status s) {
  switch (s) {
    case Status::state_party: return "state-party";
    case Status::signatory: return "signatory";
    case Status::not_party: return "not-party";
    case Status::withdrawn: return "withdrawn";
  }
  return "not-party";
}

std::optional<Status> parse_status(std::string_view id) {
  for (Status s : {Status::state_party, Status::signatory, Status::not_party, Status::withdrawn})
    if (status_id(s) == id) return s;
  return std::nullopt;
}

}  // namespace sitegen
