// commission.h: one month's sales-target result for one account manager
// (DOMAIN.md program 3): completion per brand, rate factor with the
// combined-brand rule, commission, the consecutive-miss penalty, and the
// process indicators: combined display (with the key townships), outlet
// development (county and township apart), family banquets (by origin and
// product, against the month's target) and market inspection fines. Pure
// and exact: money is integer fen, completion is compared as a fraction,
// rounding happens once per brand (half up). The same function serves the
// targets worker and the offline `assessctl commission`.
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

// The banquet products (DESIGN.md "Offline commission input").
inline constexpr std::string_view banquet_products[] = {"haizhilan", "tianzhilan",    "mengzhilan",
                                                        "rouhe",     "rouhe_sanxing", "qingzihao",
                                                        "laozihao",  "junfang"};
bool is_banquet_product(std::string_view product);
// What a market inspection finds at a store (the inspection_failed event's
// `finding`).
inline constexpr std::string_view inspection_findings[] = {"display_count", "not_restocked",
                                                           "labels_missing", "policy_unknown"};
bool is_inspection_finding(std::string_view finding);

// The rule constants, from schemas/commission/rules.json.
struct rules {
  int full_factor_percent = 100, reduced_factor_percent = 70;
  int full_completion_percent = 100, reduced_completion_percent = 50, combined_rescue_percent = 70;
  int miss_run = 3;
  std::int64_t miss_penalty_fen = 30000;
  int display_target = 50, display_per_key_township = 10;
  std::int64_t display_penalty_per_missing_fen = 2000, display_reward_fen = 10000;
  std::int64_t outlet_reward_each_fen = 3000, outlet_penalty_per_short_fen = 1500,
               outlet_reward_above_fen = 10000;
  // A banquet the manager developed: per case or per bottle of the product
  // (a product absent from a map earns nothing that way).
  std::map<std::string, std::int64_t> banquet_personal_per_case_fen,
      banquet_personal_per_bottle_fen;
  // A banquet sourced through a shop: per event, by product.
  std::map<std::string, std::int64_t> banquet_shop_per_event_fen;
  std::int64_t banquet_short_penalty_fen = 5000, banquet_above_reward_fen = 30000;
  std::map<std::string, std::int64_t> inspection_fine_fen;  // by finding, per store found
};

// Parses rules.json text; InvalidArgument naming the key at fault.
result<rules> parse_rules(std::string_view json_text, const std::string& source);

struct brand_input {
  std::string brand;
  std::int64_t target_fen = 0;
  std::int64_t sales_fen = 0;  // net of refunds
  int rate_bp = 0;             // commission rate in basis points (300 = 3%)
};

// New outlets of one area against its target (the seed: county and
// township apart; one pooled area when the input does not split them).
struct outlet_area {
  std::string area;  // "county", "township", or "all"
  int opened = 0, target = 0;
};

enum class banquet_origin : std::uint8_t { personal, shop };
// Banquets of one origin and product in the month: how many, and the cases
// and bottles of the product they used.
struct banquet_line {
  banquet_origin origin = banquet_origin::personal;
  std::string product;
  int events = 0;
  std::int64_t cases = 0, bottles = 0;
};

struct month_input {
  std::string period;  // "2026-07"
  std::vector<brand_input> brands;
  std::vector<bool> previous_months_met;  // oldest first, the months before this one
  // Distinct stores with a passed display check, and of them the stores in
  // each of the plan's key townships (every key township listed, 0 when none).
  int display_stores = 0;
  std::map<std::string, int> key_township_stores;
  std::vector<outlet_area> outlets;
  std::vector<banquet_line> banquets;
  int banquets_unattributed = 0;      // held without origin and product: count toward the target
  std::optional<int> banquet_target;  // events this month; none: no target
  std::map<std::string, int> inspections;  // finding -> stores found
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
  std::int64_t commission_fen = 0, penalty_fen = 0, rewards_fen = 0, fines_fen = 0, total_fen = 0;
  std::vector<std::string> lines;  // one line per penalty or reward, for people
};

// Total = commission + rewards - penalty - fines. InvalidArgument for
// negative amounts or counts, a rate outside 0..10000, a duplicated brand
// or outlet area, an unknown banquet product or inspection finding, or a
// sum that does not fit in 64 bits.
result<month_result> compute_month(const month_input& in, const rules& r);

// The result as DESIGN.md shows it: per brand completion (percent, two
// decimals, floored), rate_factor, commission_fen; then the month's
// penalty_fen, rewards_fen, fines_fen, total_fen and one line per
// penalty, reward or fine.
nlohmann::ordered_json to_json(const month_input& in, const month_result& r);

}  // namespace af::commission
