// envelope.h: the one binary envelope of every internal message (see
// wire_format.md for the byte layout). encode() never fails; decode()
// refuses anything that is not an intact frame of a known type and version.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace af::msg {

enum class message_type : std::uint16_t {
  worker_hello = 1,
  heartbeat = 2,
  scoring_task = 3,
  scoring_result = 4,
  notify_task = 5,
  notify_result = 6,
  targets_task = 7,
  targets_result = 8,
};

inline constexpr std::size_t header_size = 32;
inline constexpr std::size_t max_body_size = 16u << 20;

struct envelope {
  message_type type = message_type::heartbeat;
  std::uint16_t version = 1;
  std::uint64_t id = 0;
  std::uint64_t correlation_id = 0;
  std::string body;  // cereal portable-binary payload
};

// The newest body version this build understands, per type.
std::uint16_t current_version(message_type t);
std::string_view type_name(message_type t);

std::string encode(const envelope& e);
// Corruption: bad magic, length, CRC, unknown type, future version.
result<envelope> decode(std::string_view frame);

}  // namespace af::msg
