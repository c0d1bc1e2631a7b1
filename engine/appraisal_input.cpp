#include "engine/appraisal_input.h"

#include "base/checked.h"

namespace af::engine {
namespace {

// The months of `p`, oldest first, as "2026-07".
std::vector<std::string> months_of(const period& p) {
  std::vector<std::string> out;
  for (period m = period::month_of(p.first_day()); m.first_day() <= p.last_day(); m = m.next())
    out.push_back(m.to_string());
  return out;
}

period year_before(const period& p) { return {p.kind, p.year - 1, p.index}; }

}  // namespace

void add_appraisal_figures(store& db, const period& p, msg::scoring_task& t) {
  const std::string& who = t.employee_id;
  auto months = months_of(p);
  auto before = months_of(year_before(p));
  t.has_figures = true;
  t.net_sales_fen = db.monthly_sum(who, months.front(), months.back()).net_fen();
  t.net_sales_year_before_fen = db.monthly_sum(who, before.front(), before.back()).net_fen();
  checked::sum target("the period's target of " + who), complaints("complaints of " + who);
  for (const auto& m : months) {
    for (const auto& b : db.brand_months(who, m)) target += b.target_fen;
    complaints += db.activity(who, m).complaints;
  }
  t.target_fen = target.value();
  t.complaints = complaints.value();
  auto c = db.customers(who, months.front(), months.back());
  t.customers = c.customers;
  t.new_customers = c.new_customers;
  t.repeat_customers = c.repeat_customers;
}

}  // namespace af::engine
