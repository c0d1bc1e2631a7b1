// Hostile input refused one message at a time (issue 11, first part):
// nesting beyond 64 levels, invalid UTF-8, amounts beyond 10^12 fen, a
// worker result that names no item of the program, a case whose program
// is no longer defined.
#include <catch2/catch.hpp>

#include "engine/ingest.h"
#include "messages/json_text.h"
#include "tests/engine/admin_fixture.h"

using namespace af::engine::testing;

namespace {

std::string nested(int depth, const std::string& inner = "1") {
  return std::string(static_cast<std::size_t>(depth), '[') + inner +
         std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

TEST_CASE("json_depth_within counts brackets outside strings only", "[engine][hardening]") {
  using af::msg::json_depth_within;
  CHECK(json_depth_within(nested(64)));
  CHECK_FALSE(json_depth_within(nested(65)));
  CHECK(json_depth_within(
      R"({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", 2));
  CHECK(json_depth_within(R"({"a": "\"[[[["})", 1));
  CHECK_FALSE(json_depth_within(R"({"a": [{"b": [1]}]})", 3));
  CHECK(json_depth_within(R"({"a": [{"b": [1]}]})", 4));
}

TEST_CASE("valid_utf8 refuses broken, overlong and surrogate sequences", "[engine][hardening]") {
  using af::msg::valid_utf8;
  CHECK(valid_utf8("plain"));
  CHECK(valid_utf8("孙敏 建机事业部"));
  CHECK(valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
  CHECK_FALSE(valid_utf8("\xFF"));
  CHECK_FALSE(valid_utf8("\xC3"));              // cut short
  CHECK_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xED\xA0\x80"));      // a surrogate
  CHECK_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST_CASE("an admin request nested too deep or not UTF-8 is one refusal, the engine goes on",
          "[engine][hardening]") {
  fixture f;
  f.import_org();
  // 200,000 levels once overflowed the stack (nlohmann's dump() of the case field).
  std::string deep = R"({"cmd":"case.show","case":)" + nested(200000) + "}";
  CHECK(
      f.raw(deep) ==
      R"({"ok":false,"error":"request nests arrays or objects deeper than 64","code":"invalid"})");
  std::string at_limit =
      R"({"cmd":"case.show","case":)" + nested(63) + "}";  // 64 with the request object
  CHECK(f.refused_with("invalid", njson::parse(at_limit))
            .rfind("case: must be a case id number", 0) == 0);
  CHECK(f.raw("{\"cmd\":\"case.show\",\"case\":\"\xFF\"}") ==
        R"({"ok":false,"error":"case: not valid UTF-8","code":"invalid"})");
  CHECK(f.raw("{\"cmd\":\"org.import\",\"rows\":[{\"id\":\"E9\"},{\"id\":\"E8\",\"name\":"
              "\"\xE5\xAD\"}]}") ==
        R"({"ok":false,"error":"rows[1].name: not valid UTF-8","code":"invalid"})");
  CHECK(f.raw("{\"cmd\":\"stats\",\"\xC0\xAF\":1}") ==
        R"({"ok":false,"error":"member name: not valid UTF-8","code":"invalid"})");
  CHECK(f.raw("\"\xFF\"") == R"({"ok":false,"error":"request: not valid UTF-8","code":"invalid"})");
  CHECK(f.raw("{\"cmd\": \"stats\", ") ==
        R"({"ok":false,"error":"request is not valid JSON","code":"invalid"})");
  CHECK(f.ok({{"cmd", "stats"}})["ok"] == true);
}

TEST_CASE("ingest refuses amounts beyond 10^12 fen and messages nested beyond 64",
          "[engine][hardening]") {
  fixture f;
  f.import_org();
  af::engine::ingest in(f.db, shanghai, 1 << 20);
  in.load();
  in.add_employee("E1");
  f.db.work().begin();
  std::string sale =
      R"({"type":"sale","event_id":"big","manager_id":"E1","occurred_at":"2026-08-03T10:00:00+08:00","amount_fen":9000000000000000000,"brand":"yanghe","customer_id":"K1"})";
  CHECK(
      in.handle(sale, start_instant) ==
      R"([{"event_id":"big","status":"rejected","error":"amount_fen: must be at most 10^12 fen, got 9000000000000000000"}])");
  std::string max_sale = sale;
  max_sale.replace(max_sale.find("9000000000000000000"), 19, "1000000000000");
  CHECK(in.handle(max_sale, start_instant) == R"([{"event_id":"big","status":"accepted"}])");
  std::string broken = sale;
  broken.replace(broken.find("\"K1\""), 4, "\"K\xFF\"");
  CHECK(in.handle("[" + max_sale + "," + broken + "]", start_instant) ==
        R"([{"event_id":null,"status":"rejected","error":"[1].customer_id: not valid UTF-8"}])");
  CHECK(in.handle(broken, start_instant) ==
        R"([{"event_id":null,"status":"rejected","error":"customer_id: not valid UTF-8"}])");
  auto deep = njson::parse(in.handle(nested(65), start_instant));
  CHECK(deep[0]["status"] == "rejected");
  CHECK(deep[0]["error"].get<std::string>().rfind("message is not valid JSON", 0) == 0);
  in.flush();
  f.db.work().commit();
  in.committed();
}

TEST_CASE("a worker's scoring result is checked like client input", "[engine][hardening]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto e1 = f.case_of("E1");
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", ratings}});
  f.ok({{"cmd", "submit"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"ratings", ratings},
        {"exams", exams}});
  auto r = design_result(e1);
  SECTION("an item the program does not have") {
    r.items.push_back({"bogus", 100});
    auto s = f.apply_scoring(r);
    CHECK(s.code() == af::status_code::invalid_argument);
    CHECK(s.message() == "result item \"bogus\" is not an item of competency50");
  }
  SECTION("a flag that is not UTF-8") {
    r.flags.push_back("\xFF\xFE");
    CHECK(f.apply_scoring(r).message() == "result flag is not UTF-8 text of at most 500 bytes");
  }
  SECTION("detail nested too deep, or not an object") {
    r.detail_json = nested(100);
    CHECK(f.apply_scoring(r).message() ==
          "result detail is not UTF-8 JSON nesting at most 64 deep");
    r.detail_json = "[1]";
    CHECK(f.apply_scoring(r).message() == "result detail is not a JSON object");
  }
  CHECK(f.state(e1) == "scoring");  // none of them scored the case
  REQUIRE(f.apply_scoring(design_result(e1)).is_ok());
  CHECK(f.state(e1) == "hrbp_review");
}

TEST_CASE("a case whose program is no longer defined is a clear error, not a crash",
          "[engine][hardening]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto e1 = f.case_of("E1");
  f.programs.erase(
      "competency50");  // the engine restarted without schemas/workflows/competency50.json
  CHECK(f.refused_with(
            "conflict",
            {{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", ratings}}) ==
        "case " + std::to_string(e1) +
            ": its program competency50 is no longer defined "
            "(schemas/workflows/competency50.json)");
  CHECK(f.apply_scoring(design_result(e1)).message() ==
        "case " + std::to_string(e1) + ": its program competency50 is no longer defined");
  CHECK(f.show(e1)["state"] == "self_review");  // still shown
}

TEST_CASE("a sale or refund that would carry a monthly total beyond 64 bits is refused",
          "[engine][hardening]") {
  fixture f;
  f.import_org();
  const std::int64_t max = INT64_MAX;
  // A month already this close to the limit (10^12 fen at most per event).
  f.db.work().begin();
  f.db.add_monthly("E1", "2026-08", {max - 1000000000000 + 1, 0, 0, 0});
  f.db.work().commit();
  af::engine::ingest in(f.db, shanghai, 1 << 20);
  in.load();
  auto sale = [](const std::string& id, std::int64_t fen) {
    return R"({"type":"sale","event_id":")" + id +
           R"(","manager_id":"E1","occurred_at":"2026-08-03T10:00:00+08:00","amount_fen":)" +
           std::to_string(fen) + R"(,"brand":"yanghe","customer_id":"K1"})";
  };
  const std::string beyond =
      R"(amount_fen: the sales of E1 in 2026-08 would exceed 9223372036854775807 fen; not applied)";
  f.db.work().begin();
  CHECK(in.handle(sale("one-too-many", 1000000000000), start_instant) ==
        R"([{"event_id":"one-too-many","status":"rejected","error":")" + beyond + R"("}])");
  CHECK(in.handle(sale("to-the-limit", 1000000000000 - 1), start_instant) ==
        R"([{"event_id":"to-the-limit","status":"accepted"}])");
  CHECK(in.handle(sale("pending", 1), start_instant) ==  // this transaction's sales count too
        R"([{"event_id":"pending","status":"rejected","error":")" + beyond + R"("}])");
  in.flush();
  f.db.work().commit();
  in.committed();
  CHECK(f.db.monthly_sum("E1", "2026-08", "2026-08").sales_fen == max);
  f.db.work().begin();
  CHECK(in.handle(sale("committed", 1), start_instant) ==  // and so do committed ones
        R"([{"event_id":"committed","status":"rejected","error":")" + beyond + R"("}])");
  // A refund is checked against the month it falls in: September has room.
  std::string refund =
      R"({"type":"refund","event_id":"r1","manager_id":"E1","occurred_at":"2026-09-03T10:00:00+08:00","amount_fen":5,"brand":"yanghe","refers_to":"to-the-limit"})";
  CHECK(in.handle(refund, start_instant) == R"([{"event_id":"r1","status":"accepted"}])");
  // The event the refusal named was not stored: the same id is new again.
  std::string september = sale("committed", 1);
  september.replace(september.find("2026-08-03"), 10, "2026-09-03");
  CHECK(in.handle(september, start_instant) == R"([{"event_id":"committed","status":"accepted"}])");
  in.flush();
  f.db.work().commit();
  in.committed();
}

TEST_CASE("a quarter whose monthly sales add up beyond 64 bits is a refusal naming the sum",
          "[engine][hardening]") {
  fixture f;
  f.import_org();
  const std::int64_t max = INT64_MAX;
  f.db.work().begin();
  f.db.add_monthly("E1", "2026-07", {max, 0, 0, 0});
  f.db.add_monthly("E1", "2026-08", {1, 0, 0, 0});
  f.db.work().commit();
  CHECK(
      f.refused_with("conflict", {{"cmd", "sales"}, {"manager_id", "E1"}, {"period", "2026-Q3"}}) ==
      "the sales of E1 from 2026-07 to 2026-09 is beyond 9223372036854775807 (the largest whole "
      "number stored); "
      "nothing was computed");
  auto july = f.ok({{"cmd", "sales"}, {"manager_id", "E1"}, {"period", "2026-07"}});
  CHECK(july["sales_fen"] == max);
}
