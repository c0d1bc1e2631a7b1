// rule_fields.h: reading the numbers of a rule file (schemas/commission/
// grade_rule.json, schemas/certification/rule.json): a member of a JSON
// object checked against its range, or a one-line error naming the file
// and key ("rule.json: ability.every_item_at_least: must be ...").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"

namespace af::rule_fields {

// parent[key], a whole number lo..hi; `where` names parent ("rule.json: ability").
result<int> whole_in(const nlohmann::json& parent, const char* key, int lo, int hi,
                     const std::string& where);

// parent[key], a number 0..100 with at most two decimals, as hundredths.
result<std::int64_t> score_in(const nlohmann::json& parent, const char* key,
                              const std::string& where);

}  // namespace af::rule_fields
