#include "workers/domain/commission.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>

#include "base/checked.h"
#include "workers/domain/commission_process.h"

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

using detail::add_to;
using detail::overflowed;
using detail::yuan;

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

}  // namespace

result<month_result> compute_month(const month_input& in, const rules& r) {
  auto totals = check_month_input(in);
  if (!totals) return totals.error();
  month_result out;
  if (status s = add_brand_commissions(in, r, *totals, out); !s) return s;
  if (status s = add_miss_penalty(in, r, *totals, out); !s) return s;
  if (status s = detail::add_display_stores(in, r, out); !s) return s;
  if (status s = detail::add_new_outlets(in, r, out); !s) return s;
  if (status s = detail::add_banquets(in, r, out); !s) return s;
  if (status s = detail::add_inspection_fines(in, r, out); !s) return s;
  auto gross = checked::add(out.commission_fen, out.rewards_fen);
  auto net = gross ? checked::sub(*gross, out.penalty_fen) : std::nullopt;
  auto total = net ? checked::sub(*net, out.fines_fen) : std::nullopt;
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
  out["fines_fen"] = r.fines_fen;
  out["total_fen"] = r.total_fen;
  out["lines"] = r.lines;
  return out;
}

}  // namespace af::commission
