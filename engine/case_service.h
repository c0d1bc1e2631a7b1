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
#include "engine/case_census.h"
#include "engine/case_record.h"
#include "engine/case_views.h"
#include "engine/learning_plans.h"
#include "engine/outbox.h"
#include "engine/store.h"
#include "engine/workflow.h"
#include "messages/types.h"
#include "workers/domain/certification.h"
#include "workers/domain/commission_plan.h"
#include "workers/domain/rubric.h"
#include "workers/domain/schedule.h"

namespace af::engine {

// "supervisor:S2001" split and checked.
struct actor {
  role claimed = role::admin;
  std::string id;
  [[nodiscard]] std::string to_string() const { return std::string(role_name(claimed)) + ":" + id; }
};
// InvalidArgument naming what is wrong: missing, no colon, unknown role.
result<actor> parse_actor(const std::string& as);

// What a request to act on a case carries, read by the admin layer
// (engine/admin_cases.cpp). A field that could not be read keeps its
// error here: the service reports it only after the actor is authorized
// and the action is allowed in the case's state, so a caller who may not
// act learns nothing from a malformed form.
struct action_request {
  std::set<std::string> provided;  // the fields given (not null, not "")
  std::string reason;              // the comment, else the reason: kept in the history
  result<review_form> review = status::invalid("ratings: missing");  // submit, rate
  result<int> tier = status::invalid("tier: missing");               // adjust: 1..4
  std::string outcome;                // overrule: a certification outcome
  status text_fields = status::ok();  // e.g. "comment: must be text"
};

// An action applied: the case as it now stands, and a note when the
// action did something else than asked (approve became a re-check).
struct action_done {
  case_row c;
  std::optional<std::string> note;
};

// A cycle opened (or found already open) and the cases it opened now.
struct cycle_opened {
  std::int64_t cycle = 0;
  int opened = 0;
  std::optional<civil_date> due;  // the run window's last day, a company-zone date
};

// A further rater named for a key account review, as the request gives it.
struct rater_input {
  std::string id, kind, name;  // kind: "peer" | "customer"; name may be empty for a peer
};

// One proposed adjustment of the standard table, as the request gives it
// (standard_proposal: engine/case_record.h).
struct standard_change_input {
  std::string item;
  int grade = 0;  // not a whole number 1..4 is refused naming the change
  // The proposals, or why they could not be read (reported after the item
  // and grade are checked).
  result<std::vector<standard_proposal>> proposals = std::vector<standard_proposal>{};
};
// The first day a standard table last adjusted on `last` (company zone)
// may be adjusted again: 12 months later, the same day of the month or
// the month's last day (29 February -> 28 February).
civil_date next_adjustment_from(civil_date last);
// The adjustments applied at once (business_year: the year they were made).
struct standards_adjusted {
  std::string program;
  int business_year = 0;
  std::vector<store::standard_change> changes;
};

// What people and workers do to cases. Every method runs inside the
// caller's transaction (engine/unit_of_work.h): on success its writes and
// `out`'s entries are the caller's to commit; on a refused status nothing
// it wrote may be kept (the caller rolls back its savepoint). A storage
// fault throws sqlite_error (base/status.h).
class case_service {
 public:
  case_service(store& db, const program_registry& programs, int tz_offset_minutes,
               commission::plan plan = {})
      : db_(db),
        programs_(programs),
        tz_(tz_offset_minutes),
        plan_(std::move(plan)),
        views_(db, programs, rubrics_, plan_, tz_offset_minutes),
        plans_(db, tz_offset_minutes) {}
  case_service(const case_service&) = delete;  // views_ refers to members
  case_service& operator=(const case_service&) = delete;
  void set_plan(commission::plan plan) { plan_ = std::move(plan); }
  // The programs' schedules, for the run window (and so the due date) of
  // cycles opened by hand.
  void set_schedules(std::vector<schedule::definition> defs) { schedules_ = std::move(defs); }
  // The programs' rubrics (schemas/rubrics/): what a review must hold.
  void set_rubrics(rubric::rubric_set rubrics) { rubrics_ = std::move(rubrics); }
  // What people read about cases, over the same store and definitions.
  case_views& views() { return views_; }
  // Managers' learning plans (schemas/learning/catalogue.json).
  learning_plans& plans() { return plans_; }
  void set_catalogue(learning::catalogue c) { plans_.set_catalogue(std::move(c)); }
  // The certification rule (schemas/certification/rule.json).
  void set_certification_rule(certification::rule r) { certification_ = std::move(r); }
  // Told of every case opened and moved (may be null).
  void set_census(case_census* census) { census_ = census; }

  // Opens one case per active employee of the scope who has a supervisor,
  // except holders of hr/chairman/admin; idempotent per (program, period,
  // employee). The cycle is due at the end of `due` (a company-zone date),
  // by default its run window's last day (schedule::cycle_due_date).
  // `by` is kept as the cycle's opener, `by_principal` in each case's
  // first history line. InvalidArgument for an unknown program, a period
  // that does not parse or that the program does not run for, a unit
  // without employees, a due date already passed.
  result<cycle_opened> open_cycle(const std::string& program, const std::string& period,
                                  const std::optional<std::string>& unit, const std::string& by,
                                  std::int64_t now, outbox& out,
                                  std::optional<civil_date> due = std::nullopt,
                                  const std::string& by_principal = "engine");

  // One action on one case by `as` (already resolved against the
  // principal: engine/access.h), sent by `principal`, who is kept in the
  // history line. Refusals, in this order: `as` malformed
  // (InvalidArgument); no such case (NotFound); `as` no party to the case
  // or holding no such role (Forbidden); its program no longer
  // defined (Conflict); the action not allowed in the state or
  // for the role, or a required field missing (workflow.h `decide`); then
  // the request's own fields (InvalidArgument). The case as it now stands.
  result<action_done> act(std::int64_t case_id, action act, const std::string& as,
                          const std::string& principal, const action_request& request,
                          std::int64_t now, outbox& out);

  // A worker's scoring result for a case in `scoring`, from `principal`.
  // NotFound for an unknown case; the workflow's refusal when the case no
  // longer waits (cancelled meanwhile); InvalidArgument when the worker
  // failed or its result is not one the rubric allows.
  status apply_scoring(const msg::scoring_result& r, std::int64_t now, outbox& out,
                       const std::string& principal = "engine");
  // A worker's target-check result; `input` is the task it answers. As
  // apply_scoring.
  status apply_targets(const msg::targets_result& r, const msg::targets_task& input,
                       std::int64_t now, outbox& out, const std::string& principal = "engine");

  // Whether `employee_id` is a further rater of the case and may rate it now.
  bool rates_now(const case_row& c, const std::string& employee_id);

  // Deadlines (engine/case_deadlines.cpp), called by engine/timers.h when
  // a case's timer is due. Each is one step in the caller's transaction.
  // The owners of the state are reminded of the deadline. OK also when
  // the timer no longer applies (it is marked fired).
  status remind(const case_timer& t, std::int64_t now, outbox& out);
  // The deadline passed: the state's expire transition, or an escalation
  // (the case is marked overdue and escalate_to are told).
  status deadline_passed(const case_timer& t, std::int64_t now, outbox& out);
  // A cycle's run window ended: HR is told what is still open. Returns a
  // log line.
  std::string check_cycle_end(const cycle_row& cycle, std::int64_t now, outbox& out);
  // The competency model's standard table (engine/case_reviews.cpp):
  // the required level of each item for the case's employee.
  std::map<std::string, int> required_levels(const case_row& c);
  // `named`, or else the one program whose rubric has a standard table
  // (InvalidArgument when none or several do).
  result<std::string> standards_program(const std::optional<std::string>& named) const;
  // `now` as the history and the tables write it: ISO 8601 with the
  // company's offset.
  [[nodiscard]] std::string instant_text(std::int64_t now) const { return at(now); }
  // Applies the proposals (each change's level: the proposals' mean rounded
  // half up) at most once per program and business year. Forbidden
  // unless `as` is an hr or admin holder; Conflict when the year
  // already had its adjustment; InvalidArgument naming the change at fault
  // (unknown item or proposer, grade or level out of range, repeats).
  result<standards_adjusted> adjust_standards(
      const std::string& program, const result<std::vector<standard_change_input>>& changes,
      const std::string& as, std::int64_t now);

  // Names further raters of a case of a many-rater program while it is in
  // a state where its raters rate; the case's raters after. Forbidden
  // unless `as` is its supervisor or HRBP, hr or admin; Conflict in any
  // other state or for a rater already named; InvalidArgument naming the
  // rater at fault.
  result<std::vector<store::rater_row>> add_raters(std::int64_t case_id,
                                                   const result<std::vector<rater_input>>& raters,
                                                   const std::string& as,
                                                   const std::string& principal, std::int64_t now);

 private:
  // One employee's case of a cycle being opened; false when they already have it.
  bool open_case(const std::string& program, const workflow& wf, std::int64_t cycle,
                 const period& p, const employee_row& e, const std::string& by,
                 const std::string& by_principal, std::int64_t now, outbox& out);
  void transition(case_row& c, const workflow& wf, const transition_def& t,
                  const std::string& actor, const std::string& principal, const std::string& reason,
                  std::int64_t now, outbox& out);
  // The case a timer was armed for, while it is still in the timer's state
  // and that state still has a deadline; nullopt when the timer no longer
  // applies (the case moved on, or the workflow file changed).
  struct timed_case {
    case_row c;
    const workflow* wf;
    state_id state;
    const deadline_def* deadline;
  };
  std::optional<timed_case> timed(const case_timer& t);
  // A notice's deadline members (case_messages.h), for reminders and escalations.
  struct notice_extra {
    std::optional<std::string> due_at;
    std::optional<std::vector<std::string>> waiting_on;
  };
  void emit(const case_row& c, const std::vector<emit_def>& emits, std::int64_t history_id,
            const std::string& reason, const std::string& when, outbox& out,
            const notice_extra& extra = {});
  void queue_task(const case_row& c, msg::message_type type, const std::string& when, outbox& out);
  // The deadline of state `s` for a case entering it at `now`, if it has one.
  std::optional<deadline_times> deadline_for(const case_row& c, const workflow& wf, state_id s,
                                             std::int64_t now);
  void add_flag(case_row& c, const std::string& flag);
  // The request's review, stored as the actor's: a rating row of a
  // many-rater case, else the self or supervisor review.
  status store_review(case_row& c, const actor& who, const case_parties& parties,
                      const action_request& req, std::int64_t now);
  status store_adjustment(const case_row& c, const action_request& req);
  // The chairman's overrule of a certification outcome: the new outcome
  // kept in the result with the one it replaces, who and why.
  status store_overrule(const case_row& c, const actor& who, const action_request& req);
  // An appeal's change, as the history keeps it: HR's reason and the
  // supervisor's ratings it replaces.
  std::string changed_ratings_note(const case_row& c, const std::string& reason);
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
  // A review by a rater of `kind` (rubric::rater_kind; the supervisor's,
  // the self-appraisal and HR's change are "supervisor"); the exams are
  // required from the supervisor.
  status validate_submit(const case_row& c, std::string_view kind, bool exams_required,
                         const review_form& form);
  result<store::standard_change> proposed_change(
      const rubric::rubric& rub, const standard_change_input& in, const std::string& where,
      const std::map<std::pair<std::string, int>, int>& current);
  result<store::rater_row> named_rater(const case_row& c, const rater_input& in,
                                       const std::string& where, const actor& by, std::int64_t now);
  std::string at(std::int64_t now) const { return format_instant(now, tz_); }

  store& db_;
  case_census* census_ = nullptr;
  const program_registry& programs_;
  int tz_;
  commission::plan plan_;
  std::vector<schedule::definition> schedules_;
  rubric::rubric_set rubrics_;
  certification::rule certification_;
  case_views views_;
  learning_plans plans_;
};

}  // namespace af::engine
