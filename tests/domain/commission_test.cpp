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
    m.outlets_target = 10;
    m.outlets_new = 8;  // 8 x 30 reward, 2 x 15 penalty
    auto below = run(m);
    CHECK(below.rewards_fen == 10'000 + 24'000);
    CHECK(below.penalty_fen == 3'000);
    m.outlets_new = 10;
    auto at = run(m);
    CHECK(at.rewards_fen == 10'000 + 30'000);
    CHECK(at.penalty_fen == 0);
    m.outlets_new = 12;
    CHECK(run(m).rewards_fen == 10'000 + 36'000 + 10'000);
  }
  SECTION("banquets by product line, others at the default") {
    m.banquets = {{"yanghe", 2}, {"other", 1}};
    CHECK(run(m).rewards_fen == 10'000 + 16'000 + 5'000);
  }
}

TEST_CASE("the DESIGN.md example month", "[domain][commission]") {
  month_input m;
  m.period = "2026-07";
  m.brands = {{"yanghe", 30'000'000, 16'000'000, 300}};
  m.previous_months_met = {true, false};
  m.display_stores = 47;
  m.outlets_new = 12;
  m.outlets_target = 10;
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
  m.banquets = {
      {"default",
       2147483647}};  // the most a task carries: x the reward it still fits, counted exactly
  auto banquets = compute_month(m, real_rules());
  REQUIRE(banquets.is_ok());
  CHECK(banquets->rewards_fen ==
        10000 + std::int64_t{2147483647} * real_rules().banquet_reward_fen.at("default"));
}
