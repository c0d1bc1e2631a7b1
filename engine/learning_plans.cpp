#include "engine/learning_plans.h"

#include <cmath>

#include "base/civil_time.h"

namespace af::engine {
namespace {

using json = msg::json;

// The stored result's per-item member (gap or required_level) as a JSON object.
json member_of(const std::optional<std::string>& result_json, const char* key) {
  if (!result_json) return json::object();
  json r = json::parse(*result_json, nullptr, false);
  if (!r.is_object() || !r.contains(key) || !r[key].is_object()) return json::object();
  return r[key];
}

}  // namespace

learning_plans::plan learning_plans::plan_of(const std::string& employee_id) {
  plan p;
  if (catalogue_.program.empty()) return p;
  p.from = db_.latest_case(catalogue_.program, employee_id, "final");
  if (!p.from) return p;
  json gaps = member_of(p.from->result_json, "gap");
  json levels = member_of(p.from->result_json, "required_level");
  std::vector<learning::item_gap> items;
  for (auto it = gaps.begin(); it != gaps.end(); ++it) {
    if (!it.value().is_number() || !levels.contains(it.key()) ||
        !levels[it.key()].is_number_integer())
      continue;
    items.push_back(
        {it.key(), std::llround(it.value().get<double>() * 100), levels[it.key()].get<int>()});
  }
  p.entries = learning::build_plan(catalogue_, items);
  return p;
}

json learning_plans::show(const employee_row& e) {
  auto p = plan_of(e.id);
  std::map<std::string, store::learning_record> done;
  for (auto& r : db_.learning_done(e.id)) done[r.activity_id] = r;
  json out{{"employee_id", e.id}, {"name", e.name}, {"grade", e.grade}};
  out["from_case"] = p.from ? json(p.from->id) : json(nullptr);
  out["period"] = p.from ? json(p.from->period) : json(nullptr);
  json list = json::array();
  int completed = 0;
  for (const auto& entry : p.entries) {
    auto d = done.find(entry.what.id);
    completed += d != done.end();
    list.push_back({{"id", entry.what.id},
                    {"item", entry.what.item},
                    {"gap", msg::points(entry.gap)},
                    {"level", entry.what.level},
                    {"kind", entry.what.kind},
                    {"title", entry.what.title},
                    {"done_at", d != done.end() ? json(d->second.at) : json(nullptr)},
                    {"done_by", d != done.end() ? json(d->second.by) : json(nullptr)}});
  }
  out["activities"] = list;
  out["done"] = completed;
  out["total"] = list.size();
  if (!p.from) out["note"] = "no final " + catalogue_.program + " result yet: no plan";
  return out;
}

result<json> learning_plans::done(const employee_row& e, const std::string& activity,
                                  const std::string& as, const std::string& principal,
                                  std::int64_t now) {
  auto colon = as.find(':');
  std::string role = as.substr(0, colon),
              id = colon == std::string::npos ? "" : as.substr(colon + 1);
  bool own = role == "employee" && id == e.id;
  bool supervises = role == "supervisor" && !e.supervisor_id.empty() && id == e.supervisor_id;
  if (!own && !supervises)
    return status::forbidden(
        "a plan's activities are recorded by the manager (employee:" + e.id +
        ") or their supervisor" +
        (e.supervisor_id.empty() ? "" : " (supervisor:" + e.supervisor_id + ")"));
  auto p = plan_of(e.id);
  bool in_plan = false;
  for (const auto& entry : p.entries) in_plan |= entry.what.id == activity;
  if (!in_plan)
    return status::invalid("activity: \"" + activity + "\" is not in " + e.id + "'s plan");
  for (const auto& r : db_.learning_done(e.id))
    if (r.activity_id == activity)
      return status::conflict("activity " + activity + " of " + e.id + " was recorded as done at " +
                              r.at + " by " + r.by);
  db_.add_learning_done(e.id, {activity, format_instant(now, tz_), as, principal});
  return show(e);
}

}  // namespace af::engine
