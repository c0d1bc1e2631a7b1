// types.h: the bodies of internal messages, one struct per message_type,
// each with a cereal serialize() and its type id. pack() and unpack() turn
// them into and out of envelopes; unpack() never trusts a body blindly.
#pragma once

#include <algorithm>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "messages/envelope.h"

namespace af::msg::detail {
// The body being decoded by unpack() on this thread: every length a body
// declares (a string's, a vector's, a map's) is checked against the bytes
// still unread before anything is allocated for it. A declared length can
// never exceed them, since every element takes at least one byte; without
// this check a 100-byte body declaring a 8 GiB string made cereal allocate
// (and zero) 8 GiB.
struct bounded_body {
  const std::istringstream* stream = nullptr;
  std::size_t size = 0;
};
inline thread_local bounded_body decoding;
inline void check_declared_length(std::uint64_t declared) {
  if (!decoding.stream) return;
  auto at = const_cast<std::istringstream*>(decoding.stream)->tellg();
  std::size_t read = at < 0 ? decoding.size : static_cast<std::size_t>(at);
  std::size_t left = decoding.size - std::min(read, decoding.size);
  if (declared > left)
    throw cereal::Exception("a length of " + std::to_string(declared) + " is declared with " +
                            std::to_string(left) + " bytes left");
}
}  // namespace af::msg::detail

namespace cereal {
// Called by cereal after it has read a container's size, before it sizes the container.
template <class T>
void epilogue(PortableBinaryInputArchive&, SizeTag<T> const& t) {
  af::msg::detail::check_declared_length(static_cast<std::uint64_t>(t.size));
}
// Called by cereal after it has read a bool (a field, or an element of a
// vector<bool>): any byte but 0 or 1 is refused, since reading such a bool
// is undefined behaviour (a scoring_result whose `ok` byte was 5 was both
// true and false to the engine). The byte is looked at, not the bool.
inline void epilogue(PortableBinaryInputArchive&, bool const& b) {
  unsigned char raw = 0;
  std::memcpy(&raw, &b, 1);
  if (raw > 1) throw cereal::Exception("a bool holds the byte " + std::to_string(raw));
}
}  // namespace cereal

namespace af::msg {

enum class worker_kind : std::uint8_t { scoring = 1, targets = 2, notify = 3 };
std::string_view kind_name(worker_kind k);

struct worker_hello {
  static constexpr message_type type = message_type::worker_hello;
  worker_kind kind = worker_kind::scoring;
  std::string name;
  std::uint32_t pid = 0;
  std::uint32_t capacity = 1;  // tasks it accepts in flight
  template <class A>
  void serialize(A& a) {
    a(kind, name, pid, capacity);
  }
};

// Sent every heartbeat interval; carries what hello does, so an engine
// that restarted learns of a worker from its next heartbeat.
struct heartbeat {
  static constexpr message_type type = message_type::heartbeat;
  worker_kind kind = worker_kind::scoring;
  std::uint32_t in_flight = 0;
  std::uint32_t capacity = 1;
  std::string name;
  std::uint32_t pid = 0;
  template <class A>
  void serialize(A& a) {
    a(kind, in_flight, capacity, name, pid);
  }
};

// All a scoring worker needs; dates are "YYYY-MM-DD". The rubric is the
// worker's copy of schemas/rubrics/<program>.json.
struct scoring_task {
  static constexpr message_type type = message_type::scoring_task;
  std::uint16_t body_version = 3;  // set by unpack from the envelope; not on the wire
  std::uint64_t case_id = 0;
  std::string program;
  std::string employee_id;
  std::string joined_on;
  std::string as_of;
  std::map<std::string, std::int32_t> ratings;
  std::map<std::string, std::int32_t> exam_hundredths;
  std::int64_t sales_last_year_fen = 0;
  std::int64_t quarter_inquiries = 0;
  std::int64_t quarter_converted = 0;
  // Version 2.
  std::map<std::string, std::map<std::string, std::int32_t>>
      rater_ratings;  // programs with many raters
  std::map<std::string, std::vector<std::pair<std::int32_t, std::int32_t>>>
      exam_parts;                                       // (score, weight) hundredths
  std::map<std::string, std::int32_t> required_levels;  // the competency model's standard table
  // Version 3: an appraisal's period figures (workers/domain/appraisal.h,
  // period_figures), when the program's rubric scores them.
  bool has_figures = false;
  std::int64_t net_sales_fen = 0, target_fen = 0, net_sales_year_before_fen = 0;
  std::int64_t customers = 0, new_customers = 0, repeat_customers = 0, complaints = 0;
  template <class A>
  void serialize(A& a) {
    a(case_id, program, employee_id, joined_on, as_of, ratings, exam_hundredths,
      sales_last_year_fen, quarter_inquiries, quarter_converted);
    if (body_version >= 2) a(rater_ratings, exam_parts, required_levels);
    if (body_version >= 3)
      a(has_figures, net_sales_fen, target_fen, net_sales_year_before_fen, customers, new_customers,
        repeat_customers, complaints);
  }
};

struct scoring_result {
  static constexpr message_type type = message_type::scoring_result;
  std::uint64_t case_id = 0;
  bool ok = false;
  std::string error;  // when !ok: why the case cannot be scored
  std::vector<std::pair<std::string, std::int32_t>> items;  // hundredths
  std::int32_t total = 0;
  std::int32_t tier = 0;  // 0: the program has no tiers
  std::vector<std::string> flags;
  // Version 2: the program's further figures (gaps, area means, spreads), one JSON object.
  std::uint16_t body_version = 3;
  std::string detail_json;
  // Version 3: when !ok, whether trying again later may succeed (a passing
  // fault, not a case that cannot be scored). Older bodies: false.
  bool retryable = false;
  template <class A>
  void serialize(A& a) {
    a(case_id, ok, error, items, total, tier, flags);
    if (body_version >= 2) a(detail_json);
    if (body_version >= 3) a(retryable);
  }
};

struct notify_task {
  static constexpr message_type type = message_type::notify_task;
  std::uint16_t body_version = 2;  // set by unpack from the envelope; not on the wire
  std::string notification_id;     // unique per channel; the sink writes each id once
  std::string recipient_id;
  std::uint64_t case_id = 0;
  std::string kind;       // e.g. "case_final"
  std::string body_json;  // one JSON object
  // Version 2: one task per channel of a notification (DESIGN.md
  // "Notification channels"; engine/notifications.h). Older bodies: file.
  std::string channel = "file";  // file | smtp | chat
  std::string address;           // smtp: the e-mail address; chat: the chat id to mention
  std::string unit;              // the recipient's business unit: chat goes to its robot
  std::string recipient_name;
  std::string message_key;  // short, the same for every channel and delivery: shown in the text
  std::string message_id;   // the e-mail's Message-ID, stable across redeliveries
  template <class A>
  void serialize(A& a) {
    a(notification_id, recipient_id, case_id, kind, body_json);
    if (body_version >= 2) a(channel, address, unit, recipient_name, message_key, message_id);
  }
};

struct notify_result {
  static constexpr message_type type = message_type::notify_result;
  std::string notification_id;
  bool ok = false;
  bool already_delivered = false;
  std::string error;
  // Version 2: when !ok, whether delivering again later may succeed. A
  // version 1 body's failure is taken as retryable (it always was retried).
  std::uint16_t body_version = 3;
  bool retryable = false;
  // Version 3: when !ok and > 0, the worker did not attempt the delivery
  // (its own throttle, or its batch ran out of time): offer it again after
  // this many milliseconds without counting an attempt.
  std::int64_t defer_ms = 0;
  template <class A>
  void serialize(A& a) {
    a(notification_id, ok, already_delivered, error);
    if (body_version >= 2)
      a(retryable);
    else if constexpr (A::is_loading::value)
      retryable = true;
    if (body_version >= 3) a(defer_ms);
  }
};

// One month of one manager, for the sales-target check (DOMAIN.md program 3).
struct targets_task {
  static constexpr message_type type = message_type::targets_task;
  struct brand {
    std::string name;
    std::int64_t target_fen = 0, sales_fen = 0;  // sales net of refunds
    std::int32_t rate_bp = 0;
    template <class A>
    void serialize(A& a) {
      a(name, target_fen, sales_fen, rate_bp);
    }
  };
  std::uint64_t case_id = 0;
  std::string manager_id;
  std::string period;  // "2026-07"
  std::vector<brand> brands;
  std::vector<bool> previous_months_met;  // oldest first
  // Distinct stores with a passed display check; new outlets (all areas);
  // the pooled outlet target (version 1 only); banquet events.
  std::int32_t display_stores = 0, outlets_new = 0, outlets_target = 0, banquets = 0;
  // Version 2: the process indicators in full (DOMAIN.md program 3). A
  // version 1 body has none of these: one pooled outlet area, its
  // banquets count toward no target and earn no product reward.
  std::uint16_t body_version = 2;
  struct banquet {
    std::uint8_t origin = 0;  // 0 none (then product is empty), 1 personal, 2 shop
    std::string product;
    std::int32_t events = 0;
    std::int64_t cases = 0, bottles = 0;
    template <class A>
    void serialize(A& a) {
      a(origin, product, events, cases, bottles);
    }
  };
  std::map<std::string, std::int32_t> key_township_stores;  // every key township of the plan
  std::int32_t outlets_county = 0, outlets_township = 0;    // an outlet without area: county
  std::int32_t county_target = 0, township_target = 0;
  std::vector<banquet> banquet_lines;
  std::int32_t banquet_target = -1;                 // -1: none this month
  std::map<std::string, std::int32_t> inspections;  // finding -> stores found
  template <class A>
  void serialize(A& a) {
    a(case_id, manager_id, period, brands, previous_months_met, display_stores, outlets_new,
      outlets_target, banquets);
    if (body_version >= 2)
      a(key_township_stores, outlets_county, outlets_township, county_target, township_target,
        banquet_lines, banquet_target, inspections);
  }
};

struct targets_result {
  static constexpr message_type type = message_type::targets_result;
  std::uint64_t case_id = 0;
  bool ok = false;
  std::string error;
  bool met = false;
  std::int64_t total_fen = 0;
  std::string result_json;  // the month's figures, as `assessctl commission --json` shows them
  // Version 2: when !ok, whether trying again later may succeed. Older bodies: false.
  std::uint16_t body_version = 2;
  bool retryable = false;
  template <class A>
  void serialize(A& a) {
    a(case_id, ok, error, met, total_fen, result_json);
    if (body_version >= 2) a(retryable);
  }
};

template <typename T>
envelope pack(const T& body, std::uint64_t id = 0, std::uint64_t correlation_id = 0) {
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    if constexpr (requires { body.body_version; }) {
      T current = body;  // always written in the newest layout
      current.body_version = current_version(T::type);
      ar(current);
    } else {
      ar(const_cast<T&>(body));
    }
  }
  return envelope{T::type, current_version(T::type), id, correlation_id, std::move(os).str()};
}

// Decodes an envelope's body as T. Corruption when the type differs, the
// body is truncated, oversized inside, or leaves bytes unread.
template <typename T>
result<T> unpack(const envelope& e) {
  if (e.type != T::type)
    return status::corruption("expected " + std::string(type_name(T::type)) + ", got " +
                              std::string(type_name(e.type)));
  T out;
  if constexpr (requires { out.body_version; })
    out.body_version = e.version;  // older layouts decode too
  std::istringstream is(e.body);
  struct bound_guard {
    bound_guard(const std::istringstream& is, std::size_t size) { detail::decoding = {&is, size}; }
    ~bound_guard() { detail::decoding = {}; }
  } bound(is, e.body.size());
  try {
    cereal::PortableBinaryInputArchive ar(is);
    ar(out);
  } catch (const std::exception& ex) {
    return status::corruption(std::string(type_name(T::type)) +
                              " body does not decode: " + ex.what());
  }
  if (is.peek() != std::char_traits<char>::eof())
    return status::corruption(std::string(type_name(T::type)) + " body has trailing bytes");
  return out;
}

}  // namespace af::msg
