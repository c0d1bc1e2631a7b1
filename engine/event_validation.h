// event_validation.h: checks one external event (DESIGN.md "External
// events") and turns it into a stored_event. Pure: no store, no clock; the
// set of known managers is passed in. Errors are one line naming the field.
#pragma once

#include <simdjson.h>

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/store.h"

namespace af::engine {

inline constexpr std::size_t max_event_id_length = 128;
inline constexpr std::size_t max_string_field_length = 256;
// The most fen one amount_fen or target_fen may hold (DESIGN.md: 10^12).
inline constexpr std::int64_t max_fen = 1'000'000'000'000;

// True when `id` is a known, active manager.
using manager_lookup = std::function<bool(std::string_view id)>;

// Validates `element` as one event. On success fills `out` (without the
// fingerprint and source); InvalidArgument naming the field otherwise, and
// `out` is then not to be used. `event_id` receives the id whenever the
// event has a string one, even when another field is wrong, so the reply
// can name it.
status validate_event(simdjson::dom::element element, const manager_lookup& known_manager,
                      stored_event& out, std::string& event_id);

}  // namespace af::engine
