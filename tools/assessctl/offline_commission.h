// offline_commission.h: `assessctl commission --input FILE.json`: one
// month's sales-target result for one manager (DESIGN.md "Offline
// commission input"), with the pure library the targets worker uses.
#pragma once

#include <nlohmann/json.hpp>

#include "workers/domain/commission.h"

namespace af::tools {

// Parses the input; InvalidArgument naming the field at fault.
result<commission::month_input> read_commission_input(const nlohmann::json& in);
// The result as DESIGN.md shows it: per brand completion (percent), rate_factor, commission_fen; then
// penalty_fen, rewards_fen, total_fen.
nlohmann::ordered_json commission_json(const commission::month_input& in, const commission::month_result& r);

}  // namespace af::tools
