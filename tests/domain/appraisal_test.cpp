// DOMAIN.md program 3's computed appraisal indicators, at their boundaries.
#include "workers/domain/appraisal.h"

#include <catch2/catch.hpp>
#include <cstdint>

using namespace af::appraisal;

TEST_CASE("sales against target: exceeded above 100%, met at exactly 100%, not met below",
          "[domain][appraisal]") {
  period_figures f;
  f.target_fen = 30'000'000;
  f.net_sales_fen = 30'000'000;
  auto at = compute(f);
  CHECK(at.sales == target_grade::met);
  CHECK(at.completion_bp == 10'000);
  f.net_sales_fen = 30'000'001;  // one fen above
  CHECK(compute(f).sales == target_grade::exceeded);
  CHECK(compute(f).completion_bp == 10'000);  // 100.0000333%: shown as 100.00
  f.net_sales_fen = 29'999'999;               // one fen below: 99.99999%, never shown as 100.00
  CHECK(compute(f).sales == target_grade::not_met);
  CHECK(compute(f).completion_bp == 9'999);
  f.target_fen = 0;
  CHECK(compute(f).sales == target_grade::no_target);
  CHECK_FALSE(compute(f).completion_bp.has_value());
  CHECK(target_grade_name(target_grade::not_met) == "not_met");
  CHECK(target_grade_name(target_grade::no_target) == "no_target");
}

TEST_CASE("growth on the same period a year earlier: a zero base is no data",
          "[domain][appraisal]") {
  period_figures f;
  f.net_sales_fen = 12'000'000;
  f.net_sales_year_before_fen = 10'000'000;
  CHECK(compute(f).growth_bp == 2'000);  // +20.00%
  f.net_sales_fen = 9'999'999;           // -0.00001%: floored to -0.01%
  CHECK(compute(f).growth_bp == -1);
  f.net_sales_year_before_fen = 0;
  CHECK_FALSE(compute(f).growth_bp.has_value());
  f.net_sales_year_before_fen = -5;  // refunds only, a year earlier: no base either
  CHECK_FALSE(compute(f).growth_bp.has_value());
  f.net_sales_fen = INT64_MAX;  // no overflow at the extremes
  f.net_sales_year_before_fen = 1;
  CHECK(compute(f).growth_bp.has_value());
}

TEST_CASE("repeat-purchase rate: repeat customers over the period's, none without customers",
          "[domain][appraisal]") {
  period_figures f;
  CHECK_FALSE(compute(f).repeat_rate_bp.has_value());
  f.customers = 3;
  f.repeat_customers = 1;
  f.new_customers = 2;
  auto i = compute(f);
  CHECK(i.repeat_rate_bp == 3'333);  // 33.33%
  CHECK(i.new_customers == 2);
  f.repeat_customers = 3;
  CHECK(compute(f).repeat_rate_bp == 10'000);
  f.complaints = 4;
  CHECK(compute(f).complaints == 4);
}
