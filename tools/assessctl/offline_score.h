// offline_score.h: `assessctl score --input FILE.json`: scores one case
// file (DESIGN.md "Offline scoring input") with the same pure library the
// scoring worker uses. No engine needed.
#pragma once

#include <nlohmann/json.hpp>

#include "workers/domain/status.h"

namespace af::tools {

// {"items": {...}, "total": 39.35, "tier": 2, "flags": [...]}, or a
// one-line InvalidArgument naming the field or item at fault.
result<nlohmann::ordered_json> score_offline(const nlohmann::json& input);

}  // namespace af::tools
