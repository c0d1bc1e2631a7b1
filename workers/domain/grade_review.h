// grade_review.h: the annual grade-change proposal (DOMAIN.md program 3,
// "Use of the result": the annual result feeds a grade change by one
// grade; qualification certification combines ability and performance).
// A year's final annual appraisal total and its competency result (the
// tier of the year's last final competency case, as calibrated) against
// the rule of schemas/commission/grade_rule.json. The proposal is advice
// for HR: nothing changes a grade by itself. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace af::grade_review {

// Grades run 1 (highest) to 4; competency tiers 1 (fully competent) to 4.
struct rule {
  std::string appraisal_program = "performance_year";
  std::string competency_program = "competency50";
  int promote_total_at_least = 85;  // points of 100
  int promote_tier_at_most = 2;
  int demote_total_below = 60;
  int demote_tier_at_least = 4;
};

// grade_rule.json's text: {"appraisal_program", "competency_program",
// "promote": {"appraisal_total_at_least": 0..100, "competency_tier_at_most":
// 1..4}, "demote": {"appraisal_total_below": 0..100,
// "competency_tier_at_least": 1..4}}, demotion below promotion.
// InvalidArgument naming `source` and the key at fault.
result<rule> parse_rule(std::string_view json_text, const std::string& source);

struct year_results {
  std::optional<std::int64_t> appraisal_total;  // hundredths; none: no final annual appraisal
  std::optional<int> competency_tier;           // none: no final competency result that year
};

struct proposal {
  int proposed_grade = 0;
  std::string text;  // "keep grade 2", "promote to grade 1", "demote to grade 3"
  std::string why;   // the figures and thresholds that decided it
};

// Demote when the total is below demote_total_below or the tier at least
// demote_tier_at_least; else promote when the total is at least
// promote_total_at_least and the tier at most promote_tier_at_most (no
// competency result: no promotion); else keep. Grade 1 is never promoted,
// grade 4 never demoted; without an annual appraisal nothing is proposed
// (the grade is kept, and `why` says so).
proposal propose(const rule& r, int grade, const year_results& year);

}  // namespace af::grade_review
