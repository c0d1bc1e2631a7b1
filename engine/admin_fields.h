// admin_fields.h: reading the common fields of an admin request (DESIGN.md
// "Admin requests"), each refusal one line naming the field. Shared by the
// admin_*.cpp files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/workflow.h"
#include "messages/json_text.h"

namespace af::engine {

// An optional text field: std::nullopt when absent or null; InvalidArgument
// "KEY: must be text, got 5" when present but not text.
result<std::optional<std::string>> opt_string(const msg::json& req, const char* key);
// A text field that must be there and not empty: "KEY: missing".
result<std::string> need_string(const msg::json& req, const char* key);
// "case": a number, or the text of one ("17").
result<std::int64_t> need_case_id(const msg::json& req);
// The action a command names ("approve", "return", ...); std::nullopt for
// any other command, and for "scored", which only workers send.
std::optional<action> action_of_cmd(std::string_view cmd);
// What HR's `resolve` of an appeal does: uphold (`"uphold": true`) or
// change (`ratings`, the supervisor's as changed); InvalidArgument for
// both or neither.
result<action> resolution_of(const msg::json& req);

}  // namespace af::engine
