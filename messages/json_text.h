// json_text.h: JSON written the way our contracts show it: floating-point
// numbers (points, totals, percentages) always with two decimals (3.00,
// 39.35), everything else as nlohmann::json writes it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace af::msg {

using json = nlohmann::ordered_json;

// Compact (indent < 0) or pretty (indent >= 0) text.
std::string dump_fixed2(const json& j, int indent = -1);

// hundredths (435) to the JSON number 4.35.
inline json points(long long hundredths) { return static_cast<double>(hundredths) / 100.0; }

}  // namespace af::msg
