#include "workers/domain/commission.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>

#include "base/checked.h"

namespace af::commission {
namespace {

using json = nlohmann::json;

// completion as a fraction sales/target compared with percent/100, exactly.
bool at_least(std::int64_t sales, std::int64_t target, int percent) {
  return static_cast<__int128>(sales) * 100 >= static_cast<__int128>(target) * percent;
}

// Hundredths of a percent, floored: 49.9999% shows as 49.99, never 50.00.
std::int64_t completion_bp(std::int64_t sales, std::int64_t target) {
  return static_cast<std::int64_t>(static_cast<__int128>(sales) * 10000 / target);
}

std::string yuan(std::int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  if (fen < 0) fen = -fen;
  std::string cents = std::to_string(fen % 100);
  return sign + std::to_string(fen / 100) + "." + (cents.size() < 2 ? "0" : "") + cents + " CNY";
}

status read_int(const json& j, const std::string& src, const std::string& path, std::int64_t& out) {
  const json* node = &j;
  std::size_t start = 0;
  while (start < path.size()) {
    auto dot = path.find('.', start);
    std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(key))
      return status::invalid(src + ": " + path + ": missing");
    node = &(*node)[key];
    start = dot == std::string::npos ? path.size() : dot + 1;
  }
  if (!node->is_number_integer() || node->get<std::int64_t>() < 0)
    return status::invalid(src + ": " + path + ": must be a whole number >= 0");
  out = node->get<std::int64_t>();
  return status::ok();
}

}  // namespace

result<rules> parse_rules(std::string_view text, const std::string& src) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  rules r;
  std::int64_t v = 0;
  struct field {
    const char* path;
    std::int64_t* wide;
    int* narrow;
  };
  std::int64_t full = 0, reduced = 0, cfull = 0, creduced = 0, rescue = 0, run = 0, target = 0;
  field fields[] = {
      {"rate_factor_percent.full", &full, nullptr},
      {"rate_factor_percent.reduced", &reduced, nullptr},
      {"completion_percent.full", &cfull, nullptr},
      {"completion_percent.reduced", &creduced, nullptr},
      {"completion_percent.combined_rescue", &rescue, nullptr},
      {"miss_penalty.every_consecutive_misses", &run, nullptr},
      {"miss_penalty.fen", &r.miss_penalty_fen, nullptr},
      {"display_stores.target", &target, nullptr},
      {"display_stores.penalty_per_missing_fen", &r.display_penalty_per_missing_fen, nullptr},
      {"display_stores.reward_at_target_fen", &r.display_reward_fen, nullptr},
      {"new_outlets.reward_each_fen", &r.outlet_reward_each_fen, nullptr},
      {"new_outlets.penalty_per_short_fen", &r.outlet_penalty_per_short_fen, nullptr},
      {"new_outlets.reward_above_target_fen", &r.outlet_reward_above_fen, nullptr},
  };
  for (auto& f : fields)
    if (status s = read_int(j, src, f.path, *f.wide); !s) return s;
  if (full > 100 || reduced > full)
    return status::invalid(src + ": rate_factor_percent: need 0 <= reduced <= full <= 100");
  if (creduced > cfull || cfull == 0)
    return status::invalid(src + ": completion_percent: need reduced <= full, full > 0");
  if (run < 1)
    return status::invalid(src + ": miss_penalty.every_consecutive_misses: must be >= 1");
  r.full_factor_percent = static_cast<int>(full);
  r.reduced_factor_percent = static_cast<int>(reduced);
  r.full_completion_percent = static_cast<int>(cfull);
  r.reduced_completion_percent = static_cast<int>(creduced);
  r.combined_rescue_percent = static_cast<int>(rescue);
  r.miss_run = static_cast<int>(run);
  r.display_target = static_cast<int>(target);
  if (!j.contains("banquet_reward_fen_by_line") || !j["banquet_reward_fen_by_line"].is_object())
    return status::invalid(src + ": banquet_reward_fen_by_line: missing");
  for (const auto& [line, fen] : j["banquet_reward_fen_by_line"].items()) {
    if (status s = read_int(j["banquet_reward_fen_by_line"], src, line, v); !s)
      return status::invalid(src + ": banquet_reward_fen_by_line." + line +
                             ": must be a whole number >= 0");
    r.banquet_reward_fen[line] = v;
  }
  return r;
}

namespace {
// sum += x unless that overflows; false then.
bool add_to(std::int64_t& sum, std::int64_t x) {
  auto r = checked::add(sum, x);
  if (r) sum = *r;
  return r.has_value();
}
status overflowed(const char* what) {
  return status::invalid(std::string("the month's ") + what + " overflows");
}

struct month_totals {
  std::int64_t sales = 0, target = 0;
};

// The input's brands and counts, checked; the month's total sales and
// target over every brand.
result<month_totals> check_month_input(const month_input& in) {
  std::set<std::string> seen;
  month_totals t;
  for (const auto& b : in.brands) {
    if (!seen.insert(b.brand).second)
      return status::invalid("brands." + b.brand + ": listed twice");
    if (b.target_fen < 0) return status::invalid("brands." + b.brand + ".target_fen: must be >= 0");
    if (b.sales_fen < 0) return status::invalid("brands." + b.brand + ".sales_fen: must be >= 0");
    if (b.rate_bp < 0 || b.rate_bp > 10000)
      return status::invalid("brands." + b.brand + ".rate_bp: must be 0..10000");
    auto sales = checked::add(t.sales, b.sales_fen), target = checked::add(t.target, b.target_fen);
    if (!sales || !target)
      return status::invalid("brands: the month's total " +
                             std::string(sales ? "target" : "sales") + " overflows");
    t.sales = *sales;
    t.target = *target;
  }
  if (in.display_stores < 0) return status::invalid("display_stores: must be >= 0");
  if (in.outlets_new < 0 || in.outlets_target < 0)
    return status::invalid("outlets: counts must be >= 0");
  return t;
}

// Each brand's completion, rate factor and commission, and their sum. A
// brand below the reduced completion still earns the reduced factor when
// the month's combined completion reaches the rescue percent.
status add_brand_commissions(const month_input& in, const rules& r, const month_totals& t,
                             month_result& out) {
  bool rescue = t.target > 0 && at_least(t.sales, t.target, r.combined_rescue_percent);
  if (t.target > 0) out.combined_completion_bp = completion_bp(t.sales, t.target);
  for (const auto& b : in.brands) {
    brand_result br{b.brand, std::nullopt, r.full_factor_percent, 0};
    if (b.target_fen > 0) {  // a brand without a target earns the full rate
      br.completion_bp = completion_bp(b.sales_fen, b.target_fen);
      if (at_least(b.sales_fen, b.target_fen, r.full_completion_percent))
        br.factor_percent = r.full_factor_percent;
      else if (at_least(b.sales_fen, b.target_fen, r.reduced_completion_percent) || rescue)
        br.factor_percent = r.reduced_factor_percent;
      else
        br.factor_percent = 0;
    }
    // sales x rate x factor, rounded half up once: / (10000 bp x 100 %).
    __int128 num = static_cast<__int128>(b.sales_fen) * b.rate_bp * br.factor_percent;
    __int128 fen = (num + 500000) / 1000000;
    if (fen > INT64_MAX) return status::invalid("brands." + b.brand + ": the commission overflows");
    br.commission_fen = static_cast<std::int64_t>(fen);
    auto commission = checked::add(out.commission_fen, br.commission_fen);
    if (!commission)
      return status::invalid("brands." + b.brand + ": the month's commission overflows");
    out.commission_fen = *commission;
    out.brands.push_back(br);
  }
  return status::ok();
}

// Whether the month met its target; if not, the run of misses it ends
// and, every rules.miss_run of them, the penalty.
status add_miss_penalty(const month_input& in, const rules& r, const month_totals& t,
                        month_result& out) {
  out.met = t.sales >= t.target;
  if (out.met) return status::ok();
  out.miss_run = 1;
  for (auto it = in.previous_months_met.rbegin(); it != in.previous_months_met.rend() && !*it; ++it)
    ++out.miss_run;
  if (out.miss_run % r.miss_run == 0) {
    if (!add_to(out.penalty_fen, r.miss_penalty_fen)) return overflowed("penalty");
    out.lines.push_back(std::to_string(out.miss_run) + " months in a row below target: penalty " +
                        yuan(r.miss_penalty_fen));
  }
  return status::ok();
}

// A penalty per display store short of the target, else the reward.
status add_display_stores(const month_input& in, const rules& r, month_result& out) {
  if (in.display_stores < r.display_target) {
    auto p = checked::mul(r.display_target - in.display_stores, r.display_penalty_per_missing_fen);
    if (!p || !add_to(out.penalty_fen, *p)) return overflowed("penalty");
    out.lines.push_back(std::to_string(r.display_target - in.display_stores) +
                        " display stores short: penalty " + yuan(*p));
    return status::ok();
  }
  if (!add_to(out.rewards_fen, r.display_reward_fen)) return overflowed("rewards");
  out.lines.push_back("display stores at target: reward " + yuan(r.display_reward_fen));
  return status::ok();
}

// A reward per new outlet; a penalty per outlet short of the target, or
// a reward for going above it.
status add_new_outlets(const month_input& in, const rules& r, month_result& out) {
  if (in.outlets_new > 0) {
    auto w = checked::mul(in.outlets_new, r.outlet_reward_each_fen);
    if (!w || !add_to(out.rewards_fen, *w)) return overflowed("rewards");
    out.lines.push_back(std::to_string(in.outlets_new) + " new outlets: reward " + yuan(*w));
  }
  if (in.outlets_new < in.outlets_target) {
    auto p = checked::mul(in.outlets_target - in.outlets_new, r.outlet_penalty_per_short_fen);
    if (!p || !add_to(out.penalty_fen, *p)) return overflowed("penalty");
    out.lines.push_back(std::to_string(in.outlets_target - in.outlets_new) +
                        " new outlets short: penalty " + yuan(*p));
  } else if (in.outlets_new > in.outlets_target) {
    if (!add_to(out.rewards_fen, r.outlet_reward_above_fen)) return overflowed("rewards");
    out.lines.push_back("new outlets above target: reward " + yuan(r.outlet_reward_above_fen));
  }
  return status::ok();
}

// A reward per banquet held, at its product line's rate or the default.
status add_banquets(const month_input& in, const rules& r, month_result& out) {
  for (const auto& [line, events] : in.banquets) {
    if (events < 0) return status::invalid("banquets." + line + ": must be >= 0");
    auto it = r.banquet_reward_fen.find(line);
    if (it == r.banquet_reward_fen.end()) it = r.banquet_reward_fen.find("default");
    if (it == r.banquet_reward_fen.end())
      return status::invalid("banquets." + line + ": no reward configured for this line");
    auto w = checked::mul(events, it->second);
    if (!w || !add_to(out.rewards_fen, *w)) return overflowed("rewards");
    if (events)
      out.lines.push_back(std::to_string(events) + " banquets (" + line + "): reward " + yuan(*w));
  }
  return status::ok();
}

}  // namespace

result<month_result> compute_month(const month_input& in, const rules& r) {
  auto totals = check_month_input(in);
  if (!totals) return totals.error();
  month_result out;
  if (status s = add_brand_commissions(in, r, *totals, out); !s) return s;
  if (status s = add_miss_penalty(in, r, *totals, out); !s) return s;
  if (status s = add_display_stores(in, r, out); !s) return s;
  if (status s = add_new_outlets(in, r, out); !s) return s;
  if (status s = add_banquets(in, r, out); !s) return s;
  auto gross = checked::add(out.commission_fen, out.rewards_fen);
  auto total = gross ? checked::sub(*gross, out.penalty_fen) : std::nullopt;
  if (!total) return overflowed("total");
  out.total_fen = *total;
  return out;
}

nlohmann::ordered_json to_json(const month_input& in, const month_result& r) {
  nlohmann::ordered_json out;
  out["period"] = in.period;
  out["brands"] = nlohmann::ordered_json::array();
  for (const auto& b : r.brands) {
    nlohmann::ordered_json j;
    j["brand"] = b.brand;
    j["completion"] = b.completion_bp ? nlohmann::ordered_json(*b.completion_bp / 100.0)
                                      : nlohmann::ordered_json(nullptr);
    j["rate_factor"] = b.factor_percent / 100.0;
    j["commission_fen"] = b.commission_fen;
    out["brands"].push_back(j);
  }
  out["combined_completion"] = r.combined_completion_bp
                                   ? nlohmann::ordered_json(*r.combined_completion_bp / 100.0)
                                   : nlohmann::ordered_json(nullptr);
  out["met"] = r.met;
  out["consecutive_misses"] = r.miss_run;
  out["commission_fen"] = r.commission_fen;
  out["penalty_fen"] = r.penalty_fen;
  out["rewards_fen"] = r.rewards_fen;
  out["total_fen"] = r.total_fen;
  out["lines"] = r.lines;
  return out;
}

}  // namespace af::commission
