// event_type.h: the types of external event (DESIGN.md "External events").
// The `type` field is parsed here once; inside the engine an event's type
// is the enum, and the events table stores its name.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace af::engine {

enum class event_type : std::uint8_t {
  sale,
  refund,
  inquiry,
  target_set,
  outlet_opened,
  display_store_checked,
  banquet_held,
  inspection_failed,
  complaint
};

// The enum of a `type` as events write it; nullopt for an unknown type.
// event_type_name gives that name back.
std::optional<event_type> parse_event_type(std::string_view s);
std::string_view event_type_name(event_type t);

}  // namespace af::engine
