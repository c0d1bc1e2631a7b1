// Tests for messages/envelope.h and messages/types.h against
// messages/wire_format.md: round trips of every message type, and refusal of
// every kind of damaged frame or body without crashing.
#include "messages/envelope.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "messages/types.h"

using namespace af::msg;

namespace {

constexpr std::uint64_t big_id = 0xFEDCBA9876543210ull;
constexpr std::uint64_t big_corr = 0x0123456789ABCDEFull;

std::uint32_t le32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}
std::uint64_t le64(const std::string& s, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}
void put_le32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// Recomputes the CRC of a (possibly edited) frame so that a test reaches the
// check it aims at instead of stopping at the CRC.
std::string reseal(std::string frame) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(frame.data()), 28);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(frame.data()) + 32,
              static_cast<uInt>(frame.size() - 32));
  put_le32(frame, 28, static_cast<std::uint32_t>(crc));
  return frame;
}

// ---- sample messages, one per type, with every field set ----

worker_hello sample_hello() {
  worker_hello m;
  m.kind = worker_kind::targets;
  m.name = "targets@host-1 (工作者)";
  m.pid = 4'000'000'000u;
  m.capacity = 8;
  return m;
}

heartbeat sample_heartbeat() {
  heartbeat m;
  m.kind = worker_kind::notify;
  m.in_flight = 3;
  m.capacity = 8;
  m.name = "notify-1";
  m.pid = 4242;
  return m;
}

scoring_task sample_scoring_task() {
  scoring_task m;
  m.case_id = 42;
  m.program = "competency50";
  m.employee_id = "E1001";
  m.joined_on = "2021-03-01";
  m.as_of = "2026-09-30";
  m.ratings = {{"language", 4},
               {"market_development", 3},
               {"negotiation", 5},
               {"achievement_motivation", 4},
               {"service_orientation", 4},
               {"initiative", 3}};
  m.exam_hundredths = {{"product_knowledge", 8750}};
  m.sales_last_year_fen = 150'000'000;
  m.quarter_inquiries = 20000;
  m.quarter_converted = 15;
  m.rater_ratings = {{"supervisor:S1", {{"influence", 3}}}, {"peer:E2", {{"influence", 4}}}};
  m.exam_parts = {{"general_knowledge", {{8000, 60}, {9050, 40}}}};
  m.required_levels = {{"execution", 2}};
  m.has_figures = true;
  m.net_sales_fen = -4'000;
  m.target_fen = 10'000'000;
  m.net_sales_year_before_fen = 8'000'000;
  m.customers = 10;
  m.new_customers = 3;
  m.repeat_customers = 5;
  m.complaints = 1;
  return m;
}

scoring_result sample_scoring_result() {
  scoring_result m;
  m.case_id = std::numeric_limits<std::uint64_t>::max();
  m.ok = true;
  m.error = "";
  m.items = {{"product_knowledge", 435}, {"language", 400}, {"conversion_rate", 0}};
  m.total = 3935;
  m.tier = 2;
  m.flags = {"conversion_rate: no data (no inquiries in quarter)", "second flag"};
  m.detail_json = R"({"gap":{"execution":1.00}})";
  return m;
}

scoring_result sample_scoring_error() {
  scoring_result m;
  m.case_id = 7;
  m.ok = false;
  m.error = "ratings.language: 6 is out of range 1..5";
  m.total = -1;
  m.tier = 0;
  return m;
}

notify_task sample_notify_task() {
  notify_task m;
  m.notification_id = "n-42-case_final-E1001";
  m.recipient_id = "E1001";
  m.case_id = 42;
  m.kind = "case_final";
  m.body_json = R"({"case":42,"tier":2,"note":"结果已发送"})";
  return m;
}

notify_result sample_notify_result() {
  notify_result m;
  m.notification_id = "n-42-case_final-E1001";
  m.ok = true;
  m.already_delivered = true;
  m.error = "none";
  return m;
}

// ---- field-by-field comparison ----

void check_equal(const worker_hello& a, const worker_hello& b) {
  CHECK(a.kind == b.kind);
  CHECK(a.name == b.name);
  CHECK(a.pid == b.pid);
  CHECK(a.capacity == b.capacity);
}
void check_equal(const heartbeat& a, const heartbeat& b) {
  CHECK(a.kind == b.kind);
  CHECK(a.in_flight == b.in_flight);
  CHECK(a.capacity == b.capacity);
  CHECK(a.name == b.name);
  CHECK(a.pid == b.pid);
}
void check_equal(const scoring_task& a, const scoring_task& b) {
  CHECK(a.case_id == b.case_id);
  CHECK(a.program == b.program);
  CHECK(a.employee_id == b.employee_id);
  CHECK(a.joined_on == b.joined_on);
  CHECK(a.as_of == b.as_of);
  CHECK(a.ratings == b.ratings);
  CHECK(a.exam_hundredths == b.exam_hundredths);
  CHECK(a.sales_last_year_fen == b.sales_last_year_fen);
  CHECK(a.quarter_inquiries == b.quarter_inquiries);
  CHECK(a.quarter_converted == b.quarter_converted);
  CHECK(a.rater_ratings == b.rater_ratings);
  CHECK(a.exam_parts == b.exam_parts);
  CHECK(a.required_levels == b.required_levels);
  CHECK(a.has_figures == b.has_figures);
  CHECK(a.net_sales_fen == b.net_sales_fen);
  CHECK(a.target_fen == b.target_fen);
  CHECK(a.net_sales_year_before_fen == b.net_sales_year_before_fen);
  CHECK(a.customers == b.customers);
  CHECK(a.new_customers == b.new_customers);
  CHECK(a.repeat_customers == b.repeat_customers);
  CHECK(a.complaints == b.complaints);
}
void check_equal(const scoring_result& a, const scoring_result& b) {
  CHECK(a.case_id == b.case_id);
  CHECK(a.ok == b.ok);
  CHECK(a.error == b.error);
  CHECK(a.items == b.items);
  CHECK(a.total == b.total);
  CHECK(a.tier == b.tier);
  CHECK(a.flags == b.flags);
  CHECK(a.detail_json == b.detail_json);
}
void check_equal(const notify_task& a, const notify_task& b) {
  CHECK(a.notification_id == b.notification_id);
  CHECK(a.recipient_id == b.recipient_id);
  CHECK(a.case_id == b.case_id);
  CHECK(a.kind == b.kind);
  CHECK(a.body_json == b.body_json);
}
void check_equal(const notify_result& a, const notify_result& b) {
  CHECK(a.notification_id == b.notification_id);
  CHECK(a.ok == b.ok);
  CHECK(a.already_delivered == b.already_delivered);
  CHECK(a.error == b.error);
}

// pack -> encode -> decode -> unpack, checking the envelope on the way.
template <typename T>
void check_round_trip(const T& msg, std::uint64_t id, std::uint64_t corr) {
  envelope e = pack(msg, id, corr);
  CHECK(e.type == T::type);
  CHECK(e.version == current_version(T::type));
  CHECK(e.id == id);
  CHECK(e.correlation_id == corr);

  std::string frame = encode(e);
  CHECK(frame.size() == header_size + e.body.size());

  auto d = decode(frame);
  INFO((d ? std::string("decoded") : d.error().to_string()));
  REQUIRE(d.is_ok());
  CHECK(d->type == T::type);
  CHECK(d->version == e.version);
  CHECK(d->id == id);
  CHECK(d->correlation_id == corr);
  CHECK(d->body == e.body);
  CHECK(encode(*d) == frame);

  auto u = unpack<T>(*d);
  INFO((u ? std::string("unpacked") : u.error().to_string()));
  REQUIRE(u.is_ok());
  check_equal(*u, msg);
}

// One valid frame per message type, for the damage tests.
struct sample_frame {
  const char* name;
  std::string frame;
};
std::vector<sample_frame> sample_frames() {
  return {
      {"worker_hello", encode(pack(sample_hello(), 1))},
      {"heartbeat", encode(pack(sample_heartbeat(), 2))},
      {"scoring_task", encode(pack(sample_scoring_task(), 3))},
      {"scoring_result", encode(pack(sample_scoring_result(), 4, 3))},
      {"notify_task", encode(pack(sample_notify_task(), 5))},
      {"notify_result", encode(pack(sample_notify_result(), 6, 5))},
  };
}

void check_corrupt(const af::result<envelope>& r) {
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().code() == af::status_code::corruption);
  CHECK_FALSE(r.error().message().empty());
}

// Expects unpack<T> of the envelope (already through encode/decode) to fail
// cleanly with Corruption.
template <typename T>
void check_unpack_fails(const envelope& e, const char* expect_in_message = nullptr) {
  auto d = decode(encode(e));
  REQUIRE(d.is_ok());
  auto u = unpack<T>(*d);
  REQUIRE_FALSE(u.is_ok());
  CHECK(u.error().code() == af::status_code::corruption);
  if (expect_in_message) {
    INFO(u.error().message());
    CHECK(u.error().message().find(expect_in_message) != std::string::npos);
  }
}

template <typename T>
void check_every_body_prefix_fails(const T& msg) {
  envelope whole = pack(msg, 9);
  REQUIRE(whole.body.size() > 1);
  int decoded = 0;
  for (std::size_t cut = 0; cut < whole.body.size(); ++cut) {
    envelope e = whole;
    e.body.resize(cut);
    auto d = decode(encode(e));  // CRC covers the shortened body: the frame is intact
    REQUIRE(d.is_ok());
    if (unpack<T>(*d).is_ok()) {
      ++decoded;
      UNSCOPED_INFO("body cut at " << cut << " of " << whole.body.size() << " unpacked");
    }
  }
  CHECK(decoded == 0);
}

}  // namespace

TEST_CASE("every message type round-trips through an envelope", "[messages]") {
  SECTION("worker_hello") { check_round_trip(sample_hello(), 1, 0); }
  SECTION("heartbeat") { check_round_trip(sample_heartbeat(), 2, 0); }
  SECTION("scoring_task") { check_round_trip(sample_scoring_task(), big_id, 0); }
  SECTION("scoring_result") { check_round_trip(sample_scoring_result(), 100, big_id); }
  SECTION("scoring_result carrying an error") { check_round_trip(sample_scoring_error(), 101, 77); }
  SECTION("targets_task and targets_result") {
    targets_task t;
    t.case_id = 9;
    t.manager_id = "E1";
    t.period = "2026-07";
    t.brands = {{"yanghe", 30000000, 16000000, 300}, {"shuanggou", 0, 5, 250}};
    t.previous_months_met = {true, false, false};
    t.display_stores = 47;
    t.outlets_new = 12;
    t.outlets_target = 10;
    t.banquets = 2;
    auto back = unpack<targets_task>(*decode(encode(pack(t, 9))));
    REQUIRE(back.is_ok());
    CHECK(back->brands.size() == 2);
    CHECK(back->brands[0].name == "yanghe");
    CHECK(back->brands[0].target_fen == 30000000);
    CHECK(back->brands[1].rate_bp == 250);
    CHECK(back->previous_months_met == std::vector<bool>{true, false, false});
    CHECK(back->outlets_target == 10);
    CHECK(back->banquets == 2);
    targets_result r{9, true, "", false, 376000, R"({"total_fen":376000})"};
    auto rb = unpack<targets_result>(*decode(encode(pack(r, 10, 9))));
    REQUIRE(rb.is_ok());
    CHECK(rb->total_fen == 376000);
    CHECK(rb->result_json == r.result_json);
    CHECK(rb->ok);
  }
  SECTION("notify_task") { check_round_trip(sample_notify_task(), big_corr, 0); }
  SECTION("notify_result") { check_round_trip(sample_notify_result(), 200, big_corr); }
  SECTION("default-constructed messages (empty strings and containers)") {
    check_round_trip(worker_hello{}, 0, 0);
    check_round_trip(heartbeat{}, 0, 0);
    check_round_trip(scoring_task{}, 0, 0);
    check_round_trip(scoring_result{}, 0, 0);
    check_round_trip(notify_task{}, 0, 0);
    check_round_trip(notify_result{}, 0, 0);
  }
  SECTION("extreme integer values") {
    scoring_task t = sample_scoring_task();
    t.case_id = std::numeric_limits<std::uint64_t>::max();
    t.sales_last_year_fen = std::numeric_limits<std::int64_t>::min();
    t.quarter_inquiries = std::numeric_limits<std::int64_t>::max();
    t.ratings["x"] = std::numeric_limits<std::int32_t>::min();
    check_round_trip(t, std::numeric_limits<std::uint64_t>::max(),
                     std::numeric_limits<std::uint64_t>::max());
  }
  SECTION("a string with embedded NUL bytes") {
    notify_task n = sample_notify_task();
    n.body_json = std::string("a\0b\0\0c", 6);
    check_round_trip(n, 5, 0);
  }
}

TEST_CASE("a notify task carries its channel, and a version 1 body is the file channel",
          "[messages]") {
  notify_task v2 = sample_notify_task();
  v2.channel = "smtp";
  v2.address = "wang@example.cn";
  v2.unit = "华东事业部";
  v2.recipient_name = "王芳";
  v2.message_key = "K7Q2ABCD";
  v2.message_id = "<n-42@0123abcd.assessflow>";
  auto back = unpack<notify_task>(pack(v2));
  REQUIRE(back.is_ok());
  CHECK(back->channel == "smtp");
  CHECK(back->address == "wang@example.cn");
  CHECK(back->unit == "华东事业部");
  CHECK(back->message_id == "<n-42@0123abcd.assessflow>");
  notify_task v1 = sample_notify_task();
  v1.body_version = 1;  // as an engine before channels wrote it
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    ar(v1);
  }
  auto old = unpack<notify_task>(*decode(encode({message_type::notify_task, 1, 5, 0, os.str()})));
  REQUIRE(old.is_ok());
  CHECK(old->channel == "file");
  CHECK(old->address.empty());
  CHECK(old->notification_id == "n-42-case_final-E1001");
}

TEST_CASE("a notify result carries how long to defer it, and a version 2 body defers nothing",
          "[messages]") {
  notify_result deferred;
  deferred.notification_id = "case-7-h3-employee-chat";
  deferred.error = "chat: the robot of unit \"华东事业部\" is at its limit of 20 messages a minute";
  deferred.defer_ms = 41'250;
  auto back = unpack<notify_result>(*decode(encode(pack(deferred, 9, 8))));
  REQUIRE(back.is_ok());
  CHECK(back->defer_ms == 41'250);
  CHECK_FALSE(back->ok);
  CHECK(back->error == deferred.error);
  notify_result v2 = deferred;
  v2.body_version = 2;  // as a notify worker before deferring wrote it
  v2.retryable = true;
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    ar(v2);
  }
  auto old =
      unpack<notify_result>(*decode(encode({message_type::notify_result, 2, 5, 4, os.str()})));
  REQUIRE(old.is_ok());
  CHECK(old->defer_ms == 0);
  CHECK(old->retryable);
  CHECK(old->notification_id == "case-7-h3-employee-chat");
}

TEST_CASE("version 1 and 2 scoring bodies still decode, without the later fields", "[messages]") {
  scoring_task v1 = sample_scoring_task();
  v1.body_version = 1;  // as an engine before rubrics wrote it
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    ar(v1);
  }
  af::msg::envelope e{message_type::scoring_task, 1, 5, 0, os.str()};
  auto back = unpack<scoring_task>(*decode(encode(e)));
  REQUIRE(back.is_ok());
  CHECK(back->body_version == 1);
  CHECK(back->ratings == v1.ratings);
  CHECK(back->quarter_converted == 15);
  CHECK(back->rater_ratings.empty());
  CHECK(back->exam_parts.empty());
  CHECK_FALSE(back->has_figures);
  // A version 2 body (before the appraisals' figures) decodes without them.
  scoring_task v2 = sample_scoring_task();
  v2.body_version = 2;
  std::ostringstream os2;
  {
    cereal::PortableBinaryOutputArchive ar(os2);
    ar(v2);
  }
  auto back2 = unpack<scoring_task>(
      *decode(encode(af::msg::envelope{message_type::scoring_task, 2, 5, 0, os2.str()})));
  REQUIRE(back2.is_ok());
  CHECK(back2->rater_ratings == v2.rater_ratings);
  CHECK_FALSE(back2->has_figures);
  CHECK(back2->customers == 0);
  // A version 3 body labelled version 1 leaves bytes unread: refused.
  af::msg::envelope mislabelled = pack(sample_scoring_task(), 6);
  mislabelled.version = 1;
  auto refused = unpack<scoring_task>(*decode(encode(mislabelled)));
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.error().message() == "scoring_task body has trailing bytes");
}

TEST_CASE("a targets task carries the process indicators, and a version 1 body still decodes",
          "[messages]") {
  targets_task t;
  t.case_id = 4;
  t.manager_id = "E1";
  t.period = "2026-07";
  t.display_stores = 52;
  t.key_township_stores = {{"位伯", 10}, {"旧城", 9}};
  t.outlets_county = 480;
  t.outlets_township = 12;
  t.county_target = 500;
  t.township_target = 500;
  t.banquet_lines = {{1, "haizhilan", 2, 7, 0}, {0, "", 3, 0, 0}};
  t.banquet_target = 6;
  t.inspections = {{"not_restocked", 2}};
  auto back = unpack<targets_task>(*decode(encode(pack(t, 9))));
  REQUIRE(back.is_ok());
  CHECK(back->key_township_stores == t.key_township_stores);
  CHECK(back->outlets_county == 480);
  CHECK(back->township_target == 500);
  REQUIRE(back->banquet_lines.size() == 2);
  CHECK(back->banquet_lines[0].product == "haizhilan");
  CHECK(back->banquet_lines[0].cases == 7);
  CHECK(back->banquet_target == 6);
  CHECK(back->inspections == t.inspections);

  targets_task v1 = t;
  v1.body_version = 1;  // as an engine before the process indicators wrote it
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    ar(v1);
  }
  auto old = unpack<targets_task>(
      *decode(encode(af::msg::envelope{message_type::targets_task, 1, 5, 0, os.str()})));
  REQUIRE(old.is_ok());
  CHECK(old->body_version == 1);
  CHECK(old->display_stores == 52);
  CHECK(old->banquet_lines.empty());
  CHECK(old->banquet_target == -1);
}

TEST_CASE("a failed result says whether to retry, and an older body decodes with the old meaning",
          "[messages]") {
  notify_result failed{"n-1", false, false, "disk full", 2, true};
  auto back = unpack<notify_result>(*decode(encode(pack(failed, 3))));
  REQUIRE(back.is_ok());
  CHECK(back->retryable);
  CHECK(back->error == "disk full");
  // Version 1 (no field): a failed notification was always offered again.
  notify_result v1{"n-1", false, false, "disk full", 1, false};
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    ar(v1);
  }
  auto old = unpack<notify_result>(
      *decode(encode(af::msg::envelope{message_type::notify_result, 1, 3, 0, os.str()})));
  REQUIRE(old.is_ok());
  CHECK(old->retryable);
  // A version 2 scoring result (no field): a failure was final.
  scoring_result r;
  r.case_id = 9;
  r.error = "no rubric";
  r.retryable = true;
  r.body_version = 2;
  std::ostringstream os2;
  {
    cereal::PortableBinaryOutputArchive ar(os2);
    ar(r);
  }
  auto v2 = unpack<scoring_result>(
      *decode(encode(af::msg::envelope{message_type::scoring_result, 2, 4, 0, os2.str()})));
  REQUIRE(v2.is_ok());
  CHECK_FALSE(v2->retryable);
  r.body_version = 3;
  auto v3 = unpack<scoring_result>(*decode(encode(pack(r, 4))));
  REQUIRE(v3.is_ok());
  CHECK(v3->retryable);
}

TEST_CASE("type ids, names and versions", "[messages]") {
  CHECK(static_cast<int>(worker_hello::type) == 1);
  CHECK(static_cast<int>(heartbeat::type) == 2);
  CHECK(static_cast<int>(scoring_task::type) == 3);
  CHECK(static_cast<int>(scoring_result::type) == 4);
  CHECK(static_cast<int>(notify_task::type) == 5);
  CHECK(static_cast<int>(notify_result::type) == 6);
  CHECK(static_cast<int>(targets_task::type) == 7);
  CHECK(static_cast<int>(targets_result::type) == 8);
  const std::map<message_type, int> versions{
      {message_type::worker_hello, 1}, {message_type::heartbeat, 1},
      {message_type::scoring_task, 3}, {message_type::scoring_result, 3},
      {message_type::notify_task, 2},  {message_type::notify_result, 3},
      {message_type::targets_task, 2}, {message_type::targets_result, 2}};
  for (int t = 1; t <= 8; ++t) {
    auto type = static_cast<message_type>(t);
    CHECK(current_version(type) == versions.at(type));
    CHECK(type_name(static_cast<message_type>(t)) != "unknown");
  }
  CHECK(type_name(message_type::scoring_task) == "scoring_task");
  CHECK(current_version(static_cast<message_type>(0)) == 0);
  CHECK(current_version(static_cast<message_type>(9)) == 0);
  CHECK(type_name(static_cast<message_type>(9)) == "unknown");
  CHECK(kind_name(worker_kind::scoring) == "scoring");
  CHECK(kind_name(worker_kind::targets) == "targets");
  CHECK(kind_name(worker_kind::notify) == "notify");
}

TEST_CASE("the header layout follows wire_format.md", "[messages]") {
  envelope e = pack(sample_notify_task(), big_id, big_corr);
  std::string f = encode(e);
  REQUIRE(f.size() == 32 + e.body.size());
  CHECK(f.substr(0, 4) == "AFW1");
  CHECK(static_cast<unsigned char>(f[4]) == 5);  // type, little-endian
  CHECK(static_cast<unsigned char>(f[5]) == 0);
  CHECK(static_cast<unsigned char>(f[6]) == 2);  // version (notify_task 2)
  CHECK(static_cast<unsigned char>(f[7]) == 0);
  CHECK(le64(f, 8) == big_id);
  CHECK(le64(f, 16) == big_corr);
  CHECK(le32(f, 24) == e.body.size());
  CHECK(f.substr(32) == e.body);
  CHECK(reseal(f) == f);  // the CRC is zlib's over bytes 0..27 then the body
}

TEST_CASE("a truncated frame is rejected at every length", "[messages]") {
  for (const auto& s : sample_frames()) {
    INFO(s.name);
    REQUIRE(decode(s.frame).is_ok());
    for (std::size_t n = 0; n < s.frame.size(); ++n) {
      INFO("prefix of " << n << " bytes");
      check_corrupt(decode(std::string_view(s.frame).substr(0, n)));
    }
  }
}

TEST_CASE("a frame with any single byte changed is rejected", "[messages]") {
  for (const auto& s : sample_frames()) {
    INFO(s.name);
    for (std::size_t pos = 0; pos < s.frame.size(); ++pos) {
      for (unsigned mask : {0x01u, 0x80u, 0xFFu}) {
        std::string f = s.frame;
        f[pos] = static_cast<char>(static_cast<unsigned char>(f[pos]) ^ mask);
        INFO("byte " << pos << " xor " << mask);
        check_corrupt(decode(f));
      }
    }
  }
}

TEST_CASE("frames failing one header check are rejected", "[messages]") {
  std::string good = encode(pack(sample_scoring_task(), 3));
  REQUIRE(decode(good).is_ok());

  SECTION("bad magic, even with a valid CRC") {
    for (std::size_t i = 0; i < 4; ++i) {
      std::string f = good;
      f[i] = 'X';
      auto r = decode(reseal(f));
      check_corrupt(r);
      CHECK(r.error().message().find("magic") != std::string::npos);
    }
    check_corrupt(decode(reseal("AFW2" + good.substr(4))));
    check_corrupt(decode(std::string(64, '\0')));
  }
  SECTION("an extra byte after the body") {
    auto r = decode(reseal(good + '\0'));
    check_corrupt(r);
    CHECK(r.error().message().find("length") != std::string::npos);
  }
  SECTION("a length field that disagrees with the frame size") {
    for (std::int64_t delta : {std::int64_t{-1}, std::int64_t{1},
                               -static_cast<std::int64_t>(good.size() - 32), std::int64_t{1000}}) {
      std::string f = good;
      put_le32(f, 24,
               static_cast<std::uint32_t>(static_cast<std::int64_t>(good.size() - 32) + delta));
      INFO("delta " << delta);
      auto r = decode(reseal(f));
      check_corrupt(r);
      CHECK(r.error().message().find("length") != std::string::npos);
    }
  }
  SECTION("a body length over 16 MiB") {
    std::string f = good.substr(0, 32);
    put_le32(f, 24, static_cast<std::uint32_t>(max_body_size + 1));
    check_corrupt(decode(reseal(f)));
    put_le32(f, 24, 0xFFFFFFFFu);
    check_corrupt(decode(reseal(f)));

    envelope huge{message_type::notify_task, 1, 1, 0, std::string(max_body_size + 1, 'x')};
    check_corrupt(decode(encode(huge)));
    envelope limit{message_type::notify_task, 1, 1, 0, std::string(max_body_size, 'x')};
    CHECK(decode(encode(limit)).is_ok());
  }
  SECTION("a CRC mismatch") {
    std::string f = good;
    put_le32(f, 28, le32(f, 28) + 1);
    auto r = decode(f);
    check_corrupt(r);
    CHECK(r.error().message().find("CRC") != std::string::npos);
  }
  SECTION("an unknown type with a valid CRC") {
    for (std::uint16_t t :
         {std::uint16_t{0}, std::uint16_t{9}, std::uint16_t{0x100}, std::uint16_t{0xFFFF}}) {
      envelope e = pack(sample_heartbeat(), 1);
      e.type = static_cast<message_type>(t);
      INFO("type " << t);
      auto r = decode(encode(e));
      check_corrupt(r);
      CHECK(r.error().message().find("unknown") != std::string::npos);
    }
  }
  SECTION("a version newer than this build, or version 0") {
    for (int t = 1; t <= 8; ++t) {
      auto type = static_cast<message_type>(t);
      envelope e{type, current_version(type), 1, 0, "body"};
      INFO(type_name(type));
      CHECK(decode(encode(e)).is_ok());
      e.version = static_cast<std::uint16_t>(current_version(type) + 1);
      auto r = decode(encode(e));
      check_corrupt(r);
      CHECK(r.error().message().find("newer") != std::string::npos);
      e.version = 0xFFFF;
      check_corrupt(decode(encode(e)));
      e.version = 0;
      check_corrupt(decode(encode(e)));
    }
  }
}

TEST_CASE("unpack refuses a body of another type", "[messages]") {
  envelope e = pack(sample_heartbeat(), 1);
  auto u = unpack<worker_hello>(e);
  REQUIRE_FALSE(u.is_ok());
  CHECK(u.error().code() == af::status_code::corruption);
  CHECK(u.error().message().find("worker_hello") != std::string::npos);
  CHECK(u.error().message().find("heartbeat") != std::string::npos);

  CHECK_FALSE(unpack<scoring_result>(pack(sample_scoring_task(), 1)).is_ok());
  CHECK_FALSE(unpack<scoring_task>(pack(sample_scoring_result(), 1)).is_ok());
  CHECK_FALSE(unpack<notify_result>(pack(sample_notify_task(), 1)).is_ok());
  CHECK_FALSE(unpack<notify_task>(pack(sample_notify_result(), 1)).is_ok());
  CHECK_FALSE(unpack<heartbeat>(pack(sample_hello(), 1)).is_ok());
}

TEST_CASE("unpack refuses a body with trailing bytes", "[messages]") {
  SECTION("worker_hello") {
    envelope e = pack(sample_hello(), 1);
    e.body += '\0';
    check_unpack_fails<worker_hello>(e, "trailing");
  }
  SECTION("heartbeat") {
    envelope e = pack(sample_heartbeat(), 1);
    e.body += 'x';
    check_unpack_fails<heartbeat>(e, "trailing");
  }
  SECTION("scoring_task") {
    envelope e = pack(sample_scoring_task(), 1);
    e.body += '\x01';
    check_unpack_fails<scoring_task>(e, "trailing");
  }
  SECTION("scoring_result") {
    envelope e = pack(sample_scoring_result(), 1);
    e.body += '\xff';
    check_unpack_fails<scoring_result>(e, "trailing");
  }
  SECTION("notify_task") {
    envelope e = pack(sample_notify_task(), 1);
    e.body += '\0';
    check_unpack_fails<notify_task>(e, "trailing");
  }
  SECTION("notify_result") {
    envelope e = pack(sample_notify_result(), 1);
    e.body += "more";
    check_unpack_fails<notify_result>(e, "trailing");
  }
}

TEST_CASE("unpack refuses a body truncated inside, at every cut", "[messages]") {
  SECTION("worker_hello") { check_every_body_prefix_fails(sample_hello()); }
  SECTION("heartbeat") { check_every_body_prefix_fails(sample_heartbeat()); }
  SECTION("scoring_task") { check_every_body_prefix_fails(sample_scoring_task()); }
  SECTION("scoring_result") { check_every_body_prefix_fails(sample_scoring_result()); }
  SECTION("notify_task") { check_every_body_prefix_fails(sample_notify_task()); }
  SECTION("notify_result") { check_every_body_prefix_fails(sample_notify_result()); }
  SECTION("an empty body") {
    check_unpack_fails<heartbeat>(envelope{message_type::heartbeat, 1, 1, 0, ""});
    check_unpack_fails<scoring_task>(envelope{message_type::scoring_task, 1, 1, 0, ""});
  }
}

TEST_CASE("unpack refuses an absurd length prefix without crashing", "[messages]") {
  // Portable binary layout of scoring_task: 1 endianness byte, case_id (8),
  // then the program string's 8-byte length. Claim a length no string can hold.
  envelope e = pack(sample_scoring_task(), 1);
  REQUIRE(e.body.size() > 17);
  for (std::size_t i = 9; i < 17; ++i) e.body[i] = '\xff';
  check_unpack_fails<scoring_task>(e);

  // The same for the element count of scoring_result's items vector: after
  // the endianness byte, case_id (8), ok (1) and the error string (8 + 0).
  envelope r = pack(sample_scoring_error(), 1);
  r.body = pack(scoring_result{}, 1).body;  // error "" -> items count at offset 18
  REQUIRE(r.body.size() >= 26);
  for (std::size_t i = 18; i < 26; ++i) r.body[i] = '\xff';
  check_unpack_fails<scoring_result>(r);
}

TEST_CASE("unpack refuses a declared length beyond the bytes left before allocating for it",
          "[messages]") {
  // scoring_task's program string length at offset 9: 8 GiB, in a body of a
  // few hundred bytes. Before the check cereal allocated and zeroed 8 GiB.
  envelope e = pack(sample_scoring_task(), 1);
  std::uint64_t eight_gib = 1ull << 33;
  for (int i = 0; i < 8; ++i)
    e.body[9 + static_cast<std::size_t>(i)] = static_cast<char>((eight_gib >> (8 * i)) & 0xff);
  auto r = unpack<scoring_task>(e);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().message() ==
        "scoring_task body does not decode: a length of 8589934592 is declared with " +
            std::to_string(e.body.size() - 17) + " bytes left");
  // A length that fits is still read.
  CHECK(unpack<scoring_task>(pack(sample_scoring_task(), 1)).is_ok());
}
