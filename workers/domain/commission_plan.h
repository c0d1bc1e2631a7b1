// commission_plan.h: the company's settings for the monthly target check
// and the annual grade review (DOMAIN.md program 3): commission rates by
// brand and the new-outlet target (schemas/commission/plan.json), the grade
// rule (schemas/commission/grade_rule.json), and the two rules the engine
// applies with them: which earlier months count towards a run of misses
// (the grade rule itself is workers/domain/grade_review.h). Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "workers/domain/grade_review.h"

namespace af::commission {

struct plan {
  std::map<std::string, int> rate_bp;  // by brand
  int default_rate_bp = 300;           // every other brand
  std::vector<std::string> key_townships;
  int county_outlets_target = 0, township_outlets_target = 0;  // per manager and month
  std::map<int, int> banquet_target_by_month;                  // month 1..12 -> events
  grade_review::rule grades;                                   // schemas/commission/grade_rule.json
  [[nodiscard]] int rate_for(const std::string& brand) const {
    auto it = rate_bp.find(brand);
    return it == rate_bp.end() ? default_rate_bp : it->second;
  }
};

// plan.json's text: {"rate_bp": {BRAND|"default": 0..10000},
// "key_townships": [NAME, ...], "outlet_targets_per_month": {"county": N,
// "township": N}, "banquet_target_by_month": {"1".."12": N}} (N whole
// numbers >= 0; a month left out has no banquet target). InvalidArgument
// naming `source` and the key at fault. The grade rule keeps its defaults.
result<plan> parse_plan(std::string_view json_text, const std::string& source);

// One earlier month's totals over every brand, net of refunds.
struct month_totals {
  std::int64_t target_fen = 0;
  std::int64_t net_fen = 0;
};
// Whether each earlier month met its target, oldest first, from their
// totals given newest first: the run stops at the first month without a
// target, since a run of misses cannot reach past it.
std::vector<bool> previous_months_met(const std::vector<month_totals>& newest_first);

}  // namespace af::commission
