// The month's process indicators end to end inside the engine: events of
// every process type accepted by ingest, kept in the monthly aggregates,
// read into a targets task by engine/process_input.h with the plan, and
// checked by the targets worker's handler against the rules (DOMAIN.md
// program 3, exact fen).
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "engine/ingest.h"
#include "engine/process_input.h"
#include "engine/store.h"
#include "tests/engine/test_support.h"
#include "workers/targets/targets_handler.h"

using njson = nlohmann::json;

namespace {

std::string schema_file(const std::string& name) {
  std::ifstream in(std::string(ASSESSFLOW_SCHEMAS_DIR) + "/commission/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct fixture {
  af::engine::testing::temp_dir dir;
  af::engine::store db =
      std::move(af::engine::store::open(dir.file("assessflow.db"),
                                        ASSESSFLOW_SCHEMAS_DIR "/migrations", false))
          .value();
  af::engine::ingest ing{db, 480, 1 << 16};
  int n = 0;

  fixture() {
    ing.add_employee("E1");
    af::engine::employee_row e;
    e.id = "E1";
    e.name = "E1";
    e.unit = "u";
    e.joined_on = "2020-01-01";
    db.upsert_employee(e);
  }
  // One event of `type` with `fields`; its result's status ("accepted", ...)
  // or the rejection's error.
  std::string send(const std::string& type, njson fields,
                   const std::string& when = "2026-07-10T10:00:00+08:00") {
    fields["type"] = type;
    fields["event_id"] = "ev" + std::to_string(++n);
    fields["manager_id"] = "E1";
    fields["occurred_at"] = when;
    db.work().begin();
    std::string reply = ing.handle(fields.dump(), 1'790'000'000);
    ing.flush();
    db.work().commit();
    ing.committed();
    auto r = njson::parse(reply)[0];
    return r["status"] == "rejected" ? r["error"].get<std::string>()
                                     : r["status"].get<std::string>();
  }
};

}  // namespace

TEST_CASE("process events are checked field by field", "[engine][ingest][process]") {
  fixture f;
  CHECK(f.send("outlet_opened", {{"store_id", "S1"}, {"area", "city"}}) ==
        "area: \"city\" is not one of county, township");
  CHECK(f.send("outlet_opened", {{"store_id", "S1"}, {"store_type", "bar"}}) ==
        "store_type: \"bar\" is not one of tobacco_liquor, hotel, supermarket");
  CHECK(f.send("display_store_checked", {{"store_id", "S1"}, {"passed", "yes"}}) ==
        "passed: must be true or false, got a string");
  CHECK(f.send("banquet_held", {{"store_id", "S1"}, {"origin", "personal"}}) ==
        "product: a banquet gives origin and product together, or neither");
  CHECK(f.send("banquet_held", {{"store_id", "S1"}, {"product", "haizhilan"}}) ==
        "origin: a banquet gives origin and product together, or neither");
  CHECK(
      f.send("banquet_held", {{"store_id", "S1"}, {"origin", "personal"}, {"product", "moutai"}}) ==
      "product: \"moutai\" is not one of haizhilan, tianzhilan, mengzhilan, rouhe, "
      "rouhe_sanxing, qingzihao, laozihao, junfang");
  CHECK(f.send("banquet_held",
               {{"store_id", "S1"}, {"origin", "personal"}, {"product", "haizhilan"}}) ==
        "cases: a personal banquet needs cases or bottles");
  CHECK(f.send("banquet_held", {{"store_id", "S1"},
                                {"origin", "personal"},
                                {"product", "haizhilan"},
                                {"cases", 2},
                                {"bottles", 3}}) == "bottles: give cases or bottles, not both");
  CHECK(f.send("banquet_held", {{"store_id", "S1"}, {"cases", 0}}) ==
        "cases: must be 1..1000000, got 0");
  CHECK(f.send("banquet_held", {{"store_id", "S1"}, {"tables", -1}}) ==
        "tables: must be 0..1000000, got -1");
  CHECK(f.send("inspection_failed", {{"store_id", "S1"}}) == "finding: missing");
  CHECK(f.send("inspection_failed", {{"store_id", "S1"}, {"finding", "dust"}}) ==
        "finding: \"dust\" is not one of display_count, not_restocked, labels_missing, "
        "policy_unknown");
  CHECK(f.send("complaint", {}) == "customer_id: missing");
  // Nothing of the refused events was kept.
  CHECK(f.db.activity("E1", "2026-07").outlets == 0);
  CHECK(f.db.banquets("E1", "2026-07").empty());
  CHECK(f.db.event_count() == 0);
}

TEST_CASE("a month's process events become the targets task and its exact result",
          "[engine][ingest][process]") {
  fixture f;
  // Display: 12 distinct stores passed, 3 of them in 旧城 and 10 in 位伯
  // (one checked twice, one failed and never passed, one in a township
  // that is not a key one).
  for (int s = 0; s < 10; ++s)
    CHECK(f.send("display_store_checked",
                 {{"store_id", "WB" + std::to_string(s)}, {"township", "位伯"}}) == "accepted");
  CHECK(f.send("display_store_checked", {{"store_id", "WB0"}, {"township", "位伯"}}) == "accepted");
  for (int s = 0; s < 3; ++s)
    CHECK(f.send("display_store_checked",
                 {{"store_id", "JC" + std::to_string(s)}, {"township", "旧城"}}) == "accepted");
  CHECK(f.send("display_store_checked", {{"store_id", "X1"}, {"passed", false}}) == "accepted");
  CHECK(f.send("display_store_checked", {{"store_id", "X2"}, {"township", "东城"}}) == "accepted");
  // A check in another month does not count in July.
  CHECK(f.send("display_store_checked", {{"store_id", "X3"}}, "2026-08-01T00:00:00+08:00") ==
        "accepted");
  // Outlets: 2 county, 1 township, 1 without an area (counted for the county).
  for (auto area : {"county", "county", "township"})
    CHECK(f.send("outlet_opened", {{"store_id", "O" + std::to_string(f.n)},
                                   {"area", area},
                                   {"store_type", "hotel"}}) == "accepted");
  CHECK(f.send("outlet_opened", {{"store_id", "O9"}}) == "accepted");
  // Banquets: two personal haizhilan (3 and 4 cases), one shop tianzhilan,
  // one with neither origin nor product.
  CHECK(f.send("banquet_held", {{"store_id", "B1"},
                                {"origin", "personal"},
                                {"product", "haizhilan"},
                                {"cases", 3},
                                {"tables", 12}}) == "accepted");
  CHECK(f.send(
            "banquet_held",
            {{"store_id", "B2"}, {"origin", "personal"}, {"product", "haizhilan"}, {"cases", 4}}) ==
        "accepted");
  CHECK(f.send("banquet_held",
               {{"store_id", "B3"}, {"origin", "shop"}, {"product", "tianzhilan"}}) == "accepted");
  CHECK(f.send("banquet_held", {{"store_id", "B4"}}) == "accepted");
  CHECK(f.send("inspection_failed", {{"store_id", "JC1"}, {"finding", "not_restocked"}}) ==
        "accepted");
  CHECK(f.send("inspection_failed", {{"store_id", "JC2"}, {"finding", "not_restocked"}}) ==
        "accepted");
  CHECK(f.send("inspection_failed", {{"store_id", "WB1"}, {"finding", "policy_unknown"}}) ==
        "accepted");
  CHECK(f.send("complaint", {{"customer_id", "C7"}}) == "accepted");

  auto a = f.db.activity("E1", "2026-07");
  CHECK(a.display_checked == 16);
  CHECK(a.outlets == 4);
  CHECK(a.outlets_county == 2);
  CHECK(a.outlets_township == 1);
  CHECK(a.banquets == 4);
  CHECK(a.complaints == 1);
  CHECK(a.found == std::array<std::int64_t, 4>{0, 2, 0, 1});

  auto plan = af::commission::parse_plan(schema_file("plan.json"), "plan.json");
  REQUIRE(plan);
  af::msg::targets_task t;
  t.manager_id = "E1";
  t.period = "2026-07";
  af::engine::add_process_indicators(f.db, *plan, t);
  CHECK(t.display_stores == 14);  // 10 + 3 + X2
  CHECK(t.key_township_stores == std::map<std::string, std::int32_t>{
                                     {"位伯", 10}, {"新垒头", 0}, {"旧城", 3}, {"南智邱", 0}});
  CHECK(t.outlets_new == 4);
  CHECK(t.outlets_county == 3);
  CHECK(t.outlets_township == 1);
  CHECK(t.county_target == 500);
  CHECK(t.banquets == 4);
  REQUIRE(t.banquet_lines.size() == 3);  // by origin, then product: '', personal, shop
  CHECK(t.banquet_lines[0].origin == 0);
  CHECK(t.banquet_lines[1].product == "haizhilan");
  CHECK(t.banquet_lines[1].events == 2);
  CHECK(t.banquet_lines[1].cases == 7);
  CHECK(t.banquet_lines[2].origin == 2);
  CHECK(t.banquet_target == 3);  // the plan's July
  CHECK(t.inspections ==
        std::map<std::string, std::int32_t>{{"not_restocked", 2}, {"policy_unknown", 1}});

  auto rules = af::commission::parse_rules(schema_file("rules.json"), "rules.json");
  REQUIRE(rules);
  auto r = af::worker::check_targets(t, *rules);
  REQUIRE(r.ok);
  auto month = njson::parse(r.result_json);
  // Display: (50 - 14) + (10 - 0) + (10 - 3) + (10 - 0) = 63 short, 20 CNY each.
  // Outlets: 4 new x 30; (500 - 3) + (500 - 1) short x 15.
  CHECK(month["penalty_fen"] == 63 * 2'000 + (497 + 499) * 1'500);
  // Banquets: 7 cases x 50, shop tianzhilan 300, one above the target of 3 x 300.
  CHECK(month["rewards_fen"] == 4 * 3'000 + 7 * 5'000 + 30'000 + 30'000);
  // Inspection: 2 not restocked x 30, 1 policy unknown x 50.
  CHECK(month["fines_fen"] == 2 * 3'000 + 5'000);
  CHECK(month["total_fen"] == 4 * 3'000 + 7 * 5'000 + 30'000 + 30'000 -
                                  (63 * 2'000 + (497 + 499) * 1'500) - (2 * 3'000 + 5'000));
}

TEST_CASE("a targets task of an older engine is checked with the old meaning",
          "[engine][process][messages]") {
  auto rules = af::commission::parse_rules(schema_file("rules.json"), "rules.json");
  REQUIRE(rules);
  af::msg::targets_task t;
  t.body_version = 1;
  t.period = "2026-07";
  t.display_stores = 50;
  t.outlets_new = 12;
  t.outlets_target = 10;
  t.banquets = 2;
  auto r = af::worker::check_targets(t, *rules);
  REQUIRE(r.ok);
  auto month = njson::parse(r.result_json);
  CHECK(month["rewards_fen"] == 10'000 + 12 * 3'000 + 10'000);  // no banquet reward, no target
  CHECK(month["penalty_fen"] == 0);
  CHECK(month["fines_fen"] == 0);
}

TEST_CASE("a period's customers: new to the manager, or bought from them before",
          "[engine][ingest][appraisal]") {
  fixture f;
  auto sale = [&](const std::string& customer, const std::string& when) {
    return f.send("sale", {{"amount_fen", 100}, {"brand", "yanghe"}, {"customer_id", customer}},
                  when);
  };
  CHECK(sale("C1", "2026-05-03T10:00:00+08:00") == "accepted");  // before Q3
  CHECK(sale("C1", "2026-07-03T10:00:00+08:00") == "accepted");  // C1 comes back in Q3
  CHECK(sale("C1", "2026-07-20T10:00:00+08:00") == "accepted");  // the same month again
  CHECK(sale("C2", "2026-08-03T10:00:00+08:00") == "accepted");  // new in Q3
  CHECK(sale("C2", "2026-09-03T10:00:00+08:00") == "accepted");
  CHECK(sale("C3", "2026-09-30T23:59:59+08:00") == "accepted");  // new, the quarter's last second
  CHECK(sale("C4", "2026-10-01T00:00:00+08:00") == "accepted");  // Q4: not in Q3
  CHECK(sale("C5", "2026-04-01T00:00:00+08:00") == "accepted");  // Q2 only: not a Q3 customer
  auto q3 = f.db.customers("E1", "2026-07", "2026-09");
  CHECK(q3.customers == 3);
  CHECK(q3.new_customers == 2);
  CHECK(q3.repeat_customers == 1);
  auto q4 = f.db.customers("E1", "2026-10", "2026-12");
  CHECK(q4.customers == 1);
  CHECK(q4.new_customers == 1);
  auto none = f.db.customers("E1", "2025-01", "2025-12");
  CHECK(none.customers == 0);
  CHECK(none.repeat_customers == 0);
  CHECK(f.db.customers("E2", "2026-07", "2026-09").customers == 0);  // another manager's
}
