// access.h: who may send which request and see which case (DESIGN.md
// "Identity and access", its table). Pure decisions: the caller looks up
// the principal and, for a person, the org roles of its employee.
//
// Deny by default: a command this file does not name is refused, and a
// service principal acts for nobody unless it is `portal` or `admin`.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "engine/principals.h"
#include "engine/store.h"
#include "engine/workflow.h"

namespace af::engine {

// The caller of one request, as access decisions see it.
struct viewer {
  const principal* who = nullptr;
  std::set<role> org_roles;  // a person's employee's hr, chairman, admin
  bool is_hrbp = false;      // a person some employee has as HRBP

  // May read every case: hr, chairman, admin persons; observer, portal, admin services.
  [[nodiscard]] bool sees_all() const;
  // The admin role or the admin capability.
  [[nodiscard]] bool is_admin() const;
  // The hr or admin role, or the admin capability.
  [[nodiscard]] bool manages_org() const;
  [[nodiscard]] bool person() const { return who && who->person; }
  // A person's employee id; empty for a service.
  [[nodiscard]] const std::string& employee_id() const;
};

// What a request needs of its caller, by command.
enum class gate {
  anyone,       // stats, schedule, standards
  reader,       // cases, cycles, case.show, sales, rollup: answered with what the caller may see
  actor,        // actions on cases: a person for itself, a portal or admin for someone
  reporter,     // report, overdue: sees_all, or an HRBP for their employees
  org_manager,  // org.import, cycle.start, standards.adjust: hr or admin role, admin capability
  admin,        // principals.*, audit, tasks.retry
  operations,   // tasks: the admin role or capability, or an observer principal
  every_case,   // case_events.since: principals that may read every case (as the events endpoint)
};
// The gate of `cmd`; nullopt for a command that does not exist.
std::optional<gate> gate_of(std::string_view cmd);

// Forbidden, with a one-line reason naming the principal, unless `v` may
// send requests behind `g`. An actor still needs resolve_as and the
// workflow's authorize per case; a reader still sees only what view_of allows.
status pass_gate(const viewer& v, gate g, std::string_view cmd);

// The `as` an action is taken with. A person gives ROLE or ROLE:ID with ID
// its own employee id (ROLE alone means its own); a portal or admin
// service names anyone as ROLE:ID; other services act for nobody.
// Invalid when `as` is missing; Forbidden naming who may not act as whom.
result<std::string> resolve_as(const viewer& v, const std::optional<std::string>& as);

// How much of a case `v` may see. A further rater of a key account review
// sees the case only while it waits for raters, and then without anyone's
// ratings, total or tier (`rating`).
enum class case_view { hidden, rating, full };
// `rates_now`: v's employee is a rater of the case and may rate in its state.
case_view view_of(const viewer& v, const case_row& c, bool rates_now);

// Whether `v` may see the sales and roll-ups of employee `e`: their own, a
// supervisor's reports, an HRBP's employees, and everyone for sees_all.
bool may_see_employee(const viewer& v, const employee_row& e);

}  // namespace af::engine
