// admin_plans.cpp: the admin requests of qualification certification:
// plan.show (anyone, for the managers they may see: their own, their
// reports, the employees they are HRBP of; hr, chairman, admin, observer,
// portal), plan.done (the manager or their supervisor; engine/
// learning_plans.h) and inventory (reporters: an HRBP sees the employees
// they look after; engine/inventory_view.cpp).
#include "engine/admin_api.h"
#include "engine/admin_fields.h"

namespace af::engine {

result<json> admin_api::plan_show(const viewer& v, const json& req) {
  auto who = need_string(req, "employee_id");
  if (!who) return who.error();
  auto e = db_.find_employee(*who);
  if (!e || !may_see_employee(v, *e))
    return status::not_found("employee_id: unknown employee \"" + *who + "\"");
  return cases_.plans().show(*e);
}

result<json> admin_api::plan_done(const viewer& v, const json& req, std::int64_t now) {
  auto as_text = opt_string(req, "as");
  if (!as_text) return as_text.error();
  auto as = resolve_as(v, *as_text);
  if (!as) return as.error();
  auto who = need_string(req, "employee_id");
  if (!who) return who.error();
  auto e = db_.find_employee(*who);
  if (!e || !may_see_employee(v, *e))
    return status::not_found("employee_id: unknown employee \"" + *who + "\"");
  auto activity = need_string(req, "activity");
  if (!activity) return activity.error();
  return cases_.plans().done(*e, *activity, *as, v.who->name, now);
}

result<json> admin_api::inventory(const json& req, const std::optional<std::string>& hrbp_only) {
  auto period = opt_string(req, "period");
  if (!period) return period.error();
  if (!*period) return status::invalid("period: missing (2026 or 2026-Q3)");
  auto unit = opt_string(req, "unit");
  if (!unit) return unit.error();
  return cases_.views().inventory(**period, *unit, hrbp_only);
}

}  // namespace af::engine
