// commission_process.h: the month's process indicators (DOMAIN.md program
// 3, "过程考核" and "市场检核"), added to a month_result by compute_month.
// Internal to the domain library; commission.h is the interface.
#pragma once

#include <cstdint>
#include <string>

#include "workers/domain/commission.h"

namespace af::commission::detail {

// sum += x unless that overflows; false then (sum unchanged).
bool add_to(std::int64_t& sum, std::int64_t x);
// InvalidArgument "the month's WHAT overflows".
status overflowed(const char* what);
// "12.30 CNY", "-0.05 CNY".
std::string yuan(std::int64_t fen);

// A penalty per display store short (below the target, and below the
// minimum in each key township), else the reward.
status add_display_stores(const month_input& in, const rules& r, month_result& out);
// A reward per new outlet; a penalty per outlet short of each area's
// target; a reward when every area is above its target.
status add_new_outlets(const month_input& in, const rules& r, month_result& out);
// Each banquet's product reward by origin; against the month's target, a
// penalty per event short or a reward per event above.
status add_banquets(const month_input& in, const rules& r, month_result& out);
// A fine per store found, by finding.
status add_inspection_fines(const month_input& in, const rules& r, month_result& out);

}  // namespace af::commission::detail
