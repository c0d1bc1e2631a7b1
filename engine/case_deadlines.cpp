// case_deadlines.cpp: case_service's side of deadlines (a workflow state's
// "deadline"): arming the timer of the state a case enters, reminders,
// expiry and escalation, and the end of a cycle's run window.
// engine/timers.h decides when; this file decides what.
#include <algorithm>

#include "engine/case_messages.h"
#include "engine/case_parties.h"
#include "engine/case_service.h"
#include "engine/notifications.h"

namespace af::engine {
namespace {

const std::string timer_actor = "system:timer";

emit_def notify(std::vector<role> to, std::string kind) {
  emit_def e;
  e.what = emit_def::kind::notify;
  e.recipients = std::move(to);
  e.notification = std::move(kind);
  return e;
}

}  // namespace

std::optional<deadline_times> case_service::deadline_for(const case_row& c, const workflow& wf,
                                                         state_id s, std::int64_t now) {
  const auto& d = wf.deadline(s);
  if (!d) return std::nullopt;
  std::int64_t cycle_due = 0;
  if (d->from == deadline_def::base::cycle_end) {
    auto cycle = db_.find_cycle_row(c.cycle_id);
    if (!cycle || !cycle->due_at) return std::nullopt;  // a cycle opened before deadlines existed
    cycle_due = *cycle->due_at;
  }
  return plan_deadline(*d, now, cycle_due);
}

void case_service::add_flag(case_row& c, const std::string& flag) {
  auto flags = decode_flags(c.flags);
  if (std::find(flags.begin(), flags.end(), flag) == flags.end()) flags.push_back(flag);
  c.flags = encode_flags(flags);
  db_.set_flags(c.id, *c.flags);
}

std::optional<case_service::timed_case> case_service::timed(const case_timer& t) {
  auto c = db_.find_case(t.case_id);
  if (!c || c->state != t.state) return std::nullopt;
  auto [wf, state] = place_of(programs_, c->program, c->state);
  if (!state || !wf->deadline(*state)) return std::nullopt;
  const deadline_def* d = &*wf->deadline(*state);
  return timed_case{std::move(*c), wf, *state, d};
}

status case_service::remind(const case_timer& t, std::int64_t now, outbox& out) {
  auto tc = timed(t);
  if (!tc) {
    db_.mark_fired(t.case_id);  // the workflow file no longer gives this state a deadline
    return status::ok();
  }
  case_row* c = &tc->c;
  const deadline_def& d = *tc->deadline;
  std::string when = at(now), due = at(t.due_at);
  std::int64_t h = db_.add_history(c->id, when, c->state, c->state, "remind", timer_actor,
                                   "reminder sent: " + c->state + " is due " + due);
  emit(*c, {notify(d.owners, "deadline_reminder")}, h, "", when, out, {due, std::nullopt});
  db_.mark_reminded(c->id);
  return status::ok();
}

status case_service::deadline_passed(const case_timer& t, std::int64_t now, outbox& out) {
  auto tc = timed(t);
  if (!tc) {
    db_.mark_fired(t.case_id);
    return status::ok();
  }
  case_row* c = &tc->c;
  const deadline_def& d = *tc->deadline;
  std::string when = at(now), due = at(t.due_at);
  if (d.at_deadline == deadline_def::outcome::expire) {
    auto decided = decide(*tc->wf, tc->state, action::expire, role::system, {});
    if (!decided) return decided.error();  // the definition was checked at load: cannot happen
    transition(*c, *tc->wf, **decided, timer_actor, "engine", c->state + " was due " + due, now,
               out);
    return status::ok();
  }
  auto owners = deadline_owner_ids(db_, *c, d);
  std::string waiting;
  for (const auto& o : owners) waiting += (waiting.empty() ? "" : ", ") + o;
  db_.set_overdue(c->id, when);
  std::string event = case_overdue_event(*c, due, owners, when);
  std::int64_t h =
      db_.add_history(c->id, when, c->state, c->state, "escalate", timer_actor,
                      "overdue: " + c->state + " was due " + due + " (waiting on " + waiting + ")",
                      "engine", event);
  if (!d.escalate_to.empty())
    emit(*c, {notify(d.escalate_to, "deadline_missed")}, h, "", when, out, {due, owners});
  out.publish(h, event);
  db_.mark_fired(c->id);
  return status::ok();
}

std::string case_service::check_cycle_end(const cycle_row& cycle, std::int64_t now, outbox& out) {
  std::string when = at(now);
  db_.mark_cycle_checked(cycle.id, when);
  std::string label = "cycle " + std::to_string(cycle.id) + " (" + cycle.program + " " +
                      cycle.period + (cycle.unit ? ", unit " + *cycle.unit : std::string()) + ")";
  auto wf = programs_.find(cycle.program);
  if (wf == programs_.end()) return label + ": its program is no longer defined; not checked";
  case_filter f;
  f.cycle_id = cycle.id;
  std::map<std::string, std::int64_t> by_state, by_unit;
  std::int64_t total = 0, open = 0;
  db_.for_each_case(f, [&](const case_row& c) {
    ++total;
    auto s = wf->second.find_state(c.state);
    if (s && wf->second.is_terminal(*s)) return;
    ++open;
    ++by_state[c.state];
    ++by_unit[c.unit];
  });
  std::string due = format_date(local_date(cycle.due_at.value_or(now) - 1, tz_));
  if (open == 0) return label + ": every case finished by the end of its window (" + due + ")";
  cycle_unfinished u{&cycle, due, total, open, by_state, by_unit, when};
  std::string body = cycle_unfinished_body(u);
  auto hr = db_.holders_of(role::hr);
  for (const auto& person : hr) {
    msg::notify_task n;
    n.notification_id = "cycle-" + std::to_string(cycle.id) + "-unfinished-" + person.id;
    n.recipient_id = person.id;
    n.kind = "cycle_unfinished";
    n.body_json = body;
    queue_notification(db_, out, n, when);
  }
  std::string text = cycle_unfinished_event(u);  // kept as a history row of no case (case_id 0)
  out.publish(
      db_.add_history(0, when, "", "", "cycle.unfinished", timer_actor, label, "engine", text),
      text);
  return label + ": " + std::to_string(open) + " of " + std::to_string(total) +
         " cases still open when its window ended (" + due + "); " +
         (hr.empty() ? "no one holds the hr role to tell"
                     : "reported to HR (" + std::to_string(hr.size()) + ")");
}

}  // namespace af::engine
