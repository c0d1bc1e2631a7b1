#include "engine/case_messages.h"

#include "messages/json_text.h"

namespace af::engine {
namespace {

using json = msg::json;

json cycle_unfinished_json(const cycle_unfinished& u) {
  const cycle_row& cycle = *u.cycle;
  return json{{"kind", "cycle_unfinished"},
              {"cycle", cycle.id},
              {"program", cycle.program},
              {"period", cycle.period},
              {"unit", cycle.unit ? json(*cycle.unit) : json(nullptr)},
              {"window_end", u.window_end},
              {"cases", u.cases},
              {"open", u.open},
              {"open_by_state", u.open_by_state},
              {"open_by_unit", u.open_by_unit},
              {"at", u.at}};
}

}  // namespace

std::string case_opened_event(const case_row& c) {
  return json{
      {"event", "case.opened"},       {"case", c.id},  {"program", c.program}, {"period", c.period},
      {"employee_id", c.employee_id}, {"to", c.state}, {"at", c.updated_at}}
      .dump();
}

std::string case_transition_event(const case_row& c, const std::string& from,
                                  const std::string& action, const std::string& actor,
                                  const std::string& at) {
  return json{{"event", "case.transition"},
              {"case", c.id},
              {"program", c.program},
              {"period", c.period},
              {"employee_id", c.employee_id},
              {"from", from},
              {"to", c.state},
              {"action", action},
              {"actor", actor},
              {"at", at}}
      .dump();
}

std::string case_overdue_event(const case_row& c, const std::string& due_at,
                               const std::vector<std::string>& waiting_on, const std::string& at) {
  return json{{"event", "case.overdue"},
              {"case", c.id},
              {"program", c.program},
              {"period", c.period},
              {"employee_id", c.employee_id},
              {"state", c.state},
              {"due_at", due_at},
              {"waiting_on", waiting_on},
              {"at", at}}
      .dump();
}

std::string case_notice_body(const case_notice& n, const std::string& as) {
  const case_row& c = *n.c;
  json body{{"case", c.id},       {"program", c.program},
            {"period", c.period}, {"employee_id", c.employee_id},
            {"state", c.state},   {"kind", n.kind},
            {"as", as},           {"at", n.at}};
  if (const case_row* s = n.stored) {
    if (s->total) body["total"] = msg::points(*s->total);
    if (s->tier) body["tier"] = *s->tier;
    if (s->adjusted_tier) body["adjusted_tier"] = *s->adjusted_tier;
    if (!n.result_members.empty() && s->result_json) {
      json stored = json::parse(*s->result_json, nullptr, false);
      if (stored.is_object())
        for (const auto& m : n.result_members)
          body[m] = stored.contains(m) ? stored[m] : json(nullptr);
    }
  }
  if (!n.reason.empty()) body["reason"] = n.reason;
  if (n.due_at) body["due_at"] = *n.due_at;
  if (n.waiting_on) body["waiting_on"] = *n.waiting_on;
  if (!n.employee_name.empty()) body["employee_name"] = n.employee_name;
  return msg::dump_fixed2(body);
}

std::string cycle_unfinished_body(const cycle_unfinished& u) {
  return cycle_unfinished_json(u).dump();
}

std::string cycle_unfinished_event(const cycle_unfinished& u) {
  json event = cycle_unfinished_json(u);
  event.erase("kind");
  event["event"] = "cycle.unfinished";
  return event.dump();
}

}  // namespace af::engine
