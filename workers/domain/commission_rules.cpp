// commission_rules.cpp: schemas/commission/rules.json read into
// commission::rules, every key checked.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "workers/domain/commission.h"

namespace af::commission {
namespace {

using json = nlohmann::json;

// The member at the dotted `path` ("banquets.shop_per_event_fen"); null
// when a step is missing.
const json* member_at(const json& j, const std::string& path) {
  const json* node = &j;
  for (std::size_t start = 0; start < path.size();) {
    auto dot = path.find('.', start);
    std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
    start = dot == std::string::npos ? path.size() : dot + 1;
  }
  return node;
}

status read_int(const json& j, const std::string& src, const std::string& path, std::int64_t& out) {
  const json* node = member_at(j, path);
  if (!node) return status::invalid(src + ": " + path + ": missing");
  if (!node->is_number_integer() || node->get<std::int64_t>() < 0)
    return status::invalid(src + ": " + path + ": must be a whole number >= 0");
  out = node->get<std::int64_t>();
  return status::ok();
}

// `path` (an object under `j`) as name -> fen, each name one that `known`
// accepts.
status read_amounts(const json& j, const std::string& src, const std::string& path,
                    bool (*known)(std::string_view), const char* what,
                    std::map<std::string, std::int64_t>& out) {
  const json* node = member_at(j, path);
  if (!node) return status::invalid(src + ": " + path + ": missing");
  if (!node->is_object()) return status::invalid(src + ": " + path + ": must be an object");
  for (const auto& [name, fen] : node->items()) {
    if (!known(name)) return status::invalid(src + ": " + path + "." + name + ": unknown " + what);
    if (!fen.is_number_integer() || fen.get<std::int64_t>() < 0)
      return status::invalid(src + ": " + path + "." + name + ": must be a whole number >= 0");
    out[name] = fen.get<std::int64_t>();
  }
  return status::ok();
}

}  // namespace

bool is_banquet_product(std::string_view product) {
  return std::find(std::begin(banquet_products), std::end(banquet_products), product) !=
         std::end(banquet_products);
}

bool is_inspection_finding(std::string_view finding) {
  return std::find(std::begin(inspection_findings), std::end(inspection_findings), finding) !=
         std::end(inspection_findings);
}

result<rules> parse_rules(std::string_view text, const std::string& src) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  rules r;
  std::int64_t full = 0, reduced = 0, cfull = 0, creduced = 0, rescue = 0, run = 0, target = 0,
               township = 0;
  std::pair<const char*, std::int64_t*> fields[] = {
      {"rate_factor_percent.full", &full},
      {"rate_factor_percent.reduced", &reduced},
      {"completion_percent.full", &cfull},
      {"completion_percent.reduced", &creduced},
      {"completion_percent.combined_rescue", &rescue},
      {"miss_penalty.every_consecutive_misses", &run},
      {"miss_penalty.fen", &r.miss_penalty_fen},
      {"display_stores.target", &target},
      {"display_stores.per_key_township", &township},
      {"display_stores.penalty_per_missing_fen", &r.display_penalty_per_missing_fen},
      {"display_stores.reward_at_target_fen", &r.display_reward_fen},
      {"new_outlets.reward_each_fen", &r.outlet_reward_each_fen},
      {"new_outlets.penalty_per_short_fen", &r.outlet_penalty_per_short_fen},
      {"new_outlets.reward_above_target_fen", &r.outlet_reward_above_fen},
      {"banquets.short_penalty_per_event_fen", &r.banquet_short_penalty_fen},
      {"banquets.above_target_reward_per_event_fen", &r.banquet_above_reward_fen},
  };
  for (auto [path, out] : fields)
    if (status s = read_int(j, src, path, *out); !s) return s;
  if (full > 100 || reduced > full)
    return status::invalid(src + ": rate_factor_percent: need 0 <= reduced <= full <= 100");
  if (creduced > cfull || cfull == 0)
    return status::invalid(src + ": completion_percent: need reduced <= full, full > 0");
  if (run < 1)
    return status::invalid(src + ": miss_penalty.every_consecutive_misses: must be >= 1");
  if (target > 1'000'000 || township > 1'000'000)
    return status::invalid(src + ": display_stores: store counts must be at most 1000000");
  r.full_factor_percent = static_cast<int>(full);
  r.reduced_factor_percent = static_cast<int>(reduced);
  r.full_completion_percent = static_cast<int>(cfull);
  r.reduced_completion_percent = static_cast<int>(creduced);
  r.combined_rescue_percent = static_cast<int>(rescue);
  r.miss_run = static_cast<int>(run);
  r.display_target = static_cast<int>(target);
  r.display_per_key_township = static_cast<int>(township);
  std::tuple<const char*, bool (*)(std::string_view), const char*,
             std::map<std::string, std::int64_t>*>
      maps[] = {
          {"banquets.personal_per_case_fen", is_banquet_product, "product",
           &r.banquet_personal_per_case_fen},
          {"banquets.personal_per_bottle_fen", is_banquet_product, "product",
           &r.banquet_personal_per_bottle_fen},
          {"banquets.shop_per_event_fen", is_banquet_product, "product",
           &r.banquet_shop_per_event_fen},
          {"inspection_fines_fen", is_inspection_finding, "finding", &r.inspection_fine_fen},
      };
  for (auto [path, known, what, out] : maps)
    if (status s = read_amounts(j, src, path, known, what, *out); !s) return s;
  return r;
}

}  // namespace af::commission
