#include "workers/targets/targets_handler.h"

namespace af::worker {

msg::targets_result check_targets(const msg::targets_task& t, const commission::rules& rules) {
  msg::targets_result r;
  r.case_id = t.case_id;
  commission::month_input in;
  in.period = t.period;
  for (const auto& b : t.brands)
    in.brands.push_back({b.name, b.target_fen, b.sales_fen, b.rate_bp});
  in.previous_months_met = t.previous_months_met;
  in.display_stores = t.display_stores;
  in.outlets_new = t.outlets_new;
  in.outlets_target = t.outlets_target;
  if (t.banquets > 0) in.banquets["default"] = t.banquets;
  auto month = commission::compute_month(in, rules);
  if (!month) {
    r.error = month.error().message();
    return r;
  }
  r.ok = true;
  r.met = month->met;
  r.total_fen = month->total_fen;
  r.result_json = commission::to_json(in, *month).dump();
  return r;
}

}  // namespace af::worker
