// store_internal.h: helpers shared by the store's source files
// (engine/store*.cpp) only; nothing else includes it.
#pragma once

#include <optional>
#include <string>

#include "engine/sqlite.h"

namespace af::engine {

// An empty text is stored as NULL.
inline std::optional<std::string> null_if_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// Resets a statement that a row callback may leave mid-way (by throwing),
// so its next use starts from the first row.
struct reset_at_exit {
  statement& st;
  ~reset_at_exit() { st.reset(); }
};

}  // namespace af::engine
