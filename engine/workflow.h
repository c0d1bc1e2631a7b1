// workflow.h: a workflow definition (loaded once from schemas/workflows/,
// immutable, shared by every case of its program) and the pure state
// machine that decides one step. No I/O beyond load_workflow_file().
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"
#include "base/status.h"
#include "engine/role.h"
#include "messages/envelope.h"

namespace af::engine {

enum class action : std::uint8_t {
  submit,
  approve,
  return_case,
  adjust,
  cancel,
  scored,
  recheck,
  expire,
  rate,
  // The appraisals' feedback (DOMAIN.md program 3): the supervisor's
  // interview record, the employee's acknowledgement or appeal, and HR's
  // resolution of an appeal by upholding the result or changing the
  // supervisor's ratings.
  interview,
  acknowledge,
  appeal,
  uphold,
  change,
  overrule  // the chairman's overrule of a certification outcome, with a reason
};

// The enum of an action's name as workflow files write it; nullopt for an
// unknown name. action_name gives that name back.
std::optional<action> parse_action(std::string_view s);
std::string_view action_name(action a);

using state_id = std::uint8_t;

// Something a transition causes, written in the same transaction: a task
// for a worker, a notification, or an evaluation the engine makes itself
// from what it stores ("certification": the outcome of
// workers/domain/certification.h, kept as the case's result).
struct emit_def {
  enum class kind { task, notify, evaluate } what = kind::task;
  // for task: scoring_task or targets_task (a file writes "scoring", "targets")
  msg::message_type task = msg::message_type::scoring_task;
  std::vector<role> recipients;  // for notify: case parties to tell
  std::string notification;      // for notify: "case_final", ...; for evaluate: what
};
// Whether any of `emits` is an evaluation.
bool evaluates(const std::vector<emit_def>& emits);

// A state's deadline ("deadline" in a workflow file): how long the state's
// owners have to act, when they are reminded, and what happens when it passes.
struct deadline_def {
  enum class base { entry, cycle_end };
  enum class outcome { expire, escalate };
  base from = base::entry;
  std::int64_t after_seconds = 0;          // after entering the state (base::entry)
  std::int64_t remind_before_seconds = 0;  // 0: no reminder
  std::vector<role> owners;                // who must act: reminded, listed by `overdue`
  outcome at_deadline = outcome::escalate;
  std::vector<role> escalate_to;  // told when the case becomes overdue
};

// When a case that entered a state at `entered_at` is reminded and due
// (Unix seconds). No reminder when the deadline has already passed.
struct deadline_times {
  std::optional<std::int64_t> remind_at;
  std::int64_t due_at = 0;
};
deadline_times plan_deadline(const deadline_def& d, std::int64_t entered_at,
                             std::int64_t cycle_due_at);

struct transition_def {
  state_id from = 0;
  action act = action::submit;
  std::vector<role> roles;  // who may take it
  state_id to = 0;
  std::vector<std::string> requires_fields;  // e.g. "comment", "ratings"
  std::vector<emit_def> emits;
  std::string flag;  // added to the case's flags when taken ("self review missing")
  // Taken only while the case's result has this outcome ("when_outcome"
  // in a workflow file); empty: whatever it is. At most one transition
  // per state, action and outcome.
  std::string when_outcome;
};

// "sales_check" in a workflow file: the case's result is the targets
// worker's check of one month's sales, stored with the figures it used
// ({"month": ..., "figures": ...}). Sales or refunds of that month that
// arrive later send an approval into a terminal state through the
// workflow's `recheck` transition first.
struct sales_check_def {
  std::vector<std::string> shown;      // result members case.show answers (null when absent)
  std::vector<std::string> notified;   // result members copied into every notification
  std::vector<state_id> late_flag_in;  // states where case.show flags such late events
  // Quarterly and annual roll-ups sum the results of its cases in this state.
  std::optional<state_id> rolled_up_from;
};

// Immutable once parsed; safe to share between threads.
class workflow {
 public:
  // Parses and validates a definition; `source` names the file in errors.
  // InvalidArgument ("SOURCE: KEY: what is wrong") when the text is not a
  // JSON object, a value has the wrong type, a name is unknown or
  // repeated, a deadline contradicts its transitions, or a non-terminal
  // state has no way out.
  static result<workflow> parse(std::string_view json_text, const std::string& source);

  [[nodiscard]] const std::string& program() const { return program_; }
  [[nodiscard]] state_id initial() const { return initial_; }
  // The state declared as `name`; nullopt when none is. A state_id given
  // to the accessors below must be one of this workflow's (< state_count()).
  [[nodiscard]] std::optional<state_id> find_state(std::string_view name) const;
  [[nodiscard]] const std::string& state_name(state_id s) const { return states_[s]; }
  [[nodiscard]] std::size_t state_count() const { return states_.size(); }
  [[nodiscard]] bool is_terminal(state_id s) const { return terminal_[s]; }
  // What entering the state emits (e.g. a task), besides the transition's own emits.
  [[nodiscard]] const std::vector<emit_def>& on_enter(state_id s) const { return on_enter_[s]; }
  [[nodiscard]] const std::optional<deadline_def>& deadline(state_id s) const {
    return deadlines_[s];
  }
  [[nodiscard]] const std::vector<transition_def>& transitions() const { return transitions_; }
  [[nodiscard]] const std::vector<period_kind>& period_kinds() const { return periods_; }
  [[nodiscard]] const std::optional<sales_check_def>& sales_check() const { return sales_check_; }

 private:
  struct parsing;  // the steps of parse() (workflow.cpp)
  status check_deadlines(const std::string& source) const;
  std::string program_;
  std::vector<std::string> states_;
  std::vector<bool> terminal_;
  std::vector<std::vector<emit_def>> on_enter_;
  std::vector<std::optional<deadline_def>> deadlines_;
  state_id initial_ = 0;
  std::vector<transition_def> transitions_;
  std::vector<period_kind> periods_;
  std::optional<sales_check_def> sales_check_;
};

// Reads and parses a workflow file: NotFound when it cannot be read, else
// parse()'s result with the path as its source.
result<workflow> load_workflow_file(const std::string& path);

// The state machine: given the case's state, the action, the actor's role
// on this case, the fields the request carries and the outcome of the
// case's result (if any), the transition to take: the one guarded by that
// outcome, else the unguarded one. Conflict when the action is not
// possible in that state; Forbidden when the role may not take it;
// InvalidArgument when a required field is absent.
result<const transition_def*> decide(const workflow& wf, state_id current, action act,
                                     role actor_role, const std::set<std::string>& provided_fields,
                                     std::string_view outcome = {});

// Who holds which role on one case (copied when the cycle opened).
struct case_parties {
  std::string employee_id;
  std::string supervisor_id;
  std::string hrbp_id;
  std::vector<std::string> raters;  // "peer:E1007", "customer:K-17" (kam_review)
};

// "peer:E1007" -> "E1007": the id a rater acts as (`rater:E1007`).
inline std::string_view rater_id(std::string_view rater) {
  return rater.substr(rater.find(':') + 1);
}

// Checks that `employee_id` may act as `claimed` on this case: employee,
// supervisor and hrbp must be the case's own; a rater must be one of the
// case's raters (by the id after "peer:" or "customer:"); hr, chairman and
// admin must be among the employee's org roles. OK if so, Forbidden with a
// one-line reason if not (system is always refused: it is the workers').
status authorize(const case_parties& parties, role claimed, const std::string& employee_id,
                 const std::set<role>& org_roles);

// Every defined program's workflow, by program name.
using program_registry = std::map<std::string, workflow>;

// Where a stored case is: its program's workflow (null when the program is
// no longer defined) and its state's id in that workflow (nullopt when the
// workflow has no state of that name, or no workflow). SQLite keeps a
// case's state as its name, so reordering a workflow file never remaps a
// case; this is the one place that name becomes a state_id.
struct case_place {
  const workflow* wf = nullptr;
  std::optional<state_id> state;
};
case_place place_of(const program_registry& programs, const std::string& program,
                    std::string_view state_name);

}  // namespace af::engine
