#include "engine/process_input.h"

#include <algorithm>
#include <limits>

#include "base/civil_time.h"
#include "workers/domain/commission.h"

namespace af::engine {
namespace {

// Counts are at most what a month's events can add up to; a task carries 32 bits.
std::int32_t narrow(std::int64_t n) {
  return static_cast<std::int32_t>(
      std::clamp<std::int64_t>(n, 0, std::numeric_limits<std::int32_t>::max()));
}

}  // namespace

void add_process_indicators(store& db, const commission::plan& plan, msg::targets_task& t) {
  auto a = db.activity(t.manager_id, t.period);
  auto display = db.display_stores(t.manager_id, t.period);
  t.display_stores = narrow(display.stores);
  for (const auto& township : plan.key_townships) {
    auto it = display.by_township.find(township);
    t.key_township_stores[township] = narrow(it == display.by_township.end() ? 0 : it->second);
  }
  t.outlets_new = narrow(a.outlets);
  t.outlets_township = narrow(a.outlets_township);
  t.outlets_county = narrow(a.outlets - a.outlets_township);  // county, and no area named
  t.county_target = plan.county_outlets_target;
  t.township_target = plan.township_outlets_target;
  t.banquets = narrow(a.banquets);
  for (const auto& b : db.banquets(t.manager_id, t.period)) {
    std::uint8_t origin = b.origin == "personal" ? 1 : b.origin == "shop" ? 2 : 0;
    t.banquet_lines.push_back({origin, b.product, narrow(b.events), b.cases, b.bottles});
  }
  auto month = period::parse(t.period);
  auto target =
      month ? plan.banquet_target_by_month.find(month->index) : plan.banquet_target_by_month.end();
  t.banquet_target = target == plan.banquet_target_by_month.end() ? -1 : target->second;
  for (std::size_t i = 0; i < a.found.size(); ++i)
    if (a.found[i] > 0)
      t.inspections[std::string(commission::inspection_findings[i])] = narrow(a.found[i]);
}

}  // namespace af::engine
