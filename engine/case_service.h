// case_service.h: what people and workers do to assessment cases: open a
// cycle, act on a case (submit, approve, return, adjust, cancel), apply a
// scoring result, and show a case. It consults the pure state machine and
// persists what it decides: the case row, its history line and its outbox
// entries, all inside the caller's transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "engine/access.h"
#include "engine/outbox.h"
#include "engine/store.h"
#include "engine/workflow.h"
#include "messages/json_text.h"
#include "messages/types.h"
#include "workers/domain/commission_plan.h"
#include "workers/domain/rubric.h"
#include "workers/domain/schedule.h"

namespace af::engine {

using json = msg::json;
using program_registry = std::map<std::string, workflow>;

// "supervisor:S2001" split and checked.
struct actor {
  role claimed = role::admin;
  std::string id;
  [[nodiscard]] std::string to_string() const { return std::string(role_name(claimed)) + ":" + id; }
};
result<actor> parse_actor(const std::string& as);
// "hr;admin" -> {hr, admin}
std::set<role> org_roles_of(const std::string& roles);

class case_service {
 public:
  case_service(store& db, const program_registry& programs, int tz_offset_minutes,
               commission::plan plan = {})
      : db_(db), programs_(programs), tz_(tz_offset_minutes), plan_(std::move(plan)) {}
  void set_plan(commission::plan plan) { plan_ = std::move(plan); }
  // The programs' schedules, for the run window (and so the due date) of
  // cycles opened by hand.
  void set_schedules(std::vector<schedule::definition> defs) { schedules_ = std::move(defs); }
  // The programs' rubrics (schemas/rubrics/): what a review must hold.
  void set_rubrics(rubric::rubric_set rubrics) { rubrics_ = std::move(rubrics); }

  // Opens one case per active employee of the scope who has a supervisor,
  // except holders of hr/chairman/admin; idempotent per (program, period,
  // employee). The cycle is due at the end of `due` (a company-zone date),
  // by default its run window's last day (schedule::cycle_due_date).
  // Reply: {cycle, opened, due}.
  // `by` is kept as the cycle's opener, `by_principal` in each case's first history line.
  result<json> open_cycle(const std::string& program, const std::string& period,
                          const std::optional<std::string>& unit, const std::string& by,
                          std::int64_t now, outbox& out,
                          std::optional<civil_date> due = std::nullopt,
                          const std::string& by_principal = "engine");

  // One action on one case by `as` (already resolved against the
  // principal: engine/access.h), sent by `principal`, who is kept in the
  // history line. `request` carries ratings, exams, comment, tier, reason
  // as the admin API names them. Reply: the case.
  result<json> act(std::int64_t case_id, action act, const std::string& as,
                   const std::string& principal, const json& request, std::int64_t now,
                   outbox& out);

  // A worker's scoring result for a case in `scoring`, from `principal`.
  status apply_scoring(const msg::scoring_result& r, std::int64_t now, outbox& out,
                       const std::string& principal = "engine");
  // A worker's target-check result; `input` is the task it answers.
  status apply_targets(const msg::targets_result& r, const msg::targets_task& input,
                       std::int64_t now, outbox& out, const std::string& principal = "engine");

  // The case as `view` allows (engine/access.h): `rating` leaves out every
  // rating, comment, score, tier and history line.
  result<json> show(std::int64_t case_id, case_view view = case_view::full);
  // Whether `employee_id` is a further rater of the case and may rate it now.
  bool rates_now(const case_row& c, const std::string& employee_id);

  // Deadlines (engine/case_deadlines.cpp), called by engine/timers.h when
  // a case's timer is due. Each is one step in the caller's transaction.
  // The owners of the state are reminded of the deadline.
  status remind(const case_timer& t, std::int64_t now, outbox& out);
  // The deadline passed: the state's expire transition, or an escalation
  // (the case is marked overdue and escalate_to are told).
  status deadline_passed(const case_timer& t, std::int64_t now, outbox& out);
  // A cycle's run window ended: HR is told what is still open. Returns a
  // log line.
  std::string check_cycle_end(const cycle_row& cycle, std::int64_t now, outbox& out);
  // The competency model's standard table (engine/case_reviews.cpp):
  // the required level of each item for the case's employee, the table
  // with its history, and one adjustment per business year.
  std::map<std::string, int> required_levels(const case_row& c);
  // `named`, or else the one program whose rubric has a standard table
  // (InvalidArgument when none or several do).
  result<std::string> standards_program(const std::optional<std::string>& named) const;
  result<json> standards(const std::string& program);
  result<json> adjust_standards(const std::string& program, const json& changes,
                                const std::string& as, std::int64_t now);

  // Names further raters of a case of a many-rater program while it is in
  // its first state: [{"id", "kind": "peer"|"customer", "name"}].
  result<json> add_raters(std::int64_t case_id, const json& raters, const std::string& as,
                          const std::string& principal, std::int64_t now);

  // One cycle's report (engine/case_report.cpp): tiers per unit and per
  // supervisor, supervisors' mean totals against their unit's, open cases
  // by state, mean points and gap per item. With `hrbp_only`, only the
  // cases of that HRBP count.
  result<json> report(std::int64_t cycle_id,
                      const std::optional<std::string>& hrbp_only = std::nullopt);

  // Cases past their deadline by `now`, per unit and role (`assessctl
  // overdue`); with `hrbp_only`, only that HRBP's cases.
  json overdue(std::int64_t now, const std::optional<std::string>& unit,
               const std::optional<role>& owner,
               const std::optional<std::string>& hrbp_only = std::nullopt);
  // {id, program, period, employee_id, unit, supervisor_id, hrbp_id, state,
  // tier, adjusted_tier}; tiers are null in the `rating` view.
  static json summary(const case_row& c, case_view view = case_view::full);

  // The sales figures of a manager over a period (DESIGN.md `sales`).
  result<json> sales(const std::string& manager_id, const std::string& period);

  // Quarterly or annual roll-up of a manager's monthly appraisals: sums of
  // the months, net-sales growth against the same period a year earlier,
  // and for a year the proposed grade change under the grade rule.
  result<json> rollup(const std::string& manager_id, const std::string& period);

 private:
  void transition(case_row& c, const workflow& wf, const transition_def& t,
                  const std::string& actor, const std::string& principal, const std::string& reason,
                  std::int64_t now, outbox& out);
  void emit(const case_row& c, const std::vector<emit_def>& emits, std::int64_t history_id,
            const std::string& reason, const std::string& when, outbox& out,
            const json& extra = json());
  // Who holds role `r` on the case: (employee id, notification id suffix).
  std::vector<std::pair<std::string, std::string>> recipients(const case_row& c, role r);
  // The deadline of state `s` for a case entering it at `now`, if it has one.
  std::optional<deadline_times> deadline_for(const case_row& c, const workflow& wf, state_id s,
                                             std::int64_t now);
  void add_flag(case_row& c, const std::string& flag);
  // The people who hold the deadline's owner roles on the case.
  json owner_ids(const case_row& c, const deadline_def& d);
  msg::scoring_task scoring_input(const case_row& c);
  msg::targets_task targets_input(const case_row& c);
  // A worker's result for a case: the case and the system's `scored` step,
  // or why it cannot apply (unknown case, not waiting, the worker failed).
  struct system_step {
    case_row c;
    const workflow* wf;
    const transition_def* t;
  };
  // `verb` names the work in errors: "scored", "checked".
  result<system_step> worker_step(std::uint64_t case_id, bool ok, const std::string& error,
                                  const std::string& verb);
  // The program's sales_check (engine/workflow.h), if its workflow has one.
  const sales_check_def* sales_check_of(const std::string& program) const;
  // A sales_check case: the month's figures now differ from those the check used.
  std::optional<std::string> late_change(const case_row& c);
  status validate_submit(const case_row& c, role who, const std::map<std::string, int>& ratings,
                         const std::map<std::string, rubric::exam_input>& exams);
  std::string at(std::int64_t now) const { return format_instant(now, tz_); }

  store& db_;
  const program_registry& programs_;
  int tz_;
  commission::plan plan_;
  std::vector<schedule::definition> schedules_;
  rubric::rubric_set rubrics_;
};

}  // namespace af::engine
