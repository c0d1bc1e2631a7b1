// sales_views.cpp: a manager's sales over a period and the quarterly or
// annual roll-up of their monthly appraisals (`assessctl sales`, `rollup`).
#include "base/checked.h"
#include "engine/case_views.h"

namespace af::engine {
namespace {

using json = msg::json;

// The months of one roll-up, summed exactly.
struct month_sums {
  explicit month_sums(const std::string& of)
      : commission("the commission" + of),
        penalty("the penalties" + of),
        fines("the fines" + of),
        rewards("the rewards" + of),
        total("the total pay" + of),
        net("the net sales" + of),
        target("the target" + of) {}
  checked::sum commission, penalty, fines, rewards, total, net, target;
  int met = 0, appraised = 0;
  json months = json::array();
  std::vector<std::string> missing;

  // One final appraisal's "month" member (the targets worker's result).
  void add_appraisal(const std::string& month, const json& r) {
    ++appraised;
    met += r.value("met", false) ? 1 : 0;
    commission += r.value("commission_fen", std::int64_t{0});
    penalty += r.value("penalty_fen", std::int64_t{0});
    fines += r.value("fines_fen", std::int64_t{0});
    rewards += r.value("rewards_fen", std::int64_t{0});
    total += r.value("total_fen", std::int64_t{0});
    months.push_back({{"month", month},
                      {"met", r.value("met", false)},
                      {"total_fen", r.value("total_fen", std::int64_t{0})}});
  }
};

// The results of the manager's cases of the period in the state that
// sales_check.rolled_up_from names (the final monthly appraisals), by
// month; NotFound when no program's workflow names one.
result<std::map<std::string, json>> rolled_up_cases(store& db, const program_registry& programs,
                                                    const std::string& manager_id,
                                                    const period& p) {
  case_filter f;
  for (const auto& [name, wf] : programs)
    if (wf.sales_check() && wf.sales_check()->rolled_up_from) {
      f.program = name;
      f.state = wf.state_name(*wf.sales_check()->rolled_up_from);
    }
  if (!f.program)
    return status::not_found("rollup: no program's workflow has sales_check.rolled_up_from");
  std::map<std::string, json> finals;
  db.for_each_case(f, [&](const case_row& c) {
    if (c.employee_id == manager_id && p.contains(*parse_date(c.as_of)))
      finals[c.period] = c.result_json ? json::parse(*c.result_json, nullptr, false) : json();
  });
  return finals;
}

// Growth over the year before in basis points, truncated toward zero;
// nullopt when the year before sold nothing (no base to grow from). 128
// bits: (net - before) x 10,000 may not fit in 64.
std::optional<__int128> growth_bp_of(std::int64_t net_fen, std::int64_t before_fen) {
  if (before_fen <= 0) return std::nullopt;
  return (static_cast<__int128>(net_fen) - before_fen) * 10000 / before_fen;
}

}  // namespace

result<json> case_views::sales(const std::string& manager_id, const std::string& period_text) {
  auto p = period::parse(period_text);
  if (!p) return status::invalid("period: \"" + period_text + "\" is not 2026-07, 2026-Q3 or 2026");
  if (!db_.find_employee(manager_id))
    return status::not_found("manager_id: unknown manager \"" + manager_id + "\"");
  auto f = db_.monthly_sum(manager_id, period::month_of(p->first_day()).to_string(),
                           period::month_of(p->last_day()).to_string());
  return json{{"manager_id", manager_id}, {"period", p->to_string()},
              {"sales_fen", f.sales_fen}, {"refunds_fen", f.refunds_fen},
              {"net_fen", f.net_fen()},   {"inquiries", f.inquiries},
              {"converted", f.converted}};
}

result<json> case_views::rollup(const std::string& manager_id, const std::string& period_text) {
  auto p = period::parse(period_text);
  if (!p || p->kind == period_kind::month)
    return status::invalid("period: a roll-up is for a quarter (2026-Q3) or a year (2026)");
  auto who = db_.find_employee(manager_id);
  if (!who) return status::not_found("manager_id: unknown manager \"" + manager_id + "\"");
  auto finals = rolled_up_cases(db_, programs_, manager_id, *p);
  if (!finals) return finals.error();
  month_sums sums(" of " + manager_id + " in " + p->to_string());
  for (auto m = period::month_of(p->first_day()); p->contains(m.first_day()); m = m.next()) {
    std::string month = m.to_string();
    for (const auto& b : db_.brand_months(manager_id, month)) {
      sums.net += b.sales_fen - b.refunds_fen;
      sums.target += b.target_fen;
    }
    auto it = finals->find(month);
    if (it == finals->end() || !it->second.is_object())
      sums.missing.push_back(month);
    else
      sums.add_appraisal(month, it->second["month"]);
  }
  period year_before = *p;
  year_before.year -= 1;
  auto before = db_.monthly_sum(manager_id, period::month_of(year_before.first_day()).to_string(),
                                period::month_of(year_before.last_day()).to_string());
  json out{{"manager_id", manager_id},
           {"period", p->to_string()},
           {"months_appraised", sums.appraised},
           {"months_met", sums.met},
           {"commission_fen", sums.commission.value()},
           {"penalty_fen", sums.penalty.value()},
           {"rewards_fen", sums.rewards.value()},
           {"fines_fen", sums.fines.value()},
           {"total_fen", sums.total.value()},
           {"net_sales_fen", sums.net.value()},
           {"target_fen", sums.target.value()},
           {"net_sales_year_before_fen", before.net_fen()},
           {"months", sums.months},
           {"months_without_final_appraisal", sums.missing}};
  auto growth_bp = growth_bp_of(sums.net.value(), before.net_fen());
  out["growth"] = growth_bp ? json(static_cast<double>(*growth_bp) / 100.0) : json(nullptr);
  if (p->kind == period_kind::year) {
    auto year = year_results(manager_id, *p);
    auto proposal = grade_review::propose(plan_.grades, who->grade, year);
    out["grade"] = who->grade;
    out["appraisal_total"] = year.appraisal_total ? msg::points(*year.appraisal_total) : json();
    out["competency_tier"] = year.competency_tier ? json(*year.competency_tier) : json();
    out["proposed_grade"] = proposal.proposed_grade;
    out["proposal"] = proposal.text;
    out["proposal_why"] = proposal.why;
  }
  return out;
}

grade_review::year_results case_views::year_results(const std::string& manager_id,
                                                    const period& year) {
  grade_review::year_results r;
  const auto& rule = plan_.grades;
  auto appraisal = db_.find_case(rule.appraisal_program, year.to_string(), manager_id);
  if (appraisal && appraisal->state == "final" && appraisal->total)
    r.appraisal_total = *appraisal->total;
  // The year's last final competency result: the year's own, else its
  // latest quarter's; a chairman's calibration counts.
  std::vector<std::string> periods{year.to_string()};
  for (int q = 4; q >= 1; --q)
    periods.push_back(period{period_kind::quarter, year.year, q}.to_string());
  for (const auto& name : periods) {
    auto c = db_.find_case(rule.competency_program, name, manager_id);
    if (!c || c->state != "final" || !(c->adjusted_tier || c->tier)) continue;
    r.competency_tier = static_cast<int>(c->adjusted_tier ? *c->adjusted_tier : *c->tier);
    break;
  }
  return r;
}

}  // namespace af::engine
