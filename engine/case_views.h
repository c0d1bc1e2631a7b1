// case_views.h: what people read about cases, as JSON replies of the admin
// API (DESIGN.md): a case in full or as a summary, a cycle's report, the
// overdue list, a manager's sales and roll-up, the standard table. Views
// read the store and the program definitions and change nothing; the case
// service (engine/case_service.h) is where cases change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/access.h"
#include "engine/store.h"
#include "engine/workflow.h"
#include "messages/json_text.h"
#include "workers/domain/commission_plan.h"
#include "workers/domain/rubric.h"

namespace af::engine {

class case_views {
 public:
  using json = msg::json;

  // References, not copies: the rubrics and the plan may be replaced
  // (case_service's setters) while the views live.
  case_views(store& db, const program_registry& programs, const rubric::rubric_set& rubrics,
             const commission::plan& plan, int tz_offset_minutes)
      : db_(db), programs_(programs), rubrics_(rubrics), plan_(plan), tz_(tz_offset_minutes) {}

  // {id, program, period, employee_id, unit, supervisor_id, hrbp_id, state,
  // tier, adjusted_tier}; tiers are null in the `rating` view.
  static json summary(const case_row& c, case_view view = case_view::full);

  // The case as `view` allows (engine/access.h): `rating` leaves out every
  // rating, comment, score, tier and history line. NotFound when the case
  // does not exist or the view is `hidden`.
  result<json> show(std::int64_t case_id, case_view view = case_view::full);

  // One cycle's report (engine/case_report.cpp): tiers per unit and per
  // supervisor, supervisors' mean totals against their unit's, open cases
  // by state, mean points and gap per item. With `hrbp_only`, only the
  // cases of that HRBP count. NotFound for an unknown cycle,
  // InvalidArgument when its program is no longer defined.
  result<json> report(std::int64_t cycle_id,
                      const std::optional<std::string>& hrbp_only = std::nullopt);

  // Cases past their deadline by `now`, per unit and owner role (`assessctl
  // overdue`); with `hrbp_only`, only that HRBP's cases.
  json overdue(std::int64_t now, const std::optional<std::string>& unit,
               const std::optional<role>& owner,
               const std::optional<std::string>& hrbp_only = std::nullopt);

  // The sales figures of a manager over a period (DESIGN.md `sales`).
  // InvalidArgument for a period that does not parse, NotFound for an
  // unknown manager.
  result<json> sales(const std::string& manager_id, const std::string& period);

  // Quarterly or annual roll-up of a manager's monthly appraisals (the
  // workflow with sales_check.rolled_up_from): sums of the months,
  // net-sales growth against the same period a year earlier, and for a year
  // the proposed grade change under the grade rule (workers/domain/
  // grade_review.h) from the year's final annual appraisal and competency
  // result, with why. InvalidArgument for a
  // month or a period that does not parse; NotFound for an unknown manager
  // or when no workflow is rolled up.
  result<json> rollup(const std::string& manager_id, const std::string& period);

  // Movement between grades over a period (`assessctl grades`,
  // engine/grades_view.cpp): every grade an org import set whose date (in
  // the company zone) falls in the period, oldest first, with the person's
  // name and unit now; counts of promotions (to a better, lower grade),
  // demotions and first grades; `known_from`, the first day grades were
  // recorded (nothing before it is known). With `unit`, that unit's people;
  // with `hrbp_only`, only the people that HRBP looks after.
  // InvalidArgument for a period that does not parse.
  result<json> grades(const std::string& period, const std::optional<std::string>& unit,
                      const std::optional<std::string>& hrbp_only = std::nullopt);

  // The inventory of a year or quarter (engine/inventory_view.cpp): per
  // person in scope who has a competency result this period or the one
  // before, a certification case this period or a promotion or demotion
  // in it, each
  // item of the program with a standard table (its score and gap now and
  // before, and the change), the certification outcome and the grade
  // movement; per unit the items' means, the outcomes counted and the
  // promotions and demotions. `unit` and `hrbp_only` narrow it as for
  // grades(). InvalidArgument for a month or a period that does not parse.
  result<json> inventory(const std::string& period, const std::optional<std::string>& unit,
                         const std::optional<std::string>& hrbp_only = std::nullopt);

  // The standard table of `program` (levels by item and grade, adjusted
  // where an adjustment applied) and its history. InvalidArgument when the
  // program's rubric has no standard table.
  result<json> standards(const std::string& program);

 private:
  std::string at(std::int64_t now) const { return format_instant(now, tz_); }
  void add_results(json& j, const case_row& c);
  void add_reviews(json& j, const case_row& c);
  void add_rater_list(json& j, const case_row& c);
  void add_history(json& j, const case_row& c);
  // The manager's final (state "final") annual appraisal total and the tier
  // of the year's last final competency case, as the grade rule names them.
  grade_review::year_results year_results(const std::string& manager_id, const period& year);

  store& db_;
  const program_registry& programs_;
  const rubric::rubric_set& rubrics_;
  const commission::plan& plan_;
  int tz_;
};

}  // namespace af::engine
