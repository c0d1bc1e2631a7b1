// commission.h: one month's sales-target result for one account manager
// (DOMAIN.md program 3): completion per brand, rate factor with the
// combined-brand rule, commission, the consecutive-miss penalty, display
// store, new outlet and banquet rewards. Pure and exact: money is integer
// fen, completion is compared as a fraction, rounding happens once per
// brand (half up). The same function serves the targets worker and the
// offline `assessctl commission`.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace af::commission {

// The rule constants, from schemas/commission/rules.json.
struct rules {
  int full_factor_percent = 100, reduced_factor_percent = 70;
  int full_completion_percent = 100, reduced_completion_percent = 50, combined_rescue_percent = 70;
  int miss_run = 3;
  std::int64_t miss_penalty_fen = 30000;
  int display_target = 50;
  std::int64_t display_penalty_per_missing_fen = 2000, display_reward_fen = 10000;
  std::int64_t outlet_reward_each_fen = 3000, outlet_penalty_per_short_fen = 1500,
               outlet_reward_above_fen = 10000;
  std::map<std::string, std::int64_t> banquet_reward_fen;  // by product line; "default" for others
};

// Parses rules.json text; InvalidArgument naming the key at fault.
result<rules> parse_rules(std::string_view json_text, const std::string& source);

struct brand_input {
  std::string brand;
  std::int64_t target_fen = 0;
  std::int64_t sales_fen = 0;  // net of refunds
  int rate_bp = 0;             // commission rate in basis points (300 = 3%)
};

struct month_input {
  std::string period;  // "2026-07"
  std::vector<brand_input> brands;
  std::vector<bool> previous_months_met;  // oldest first, the months before this one
  int display_stores = 0;
  int outlets_new = 0, outlets_target = 0;
  std::map<std::string, int> banquets;  // product line -> events held
};

struct brand_result {
  std::string brand;
  std::optional<std::int64_t>
      completion_bp;       // hundredths of a percent, floored; none without a target
  int factor_percent = 0;  // 100, 70 or 0
  std::int64_t commission_fen = 0;
};

struct month_result {
  std::vector<brand_result> brands;
  std::optional<std::int64_t> combined_completion_bp;
  bool met = false;  // total sales >= total target
  int miss_run = 0;  // consecutive months not met, this one included
  std::int64_t commission_fen = 0, penalty_fen = 0, rewards_fen = 0, total_fen = 0;
  std::vector<std::string> lines;  // one line per penalty or reward, for people
};

// InvalidArgument for negative amounts, a rate outside 0..10000, an
// unknown banquet line without a default, or a duplicated brand.
result<month_result> compute_month(const month_input& in, const rules& r);

// The result as DESIGN.md shows it: per brand completion (percent, two
// decimals, floored), rate_factor, commission_fen; then the month's
// penalty_fen, rewards_fen, total_fen and one line per penalty or reward.
nlohmann::ordered_json to_json(const month_input& in, const month_result& r);

}  // namespace af::commission
