#include "engine/sales_check.h"

#include "engine/case_record.h"

namespace af::engine {

const sales_check_def* sales_check_of(const program_registry& programs,
                                      const std::string& program) {
  auto wf = programs.find(program);
  if (wf == programs.end() || !wf->second.sales_check()) return nullptr;
  return &*wf->second.sales_check();
}

std::optional<std::string> late_sales_change(store& db, const program_registry& programs,
                                             const case_row& c) {
  if (!sales_check_of(programs, c.program)) return std::nullopt;
  auto checked = decode_figures(c.result_json);
  if (!checked) return std::nullopt;
  month_figures now;
  for (const auto& b : db.brand_months(c.employee_id, c.period))
    now[b.brand] = {b.target_fen, b.sales_fen - b.refunds_fen};
  if (now == *checked) return std::nullopt;
  return "sales or targets of " + c.period + " changed after the target check";
}

}  // namespace af::engine
