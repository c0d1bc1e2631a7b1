// json_text.h: JSON written the way our contracts show it: floating-point
// numbers (points, totals, percentages) always with two decimals (3.00,
// 39.35), everything else as nlohmann::json writes it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace af::msg {

using json = nlohmann::ordered_json;

// Compact (indent < 0) or pretty (indent >= 0) text.
std::string dump_fixed2(const json& j, int indent = -1);

// The deepest nesting of arrays and objects a message may have. Checked on
// the text before it is parsed: whatever recurses later over the parsed
// value (nlohmann's dump(), a destructor) stays shallow.
inline constexpr int max_json_depth = 64;
// Whether `text`'s arrays and objects nest at most `max_depth` deep
// (brackets inside strings do not count). One pass, no allocation.
bool json_depth_within(std::string_view text, int max_depth = max_json_depth);

// Whether `text` is well-formed UTF-8 (what nlohmann's dump() needs).
bool valid_utf8(std::string_view text);
// `text` cut to at most `max_bytes` on a character boundary when it is
// UTF-8, else `instead`: for text from a peer that is stored and shown later.
std::string utf8_prefix(std::string_view text, std::size_t max_bytes, std::string_view instead);

// Why `text` does not parse as JSON, and where: `path` names the member
// being read ("case", "[2].brand", "rows[0].name"; empty at the top level,
// "rows[0] member name" inside a name), `encoding` says the bytes were not
// UTF-8 (or an escape not a valid UTF-16 pair). std::nullopt when it parses.
// For a clear one-line refusal; call it only after a parser refused `text`.
struct json_fault {
  std::string path;
  bool encoding = false;
  std::string reason;  // nlohmann's message
};
std::optional<json_fault> json_fault_of(std::string_view text);
// "FIELD: not valid UTF-8" for an encoding fault (`what` when the path is
// empty), otherwise `otherwise`.
std::string describe(const json_fault& f, std::string_view what, std::string_view otherwise);

// hundredths (435) to the JSON number 4.35.
inline json points(long long hundredths) { return static_cast<double>(hundredths) / 100.0; }

}  // namespace af::msg
