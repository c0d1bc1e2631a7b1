#include "engine/admin_fields.h"

namespace af::engine {

using json = msg::json;

result<std::optional<std::string>> opt_string(const json& req, const char* key) {
  if (!req.contains(key) || req[key].is_null()) return std::optional<std::string>();
  if (!req[key].is_string())
    return status::invalid(std::string(key) + ": must be text, got " + req[key].dump());
  return std::optional<std::string>(req[key].get<std::string>());
}

result<std::string> need_string(const json& req, const char* key) {
  auto v = opt_string(req, key);
  if (!v) return v.error();
  if (!*v || (*v)->empty()) return status::invalid(std::string(key) + ": missing");
  return **v;
}

result<std::int64_t> need_case_id(const json& req) {
  if (!req.contains("case")) return status::invalid("case: missing");
  const json& c = req["case"];
  if (c.is_number_integer()) return c.get<std::int64_t>();
  if (c.is_string()) {
    try {
      std::size_t used = 0;
      auto id = std::stoll(c.get<std::string>(), &used);
      if (used == c.get<std::string>().size()) return static_cast<std::int64_t>(id);
    } catch (const std::exception&) {
    }
  }
  return status::invalid("case: must be a case id number, got " + c.dump());
}

std::optional<action> action_of_cmd(std::string_view cmd) {
  if (cmd == "return") return action::return_case;
  if (cmd == "scored") return std::nullopt;                     // workers only
  if (cmd == "uphold" || cmd == "change") return std::nullopt;  // resolve, below
  return parse_action(cmd);
}

result<action> resolution_of(const msg::json& req) {
  bool uphold = req.contains("uphold") && req["uphold"] == true;
  bool change = req.contains("ratings") && !req["ratings"].is_null();
  if (uphold == change)
    return status::invalid(
        "resolve: give either uphold (the result stands) or ratings (the supervisor's, changed)");
  return uphold ? action::uphold : action::change;
}

}  // namespace af::engine
