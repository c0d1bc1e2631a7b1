// inventory_view.cpp: the inventory (盘点, the seed's 员工素质发展分析表;
// DOMAIN.md "Qualification certification"): per person and per unit, each
// competency item's score and gap this period against the previous one,
// the certification outcome of the period, and the movement between grades.
#include <array>
#include <cmath>
#include <map>

#include "base/exact.h"
#include "engine/case_record.h"
#include "engine/case_views.h"

namespace af::engine {
namespace {

using json = msg::json;

// A final case's per-item member ("items" or "gap") in hundredths.
std::map<std::string, std::int64_t> per_item(const std::optional<case_row>& c, const char* key) {
  std::map<std::string, std::int64_t> out;
  if (!c || c->state != "final" || !c->result_json) return out;
  json r = json::parse(*c->result_json, nullptr, false);
  if (!r.is_object() || !r.contains(key) || !r[key].is_object()) return out;
  for (auto it = r[key].begin(); it != r[key].end(); ++it)
    if (it.value().is_number()) out[it.key()] = std::llround(it.value().get<double>() * 100);
  return out;
}

json points_or_null(const std::map<std::string, std::int64_t>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? json(nullptr) : msg::points(it->second);
}

// Sums for a unit's means.
struct sums {
  std::int64_t total = 0, n = 0;
  void add(const std::map<std::string, std::int64_t>& m, const std::string& key) {
    auto it = m.find(key);
    if (it == m.end()) return;
    total += it->second;
    ++n;
  }
  [[nodiscard]] json mean() const {
    return n ? msg::points(exact::hundredths_half_up({total, n * 100})) : json(nullptr);
  }
};

struct unit_sums {
  std::map<std::string, std::array<sums, 4>> items;  // score now, before; gap now, before
  std::map<std::string, int> outcomes;
  int people = 0, promoted = 0, demoted = 0;
};

}  // namespace

result<json> case_views::inventory(const std::string& period_text,
                                   const std::optional<std::string>& unit,
                                   const std::optional<std::string>& hrbp_only) {
  auto p = period::parse(period_text);
  if (!p || p->kind == period_kind::month)
    return status::invalid("period: an inventory is for a year (2026) or a quarter (2026-Q3)");
  std::string program;
  for (const auto& [name, r] : rubrics_)
    if (r.standard_score) program = name;
  if (program.empty()) return status::invalid("inventory: no program has a standard table");
  const auto& rubric = rubrics_.at(program);
  std::string now = p->to_string(), before = p->previous().to_string();
  auto moves = grades(now, std::nullopt, hrbp_only);  // filtered below by the unit of the period
  if (!moves) return moves.error();
  std::map<std::string, json> moved;  // employee -> their movements
  for (const auto& m : (*moves)["changes"]) moved[m["employee_id"]].push_back(m["movement"]);
  json people = json::array();
  std::map<std::string, unit_sums> units;
  db_.for_each_employee(std::nullopt, [&](const employee_row& e) {
    if (hrbp_only && e.hrbp_id != *hrbp_only) return;
    auto c_now = db_.find_case(program, now, e.id), c_before = db_.find_case(program, before, e.id);
    auto cert = db_.find_case("certification", now, e.id);
    // A person counts in the unit they were in for the period (their case
    // keeps it from its opening), not the one they have moved to since.
    const std::string& in_unit = c_now      ? c_now->unit
                                 : cert     ? cert->unit
                                 : c_before ? c_before->unit
                                            : e.unit;
    if (unit && in_unit != *unit) return;
    auto items_now = per_item(c_now, "items"), items_before = per_item(c_before, "items");
    auto gap_now = per_item(c_now, "gap"), gap_before = per_item(c_before, "gap");
    bool moved_now = moved.count(e.id) > 0;
    bool changed_grade = false;  // a first grade is no movement
    if (moved_now)
      for (const auto& m : moved[e.id]) changed_grade |= m == "promoted" || m == "demoted";
    if (items_now.empty() && items_before.empty() && !cert && !changed_grade) return;
    unit_sums& u = units[in_unit];
    ++u.people;
    json items = json::array();
    for (const auto& it : rubric.items) {
      json row{{"item", it.key},
               {"score", points_or_null(items_now, it.key)},
               {"previous_score", points_or_null(items_before, it.key)},
               {"gap", points_or_null(gap_now, it.key)},
               {"previous_gap", points_or_null(gap_before, it.key)}};
      row["change"] = items_now.count(it.key) && items_before.count(it.key)
                          ? msg::points(items_now[it.key] - items_before[it.key])
                          : json(nullptr);
      items.push_back(row);
      auto& s = u.items[it.key];
      s[0].add(items_now, it.key);
      s[1].add(items_before, it.key);
      s[2].add(gap_now, it.key);
      s[3].add(gap_before, it.key);
    }
    json certification = nullptr;
    if (cert) {
      std::string outcome = outcome_of(cert->result_json);
      certification = {{"case", cert->id},
                       {"state", cert->state},
                       {"outcome", outcome.empty() ? json(nullptr) : json(outcome)}};
      // Only what HR approved counts; the rest is pending.
      if (cert->state == "final" && !outcome.empty()) ++u.outcomes[outcome];
      if (cert->state != "final" && cert->state != "cancelled") ++u.outcomes["pending"];
    }
    json movement = moved_now ? moved[e.id] : json::array();
    for (const auto& m : movement) {
      u.promoted += m == "promoted";
      u.demoted += m == "demoted";
    }
    people.push_back({{"employee_id", e.id},
                      {"name", e.name},
                      {"unit", in_unit},
                      {"grade", e.grade},
                      {"items", items},
                      {"certification", certification},
                      {"grade_movement", movement}});
  });
  json unit_list = json::array();
  for (const auto& [name, u] : units) {
    json items = json::array();
    for (const auto& it : rubric.items) {
      const auto& s = u.items.at(it.key);
      items.push_back({{"item", it.key},
                       {"mean_score", s[0].mean()},
                       {"previous_mean_score", s[1].mean()},
                       {"mean_gap", s[2].mean()},
                       {"previous_mean_gap", s[3].mean()}});
    }
    unit_list.push_back({{"unit", name},
                         {"people", u.people},
                         {"items", items},
                         {"certification", u.outcomes},
                         {"promoted", u.promoted},
                         {"demoted", u.demoted}});
  }
  return json{{"period", now},
              {"previous_period", before},
              {"program", program},
              {"unit", unit ? json(*unit) : json(nullptr)},
              {"grades_known_from", (*moves)["known_from"]},
              {"people", people},
              {"units", unit_list}};
}

}  // namespace af::engine
