// render_plan.cpp: a learning plan as `assessctl plan show` prints it.
#include <fmt/format.h>

#include "tools/assessctl/render.h"

namespace af::tools {

std::string render_plan(const msg::json& p) {
  std::string out = fmt::format("learning plan of {} ({}, grade {})", text_of(p["employee_id"]),
                                text_of(p["name"]), text_of(p["grade"]));
  if (!p["period"].is_null())
    out += fmt::format(": competency result {} (case {})", text_of(p["period"]),
                       text_of(p["from_case"]));
  out += "\n";
  if (p.contains("note")) return out + text_of(p["note"]) + "\n";
  if (p["activities"].empty()) return out + "no gaps: nothing to learn\n";
  out += fmt::format("  {:<8} {:<26} {:>5} {:>5}  {:<9} {}\n", "id", "item", "gap", "level", "kind",
                     "done");
  for (const auto& a : p["activities"]) {
    std::string done = a["done_at"].is_null()
                           ? "-"
                           : text_of(a["done_at"]).substr(0, 10) + " by " + text_of(a["done_by"]);
    out +=
        fmt::format("  {:<8} {:<26} {:>5} {:>5}  {:<9} {}\n", text_of(a["id"]), text_of(a["item"]),
                    text_of(a["gap"]), text_of(a["level"]), text_of(a["kind"]), done);
    out += "           " + text_of(a["title"]) + "\n";
  }
  return out + fmt::format("{} of {} done\n", text_of(p["done"]), text_of(p["total"]));
}

}  // namespace af::tools
