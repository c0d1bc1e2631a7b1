// fuzz/workflow_load.cpp: workflow::parse() of arbitrary workflow files
// (schemas/workflows/), then the state machine asked every question.
// Invariants: parse never throws; a parsed workflow's states, initial
// state and transitions are consistent (ids in range, names found again,
// every non-terminal state has a way out); decide() answers every state,
// action and role, and a transition it picks is from that state, for that
// action and role; a deadline's reminder falls between entry and due time.
#include <algorithm>
#include <set>
#include <string>

#include "engine/workflow.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace af::engine;

// A state: found by its name, a way out unless terminal, only tasks a
// workflow may start, a reminder between entry and due time.
void check_state(const workflow& wf, state_id s) {
  const std::int64_t entered = 1'790'000'000, cycle_due = entered + 30 * 86400;
  const std::string& name = wf.state_name(s);
  FUZZ_CHECK(wf.find_state(name) == s, "state " + name + " is not found by its name");
  if (!wf.is_terminal(s)) {
    bool exit = false;
    for (const auto& t : wf.transitions()) exit = exit || (t.from == s && t.to != s);
    FUZZ_CHECK(exit, "state " + name + " is not terminal and has no way out");
  }
  for (const auto& e : wf.on_enter(s))
    FUZZ_CHECK(e.what == emit_def::kind::notify || e.task == af::msg::message_type::scoring_task ||
                   e.task == af::msg::message_type::targets_task,
               "a task no workflow may start");
  if (const auto& d = wf.deadline(s)) {
    FUZZ_CHECK(!wf.is_terminal(s), "a terminal state with a deadline");
    for (std::int64_t due : {cycle_due, entered - 3600, entered}) {
      deadline_times when = plan_deadline(*d, entered, due);
      if (when.remind_at)
        FUZZ_CHECK(*when.remind_at >= entered && *when.remind_at <= when.due_at,
                   "a reminder outside entry..due");
    }
  }
}

// decide() asked every action by every role in state s, with and without fields.
void check_decisions(const workflow& wf, state_id s) {
  static const std::set<std::string> all_fields{"ratings", "exams", "comment", "tier", "reason"};
  static const std::set<std::string> none;
  for (int a = 0; a <= static_cast<int>(action::rate); ++a)
    for (int r = 0; r <= static_cast<int>(role::rater); ++r)
      for (const auto* fields : {&all_fields, &none}) {
        auto act = static_cast<action>(a);
        auto who = static_cast<role>(r);
        auto d = decide(wf, s, act, who, *fields);
        if (d) {
          const transition_def* t = *d;
          FUZZ_CHECK(t->from == s && t->act == act,
                     "decide picked a transition of another state or action");
          FUZZ_CHECK(std::find(t->roles.begin(), t->roles.end(), who) != t->roles.end(),
                     "decide let a role take a transition it may not");
        } else {
          FUZZ_CHECK(!d.error().message().empty(), "a refusal without a reason");
        }
        FUZZ_CHECK(parse_action(action_name(act)) == act && parse_role(role_name(who)) == who,
                   "a name that does not parse back");
      }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto wf = workflow::parse(af::fuzz::text_of(data, size), "workflows/fuzz.json");
  af::fuzz::note(wf ? "workflow " + wf->program() : wf.error().to_string());
  if (!wf) {
    FUZZ_CHECK(!wf.error().message().empty(), "a refusal without a reason");
    return 0;
  }
  std::size_t n = wf->state_count();
  FUZZ_CHECK(n >= 1 && n <= 250, "state count " + std::to_string(n));
  FUZZ_CHECK(wf->initial() < n, "initial state out of range");
  for (const auto& t : wf->transitions()) {
    FUZZ_CHECK(t.from < n && t.to < n, "a transition to or from an undeclared state");
    FUZZ_CHECK(!t.roles.empty(), "a transition nobody may take");
  }
  for (state_id s = 0; s < n; ++s) {
    check_state(*wf, s);
    if (s < 32) check_decisions(*wf, s);  // the first 32 states: enough, and fast
  }
  return 0;
}
