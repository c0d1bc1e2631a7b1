// case_report.cpp: the report of one cycle (`assessctl report`): tiers per
// business unit and per supervisor, each supervisor's mean total against
// their unit's (leniency or severity), cases still open by state, and the
// mean points and gap per item across the cycle (the training need of seed
// 004). Scores counted are those of scored cases; tiers are the chairman's
// where he adjusted one. And the list of overdue cases (`assessctl overdue`).
#include <cmath>
#include <set>

#include "engine/case_parties.h"
#include "engine/case_views.h"

namespace af::engine {
namespace {

using json = msg::json;

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

using tier_counts = std::map<std::string, std::int64_t>;

// The states a case ends in when it was carried through: terminal states
// that some action other than cancel leads to ("final", not "cancelled").
std::set<state_id> finished_states(const workflow& wf) {
  std::set<state_id> out;
  for (const auto& t : wf.transitions())
    if (t.act != action::cancel && wf.is_terminal(t.to)) out.insert(t.to);
  return out;
}

json tiers_or_none(const std::map<std::string, tier_counts>& by, const std::string& key) {
  auto it = by.find(key);
  return it != by.end() ? json(it->second) : json::object();
}

// What one cycle's cases add up to.
struct cycle_tally {
  std::map<std::string, tier_counts> tiers_by_unit, tiers_by_supervisor;
  std::map<std::string, std::int64_t> open;
  std::map<std::string, mean> unit_mean, supervisor_mean;
  std::map<std::string, std::string> unit_of_supervisor;
  std::map<std::string, mean> item_points, item_gap;
  std::vector<std::string> item_order;
  std::int64_t total_cases = 0, final_cases = 0;

  void add(const case_row& c, const workflow& wf, const std::set<state_id>& finished) {
    ++total_cases;
    auto s = wf.find_state(c.state);
    bool terminal = s && wf.is_terminal(*s);
    if (!terminal) ++open[c.state];
    if (s && finished.count(*s)) ++final_cases;
    if (!c.total) return;  // not scored (yet)
    unit_mean[c.unit].add(*c.total);
    supervisor_mean[c.supervisor_id].add(*c.total);
    unit_of_supervisor[c.supervisor_id] = c.unit;
    if (auto tier = c.adjusted_tier ? c.adjusted_tier : c.tier) {
      std::string t = "tier " + std::to_string(*tier);
      ++tiers_by_unit[c.unit][t];
      ++tiers_by_supervisor[c.supervisor_id][t];
    }
    if (c.result_json) add_items(json::parse(*c.result_json, nullptr, false));
  }

  void add_items(const json& result) {
    if (!result.is_object()) return;
    const json& items = result.value("items", json::object());
    for (auto it = items.begin(); it != items.end(); ++it) {
      if (!item_points.count(it.key())) item_order.push_back(it.key());
      item_points[it.key()].add(std::llround(it.value().get<double>() * 100));
      if (result.contains("gap") && result["gap"].contains(it.key()))
        item_gap[it.key()].add(std::llround(result["gap"][it.key()].get<double>() * 100));
    }
  }

  [[nodiscard]] json supervisors() const {
    json out = json::array();
    for (const auto& [id, m] : supervisor_mean) {
      const std::string& unit = unit_of_supervisor.at(id);
      const mean& u = unit_mean.at(unit);
      json diff = nullptr;
      if (m.n && u.n)  // exact: sum_s / n_s - sum_u / n_u, in hundredths
        diff = msg::points(exact::hundredths_half_up({m.sum * u.n - u.sum * m.n, m.n * u.n * 100}));
      out.push_back({{"supervisor_id", id},
                     {"unit", unit},
                     {"cases", m.n},
                     {"mean_total", m.value()},
                     {"unit_mean_total", u.value()},
                     {"difference", diff},
                     {"tiers", tiers_or_none(tiers_by_supervisor, id)}});
    }
    return out;
  }

  [[nodiscard]] json units() const {
    json out = json::array();
    for (const auto& [unit, m] : unit_mean)
      out.push_back({{"unit", unit},
                     {"cases", m.n},
                     {"mean_total", m.value()},
                     {"tiers", tiers_or_none(tiers_by_unit, unit)}});
    return out;
  }

  [[nodiscard]] json items() const {
    json out = json::array();
    for (const auto& key : item_order) {
      json row{{"item", key}, {"mean_points", item_points.at(key).value()}};
      if (item_gap.count(key)) row["mean_gap"] = item_gap.at(key).value();
      out.push_back(row);
    }
    return out;
  }
};

}  // namespace

result<json> case_views::report(std::int64_t cycle_id,
                                const std::optional<std::string>& hrbp_only) {
  auto cycle = db_.find_cycle_row(cycle_id);
  if (!cycle) return status::not_found("cycle " + std::to_string(cycle_id) + " does not exist");
  auto wf = programs_.find(cycle->program);
  if (wf == programs_.end())
    return status::invalid("cycle " + std::to_string(cycle_id) + ": program " + cycle->program +
                           " is not defined");
  case_filter f;
  f.cycle_id = cycle_id;
  cycle_tally tally;
  auto finished = finished_states(wf->second);
  db_.for_each_case(f, [&](const case_row& c) {
    if (!hrbp_only || c.hrbp_id == *hrbp_only) tally.add(c, wf->second, finished);
  });
  return json{{"cycle", cycle_id},          {"program", cycle->program},
              {"period", cycle->period},    {"cases", tally.total_cases},
              {"final", tally.final_cases}, {"open_by_state", tally.open},
              {"units", tally.units()},     {"supervisors", tally.supervisors()},
              {"items", tally.items()}};
}

json case_views::overdue(std::int64_t now, const std::optional<std::string>& unit,
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
                     {"waiting_on", deadline_owner_ids(db_, c, d)},
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
