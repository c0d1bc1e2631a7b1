#include "tools/assessctl/offline_commission.h"

#include "base/civil_time.h"

namespace af::tools {
namespace {

using json = nlohmann::json;

result<std::int64_t> whole(const json& j, const std::string& where, bool required = true) {
  if (!j.is_number_integer()) {
    if (!required && j.is_null()) return std::int64_t{0};
    return status::invalid(where + ": must be a whole number, got " + j.dump());
  }
  if (j.get<std::int64_t>() < 0) return status::invalid(where + ": must be >= 0, got " + j.dump());
  return j.get<std::int64_t>();
}

}  // namespace

result<commission::month_input> read_commission_input(const json& in) {
  if (!in.is_object()) return status::invalid("input: must be a JSON object");
  commission::month_input m;
  m.period = in.value("period", "");
  auto p = period::parse(m.period);
  if (!p || p->kind != period_kind::month)
    return status::invalid("period: must be a month like \"2026-07\"");
  if (!in.contains("brands") || !in["brands"].is_array() || in["brands"].empty())
    return status::invalid("brands: missing (an array of {brand, target_fen, sales_fen, rate_bp})");
  int i = 0;
  for (const auto& b : in["brands"]) {
    std::string where = "brands[" + std::to_string(i++) + "]";
    if (!b.is_object() || !b.contains("brand") || !b["brand"].is_string() ||
        b["brand"].get<std::string>().empty())
      return status::invalid(where + ".brand: missing");
    commission::brand_input bi;
    bi.brand = b["brand"].get<std::string>();
    where = "brands." + bi.brand;
    for (auto [key, target] :
         {std::pair{"target_fen", &bi.target_fen}, {"sales_fen", &bi.sales_fen}}) {
      auto v = whole(b.value(key, json()), where + "." + key);
      if (!v) return v.error();
      *target = *v;
    }
    auto rate = whole(b.value("rate_bp", json()), where + ".rate_bp");
    if (!rate) return rate.error();
    if (*rate > 10000) return status::invalid(where + ".rate_bp: must be 0..10000 basis points");
    bi.rate_bp = static_cast<int>(*rate);
    m.brands.push_back(bi);
  }
  if (in.contains("previous_months_met")) {
    if (!in["previous_months_met"].is_array())
      return status::invalid("previous_months_met: must be an array of true/false");
    for (const auto& v : in["previous_months_met"]) {
      if (!v.is_boolean())
        return status::invalid("previous_months_met: must be an array of true/false");
      m.previous_months_met.push_back(v.get<bool>());
    }
  }
  for (auto [key, target] : {std::pair{"display_stores", &m.display_stores},
                             {"outlets_new", &m.outlets_new},
                             {"outlets_target", &m.outlets_target}}) {
    auto v = whole(in.value(key, json()), key, false);
    if (!v) return v.error();
    *target = static_cast<int>(std::min<std::int64_t>(*v, 1'000'000));
  }
  if (in.contains("banquets")) {
    if (!in["banquets"].is_object())
      return status::invalid("banquets: must be an object of product line: events");
    for (const auto& [line, n] : in["banquets"].items()) {
      auto v = whole(n, "banquets." + line);
      if (!v) return v.error();
      m.banquets[line] = static_cast<int>(std::min<std::int64_t>(*v, 1'000'000));
    }
  }
  return m;
}

}  // namespace af::tools
