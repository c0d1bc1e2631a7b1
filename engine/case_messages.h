// case_messages.h: what the engine tells the world about a case, as JSON
// text: the events it publishes (DESIGN.md "Events the engine publishes")
// and the bodies of the notifications it queues. The case service decides
// what happened; these functions only write it down. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/store.h"

namespace af::engine {

// {"event": "case.opened", case, program, period, employee_id, to, at}.
std::string case_opened_event(const case_row& c);
// {"event": "case.transition", case, program, period, employee_id, from,
// to, action, actor, at}; `c` is in the state it moved to.
std::string case_transition_event(const case_row& c, const std::string& from,
                                  const std::string& action, const std::string& actor,
                                  const std::string& at);
// {"event": "case.overdue", case, program, period, employee_id, state,
// due_at, waiting_on, at}.
std::string case_overdue_event(const case_row& c, const std::string& due_at,
                               const std::vector<std::string>& waiting_on, const std::string& at);

// One notification about a case, before it is addressed.
struct case_notice {
  const case_row* c = nullptr;       // the case as the step left it
  const case_row* stored = nullptr;  // its row with the scores written so far, if found
  std::string kind;                  // "review_due", "deadline_reminder", ...
  std::string at;
  std::string reason;                       // left out when empty
  std::vector<std::string> result_members;  // sales_check.notified: members of the result
  std::optional<std::string> due_at;        // deadline notices
  std::optional<std::vector<std::string>> waiting_on;
  std::string employee_name;  // the case's employee as the org names them; left out when empty
};
// The body sent to a holder of role `as` ("employee", "hr", ...): the
// case, its state, total, tiers, the result members, reason and deadline;
// points with two decimals.
std::string case_notice_body(const case_notice& n, const std::string& as);

// A cycle's run window ended with cases still open.
struct cycle_unfinished {
  const cycle_row* cycle = nullptr;
  std::string window_end;  // its last day, a company-zone date
  std::int64_t cases = 0, open = 0;
  std::map<std::string, std::int64_t> open_by_state, open_by_unit;
  std::string at;
};
// The notification body to HR: {"kind": "cycle_unfinished", cycle, ...}.
std::string cycle_unfinished_body(const cycle_unfinished& u);
// The published event: the same members with "event": "cycle.unfinished".
std::string cycle_unfinished_event(const cycle_unfinished& u);

}  // namespace af::engine
