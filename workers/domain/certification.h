// certification.h: qualification certification (DOMAIN.md, seed 004: 评
// 上岗资格认证 · 育 能力提升辅导 · 考 晋升/淘汰) on ability plus performance.
// Ability is the year's competency model result against the standard
// score: every item at least a floor ("mostly met", 3) and no more than a
// set number of items below the standard; performance the year's annual
// appraisal total. Passing both certifies (or recommends for promotion);
// failing once is provisional (a learning plan and a re-exam by a
// deadline); failing the re-exam demotes, or eliminates a grade-4
// manager. The thresholds are schemas/certification/rule.json. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace af::certification {

enum class outcome : std::uint8_t {
  certified,
  recommended_for_promotion,
  provisional,
  demoted,
  eliminated,
  no_competency_result
};
inline constexpr std::array<outcome, 6> all_outcomes = {
    outcome::certified,  outcome::recommended_for_promotion, outcome::provisional, outcome::demoted,
    outcome::eliminated, outcome::no_competency_result};
std::string_view outcome_name(outcome o);
std::optional<outcome> parse_outcome(std::string_view name);

struct rule {
  std::string ability_program = "competency_model";
  std::int64_t item_floor = 300;         // hundredths: every item at least this
  int items_below_standard_at_most = 3;  // items under the standard score
  std::string performance_program = "performance_year";
  std::int64_t total_at_least = 6000;     // hundredths of the annual total
  int promotion_items_below_at_most = 0;  // recommended for promotion: no more below the standard
  std::int64_t promotion_total_at_least = 8500;
  std::int64_t re_exam_pass = 6000;  // hundredths of the re-exam score
};

// rule.json's text: {"ability": {"program", "every_item_at_least",
// "items_below_standard_at_most"}, "performance": {"program",
// "total_at_least"}, "promotion": {"items_below_standard_at_most",
// "total_at_least"}, "re_exam": {"pass_score"}}; numbers whole or with
// two decimals. InvalidArgument naming `source` and the key at fault.
result<rule> parse_rule(std::string_view json_text, const std::string& source);

struct facts {
  int grade = 4;  // 1 (highest) .. 4
  std::optional<std::vector<std::int64_t>>
      items;                                    // competency points (hundredths); none: no result
  std::int64_t standard = 500;                  // the standard score, hundredths
  std::optional<std::int64_t> appraisal_total;  // none: no final annual appraisal
  bool after_provisional = false;               // the case was provisional: this is the re-exam
  std::optional<std::int64_t> re_exam;          // hundredths; none at the re-exam: missed
};

struct decision {
  outcome result = outcome::no_competency_result;
  std::vector<std::string> reasons;  // the figures and thresholds that decided it
};

decision decide(const rule& r, const facts& f);

}  // namespace af::certification
