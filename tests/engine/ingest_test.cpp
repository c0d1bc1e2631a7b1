// Tests for engine/ingest.h and engine/event_validation.h: the external
// event path on a temporary store. Each message runs as the engine runs it:
// begin, handle, flush, commit, committed().
#include "engine/ingest.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/store.h"
#include "tests/engine/test_support.h"

using af::engine::ingest;
using af::engine::sales_figures;
using af::engine::store;
using af::engine::testing::temp_dir;
using njson = nlohmann::json;

namespace {

constexpr int shanghai = 480;
constexpr std::size_t max_bytes = 4096;
constexpr std::int64_t now = 1'790'000'000;

store open_store(const std::string& path) {
  auto r = store::open(path, ASSESSFLOW_SCHEMAS_DIR "/migrations", false);
  if (!r) FAIL("store::open: " << r.error().to_string());
  return std::move(r).value();
}

struct fixture {
  temp_dir dir;
  store db = open_store(dir.file("assessflow.db"));
  ingest ing{db, shanghai, max_bytes};

  fixture() {
    for (const char* id : {"E1", "E2"}) {
      ing.add_employee(id);
      af::engine::employee_row e;
      e.id = id;
      e.name = id;
      e.unit = "u";
      e.grade = 3;
      e.joined_on = "2020-01-01";
      db.upsert_employee(e);  // so that a fresh ingest's load() knows them too
    }
  }

  // One message, committed as the engine does.
  njson send(const std::string& text) { return send_with(ing, text); }
  njson send_with(ingest& i, const std::string& text) {
    db.work().begin();
    std::string reply = i.handle(text, now);
    i.flush();
    db.work().commit();
    i.committed();
    auto j = njson::parse(reply, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    REQUIRE(j.is_array());
    return j;
  }
  njson send(const njson& message) { return send(message.dump()); }

  sales_figures month(const std::string& manager, const std::string& m) {
    return db.monthly_sum(manager, m, m);
  }
};

njson sale(const std::string& id, std::int64_t amount = 10000, const std::string& manager = "E1",
           const std::string& when = "2026-07-10T10:00:00+08:00") {
  return {{"type", "sale"},       {"event_id", id},       {"manager_id", manager},
          {"occurred_at", when},  {"amount_fen", amount}, {"brand", "yanghe"},
          {"customer_id", "C100"}};
}

njson refund(const std::string& id, std::int64_t amount, const std::string& refers_to) {
  return {{"type", "refund"},      {"event_id", id},
          {"manager_id", "E1"},    {"occurred_at", "2026-07-11T10:00:00+08:00"},
          {"amount_fen", amount},  {"brand", "yanghe"},
          {"refers_to", refers_to}};
}

njson inquiry(const std::string& id, const njson& converted) {
  return {{"type", "inquiry"},   {"event_id", id},
          {"manager_id", "E1"},  {"occurred_at", "2026-07-12T10:00:00+08:00"},
          {"customer_id", "C7"}, {"converted", converted}};
}

njson target_set(const std::string& id, const std::string& period) {
  return {{"type", "target_set"},  {"event_id", id},
          {"manager_id", "E1"},    {"occurred_at", "2026-07-01T00:00:00+08:00"},
          {"period", period},      {"brand", "yanghe"},
          {"target_fen", 30000000}};
}

njson accepted(const std::string& id) { return {{"event_id", id}, {"status", "accepted"}}; }
njson duplicate(const std::string& id) { return {{"event_id", id}, {"status", "duplicate"}}; }
njson rejected(const njson& id, const std::string& error) {
  return {{"event_id", id}, {"status", "rejected"}, {"error", error}};
}

}  // namespace

TEST_CASE("a valid sale is accepted and counted in its month in the company zone",
          "[engine][ingest]") {
  fixture f;
  // 16:30 UTC on 30 June is 00:30 on 1 July in +08:00.
  auto reply = f.send(sale("s1", 12345, "E1", "2026-06-30T16:30:00Z"));
  CHECK(reply == njson::array({accepted("s1")}));
  CHECK(f.month("E1", "2026-07").sales_fen == 12345);
  CHECK(f.month("E1", "2026-06").sales_fen == 0);
  CHECK(f.db.event_count() == 1);

  // One second before midnight in Shanghai stays in June.
  f.send(sale("s2", 1, "E1", "2026-06-30T15:59:59Z"));
  CHECK(f.month("E1", "2026-06").sales_fen == 1);
  CHECK(f.month("E1", "2026-07").sales_fen == 12345);
  // An explicit +08:00 offset means the same thing.
  f.send(sale("s3", 100, "E1", "2026-07-01T00:00:00+08:00"));
  CHECK(f.month("E1", "2026-07").sales_fen == 12445);
  // Other managers are untouched.
  CHECK(f.month("E2", "2026-07").sales_fen == 0);
  CHECK(f.ing.counts().messages == 3);
  CHECK(f.ing.counts().accepted == 3);
  CHECK(f.ing.fingerprints() == 3);
}

TEST_CASE("a refund reduces net sales", "[engine][ingest]") {
  fixture f;
  f.send(sale("s1", 10000));
  auto reply = f.send(refund("r1", 3000, "s1"));
  CHECK(reply == njson::array({accepted("r1")}));
  auto m = f.month("E1", "2026-07");
  CHECK(m.sales_fen == 10000);
  CHECK(m.refunds_fen == 3000);
  CHECK(m.net_fen() == 7000);
}

TEST_CASE("inquiries count, converted or not", "[engine][ingest]") {
  fixture f;
  CHECK(f.send(inquiry("i1", true)) == njson::array({accepted("i1")}));
  CHECK(f.send(inquiry("i2", false)) == njson::array({accepted("i2")}));
  CHECK(f.send(inquiry("i3", true)) == njson::array({accepted("i3")}));
  auto m = f.month("E1", "2026-07");
  CHECK(m.inquiries == 3);
  CHECK(m.converted == 2);
  CHECK(m.sales_fen == 0);
}

TEST_CASE("other event types are stored without touching sales figures", "[engine][ingest]") {
  fixture f;
  njson outlet = {{"type", "outlet_opened"},
                  {"event_id", "o1"},
                  {"manager_id", "E2"},
                  {"occurred_at", "2026-07-03T10:00:00+08:00"},
                  {"store_id", "ST1"}};
  auto reply = f.send(njson::array({target_set("t1", "2026-07"), outlet}));
  CHECK(reply == njson::array({accepted("t1"), accepted("o1")}));
  CHECK(f.db.event_count() == 2);
  auto m = f.month("E1", "2026-07");
  CHECK(m.sales_fen == 0);
  CHECK(m.inquiries == 0);
}

TEST_CASE("a repeated event_id is a duplicate and changes nothing", "[engine][ingest]") {
  fixture f;
  f.send(sale("s1", 10000));
  auto reply = f.send(sale("s1", 99999));  // same id, other content: still a duplicate
  CHECK(reply == njson::array({duplicate("s1")}));
  CHECK(f.month("E1", "2026-07").sales_fen == 10000);
  CHECK(f.db.event_count() == 1);
  CHECK(f.ing.counts().duplicate == 1);

  SECTION("duplicates inside one array") {
    auto r = f.send(njson::array({sale("s2", 5), sale("s2", 5), sale("s3", 7), sale("s2", 5)}));
    CHECK(r == njson::array({accepted("s2"), duplicate("s2"), accepted("s3"), duplicate("s2")}));
    CHECK(f.month("E1", "2026-07").sales_fen == 10000 + 5 + 7);
    CHECK(f.db.event_count() == 3);
  }
}

TEST_CASE("an array of mixed events gets one status per event, in order", "[engine][ingest]") {
  fixture f;
  auto bad = sale("b1", -5);
  auto reply = f.send(njson::array(
      {sale("a1", 100), bad, inquiry("a2", false), sale("a1", 100), sale("b2", 1, "E9")}));
  CHECK(reply == njson::array({accepted("a1"), rejected("b1", "amount_fen: must be > 0, got -5"),
                               accepted("a2"), duplicate("a1"),
                               rejected("b2", "manager_id: unknown manager \"E9\"")}));
  CHECK(f.month("E1", "2026-07").sales_fen == 100);
  CHECK(f.month("E1", "2026-07").inquiries == 1);
  CHECK(f.db.event_count() == 2);
  CHECK(f.ing.counts().accepted == 2);
  CHECK(f.ing.counts().duplicate == 1);
  CHECK(f.ing.counts().rejected == 2);
}

TEST_CASE("every kind of invalid event is rejected, naming the field", "[engine][ingest]") {
  struct bad_event {
    const char* what;
    njson event;
    njson event_id;
    std::string error;
  };
  auto without = [](njson e, const char* key) {
    e.erase(key);
    return e;
  };
  auto with = [](njson e, const char* key, njson v) {
    e[key] = std::move(v);
    return e;
  };
  const std::vector<bad_event> cases = {
      {"missing type", without(sale("x1"), "type"), "x1", "type: missing"},
      {"unknown type", with(sale("x2"), "type", "gift"), "x2", "type: unknown event type \"gift\""},
      {"missing event_id", without(sale("x"), "event_id"), nullptr, "event_id: missing"},
      {"event_id not a string", with(sale("x"), "event_id", 42), nullptr,
       "event_id: must be a string, got an integer"},
      {"empty event_id", with(sale("x"), "event_id", ""), nullptr, "event_id: must not be empty"},
      {"missing manager_id", without(sale("x3"), "manager_id"), "x3", "manager_id: missing"},
      {"unknown manager", sale("x4", 100, "E9"), "x4", "manager_id: unknown manager \"E9\""},
      {"occurred_at without offset", with(sale("x5"), "occurred_at", "2026-07-01T10:00:00"), "x5",
       "occurred_at: must be ISO 8601 with an offset, like 2026-07-03T10:00:00+08:00, got "
       "\"2026-07-01T10:00:00\""},
      {"amount_fen negative", sale("x6", -100), "x6", "amount_fen: must be > 0, got -100"},
      {"amount_fen zero", sale("x7", 0), "x7", "amount_fen: must be > 0, got 0"},
      {"amount_fen a string", with(sale("x8"), "amount_fen", "100"), "x8",
       "amount_fen: must be an integer number of fen, got a string"},
      {"amount_fen a float", with(sale("x9"), "amount_fen", 12.5), "x9",
       "amount_fen: must be an integer number of fen, got a number with a fraction"},
      {"refund amount negative", refund("x10", -1, "s1"), "x10", "amount_fen: must be > 0, got -1"},
      {"converted not bool", inquiry("x11", 1), "x11",
       "converted: must be true or false, got an integer"},
      {"converted a string", inquiry("x12", "true"), "x12",
       "converted: must be true or false, got a string"},
      {"target_set month 13", target_set("x13", "2026-13"), "x13",
       "period: must be a month like \"2026-07\", got \"2026-13\""},
      {"target_set a quarter", target_set("x14", "2026-Q3"), "x14",
       "period: must be a month like \"2026-07\", got \"2026-Q3\""},
      {"target_fen negative", with(target_set("x15", "2026-07"), "target_fen", -1), "x15",
       "target_fen: must be >= 0, got -1"},
      {"missing customer_id", without(sale("x16"), "customer_id"), "x16", "customer_id: missing"},
      {"missing brand", without(sale("x17"), "brand"), "x17", "brand: missing"},
      {"missing refers_to", without(refund("x18", 5, "s1"), "refers_to"), "x18",
       "refers_to: missing"},
      {"missing store_id",
       njson{{"type", "banquet_held"},
             {"event_id", "x19"},
             {"manager_id", "E1"},
             {"occurred_at", "2026-07-01T10:00:00+08:00"}},
       "x19", "store_id: missing"},
  };
  fixture f;
  for (const auto& c : cases) {
    INFO(c.what);
    auto reply = f.send(c.event);
    CHECK(reply == njson::array({rejected(c.event_id, c.error)}));
  }
  CHECK(f.db.event_count() == 0);
  CHECK(f.month("E1", "2026-07").sales_fen == 0);
  CHECK(f.ing.counts().rejected == static_cast<std::int64_t>(cases.size()));
  CHECK(f.ing.fingerprints() == 0);

  SECTION("a rejected event does not reserve its id") {
    CHECK(f.send(sale("x6", 100)) == njson::array({accepted("x6")}));
  }
  SECTION("a target of zero is allowed") {
    CHECK(f.send(with(target_set("t0", "2026-07"), "target_fen", 0)) ==
          njson::array({accepted("t0")}));
  }
}

TEST_CASE("messages that are not JSON, too big, or hold non-objects", "[engine][ingest]") {
  fixture f;
  SECTION("not JSON") {
    auto reply = f.send(std::string("{\"type\": \"sale\", "));
    REQUIRE(reply.size() == 1);
    CHECK(reply[0]["event_id"].is_null());
    CHECK(reply[0]["status"] == "rejected");
    CHECK_THAT(reply[0]["error"].get<std::string>(),
               Catch::StartsWith("message is not valid JSON: "));
  }
  SECTION("plain text") {
    auto reply = f.send(std::string("hello"));
    REQUIRE(reply.size() == 1);
    CHECK(reply[0]["status"] == "rejected");
  }
  SECTION("over the size limit") {
    njson big = sale("big");
    big["brand"] = std::string(5000, 'x');
    std::string text = big.dump();
    auto reply = f.send(text);
    CHECK(reply == njson::array({rejected(nullptr, "message of " + std::to_string(text.size()) +
                                                       " bytes exceeds the limit of 4096 bytes")}));
    CHECK(f.db.event_count() == 0);
  }
  SECTION("a non-object array element") {
    auto reply = f.send(njson::array({sale("ok1"), 7, "text", njson::array()}));
    CHECK(reply == njson::array({accepted("ok1"),
                                 rejected(nullptr, "event: must be a JSON object, got an integer"),
                                 rejected(nullptr, "event: must be a JSON object, got a string"),
                                 rejected(nullptr, "event: must be a JSON object, got an array")}));
    CHECK(f.db.event_count() == 1);
  }
  SECTION("an empty array") { CHECK(f.send(std::string("[]")) == njson::array()); }
  SECTION("an event_id with quotes and backslashes is echoed as valid JSON") {
    auto reply = f.send(sale("a\"b\\c"));
    CHECK(reply == njson::array({accepted("a\"b\\c")}));
  }
}

TEST_CASE("after a rollback the same event is accepted again", "[engine][ingest]") {
  fixture f;
  f.db.work().begin();
  auto first = njson::parse(f.ing.handle(sale("s1", 500).dump(), now));
  CHECK(first == njson::array({accepted("s1")}));
  f.db.work().rollback();  // its undo puts the fingerprint back (ingest::rolled_back)
  CHECK(f.db.event_count() == 0);
  CHECK(f.month("E1", "2026-07").sales_fen == 0);
  CHECK(f.ing.fingerprints() == 0);
  CHECK(f.ing.counts().accepted == 0);  // nothing counted from a rolled-back transaction

  auto again = f.send(sale("s1", 500));
  CHECK(again == njson::array({accepted("s1")}));
  CHECK(f.month("E1", "2026-07").sales_fen == 500);
  CHECK(f.db.event_count() == 1);
}

TEST_CASE("many messages in one transaction: each sees the earlier ones", "[engine][ingest]") {
  fixture f;
  f.db.work().begin();
  auto a = njson::parse(f.ing.handle(sale("s1", 1).dump(), now));
  auto b = njson::parse(f.ing.handle(sale("s1", 1).dump(), now));
  f.ing.flush();
  f.db.work().commit();
  f.ing.committed();
  CHECK(a == njson::array({accepted("s1")}));
  CHECK(b == njson::array({duplicate("s1")}));
  CHECK(f.month("E1", "2026-07").sales_fen == 1);
  CHECK(f.ing.counts().messages == 2);
}

TEST_CASE("a new ingest rebuilds its fingerprints from the events table", "[engine][ingest]") {
  fixture f;
  f.send(njson::array({sale("s1", 100), inquiry("i1", true), refund("r1", 10, "s1")}));
  ingest fresh(f.db, shanghai, max_bytes);
  fresh.load();
  CHECK(fresh.fingerprints() == 3);
  auto reply = f.send_with(fresh, njson::array({sale("s1", 100), inquiry("i1", true),
                                                refund("r1", 10, "s1"), sale("s2", 1, "E2")})
                                      .dump());
  CHECK(reply == njson::array({duplicate("s1"), duplicate("i1"), duplicate("r1"), accepted("s2")}));
  auto m = f.month("E1", "2026-07");
  CHECK(m.sales_fen == 100);
  CHECK(m.refunds_fen == 10);
  CHECK(m.inquiries == 1);
  CHECK(f.month("E2", "2026-07").sales_fen == 1);
  CHECK(f.db.event_count() == 4);
}

TEST_CASE("a refund must refer to a known sale of the same manager and brand, up to its amount",
          "[engine][ingest][targets]") {
  fixture f;
  CHECK(f.send(refund("r0", 100, "nope")) ==
        njson::array({rejected("r0", "refers_to: no sale \"nope\" is known")}));
  // A rejected refund does not claim its event_id: sent again once its
  // sale is known, it is accepted, not a duplicate.
  f.send(sale("nope", 100));
  CHECK(f.send(refund("r0", 100, "nope")) == njson::array({accepted("r0")}));
  CHECK(f.send(refund("r0", 100, "nope")) == njson::array({duplicate("r0")}));
  f.send(sale("s1", 10000));
  // Partial refunds add up to the sale, not beyond it; the refusal names what is left.
  CHECK(f.send(refund("r1", 4000, "s1")) == njson::array({accepted("r1")}));
  CHECK(f.send(refund("r2", 6001, "s1")) ==
        njson::array({rejected("r2",
                               "amount_fen: sale \"s1\" has 6000 fen left to refund (10000 sold, "
                               "4000 refunded), not 6001")}));
  CHECK(f.send(refund("r2", 5999, "s1")) == njson::array({accepted("r2")}));
  CHECK(f.send(refund("r3", 1, "s1")) == njson::array({accepted("r3")}));  // exactly the whole sale
  CHECK(f.send(refund("r4", 1, "s1")) ==
        njson::array({rejected("r4",
                               "amount_fen: sale \"s1\" has 0 fen left to refund (10000 sold, "
                               "10000 refunded), not 1")}));
  CHECK(f.month("E1", "2026-07").net_fen() == 0);
  // Of another manager or another brand: refused.
  f.send(sale("s5", 500));
  njson other_manager = refund("r5", 100, "s5");
  other_manager["manager_id"] = "E2";
  CHECK(f.send(other_manager) ==
        njson::array({rejected("r5", "refers_to: sale \"s5\" is not a sale of manager E2")}));
  njson other_brand = refund("r6", 100, "s5");
  other_brand["brand"] = "shuanggou";
  CHECK(f.send(other_brand) ==
        njson::array({rejected("r6", "refers_to: sale \"s5\" is not a sale of brand shuanggou")}));
  // A sale and its refunds in one message: the refunds see the sale and each other.
  auto both =
      f.send(njson::array({sale("s2", 500), refund("r7", 300, "s2"), refund("r8", 300, "s2")}));
  CHECK(both == njson::array({accepted("s2"), accepted("r7"),
                              rejected("r8",
                                       "amount_fen: sale \"s2\" has 200 fen left to refund (500 "
                                       "sold, 300 refunded), not 300")}));
  // After a restart the ledger is rebuilt from the stored events.
  ingest fresh{f.db, shanghai, max_bytes};
  fresh.load();
  CHECK(f.send_with(fresh, refund("r9", 1, "s1").dump()) ==
        njson::array({rejected("r9",
                               "amount_fen: sale \"s1\" has 0 fen left to refund (10000 sold, "
                               "10000 refunded), not 1")}));
  CHECK(f.send_with(fresh, refund("r10", 200, "s2").dump()) == njson::array({accepted("r10")}));
  CHECK(f.send_with(fresh, refund("r11", 1, "s9").dump()) ==
        njson::array({rejected("r11", "refers_to: no sale \"s9\" is known")}));
  CHECK(fresh.over_refunded_sales() == 0);
}

TEST_CASE("a database holding refunds larger than their sale still starts, and they are counted",
          "[engine][ingest]") {
  fixture f;
  f.send(sale("s1", 100));
  // As an engine before partial refunds were checked could store it.
  auto fp = ingest::fingerprint_of("feed", "big-refund");
  f.db.work().begin();
  af::engine::stored_event ev;
  ev.event_id = "big-refund";
  ev.fp_hi = fp.hi;
  ev.fp_lo = fp.lo;
  ev.type = af::engine::event_type::refund;
  ev.manager_id = "E1";
  ev.occurred_at = 1783000000;
  ev.amount_fen = 500;
  ev.brand = "yanghe";
  ev.refers_to = "s1";
  f.db.insert_event(ev, 0);
  f.db.work().commit();
  ingest fresh{f.db, shanghai, max_bytes};
  fresh.load();
  CHECK(fresh.over_refunded_sales() == 1);
  CHECK(f.send_with(fresh, refund("r1", 1, "s1").dump()) ==
        njson::array({rejected(
            "r1",
            "amount_fen: sale \"s1\" has 0 fen left to refund (100 sold, 500 refunded), not 1")}));
}

TEST_CASE("per-brand sales and process indicators are kept per month",
          "[engine][ingest][targets]") {
  fixture f;
  auto other = sale("s2", 700);
  other["brand"] = "shuanggou";
  f.send(njson::array({sale("s1", 1000), other, refund("r1", 300, "s1")}));
  int n = 0;
  for (const char* type :
       {"outlet_opened", "outlet_opened", "display_store_checked", "banquet_held"}) {
    f.send(njson{{"type", type},
                 {"event_id", "p" + std::to_string(n++)},
                 {"manager_id", "E1"},
                 {"occurred_at", "2026-07-05T09:00:00+08:00"},
                 {"store_id", "ST1"}});
  }
  auto brands = f.db.brand_months("E1", "2026-07");
  REQUIRE(brands.size() == 2);
  CHECK(brands[0].brand == "shuanggou");
  CHECK(brands[0].sales_fen == 700);
  CHECK(brands[1].brand == "yanghe");
  CHECK(brands[1].sales_fen == 1000);
  CHECK(brands[1].refunds_fen == 300);
}

TEST_CASE("a later target_set replaces the month's target and the history keeps every one",
          "[engine][ingest][targets]") {
  fixture f;
  auto first = target_set("t1", "2026-07");
  auto second = target_set("t2", "2026-07");
  second["occurred_at"] = "2026-07-02T00:00:00+08:00";
  second["target_fen"] = 25000000;
  auto late_old = target_set("t3", "2026-07");
  late_old["occurred_at"] = "2026-06-30T00:00:00+08:00";  // arrives last, occurred first
  late_old["target_fen"] = 1;
  CHECK(f.send(njson::array({first, second, late_old})) ==
        njson::array({accepted("t1"), accepted("t2"), accepted("t3")}));
  auto brands = f.db.brand_months("E1", "2026-07");
  REQUIRE(brands.size() == 1);
  CHECK(brands[0].target_fen == 25000000);
  auto history = f.db.target_history("E1");
  REQUIRE(history.size() == 3);
  CHECK(history[0].applied);
  CHECK_FALSE(history[0].replaced.has_value());
  CHECK(history[1].applied);
  CHECK(history[1].replaced == 30000000);
  CHECK_FALSE(history[2].applied);
  CHECK(history[2].target_fen == 1);
}
