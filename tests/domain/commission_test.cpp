// DOMAIN.md program 3, every rule with exact fen values.
#include "workers/domain/commission.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace af::commission;

namespace {

rules real_rules() {
  std::ifstream in(std::string(ASSESSFLOW_SCHEMAS_DIR) + "/commission/rules.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = parse_rules(ss.str(), "rules.json");
  REQUIRE(r.is_ok());
  return *r;
}

month_input one_brand(std::int64_t target, std::int64_t sales, int rate_bp = 300) {
  month_input m;
  m.period = "2026-07";
  m.brands = {{"yanghe", target, sales, rate_bp}};
  m.display_stores = 50;  // neutral: reward only
  return m;
}

month_result run(const month_input& m) {
  auto r = compute_month(m, real_rules());
  REQUIRE(r.is_ok());
  return *r;
}

}  // namespace

TEST_CASE("the rules file holds DOMAIN.md's amounts", "[domain][commission]") {
  rules r = real_rules();
  CHECK(r.reduced_factor_percent == 70);
  CHECK(r.reduced_completion_percent == 50);
  CHECK(r.combined_rescue_percent == 70);
  CHECK(r.miss_penalty_fen == 30000);
  CHECK(r.display_target == 50);
  CHECK(r.display_penalty_per_missing_fen == 2000);
  CHECK(r.display_reward_fen == 10000);
  CHECK(r.outlet_reward_each_fen == 3000);
  CHECK(r.outlet_penalty_per_short_fen == 1500);
  CHECK(r.outlet_reward_above_fen == 10000);
  CHECK(r.display_per_key_township == 10);
  CHECK(r.banquet_personal_per_case_fen ==
        std::map<std::string, std::int64_t>{
            {"haizhilan", 5000}, {"rouhe_sanxing", 5000}, {"qingzihao", 5000}});
  CHECK(r.banquet_personal_per_bottle_fen ==
        std::map<std::string, std::int64_t>{{"tianzhilan", 5000}, {"mengzhilan", 5000}});
  CHECK(r.banquet_shop_per_event_fen == std::map<std::string, std::int64_t>{{"rouhe", 10000},
                                                                            {"laozihao", 10000},
                                                                            {"haizhilan", 10000},
                                                                            {"junfang", 10000},
                                                                            {"tianzhilan", 30000},
                                                                            {"mengzhilan", 30000}});
  CHECK(r.banquet_short_penalty_fen == 5000);
  CHECK(r.banquet_above_reward_fen == 30000);
  CHECK(r.inspection_fine_fen == std::map<std::string, std::int64_t>{{"display_count", 10000},
                                                                     {"not_restocked", 3000},
                                                                     {"labels_missing", 2000},
                                                                     {"policy_unknown", 5000}});
}

TEST_CASE("completion bands and the rate factor, compared exactly", "[domain][commission]") {
  // target 100,000.00 CNY; rate 3%.
  SECTION("49.9999% is below 50%: no commission") {
    auto r = run(one_brand(10'000'000'00, 4'999'990'00));
    CHECK(r.brands[0].factor_percent == 0);
    CHECK(r.brands[0].completion_bp == 4999);  // shown as 49.99, never 50.00
    CHECK(r.brands[0].commission_fen == 0);
  }
  SECTION("exactly 50%: 70% of the rate") {
    auto r = run(one_brand(10'000'000, 5'000'000));
    CHECK(r.brands[0].factor_percent == 70);
    CHECK(r.brands[0].commission_fen == 105'000);  // 5,000,000 x 3% x 0.7
  }
  SECTION("99.99%: still 70%") {
    auto r = run(one_brand(10'000'000, 9'999'000));
    CHECK(r.brands[0].factor_percent == 70);
    CHECK(r.brands[0].commission_fen == 209'979);
  }
  SECTION("exactly 100%: full rate, and the month is met") {
    auto r = run(one_brand(10'000'000, 10'000'000));
    CHECK(r.brands[0].factor_percent == 100);
    CHECK(r.brands[0].completion_bp == 10000);
    CHECK(r.brands[0].commission_fen == 300'000);
    CHECK(r.met);
  }
  SECTION("a brand without a target earns the full rate") {
    auto r = run(one_brand(0, 1'000'000));
    CHECK(r.brands[0].factor_percent == 100);
    CHECK_FALSE(r.brands[0].completion_bp.has_value());
    CHECK(r.brands[0].commission_fen == 30'000);
  }
}

TEST_CASE("commission is rounded half up once per brand", "[domain][commission]") {
  // 1,005 fen x 3% x 0.7 = 21.105 fen -> 21; 1,167 fen x 3% x 1.0 = 35.01 -> 35; x 0.7 = 24.507 ->
  // 25
  CHECK(run(one_brand(2'000, 1'005)).brands[0].commission_fen == 21);
  CHECK(run(one_brand(1'167, 1'167)).brands[0].commission_fen == 35);
  CHECK(run(one_brand(2'000, 1'167)).brands[0].commission_fen == 25);
  // exactly half a fen rounds up: 50 fen x 1% = 0.5 fen -> 1
  CHECK(run(one_brand(50, 50, 100)).brands[0].commission_fen == 1);
}

TEST_CASE("the combined-brand 70% rule", "[domain][commission]") {
  month_input m;
  m.period = "2026-07";
  m.display_stores = 50;
  // brand a at 40% (alone: no commission); brand b carries the total.
  SECTION("combined 69.99%: the weak brand earns nothing") {
    m.brands = {{"a", 1'000'000, 400'000, 300},
                {"b", 9'000'000, 6'599'000, 300}};  // 6,999,000 / 10,000,000
    auto r = run(m);
    CHECK(r.combined_completion_bp == 6999);
    CHECK(r.brands[0].factor_percent == 0);
    CHECK(r.brands[0].commission_fen == 0);
    CHECK(r.brands[1].factor_percent == 70);
  }
  SECTION("combined exactly 70%: the weak brand earns 70% of its rate") {
    m.brands = {{"a", 1'000'000, 400'000, 300}, {"b", 9'000'000, 6'600'000, 300}};
    auto r = run(m);
    CHECK(r.combined_completion_bp == 7000);
    CHECK(r.brands[0].factor_percent == 70);
    CHECK(r.brands[0].commission_fen == 8'400);  // 400,000 x 3% x 0.7
    CHECK(r.brands[1].commission_fen == 138'600);
    CHECK(r.commission_fen == 147'000);
    CHECK_FALSE(r.met);
  }
}

TEST_CASE("three months in a row below target cost 300 CNY, in the 3rd, 6th, 9th month",
          "[domain][commission]") {
  auto missed = [](std::vector<bool> previous) {
    auto m = one_brand(10'000'000, 1'000'000);
    m.previous_months_met = std::move(previous);
    return run(m);
  };
  CHECK(missed({}).penalty_fen == 0);             // 1st miss
  CHECK(missed({true, false}).penalty_fen == 0);  // 2nd
  auto third = missed({true, false, false});
  CHECK(third.miss_run == 3);
  CHECK(third.penalty_fen == 30'000);
  CHECK(missed({false, false, false}).penalty_fen == 0);         // 4th: the count restarted
  CHECK(missed({false, false, false, false}).penalty_fen == 0);  // 5th
  CHECK(missed({false, false, false, false, false}).penalty_fen == 30'000);  // 6th
  CHECK(missed({false, false, false, false, false, false, false, false}).penalty_fen ==
        30'000);  // 9th
  auto met = one_brand(10'000'000, 10'000'000);
  met.previous_months_met = {false, false};
  CHECK(run(met).penalty_fen == 0);  // meeting the target ends the run
}

TEST_CASE("display stores and new outlets", "[domain][commission]") {
  auto m = one_brand(0, 0);
  SECTION("49 display stores: 20 CNY for the missing one") {
    m.display_stores = 49;
    auto r = run(m);
    CHECK(r.penalty_fen == 2'000);
    CHECK(r.rewards_fen == 0);
  }
  SECTION("50 and 51 display stores: 100 CNY") {
    m.display_stores = 50;
    CHECK(run(m).rewards_fen == 10'000);
    m.display_stores = 51;
    CHECK(run(m).rewards_fen == 10'000);
  }
  SECTION("outlets below, at and above target") {
    m.outlets = {{"all", 8, 10}};  // 8 x 30 reward, 2 x 15 penalty
    auto below = run(m);
    CHECK(below.rewards_fen == 10'000 + 24'000);
    CHECK(below.penalty_fen == 3'000);
    m.outlets = {{"all", 10, 10}};
    auto at = run(m);
    CHECK(at.rewards_fen == 10'000 + 30'000);
    CHECK(at.penalty_fen == 0);
    m.outlets = {{"all", 12, 10}};
    CHECK(run(m).rewards_fen == 10'000 + 36'000 + 10'000);
  }
  SECTION("county and township counted apart: the reward above needs both above") {
    m.outlets = {{"county", 12, 10}, {"township", 10, 10}};
    auto r = run(m);
    CHECK(r.rewards_fen == 10'000 + 22 * 3'000);  // township only at its target
    CHECK(r.penalty_fen == 0);
    m.outlets = {{"county", 12, 10}, {"township", 11, 10}};
    CHECK(run(m).rewards_fen == 10'000 + 23 * 3'000 + 10'000);
    m.outlets = {{"county", 12, 10}, {"township", 7, 10}};  // 3 short in the township
    r = run(m);
    CHECK(r.rewards_fen == 10'000 + 19 * 3'000);
    CHECK(r.penalty_fen == 3 * 1'500);
    CHECK(r.lines.back() == "3 new outlets short (township): penalty 45.00 CNY");
  }
}

TEST_CASE("display stores: the key townships' shortfall adds to the stores short",
          "[domain][commission]") {
  auto m = one_brand(0, 0);
  m.display_stores = 52;
  m.key_township_stores = {{"位伯", 10}, {"新垒头", 12}, {"旧城", 10}, {"南智邱", 10}};
  auto r = run(m);
  CHECK(r.rewards_fen == 10'000);  // both met
  CHECK(r.penalty_fen == 0);
  m.key_township_stores["旧城"] = 9;  // 52 stores, one township one short
  r = run(m);
  CHECK(r.rewards_fen == 0);
  CHECK(r.penalty_fen == 2'000);
  CHECK(r.lines.back() == "1 display stores short (key townships 旧城 9/10): penalty 20.00 CNY");
  m.display_stores = 45;  // 5 short overall, and 1 + 4 in two townships
  m.key_township_stores["南智邱"] = 6;
  r = run(m);
  CHECK(r.penalty_fen == (5 + 1 + 4) * 2'000);
  CHECK(r.lines.back() ==
        "10 display stores short (key townships 南智邱 6/10, 旧城 9/10): penalty 200.00 CNY");
  m.display_stores = 50;
  m.key_township_stores = {{"位伯", 0}};  // a key township without one store
  CHECK(run(m).penalty_fen == 10 * 2'000);
}

TEST_CASE("banquets: product rewards by origin, and the month's target", "[domain][commission]") {
  auto m = one_brand(0, 0);  // display at target: 100 CNY in every result below
  using o = banquet_origin;
  SECTION("a personal banquet earns per case or per bottle of its product") {
    m.banquets = {{o::personal, "haizhilan", 2, 7, 0},    // 7 cases x 50
                  {o::personal, "tianzhilan", 1, 0, 12},  // 12 bottles x 50
                  {o::personal, "rouhe", 1, 3, 0}};       // no personal rate for rouhe
    auto r = run(m);
    CHECK(r.rewards_fen == 10'000 + 7 * 5'000 + 12 * 5'000);
    CHECK(r.lines[1] == "2 banquets (personal, haizhilan, 7 cases): reward 350.00 CNY");
    CHECK(r.lines[2] == "1 banquet (personal, tianzhilan, 12 bottles): reward 600.00 CNY");
    CHECK(r.lines[3] == "1 banquet (personal, rouhe, 3 cases): no product reward");
    m.banquets = {{o::personal, "haizhilan", 1, 0, 6}};  // haizhilan pays per case, not bottle
    CHECK(run(m).rewards_fen == 10'000);
  }
  SECTION("a shop's banquet earns per event: 100 CNY, 300 CNY for tianzhilan and above") {
    m.banquets = {{o::shop, "junfang", 3, 0, 0},
                  {o::shop, "mengzhilan", 2, 5, 0},
                  {o::shop, "qingzihao", 1, 0, 0}};
    CHECK(run(m).rewards_fen == 10'000 + 3 * 10'000 + 2 * 30'000);
  }
  SECTION("the target: -50 CNY per event short, +300 CNY per event above, none at it") {
    m.banquets_unattributed = 2;
    m.banquets = {{o::shop, "rouhe", 1, 0, 0}};  // 3 events in all
    m.banquet_target = 5;
    auto r = run(m);
    CHECK(r.penalty_fen == 2 * 5'000);
    CHECK(r.rewards_fen == 10'000 + 10'000);
    CHECK(r.lines.back() == "2 banquets short against a target of 5: penalty 100.00 CNY");
    m.banquet_target = 3;
    r = run(m);
    CHECK(r.penalty_fen == 0);
    CHECK(r.rewards_fen == 10'000 + 10'000);
    m.banquet_target = 1;
    r = run(m);
    CHECK(r.rewards_fen == 10'000 + 10'000 + 2 * 30'000);
    CHECK(r.lines.back() == "2 banquets above against a target of 1: reward 600.00 CNY");
    m.banquet_target.reset();  // no target this month: neither
    CHECK(run(m).rewards_fen == 10'000 + 10'000);
    m.banquet_target = 0;  // a target of none: every banquet is above it
    CHECK(run(m).rewards_fen == 10'000 + 10'000 + 3 * 30'000);
  }
  SECTION("an unknown product is refused") {
    m.banquets = {{o::shop, "moutai", 1, 0, 0}};
    CHECK(compute_month(m, real_rules()).error().message() ==
          "banquets: unknown product \"moutai\"");
  }
}

TEST_CASE("market inspection fines per store found, in fines_fen", "[domain][commission]") {
  auto m = one_brand(100'000, 100'000);  // 3,000 fen commission
  m.inspections = {
      {"display_count", 2}, {"not_restocked", 1}, {"labels_missing", 3}, {"policy_unknown", 1}};
  auto r = run(m);
  CHECK(r.fines_fen == 2 * 10'000 + 3'000 + 3 * 2'000 + 5'000);
  CHECK(r.penalty_fen == 0);
  CHECK(r.total_fen == 3'000 + 10'000 - 34'000);  // a month can cost more than it earns
  CHECK(r.lines.back() == "inspection, policy_unknown at 1 store: fine 50.00 CNY");
  auto j = to_json(m, r);
  CHECK(j["fines_fen"] == 34'000);
  CHECK(j["total_fen"] == -21'000);
  m.inspections = {{"dust", 1}};
  CHECK(compute_month(m, real_rules()).error().message() ==
        "inspections: unknown finding \"dust\"");
}

TEST_CASE("the DESIGN.md example month", "[domain][commission]") {
  month_input m;
  m.period = "2026-07";
  m.brands = {{"yanghe", 30'000'000, 16'000'000, 300}};
  m.previous_months_met = {true, false};
  m.display_stores = 47;
  m.outlets = {{"all", 12, 10}};
  auto r = run(m);
  CHECK(r.brands[0].completion_bp == 5333);
  CHECK(r.brands[0].factor_percent == 70);
  CHECK(r.commission_fen == 336'000);
  CHECK(r.penalty_fen == 6'000);
  CHECK(r.rewards_fen == 46'000);
  CHECK(r.total_fen == 376'000);
  CHECK(r.miss_run == 2);
}

TEST_CASE("bad month input is refused naming the field", "[domain][commission]") {
  auto check = [](month_input m, const std::string& message) {
    auto r = compute_month(m, real_rules());
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.error().message() == message);
  };
  auto m = one_brand(100, 100);
  m.brands.push_back(m.brands[0]);
  check(m, "brands.yanghe: listed twice");
  check(one_brand(100, -1), "brands.yanghe.sales_fen: must be >= 0");
  check(one_brand(-1, 1), "brands.yanghe.target_fen: must be >= 0");
  check(one_brand(100, 1, 10001), "brands.yanghe.rate_bp: must be 0..10000");
  auto r = parse_rules(R"({"rate_factor_percent": {"full": 100}})", "x.json");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().message() == "x.json: rate_factor_percent.reduced: missing");
}

TEST_CASE("a month whose sums do not fit in 64 bits is refused, never wrapped",
          "[domain][commission][hardening]") {
  const std::int64_t max = INT64_MAX;
  month_input m = one_brand(0, max, 0);
  m.brands.push_back({"shuanggou", 0, 1, 0});
  auto r = compute_month(m, real_rules());
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().message() == "brands: the month's total sales overflows");

  m = one_brand(0, max,
                10000);  // the full rate on the largest sales fits, the 100 CNY display reward not
  auto over = compute_month(m, real_rules());
  REQUIRE_FALSE(over.is_ok());
  CHECK(over.error().message() == "the month's total overflows");

  m = one_brand(0, max - 10000, 10000);  // exactly the largest total
  auto whole = compute_month(m, real_rules());
  REQUIRE(whole.is_ok());
  CHECK(whole->commission_fen == max - 10000);
  CHECK(whole->rewards_fen == 10000);
  CHECK(whole->total_fen == max);

  m = one_brand(0, 100, 300);
  // The most a task carries: times the reward it still fits, counted exactly.
  m.banquets = {{banquet_origin::shop, "tianzhilan", 2147483647, 0, 0}};
  auto banquets = compute_month(m, real_rules());
  REQUIRE(banquets.is_ok());
  CHECK(banquets->rewards_fen == 10000 + std::int64_t{2147483647} * 30000);
  m.banquets = {{banquet_origin::personal, "haizhilan", 1, INT64_MAX / 2, 0}};
  CHECK(compute_month(m, real_rules()).error().message() == "the month's rewards overflows");
}
