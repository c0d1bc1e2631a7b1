#include "engine/event_type.h"

#include <iterator>

namespace af::engine {
namespace {

constexpr std::string_view event_type_names[] = {"sale",          "refund",
                                                 "inquiry",       "target_set",
                                                 "outlet_opened", "display_store_checked",
                                                 "banquet_held",  "inspection_failed",
                                                 "complaint"};

}  // namespace

std::optional<event_type> parse_event_type(std::string_view s) {
  for (std::size_t i = 0; i < std::size(event_type_names); ++i)
    if (event_type_names[i] == s) return static_cast<event_type>(i);
  return std::nullopt;
}

std::string_view event_type_name(event_type t) { return event_type_names[static_cast<int>(t)]; }

}  // namespace af::engine
