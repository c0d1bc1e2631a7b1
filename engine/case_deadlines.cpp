// case_deadlines.cpp: case_service's side of deadlines (a workflow state's
// "deadline"): arming the timer of the state a case enters, reminders,
// expiry and escalation, the end of a cycle's run window, and the list of
// overdue cases. engine/timers.h decides when; this file decides what.
#include <algorithm>

#include "engine/case_service.h"

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
  json flags = c.flags ? json::parse(*c.flags, nullptr, false) : json::array();
  if (!flags.is_array()) flags = json::array();
  if (std::find(flags.begin(), flags.end(), flag) == flags.end()) flags.push_back(flag);
  c.flags = flags.dump();
  db_.set_flags(c.id, *c.flags);
}

json case_service::owner_ids(const case_row& c, const deadline_def& d) {
  json out = json::array();
  for (role r : d.owners)
    for (const auto& [id, suffix] : recipients(c, r))
      out.push_back(std::string(role_name(r)) + ":" + id);
  return out;
}

status case_service::remind(const case_timer& t, std::int64_t now, outbox& out) {
  auto c = db_.find_case(t.case_id);
  auto wf = c ? programs_.find(c->program) : programs_.end();
  auto s = wf != programs_.end() ? wf->second.find_state(c->state) : std::nullopt;
  if (!s || c->state != t.state || !wf->second.deadline(*s)) {
    db_.mark_fired(t.case_id);  // the workflow file no longer gives this state a deadline
    return status::ok();
  }
  const deadline_def& d = *wf->second.deadline(*s);
  std::string when = at(now), due = at(t.due_at);
  std::int64_t h = db_.add_history(c->id, when, c->state, c->state, "remind", timer_actor,
                                   "reminder sent: " + c->state + " is due " + due);
  emit(*c, {notify(d.owners, "deadline_reminder")}, h, "", when, out, json{{"due_at", due}});
  db_.mark_reminded(c->id);
  return status::ok();
}

status case_service::deadline_passed(const case_timer& t, std::int64_t now, outbox& out) {
  auto c = db_.find_case(t.case_id);
  auto wf = c ? programs_.find(c->program) : programs_.end();
  auto s = wf != programs_.end() ? wf->second.find_state(c->state) : std::nullopt;
  if (!s || c->state != t.state || !wf->second.deadline(*s)) {
    db_.mark_fired(t.case_id);
    return status::ok();
  }
  const deadline_def& d = *wf->second.deadline(*s);
  std::string when = at(now), due = at(t.due_at);
  if (d.at_deadline == deadline_def::outcome::expire) {
    auto decided = decide(wf->second, *s, action::expire, role::system, {});
    if (!decided) return decided.error();  // the definition was checked at load: cannot happen
    transition(*c, wf->second, **decided, timer_actor, "engine", c->state + " was due " + due, now,
               out);
    return status::ok();
  }
  json owners = owner_ids(*c, d);
  std::string waiting;
  for (const auto& o : owners) waiting += (waiting.empty() ? "" : ", ") + o.get<std::string>();
  db_.set_overdue(c->id, when);
  std::string event = json{
      {"event", "case.overdue"},
      {"case", c->id},
      {"program", c->program},
      {"period", c->period},
      {"employee_id", c->employee_id},
      {"state", c->state},
      {"due_at", due},
      {"waiting_on", owners},
      {"at", when}}.dump();
  std::int64_t h =
      db_.add_history(c->id, when, c->state, c->state, "escalate", timer_actor,
                      "overdue: " + c->state + " was due " + due + " (waiting on " + waiting + ")",
                      "engine", event);
  if (!d.escalate_to.empty())
    emit(*c, {notify(d.escalate_to, "deadline_missed")}, h, "", when, out,
         json{{"due_at", due}, {"waiting_on", owners}});
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
  json body{{"kind", "cycle_unfinished"},
            {"cycle", cycle.id},
            {"program", cycle.program},
            {"period", cycle.period},
            {"unit", cycle.unit ? json(*cycle.unit) : json(nullptr)},
            {"window_end", due},
            {"cases", total},
            {"open", open},
            {"open_by_state", by_state},
            {"open_by_unit", by_unit},
            {"at", when}};
  auto hr = db_.holders_of(std::string(role_name(role::hr)));
  for (const auto& person : hr) {
    msg::notify_task n{"cycle-" + std::to_string(cycle.id) + "-unfinished-" + person.id, person.id,
                       0, "cycle_unfinished", body.dump()};
    auto payload = msg::pack(n).body;
    auto id = db_.insert_task("notify", 0, payload, when);
    out.add_task({id, msg::message_type::notify_task, 0, 0, std::move(payload)});
  }
  json event = body;
  event.erase("kind");
  event["event"] = "cycle.unfinished";
  std::string text = event.dump();  // kept as a history row of no case (case_id 0)
  out.publish(
      db_.add_history(0, when, "", "", "cycle.unfinished", timer_actor, label, "engine", text),
      text);
  return label + ": " + std::to_string(open) + " of " + std::to_string(total) +
         " cases still open when its window ended (" + due + "); " +
         (hr.empty() ? "no one holds the hr role to tell"
                     : "reported to HR (" + std::to_string(hr.size()) + ")");
}

json case_service::overdue(std::int64_t now, const std::optional<std::string>& unit,
                           const std::optional<role>& owner,
                           const std::optional<std::string>& hrbp_only) {
  json cases = json::array();
  std::map<std::pair<std::string, std::string>, std::int64_t> groups;
  for (const auto& c : db_.overdue_cases(now)) {
    if (unit && c.unit != *unit) continue;
    if (hrbp_only && c.hrbp_id != *hrbp_only) continue;
    auto wf = programs_.find(c.program);
    if (wf == programs_.end()) continue;
    auto s = wf->second.find_state(c.state);
    if (!s || !wf->second.deadline(*s)) continue;
    const deadline_def& d = *wf->second.deadline(*s);
    json roles = json::array();
    for (role r : d.owners)
      if (!owner || r == *owner) roles.push_back(std::string(role_name(r)));
    if (roles.empty()) continue;
    for (const auto& r : roles) ++groups[{c.unit, r.get<std::string>()}];
    cases.push_back({{"id", c.id},
                     {"program", c.program},
                     {"period", c.period},
                     {"employee_id", c.employee_id},
                     {"unit", c.unit},
                     {"state", c.state},
                     {"roles", roles},
                     {"waiting_on", owner_ids(c, d)},
                     {"due_at", at(*c.due_at)},
                     {"overdue_hours", (now - *c.due_at) / 3600},
                     {"escalated", c.overdue_since ? json(*c.overdue_since) : json(nullptr)},
                     {"flags", c.flags ? json::parse(*c.flags, nullptr, false) : json::array()}});
  }
  json by = json::array();
  for (const auto& [key, n] : groups)
    by.push_back({{"unit", key.first}, {"role", key.second}, {"cases", n}});
  return json{{"now", at(now)}, {"by_unit_role", by}, {"cases", cases}};
}

}  // namespace af::engine
