// grades_view.cpp: movement between grades over a period, from the grade
// changes org imports recorded (migration 009; DOMAIN.md "Inventory").
#include "engine/case_views.h"

namespace af::engine {

using json = msg::json;

result<json> case_views::grades(const std::string& period_text,
                                const std::optional<std::string>& unit,
                                const std::optional<std::string>& hrbp_only) {
  auto p = period::parse(period_text);
  if (!p) return status::invalid("period: \"" + period_text + "\" is not 2026-07, 2026-Q3 or 2026");
  auto all = db_.grade_changes(std::nullopt);
  std::optional<civil_date> known_from;
  json changes = json::array();
  int promoted = 0, demoted = 0, first = 0;
  for (const auto& g : all) {
    auto instant = parse_instant(g.at);
    if (!instant) continue;  // written by the engine: always an instant
    civil_date day = local_date(*instant, tz_);
    if (!known_from) known_from = day;
    if (!p->contains(day)) continue;
    auto e = db_.find_employee(g.employee_id);
    if (unit && (!e || e->unit != *unit)) continue;
    if (hrbp_only && (!e || e->hrbp_id != *hrbp_only)) continue;
    std::string movement = !g.from          ? "first"
                           : g.to < *g.from ? "promoted"
                           : g.to > *g.from ? "demoted"
                                            : "unchanged";
    promoted += movement == "promoted";
    demoted += movement == "demoted";
    first += movement == "first";
    changes.push_back({{"employee_id", g.employee_id},
                       {"name", e ? json(e->name) : json(nullptr)},
                       {"unit", e ? json(e->unit) : json(nullptr)},
                       {"from", g.from ? json(*g.from) : json(nullptr)},
                       {"to", g.to},
                       {"movement", movement},
                       {"at", g.at},
                       {"by", g.by}});
  }
  return json{{"period", p->to_string()},
              {"unit", unit ? json(*unit) : json(nullptr)},
              {"known_from", known_from ? json(format_date(*known_from)) : json(nullptr)},
              {"changes", changes},
              {"promoted", promoted},
              {"demoted", demoted},
              {"first", first}};
}

}  // namespace af::engine
