#include "workers/targets/targets_handler.h"

#include <algorithm>

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
  if (t.body_version < 2) {  // an older engine's task: one pooled outlet area, bare banquets
    in.outlets = {{"all", t.outlets_new, t.outlets_target}};
    in.banquets_unattributed = t.banquets;
  } else {
    in.key_township_stores = t.key_township_stores;
    in.outlets = {{"county", t.outlets_county, t.county_target},
                  {"township", t.outlets_township, t.township_target}};
    int attributed = 0;
    for (const auto& b : t.banquet_lines) {
      if (b.origin == 0) continue;
      in.banquets.push_back(
          {b.origin == 2 ? commission::banquet_origin::shop : commission::banquet_origin::personal,
           b.product, b.events, b.cases, b.bottles});
      attributed += b.events;
    }
    in.banquets_unattributed = std::max(0, t.banquets - attributed);
    if (t.banquet_target >= 0) in.banquet_target = t.banquet_target;
    in.inspections = t.inspections;
  }
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
