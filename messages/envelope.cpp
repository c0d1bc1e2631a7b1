#include "messages/envelope.h"

#include <zlib.h>

#include <cstring>

namespace af::msg {
namespace {

constexpr char magic[4] = {'A', 'F', 'W', '1'};

template <typename T>
void put_le(std::string& out, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

template <typename T>
T get_le(const char* p) {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    v |= static_cast<T>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

std::uint32_t crc_of(std::string_view header28, std::string_view body) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(header28.data()),
              static_cast<uInt>(header28.size()));
  crc = crc32(crc, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

std::uint16_t current_version(message_type t) {
  switch (t) {
    case message_type::scoring_result:
    case message_type::scoring_task:
    case message_type::notify_result:
      return 3;
    case message_type::notify_task:
    case message_type::targets_result:
    case message_type::targets_task:
      return 2;
    case message_type::worker_hello:
    case message_type::heartbeat:
      return 1;
  }
  return 0;  // unknown type
}

std::string_view type_name(message_type t) {
  switch (t) {
    case message_type::worker_hello:
      return "worker_hello";
    case message_type::heartbeat:
      return "heartbeat";
    case message_type::scoring_task:
      return "scoring_task";
    case message_type::scoring_result:
      return "scoring_result";
    case message_type::notify_task:
      return "notify_task";
    case message_type::notify_result:
      return "notify_result";
    case message_type::targets_task:
      return "targets_task";
    case message_type::targets_result:
      return "targets_result";
  }
  return "unknown";
}

std::string encode(const envelope& e) {
  std::string out;
  out.reserve(header_size + e.body.size());
  out.append(magic, 4);
  put_le<std::uint16_t>(out, static_cast<std::uint16_t>(e.type));
  put_le<std::uint16_t>(out, e.version);
  put_le<std::uint64_t>(out, e.id);
  put_le<std::uint64_t>(out, e.correlation_id);
  put_le<std::uint32_t>(out, static_cast<std::uint32_t>(e.body.size()));
  put_le<std::uint32_t>(out, crc_of(out, e.body));
  out += e.body;
  return out;
}

result<envelope> decode(std::string_view f) {
  if (f.size() < header_size)
    return status::corruption("frame of " + std::to_string(f.size()) +
                              " bytes is shorter than the header");
  if (std::memcmp(f.data(), magic, 4) != 0) return status::corruption("frame has a bad magic");
  std::uint32_t len = get_le<std::uint32_t>(f.data() + 24);
  if (len > max_body_size) return status::corruption("frame body length is over the limit");
  if (f.size() != header_size + len)
    return status::corruption("frame length " + std::to_string(f.size()) +
                              " disagrees with header (" + std::to_string(header_size + len) + ")");
  std::string_view body = f.substr(header_size);
  if (get_le<std::uint32_t>(f.data() + 28) != crc_of(f.substr(0, 28), body))
    return status::corruption("frame CRC mismatch");
  envelope e;
  e.type = static_cast<message_type>(get_le<std::uint16_t>(f.data() + 4));
  e.version = get_le<std::uint16_t>(f.data() + 6);
  std::uint16_t known = current_version(e.type);
  if (known == 0)
    return status::corruption("unknown message type " + std::to_string(static_cast<int>(e.type)));
  if (e.version == 0 || e.version > known)
    return status::corruption(std::string(type_name(e.type)) + " version " +
                              std::to_string(e.version) + " is newer than this build (" +
                              std::to_string(known) + ")");
  e.id = get_le<std::uint64_t>(f.data() + 8);
  e.correlation_id = get_le<std::uint64_t>(f.data() + 16);
  e.body.assign(body);
  return e;
}

}  // namespace af::msg
