// commission_plan.h: the company's settings for the monthly target check
// and the annual grade review (DOMAIN.md program 3): commission rates by
// brand and the new-outlet target (schemas/commission/plan.json), the grade
// rule (schemas/commission/grade_rule.json), and the two rules the engine
// applies with them: which earlier months count towards a run of misses,
// and the grade a year's appraisals propose. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace af::commission {

// A year's appraisals against the grade (1 best .. 4): promote when at
// least promote_months_met months met their target and net sales grew by
// at least promote_growth_percent on the year before; demote when at most
// demote_months_met months did (and at least one month was appraised).
struct grade_rule {
  int promote_months_met = 10;
  int promote_growth_percent = 0;
  int demote_months_met = 3;
};

struct plan {
  std::map<std::string, int> rate_bp;  // by brand
  int default_rate_bp = 300;           // every other brand
  std::vector<std::string> key_townships;
  int county_outlets_target = 0, township_outlets_target = 0;  // per manager and month
  std::map<int, int> banquet_target_by_month;                  // month 1..12 -> events
  grade_rule grades;
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

// grade_rule.json's text: the three whole numbers of grade_rule under the
// keys promote_if_months_met_at_least, promote_if_growth_percent_at_least
// and demote_if_months_met_at_most, demote below promote. InvalidArgument
// naming `source` and the key at fault.
result<grade_rule> parse_grade_rule(std::string_view json_text, const std::string& source);

// One earlier month's totals over every brand, net of refunds.
struct month_totals {
  std::int64_t target_fen = 0;
  std::int64_t net_fen = 0;
};
// Whether each earlier month met its target, oldest first, from their
// totals given newest first: the run stops at the first month without a
// target, since a run of misses cannot reach past it.
std::vector<bool> previous_months_met(const std::vector<month_totals>& newest_first);

struct grade_proposal {
  int proposed_grade = 0;
  std::string text;  // "keep grade 2", "promote to grade 1", "demote to grade 3"
};
// The proposal for a manager at `grade` whose year had `months_met` of
// `months_appraised` months met and net-sales growth `growth_bp` (hundredths
// of a percent; none when the year before had no sales). Grade 1 is never
// promoted, grade 4 never demoted.
grade_proposal propose_grade(const grade_rule& rule, int grade, int months_met,
                             int months_appraised, std::optional<__int128> growth_bp);

}  // namespace af::commission
