// case_parties.h: who holds a role on a case: the employee, supervisor and
// HRBP named on it, or everyone in the organisation with an org role
// (hr, chairman, admin). Reads the store; changes nothing.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/store.h"
#include "engine/workflow.h"

namespace af::engine {

// (employee id, notification id suffix) of each holder of `r`: the suffix
// is "-ID" for org roles, which many hold, and "" for the case's parties.
// Raters and the system are never addressed (none: customers have no address).
std::vector<std::pair<std::string, std::string>> holders_on_case(store& db, const case_row& c,
                                                                 role r);
// "supervisor:S2001" for each holder of each of the deadline's owner roles.
std::vector<std::string> deadline_owner_ids(store& db, const case_row& c, const deadline_def& d);

}  // namespace af::engine
