#include "workers/domain/commission_process.h"

#include <set>

#include "base/checked.h"

namespace af::commission::detail {

bool add_to(std::int64_t& sum, std::int64_t x) {
  auto r = checked::add(sum, x);
  if (r) sum = *r;
  return r.has_value();
}

status overflowed(const char* what) {
  return status::invalid(std::string("the month's ") + what + " overflows");
}

std::string yuan(std::int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  if (fen < 0) fen = -fen;
  std::string cents = std::to_string(fen % 100);
  return sign + std::to_string(fen / 100) + "." + (cents.size() < 2 ? "0" : "") + cents + " CNY";
}

namespace {

// out.penalty_fen (or rewards_fen, fines_fen) += n x fen, with a line.
status charge(std::int64_t& into, const char* what, std::int64_t n, std::int64_t fen,
              const std::string& line, month_result& out) {
  auto amount = checked::mul(n, fen);
  if (!amount || !add_to(into, *amount)) return overflowed(what);
  out.lines.push_back(line + yuan(*amount));
  return status::ok();
}

std::string origin_name(banquet_origin o) {
  return o == banquet_origin::shop ? "shop" : "personal";
}

std::int64_t rate_of(const std::map<std::string, std::int64_t>& rates, const std::string& product) {
  auto it = rates.find(product);
  return it == rates.end() ? 0 : it->second;
}

// One origin and product's reward: per case and per bottle for a banquet
// the manager developed, per event for one sourced through a shop.
status add_banquet_line(const banquet_line& b, const rules& r, month_result& out) {
  std::string what = std::to_string(b.events) + " banquet" + (b.events == 1 ? "" : "s") + " (" +
                     origin_name(b.origin) + ", " + b.product;
  std::optional<std::int64_t> reward;
  if (b.origin == banquet_origin::shop) {
    reward = checked::mul(b.events, rate_of(r.banquet_shop_per_event_fen, b.product));
    what += ")";
  } else {
    auto per_case = checked::mul(b.cases, rate_of(r.banquet_personal_per_case_fen, b.product));
    auto per_bottle =
        checked::mul(b.bottles, rate_of(r.banquet_personal_per_bottle_fen, b.product));
    reward = per_case && per_bottle ? checked::add(*per_case, *per_bottle) : std::nullopt;
    if (b.cases) what += ", " + std::to_string(b.cases) + " cases";
    if (b.bottles) what += ", " + std::to_string(b.bottles) + " bottles";
    what += ")";
  }
  if (!reward || !add_to(out.rewards_fen, *reward)) return overflowed("rewards");
  out.lines.push_back(what + (*reward ? ": reward " + yuan(*reward) : ": no product reward"));
  return status::ok();
}

}  // namespace

status add_display_stores(const month_input& in, const rules& r, month_result& out) {
  if (in.display_stores < 0) return status::invalid("display_stores: must be >= 0");
  std::int64_t short_total = std::max(0, r.display_target - in.display_stores);
  std::string townships;
  for (const auto& [township, stores] : in.key_township_stores) {
    if (stores < 0) return status::invalid("key_townships." + township + ": must be >= 0");
    int missing = std::max(0, r.display_per_key_township - stores);
    short_total += missing;
    if (missing)
      townships += (townships.empty() ? "" : ", ") + township + " " + std::to_string(stores) + "/" +
                   std::to_string(r.display_per_key_township);
  }
  if (short_total == 0)
    return charge(out.rewards_fen, "rewards", 1, r.display_reward_fen,
                  "display stores at target: reward ", out);
  std::string line = std::to_string(short_total) + " display stores short" +
                     (townships.empty() ? "" : " (key townships " + townships + ")") + ": penalty ";
  return charge(out.penalty_fen, "penalty", short_total, r.display_penalty_per_missing_fen, line,
                out);
}

status add_new_outlets(const month_input& in, const rules& r, month_result& out) {
  std::set<std::string> areas;
  std::int64_t opened = 0;
  bool all_above = !in.outlets.empty();
  for (const auto& a : in.outlets) {
    if (!areas.insert(a.area).second)
      return status::invalid("outlets." + a.area + ": listed twice");
    if (a.opened < 0 || a.target < 0)
      return status::invalid("outlets." + a.area + ": counts must be >= 0");
    opened += a.opened;
    all_above = all_above && a.opened > a.target;
  }
  if (opened > 0)
    if (status s = charge(out.rewards_fen, "rewards", opened, r.outlet_reward_each_fen,
                          std::to_string(opened) + " new outlets: reward ", out);
        !s)
      return s;
  for (const auto& a : in.outlets) {
    if (a.opened >= a.target) continue;
    std::string where = a.area == "all" ? "" : " (" + a.area + ")";
    if (status s = charge(
            out.penalty_fen, "penalty", a.target - a.opened, r.outlet_penalty_per_short_fen,
            std::to_string(a.target - a.opened) + " new outlets short" + where + ": penalty ", out);
        !s)
      return s;
  }
  if (!all_above) return status::ok();
  return charge(out.rewards_fen, "rewards", 1, r.outlet_reward_above_fen,
                "new outlets above target: reward ", out);
}

status add_banquets(const month_input& in, const rules& r, month_result& out) {
  if (in.banquets_unattributed < 0) return status::invalid("banquets: counts must be >= 0");
  std::int64_t held = in.banquets_unattributed;
  for (const auto& b : in.banquets) {
    if (!is_banquet_product(b.product))
      return status::invalid("banquets: unknown product \"" + b.product + "\"");
    if (b.events < 0 || b.cases < 0 || b.bottles < 0)
      return status::invalid("banquets." + b.product + ": counts must be >= 0");
    held += b.events;
    if (b.events == 0) continue;
    if (status s = add_banquet_line(b, r, out); !s) return s;
  }
  if (!in.banquet_target) return status::ok();
  int target = *in.banquet_target;
  if (target < 0) return status::invalid("banquet_target: must be >= 0");
  std::string against = " against a target of " + std::to_string(target) + ": ";
  if (held < target)
    return charge(out.penalty_fen, "penalty", target - held, r.banquet_short_penalty_fen,
                  std::to_string(target - held) + " banquets short" + against + "penalty ", out);
  if (held > target)
    return charge(out.rewards_fen, "rewards", held - target, r.banquet_above_reward_fen,
                  std::to_string(held - target) + " banquets above" + against + "reward ", out);
  return status::ok();
}

status add_inspection_fines(const month_input& in, const rules& r, month_result& out) {
  for (const auto& [finding, stores] : in.inspections) {
    if (!is_inspection_finding(finding))
      return status::invalid("inspections: unknown finding \"" + finding + "\"");
    if (stores < 0) return status::invalid("inspections." + finding + ": must be >= 0");
    if (stores == 0) continue;
    if (status s = charge(out.fines_fen, "fines", stores, rate_of(r.inspection_fine_fen, finding),
                          "inspection, " + finding + " at " + std::to_string(stores) + " store" +
                              (stores == 1 ? "" : "s") + ": fine ",
                          out);
        !s)
      return s;
  }
  return status::ok();
}

}  // namespace af::commission::detail
