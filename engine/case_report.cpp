// case_report.cpp: case_service's report of one cycle (`assessctl report`):
// tiers per business unit and per supervisor, each supervisor's mean total
// against their unit's (leniency or severity), cases still open by state,
// and the mean points and gap per item across the cycle (the training need
// of seed 004). Scores counted are those of scored cases; tiers are the
// chairman's where he adjusted one.
#include "engine/case_service.h"

namespace af::engine {
namespace {

struct mean {
  std::int64_t sum = 0, n = 0;
  void add(std::int64_t v) {
    sum += v;
    ++n;
  }
  [[nodiscard]] json value() const {
    return n ? json(msg::points(exact::hundredths_half_up({sum, n * 100}))) : json(nullptr);
  }
};

}  // namespace

result<json> case_service::report(std::int64_t cycle_id,
                                  const std::optional<std::string>& hrbp_only) {
  auto cycle = db_.find_cycle_row(cycle_id);
  if (!cycle) return status::not_found("cycle " + std::to_string(cycle_id) + " does not exist");
  auto wf = programs_.find(cycle->program);
  if (wf == programs_.end())
    return status::invalid("cycle " + std::to_string(cycle_id) + ": program " + cycle->program +
                           " is not defined");
  case_filter f;
  f.cycle_id = cycle_id;
  std::map<std::string, std::map<std::string, std::int64_t>> tiers_by_unit, tiers_by_supervisor;
  std::map<std::string, std::int64_t> open;
  std::map<std::string, mean> unit_mean, supervisor_mean;
  std::map<std::string, std::string> unit_of_supervisor;
  std::map<std::string, mean> item_points, item_gap;
  std::vector<std::string> item_order;
  std::int64_t total_cases = 0, final_cases = 0;
  db_.for_each_case(f, [&](const case_row& c) {
    if (hrbp_only && c.hrbp_id != *hrbp_only) return;
    ++total_cases;
    auto s = wf->second.find_state(c.state);
    bool terminal = s && wf->second.is_terminal(*s);
    if (!terminal) ++open[c.state];
    if (c.state == "final") ++final_cases;
    if (!c.total) return;  // not scored (yet)
    unit_mean[c.unit].add(*c.total);
    supervisor_mean[c.supervisor_id].add(*c.total);
    unit_of_supervisor[c.supervisor_id] = c.unit;
    if (auto tier = c.adjusted_tier ? c.adjusted_tier : c.tier) {
      std::string t = "tier " + std::to_string(*tier);
      ++tiers_by_unit[c.unit][t];
      ++tiers_by_supervisor[c.supervisor_id][t];
    }
    json result = c.result_json ? json::parse(*c.result_json, nullptr, false) : json();
    if (!result.is_object()) return;
    for (auto it = result["items"].begin(); it != result["items"].end(); ++it) {
      if (!item_points.count(it.key())) item_order.push_back(it.key());
      item_points[it.key()].add(std::llround(it.value().get<double>() * 100));
      if (result.contains("gap") && result["gap"].contains(it.key()))
        item_gap[it.key()].add(std::llround(result["gap"][it.key()].get<double>() * 100));
    }
  });
  json supervisors = json::array();
  for (const auto& [id, m] : supervisor_mean) {
    const mean& u = unit_mean[unit_of_supervisor[id]];
    json diff = nullptr;
    if (m.n && u.n) {
      // Exact: sum_s / n_s - sum_u / n_u, in hundredths.
      diff = msg::points(exact::hundredths_half_up({m.sum * u.n - u.sum * m.n, m.n * u.n * 100}));
    }
    supervisors.push_back({{"supervisor_id", id},
                           {"unit", unit_of_supervisor[id]},
                           {"cases", m.n},
                           {"mean_total", m.value()},
                           {"unit_mean_total", u.value()},
                           {"difference", diff},
                           {"tiers", tiers_by_supervisor.count(id) ? json(tiers_by_supervisor[id])
                                                                   : json::object()}});
  }
  json units = json::array();
  for (const auto& [unit, m] : unit_mean)
    units.push_back(
        {{"unit", unit},
         {"cases", m.n},
         {"mean_total", m.value()},
         {"tiers", tiers_by_unit.count(unit) ? json(tiers_by_unit[unit]) : json::object()}});
  json items = json::array();
  for (const auto& key : item_order) {
    json row{{"item", key}, {"mean_points", item_points[key].value()}};
    if (item_gap.count(key)) row["mean_gap"] = item_gap[key].value();
    items.push_back(row);
  }
  return json{{"cycle", cycle_id},    {"program", cycle->program},  {"period", cycle->period},
              {"cases", total_cases}, {"final", final_cases},       {"open_by_state", open},
              {"units", units},       {"supervisors", supervisors}, {"items", items}};
}

}  // namespace af::engine
