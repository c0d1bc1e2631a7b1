#include "workers/domain/appraisal.h"

namespace af::appraisal {
namespace {

// num / den (den > 0) in basis points, floored toward minus infinity, so a
// ratio never shows better than it is; 128 bits, so nothing overflows.
std::int64_t ratio_bp(__int128 num, std::int64_t den) {
  __int128 n = num * 10000, d = den;
  __int128 q = n / d;
  if ((n % d != 0) && ((n < 0) != (d < 0))) --q;
  return static_cast<std::int64_t>(q);
}

}  // namespace

std::string_view target_grade_name(target_grade g) {
  switch (g) {
    case target_grade::exceeded:
      return "exceeded";
    case target_grade::met:
      return "met";
    case target_grade::not_met:
      return "not_met";
    case target_grade::no_target:
      break;
  }
  return "no_target";
}

indicators compute(const period_figures& f) {
  indicators out;
  if (f.target_fen > 0) {
    out.completion_bp = ratio_bp(f.net_sales_fen, f.target_fen);
    out.sales = f.net_sales_fen > f.target_fen    ? target_grade::exceeded
                : f.net_sales_fen == f.target_fen ? target_grade::met
                                                  : target_grade::not_met;
  }
  if (f.net_sales_year_before_fen > 0)
    out.growth_bp = ratio_bp(static_cast<__int128>(f.net_sales_fen) - f.net_sales_year_before_fen,
                             f.net_sales_year_before_fen);
  out.new_customers = f.new_customers > 0 ? f.new_customers : 0;
  if (f.customers > 0) out.repeat_rate_bp = ratio_bp(f.repeat_customers, f.customers);
  out.complaints = f.complaints > 0 ? f.complaints : 0;
  return out;
}

std::map<std::string, exact::number> measures(const period_figures& f) {
  std::map<std::string, exact::number> m;
  if (f.target_fen > 0) m["sales_completion_percent"] = {f.net_sales_fen * 100, f.target_fen};
  if (f.net_sales_year_before_fen > 0)
    m["sales_growth_percent"] = {(f.net_sales_fen - f.net_sales_year_before_fen) * 100,
                                 f.net_sales_year_before_fen};
  m["new_customers"] = exact::number::whole(f.new_customers > 0 ? f.new_customers : 0);
  if (f.customers > 0) m["repeat_purchase_percent"] = {f.repeat_customers * 100, f.customers};
  m["complaints"] = exact::number::whole(f.complaints > 0 ? f.complaints : 0);
  return m;
}

}  // namespace af::appraisal
