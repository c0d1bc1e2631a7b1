// offline_commission.h: `assessctl commission --input FILE.json`: one
// month's sales-target result for one manager (DESIGN.md "Offline
// commission input"), with the pure library the targets worker uses.
#pragma once

#include <nlohmann/json.hpp>

#include "workers/domain/commission.h"

namespace af::tools {

// Parses the input; InvalidArgument naming the field at fault.
result<commission::month_input> read_commission_input(const nlohmann::json& in);

}  // namespace af::tools
