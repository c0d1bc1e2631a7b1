#include "workers/domain/commission_plan.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace af::commission {

using json = nlohmann::json;

result<plan> parse_plan(std::string_view text, const std::string& src) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  plan p;
  if (!j.contains("rate_bp") || !j["rate_bp"].is_object())
    return status::invalid(src + ": rate_bp: missing");
  for (auto it = j["rate_bp"].begin(); it != j["rate_bp"].end(); ++it) {
    if (!it.value().is_number_integer() || it.value().get<int>() < 0 ||
        it.value().get<int>() > 10000)
      return status::invalid(src + ": rate_bp." + it.key() + ": must be 0..10000 basis points");
    if (it.key() == "default")
      p.default_rate_bp = it.value().get<int>();
    else
      p.rate_bp[it.key()] = it.value().get<int>();
  }
  const json& townships = j.value("key_townships", json::array());
  if (!townships.is_array()) return status::invalid(src + ": key_townships: must be an array");
  for (const auto& t : townships) {
    if (!t.is_string() || t.get<std::string>().empty())
      return status::invalid(src + ": key_townships: must be township names");
    p.key_townships.push_back(t.get<std::string>());
  }
  const json& outlets = j.value("outlet_targets_per_month", json());
  if (!outlets.is_object()) return status::invalid(src + ": outlet_targets_per_month: missing");
  for (auto [key, out] :
       {std::pair{"county", &p.county_outlets_target}, {"township", &p.township_outlets_target}}) {
    const json& n = outlets.value(key, json());
    if (!n.is_number_integer() || n.get<std::int64_t>() < 0 || n.get<std::int64_t>() > 1'000'000)
      return status::invalid(src + ": outlet_targets_per_month." + key + ": must be 0..1000000");
    *out = n.get<int>();
  }
  const json& banquets = j.value("banquet_target_by_month", json::object());
  if (!banquets.is_object())
    return status::invalid(src + ": banquet_target_by_month: must be an object");
  for (const auto& [month, n] : banquets.items()) {
    int m = month.size() <= 2 && !month.empty() &&
                    month.find_first_not_of("0123456789") == std::string::npos
                ? std::stoi(month)
                : 0;
    if (m < 1 || m > 12)
      return status::invalid(src + ": banquet_target_by_month." + month + ": not a month 1..12");
    if (!n.is_number_integer() || n.get<std::int64_t>() < 0 || n.get<std::int64_t>() > 1'000'000)
      return status::invalid(src + ": banquet_target_by_month." + month + ": must be 0..1000000");
    p.banquet_target_by_month[m] = n.get<int>();
  }
  return p;
}

std::vector<bool> previous_months_met(const std::vector<month_totals>& newest_first) {
  std::vector<bool> met;
  for (const auto& m : newest_first) {
    if (m.target_fen == 0) break;
    met.push_back(m.net_fen >= m.target_fen);
  }
  return {met.rbegin(), met.rend()};
}

}  // namespace af::commission
