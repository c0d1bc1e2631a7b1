// fuzz/message_bodies.cpp: msg::unpack<T>() of every body type, as the
// engine decodes a worker's hello, heartbeat and results and a worker
// decodes its task. Input: byte 0 picks the type, byte 1 the body version
// (1..the type's current), the rest is the body.
// Invariants: a body that unpacks is read field by field as its receiver
// does; it packs again, and that packing unpacks and packs to the same
// bytes; a little-endian current-version body without maps is canonical
// (packs to exactly its input: nothing but its fields is accepted).
#include <cstring>
#include <map>
#include <type_traits>

#include "fuzz/fuzz_check.h"
#include "messages/types.h"

namespace {

using namespace af::msg;

// Reads every field the way a receiver uses it; the sum keeps the reads.
// A bool's byte is looked at before the bool is read: without UBSan (the
// replay in the normal build) a 5 would otherwise pass unnoticed.
std::uint64_t sum_of(const bool& b) {
  unsigned char raw = 0;
  std::memcpy(&raw, &b, 1);
  FUZZ_CHECK(raw <= 1, "a decoded bool holds the byte " + std::to_string(raw));
  return b ? 1 : 2;
}
std::uint64_t sum_of(std::int32_t v) { return static_cast<std::uint64_t>(v); }
std::uint64_t sum_of(std::int64_t v) { return static_cast<std::uint64_t>(v); }
std::uint64_t sum_of(std::uint32_t v) { return v; }
std::uint64_t sum_of(std::uint64_t v) { return v; }
std::uint64_t sum_of(worker_kind k) { return kind_name(k).size(); }
std::uint64_t sum_of(const std::string& s) {
  return s.size() + (s.empty() ? 0 : static_cast<unsigned char>(s[0]));
}
std::uint64_t sum_of(const targets_task::brand& b) {
  return sum_of(b.name) + sum_of(b.target_fen) + sum_of(b.sales_fen) + sum_of(b.rate_bp);
}
std::uint64_t sum_of(const std::vector<bool>& v) {
  std::uint64_t n = v.size();
  for (bool b : v) n += b ? 1 : 2;
  return n;
}
template <typename A, typename B>
std::uint64_t sum_of(const std::pair<A, B>& p);
template <typename V>
std::uint64_t sum_of(const std::vector<V>& v);
template <typename V>
std::uint64_t sum_of(const std::map<std::string, V>& m);

template <typename A, typename B>
std::uint64_t sum_of(const std::pair<A, B>& p) {
  return sum_of(p.first) * 3 + sum_of(p.second);
}
template <typename V>
std::uint64_t sum_of(const std::vector<V>& v) {
  std::uint64_t n = v.size();
  for (const auto& e : v) n += sum_of(e);
  return n;
}
template <typename V>
std::uint64_t sum_of(const std::map<std::string, V>& m) {
  std::uint64_t n = m.size();
  for (const auto& [k, v] : m) n += sum_of(k) + sum_of(v);
  return n;
}

std::uint64_t fields(const worker_hello& m) {
  return sum_of(m.kind) + sum_of(m.name) + sum_of(m.pid) + sum_of(m.capacity);
}
std::uint64_t fields(const heartbeat& m) {
  return sum_of(m.kind) + sum_of(m.in_flight) + sum_of(m.capacity) + sum_of(m.name) + sum_of(m.pid);
}
std::uint64_t fields(const scoring_task& m) {
  return sum_of(m.case_id) + sum_of(m.program) + sum_of(m.employee_id) + sum_of(m.joined_on) +
         sum_of(m.as_of) + sum_of(m.ratings) + sum_of(m.exam_hundredths) +
         sum_of(m.sales_last_year_fen) + sum_of(m.quarter_inquiries) + sum_of(m.quarter_converted) +
         sum_of(m.rater_ratings) + sum_of(m.exam_parts) + sum_of(m.required_levels);
}
std::uint64_t fields(const scoring_result& m) {
  return sum_of(m.case_id) + sum_of(m.ok) + sum_of(m.error) + sum_of(m.items) + sum_of(m.total) +
         sum_of(m.tier) + sum_of(m.flags) + sum_of(m.detail_json) + sum_of(m.retryable);
}
std::uint64_t fields(const notify_task& m) {
  return sum_of(m.notification_id) + sum_of(m.recipient_id) + sum_of(m.case_id) + sum_of(m.kind) +
         sum_of(m.body_json);
}
std::uint64_t fields(const notify_result& m) {
  return sum_of(m.notification_id) + sum_of(m.ok) + sum_of(m.already_delivered) + sum_of(m.error) +
         sum_of(m.retryable);
}
std::uint64_t fields(const targets_task& m) {
  return sum_of(m.case_id) + sum_of(m.manager_id) + sum_of(m.period) + sum_of(m.brands) +
         sum_of(m.previous_months_met) + sum_of(m.display_stores) + sum_of(m.outlets_new) +
         sum_of(m.outlets_target) + sum_of(m.banquets);
}
std::uint64_t fields(const targets_result& m) {
  return sum_of(m.case_id) + sum_of(m.ok) + sum_of(m.error) + sum_of(m.met) + sum_of(m.total_fen) +
         sum_of(m.result_json) + sum_of(m.retryable);
}

volatile std::uint64_t sink;

template <typename T>
void check(std::uint16_t version, std::string_view body) {
  envelope e{T::type, version, 7, 9, std::string(body)};
  auto r = unpack<T>(e);
  af::fuzz::note(r ? std::string(type_name(T::type)) + " unpacks" : r.error().to_string());
  if (!r) {
    FUZZ_CHECK(r.error().code() == af::status_code::corruption,
               "a refused body is not corruption: " + r.error().to_string());
    return;
  }
  sink = fields(*r);
  envelope packed = pack(*r, e.id, e.correlation_id);
  FUZZ_CHECK(packed.type == T::type && packed.version == current_version(T::type),
             "pack wrote another type or version");
  auto again = unpack<T>(packed);
  FUZZ_CHECK(static_cast<bool>(again),
             std::string(type_name(T::type)) +
                 ": a packed body does not unpack: " + again.error().to_string());
  sink = fields(*again);
  FUZZ_CHECK(pack(*again).body == packed.body,
             std::string(type_name(T::type)) + ": packing is not stable");
  // Canonical unless the body has maps (duplicate keys collapse) or says
  // it is big-endian: cereal's first byte is the writer's endianness (1:
  // little, as pack writes; anything else: byte-swapped), and a receiver
  // reads either.
  constexpr bool has_maps = std::is_same_v<T, scoring_task>;
  if (!has_maps && version == current_version(T::type) && body[0] == 1)
    FUZZ_CHECK(packed.body == body,
               std::string(type_name(T::type)) + ": an accepted body is not canonical");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  auto type = static_cast<message_type>(data[0] % 8 + 1);
  auto version = static_cast<std::uint16_t>(data[1] % current_version(type) + 1);
  std::string_view body = af::fuzz::text_of(data + 2, size - 2);
  switch (type) {
    case message_type::worker_hello:
      check<worker_hello>(version, body);
      break;
    case message_type::heartbeat:
      check<heartbeat>(version, body);
      break;
    case message_type::scoring_task:
      check<scoring_task>(version, body);
      break;
    case message_type::scoring_result:
      check<scoring_result>(version, body);
      break;
    case message_type::notify_task:
      check<notify_task>(version, body);
      break;
    case message_type::notify_result:
      check<notify_result>(version, body);
      break;
    case message_type::targets_task:
      check<targets_task>(version, body);
      break;
    case message_type::targets_result:
      check<targets_result>(version, body);
      break;
  }
  return 0;
}
