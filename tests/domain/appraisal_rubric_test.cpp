// The quarterly and annual appraisal rubrics (schemas/rubrics/
// performance_quarter.json, performance_year.json; DOMAIN.md program 3)
// scored through rubric.h with the measures of appraisal.h: exact points
// at every band edge of the computed indicators (grading at exactly 100%,
// growth with a zero base, repeat purchases without customers), the
// customers' survey, the supervisor's main rating blended 70/30 with
// colleagues, the weighted total, its tier and its bonus band, and the
// refusals of ratings by the wrong kind of rater and of broken weights.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/domain/rubric_files.h"
#include "workers/domain/appraisal.h"
#include "workers/domain/rubric.h"

namespace rb = af::rubric;
namespace ap = af::appraisal;
using af::exact::number;
using njson = nlohmann::json;

namespace {

const rb::rubric& load(const std::string& program) { return rb::testing::schema_rubric(program); }

// Target 100,000 CNY met exactly, +25% on a year earlier, 10 customers of
// whom 3 new and 5 repeat, one complaint.
ap::period_figures quarter_figures() {
  ap::period_figures f;
  f.target_fen = 10'000'000;
  f.net_sales_fen = 10'000'000;
  f.net_sales_year_before_fen = 8'000'000;
  f.customers = 10;
  f.new_customers = 3;
  f.repeat_customers = 5;
  f.complaints = 1;
  return f;
}

// The supervisor's teamwork 4, learning 3, ability 5; two customers' surveys 4 and 3.
rb::input appraisal_case(const ap::period_figures& f = quarter_figures()) {
  rb::input in;
  in.ratings["supervisor:S1"] = {{"teamwork", 4}, {"learning", 3}, {"professional_ability", 5}};
  in.ratings["customer:K1"] = {{"customer_satisfaction", 4}};
  in.ratings["customer:K2"] = {{"customer_satisfaction", 3}};
  in.measures = ap::measures(f);
  return in;
}

std::int64_t points(const rb::score& s, const std::string& key) {
  for (const auto& i : s.items)
    if (i.key == key) return i.points;
  FAIL("no item " << key);
  return -1;
}

rb::score scored(const rb::input& in, const std::string& program = "performance_quarter") {
  auto s = rb::score_case(load(program), in);
  if (!s) FAIL(s.error().to_string());
  return *s;
}

std::int64_t sales_points(std::int64_t net_fen) {
  auto f = quarter_figures();
  f.net_sales_fen = net_fen;
  return points(scored(appraisal_case(f)), "sales_target");
}

}  // namespace

TEST_CASE("performance_quarter: every item, the weighted total, its tier and bonus",
          "[domain][appraisal]") {
  auto s = scored(appraisal_case());
  CHECK(points(s, "sales_target") == 2500);           // met: exactly 100%
  CHECK(points(s, "sales_growth") == 1000);           // +25%
  CHECK(points(s, "new_customers") == 700);           // 3
  CHECK(points(s, "repeat_purchase") == 700);         // 5 of 10: 50%
  CHECK(points(s, "complaints") == 300);              // 1
  CHECK(points(s, "customer_satisfaction") == 1313);  // mean 3.5 of 4 x 15 = 13.125
  CHECK(points(s, "teamwork") == 640);                // 4 of 5 x 8
  CHECK(points(s, "learning") == 360);                // 3 of 5 x 6
  CHECK(points(s, "professional_ability") == 600);    // 5 of 5 x 6
  CHECK(s.total == 8113);
  CHECK(s.tier == 2);             // good: [75, 90)
  CHECK(s.bonus_fen == 250'000);  // 2,500 CNY
  CHECK(s.flags.empty());
  auto j = rb::to_json(load("performance_quarter"), s);
  CHECK(j["bonus_fen"] == 250'000);
  CHECK(j["raters"] == 3);
}

TEST_CASE("sales against target: not met below 100%, met at exactly 100%, exceeded above",
          "[domain][appraisal]") {
  CHECK(sales_points(7'999'999) == 0);      // 79.99999%
  CHECK(sales_points(8'000'000) == 1800);   // 80%: not met, partly
  CHECK(sales_points(9'999'999) == 1800);   // 99.99999%: still not met
  CHECK(sales_points(10'000'000) == 2500);  // exactly 100%: met
  CHECK(sales_points(10'000'001) == 3000);  // one fen above: exceeded
  CHECK(sales_points(-500) == 0);           // refunds above sales
  auto f = quarter_figures();
  f.target_fen = 0;  // no target: no data, flagged
  auto s = scored(appraisal_case(f));
  CHECK(points(s, "sales_target") == 0);
  CHECK(s.flags == std::vector<std::string>{"sales_target: no sales target in the period"});
}

TEST_CASE("growth: a zero base is no data, 0% and 20% at their edges", "[domain][appraisal]") {
  auto growth = [](std::int64_t net, std::int64_t before) {
    auto f = quarter_figures();
    f.net_sales_fen = net;
    f.net_sales_year_before_fen = before;
    return scored(appraisal_case(f));
  };
  CHECK(points(growth(8'000'000, 8'000'000), "sales_growth") == 500);   // exactly 0%
  CHECK(points(growth(7'999'999, 8'000'000), "sales_growth") == 0);     // just below 0%
  CHECK(points(growth(9'599'999, 8'000'000), "sales_growth") == 800);   // 19.99999%
  CHECK(points(growth(9'600'000, 8'000'000), "sales_growth") == 1000);  // exactly 20%
  auto none = growth(8'000'000, 0);
  CHECK(points(none, "sales_growth") == 500);
  CHECK(none.flags ==
        std::vector<std::string>{"sales_growth: no sales in the same period a year earlier"});
  CHECK(points(growth(8'000'000, -100), "sales_growth") == 500);  // refunds only a year earlier
}

TEST_CASE("repeat purchases: no customers is no data, 30% at its edge", "[domain][appraisal]") {
  auto repeat = [](std::int64_t customers, std::int64_t repeat_customers) {
    auto f = quarter_figures();
    f.customers = customers;
    f.repeat_customers = repeat_customers;
    f.new_customers = customers - repeat_customers;
    return scored(appraisal_case(f));
  };
  CHECK(points(repeat(10, 3), "repeat_purchase") == 400);    // exactly 30%
  CHECK(points(repeat(1000, 299), "repeat_purchase") == 0);  // 29.9%
  CHECK(points(repeat(10, 7), "repeat_purchase") == 1000);   // exactly 70%
  CHECK(points(repeat(10, 10), "repeat_purchase") == 1000);  // 100%
  auto none = repeat(0, 0);
  CHECK(points(none, "repeat_purchase") == 0);
  CHECK(points(none, "new_customers") == 0);
  CHECK(none.flags == std::vector<std::string>{"repeat_purchase: no customers in the period"});
  auto f = quarter_figures();
  f.complaints = 2;
  CHECK(points(scored(appraisal_case(f)), "complaints") == 100);
  f.complaints = 3;
  CHECK(points(scored(appraisal_case(f)), "complaints") == 0);
  f.new_customers = 5;
  f.repeat_customers = 5;
  CHECK(points(scored(appraisal_case(f)), "new_customers") == 1000);
}

TEST_CASE("raters: colleagues count 30% beside the supervisor, no survey is no data",
          "[domain][appraisal]") {
  auto in = appraisal_case();
  in.ratings["peer:E2"] = {{"teamwork", 2}, {"learning", 3}, {"professional_ability", 4}};
  auto s = scored(in);
  CHECK(points(s, "teamwork") == 544);              // (0.7 x 4 + 0.3 x 2) / 5 x 8 = 5.44
  CHECK(points(s, "learning") == 360);              // 3 from both
  CHECK(points(s, "professional_ability") == 564);  // (0.7 x 5 + 0.3 x 4) / 5 x 6 = 5.64
  CHECK(s.total == 7981);
  in.ratings["peer:E3"] = {{"teamwork", 3}, {"learning", 3}, {"professional_ability", 4}};
  CHECK(points(scored(in), "teamwork") == 568);  // colleagues' mean 2.5: 3.55 / 5 x 8
  auto no_survey = appraisal_case();
  no_survey.ratings.erase("customer:K1");
  no_survey.ratings.erase("customer:K2");
  auto ns = scored(no_survey);
  CHECK(points(ns, "customer_satisfaction") == 1000);
  CHECK(ns.flags == std::vector<std::string>{"customer_satisfaction: no customer survey"});
  auto all_poor = appraisal_case();
  all_poor.ratings["customer:K1"]["customer_satisfaction"] = 1;
  all_poor.ratings["customer:K2"]["customer_satisfaction"] = 1;
  CHECK(points(scored(all_poor), "customer_satisfaction") == 375);  // 1 of 4 x 15
}

TEST_CASE("appraisal ratings by the wrong kind of rater are refused naming the item",
          "[domain][appraisal]") {
  const auto& r = load("performance_quarter");
  auto refusal = [&](rb::input in) { return rb::score_case(r, in).error().message(); };
  auto in = appraisal_case();
  in.ratings["customer:K1"]["teamwork"] = 4;
  CHECK(refusal(in) == "rater customer:K1: ratings.teamwork: not rated by a customer");
  in = appraisal_case();
  in.ratings["customer:K1"]["customer_satisfaction"] = 5;
  CHECK(refusal(in) == "rater customer:K1: ratings.customer_satisfaction: 5 is out of range 1..4");
  in = appraisal_case();
  in.ratings["supervisor:S1"]["customer_satisfaction"] = 4;
  CHECK(refusal(in) ==
        "rater supervisor:S1: ratings.customer_satisfaction: not rated by a supervisor");
  in = appraisal_case();
  in.ratings["supervisor:S1"].erase("learning");
  CHECK(refusal(in) == "rater supervisor:S1: ratings.learning: missing");
  in = appraisal_case();
  in.ratings["customer:K2"] = {};
  CHECK(refusal(in) == "rater customer:K2: ratings.customer_satisfaction: missing");
  CHECK(rb::validate_ratings(r, {{"teamwork", 6}, {"learning", 3}, {"professional_ability", 3}},
                             "supervisor")
            .message() == "ratings.teamwork: 6 is out of range 1..5");
}

TEST_CASE("bonus and tier bands of both appraisals at their edges", "[domain][appraisal]") {
  const auto& q = load("performance_quarter");
  const auto& y = load("performance_year");
  auto bonus = [](const rb::rubric& r, std::int64_t total) {
    return af::exact::band_value(r.bonus_bands, number{total, 100}).value_or(-1);
  };
  auto tier = [](const rb::rubric& r, std::int64_t total) {
    return af::exact::band_value(r.tiers, number{total, 100}).value_or(-1);
  };
  CHECK(bonus(q, 0) == 0);
  CHECK(bonus(q, 5999) == 0);
  CHECK(bonus(q, 6000) == 100'000);
  CHECK(bonus(q, 7499) == 100'000);
  CHECK(bonus(q, 7500) == 250'000);
  CHECK(bonus(q, 8999) == 250'000);
  CHECK(bonus(q, 9000) == 500'000);
  CHECK(bonus(q, 10000) == 500'000);
  CHECK(bonus(y, 5999) == 0);
  CHECK(bonus(y, 6000) == 500'000);
  CHECK(bonus(y, 7500) == 1'500'000);
  CHECK(bonus(y, 9000) == 3'000'000);
  CHECK(tier(q, 5999) == 4);
  CHECK(tier(q, 6000) == 3);
  CHECK(tier(q, 7500) == 2);
  CHECK(tier(q, 9000) == 1);
  // The annual appraisal weighs growth more: the same year scores differently.
  auto s = scored(appraisal_case(), "performance_year");
  CHECK(points(s, "sales_growth") == 1500);
  CHECK(points(s, "customer_satisfaction") == 875);  // 3.5 of 4 x 10
  CHECK(s.total == 8175);
  CHECK(s.bonus_fen == 1'500'000);
}

TEST_CASE("appraisal measures are exact fractions, absent without a base", "[domain][appraisal]") {
  auto m = ap::measures(quarter_figures());
  CHECK(m.at("sales_completion_percent") == number{100, 1});
  CHECK(m.at("sales_growth_percent") == number{25, 1});
  CHECK(m.at("repeat_purchase_percent") == number{50, 1});
  CHECK(m.at("new_customers") == number{3, 1});
  CHECK(m.at("complaints") == number{1, 1});
  auto none = ap::measures({});
  CHECK_FALSE(none.count("sales_completion_percent"));
  CHECK_FALSE(none.count("sales_growth_percent"));
  CHECK_FALSE(none.count("repeat_purchase_percent"));
  CHECK(none.at("new_customers") == number{0, 1});
}

TEST_CASE("broken weights and raters in a rubric are refused naming the key",
          "[domain][appraisal]") {
  auto doc = [] {
    return njson::parse(R"json({
      "program": "p", "scale": {"min": 1, "max": 5}, "raters": "many",
      "rater_weights": {"supervisor": 70, "peer": 30},
      "items": [
        {"key": "a", "assessed": "rated", "rated_by": ["supervisor", "peer"], "weight": 60},
        {"key": "c", "assessed": "computed", "measure": "complaints", "weight": 40,
         "bands": [{"range": "[0, 1)", "points": 40}, {"range": "[1, inf)", "points": 0}]}
      ],
      "total": {"of": "weighted", "bonus": [{"range": "[0, 50)", "fen": 0}, {"range": "[50, 100]", "fen": 1000}]}
    })json");
  };
  auto refusal = [](const njson& d) {
    auto r = rb::parse(d.dump(), "broken.json");
    return r ? std::string("(accepted)") : r.error().message();
  };
  CHECK(refusal(doc()) == "(accepted)");
  auto d = doc();
  d["items"][0]["weight"] = 59;
  CHECK(refusal(d) == "broken.json: items: the weights add up to 99, not 100");
  d = doc();
  d["items"][1].erase("weight");
  d["items"][1]["bands"][0]["points"] = 4;
  d["items"][1]["bands"][1]["points"] = 1;
  CHECK(refusal(d) == "broken.json: items[1] (c).weight: missing (the total is weighted)");
  d = doc();
  d["total"]["of"] = "sum";
  CHECK(refusal(d) == "broken.json: items (a).weight: only with a weighted total");
  d = doc();
  d["items"][0]["rated_by"] = {"boss"};
  CHECK(refusal(d) ==
        "broken.json: items[0] (a).rated_by: \"boss\" is not supervisor, peer or "
        "customer");
  d = doc();
  d["items"][1]["bands"][0]["points"] = 41;
  CHECK(refusal(d) == "broken.json: items[1] (c).bands[0].points: must be a whole number 0..40");
  d = doc();
  d["rater_weights"]["chairman"] = 10;
  CHECK(refusal(d) == "broken.json: rater_weights.chairman: is not supervisor, peer or customer");
  d = doc();
  d["total"]["bonus"][1]["range"] = "[50, 99]";
  CHECK(refusal(d) == "broken.json: total.bonus: the bands leave part of [0, 100] without points");
  d = doc();
  d["items"][1]["rated_by"] = {"peer"};
  CHECK(refusal(d) == "broken.json: items[1] (c): only a rated item has rated_by or its own scale");
}
