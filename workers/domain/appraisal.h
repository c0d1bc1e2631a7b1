// appraisal.h: the computed indicators of a quarterly or annual
// performance appraisal (DOMAIN.md program 3, "Indicators"), from a
// period's figures: sales against target graded exceeded / met / not met,
// net-sales growth on the same period a year earlier, new customers, the
// repeat-purchase rate and complaints. Pure and exact: ratios are compared
// as fractions and shown in basis points, floored; a ratio whose base is
// zero is "no data", never infinity or zero.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/exact.h"

namespace af::appraisal {

// The period's figures over every brand, net of refunds.
struct period_figures {
  std::int64_t net_sales_fen = 0, target_fen = 0;
  std::int64_t net_sales_year_before_fen = 0;
  std::int64_t customers = 0;         // distinct customers who bought in the period
  std::int64_t new_customers = 0;     // of them, first bought from this manager in the period
  std::int64_t repeat_customers = 0;  // of them, had bought from this manager before it
  std::int64_t complaints = 0;
};

// exceeded: sales > target; met: sales = target; not_met: below it. With
// no target the grade is no_target.
enum class target_grade : std::uint8_t { exceeded, met, not_met, no_target };
std::string_view target_grade_name(target_grade g);

struct indicators {
  target_grade sales = target_grade::no_target;
  std::optional<std::int64_t> completion_bp;  // sales / target; none without a target
  std::optional<std::int64_t> growth_bp;      // (sales - before) / before; none: no base
  std::int64_t new_customers = 0;
  std::optional<std::int64_t> repeat_rate_bp;  // repeat / customers; none: no customers
  std::int64_t complaints = 0;
};

// What compute() and measures() accept: amounts within +-most_fen (10^13
// CNY) and counts within 0..most_count, so that every product x 100 and
// every difference stays far inside 64 bits. The caller checks its input
// against them (the scoring worker refuses a task outside them).
inline constexpr std::int64_t most_fen = 1'000'000'000'000'000;
inline constexpr std::int64_t most_count = 100'000'000;

// The indicators of `f`. Counts and amounts below zero are the caller's
// error (the store never has them); they give no_target / no data.
indicators compute(const period_figures& f);

// The measures a rubric's computed items score (rubric.h,
// appraisal_measures), as exact fractions: sales_completion_percent (net
// sales x 100 / target, none without a target), sales_growth_percent
// ((net - net a year before) x 100 / net a year before, none when that
// base is zero or below), new_customers, repeat_purchase_percent (repeat
// x 100 / customers, none without customers) and complaints.
std::map<std::string, exact::number> measures(const period_figures& f);

}  // namespace af::appraisal
