// render_case.cpp: cycles, case lists, one case in full, the replies to
// actions on cases, an offline score and a case's radar chart.
#include <fmt/core.h>

#include "tools/assessctl/chart.h"
#include "tools/assessctl/render.h"

namespace af::tools {
namespace {

// Case, program, period, employee, unit; state, as of, supervisor, HRBP.
std::string case_heading(const msg::json& c) {
  std::string out = fmt::format(
      "case {}  {} {}  employee {} {}  unit {}\n", c["id"].get<long long>(), text_of(c["program"]),
      text_of(c["period"]), text_of(c["employee_id"]),
      c.contains("employee_name") ? text_of(c["employee_name"]) : "", text_of(c["unit"]));
  out += fmt::format("state {}  as of {}  supervisor {}  hrbp {}\n", text_of(c["state"]),
                     text_of(c["as_of"]), text_of(c["supervisor_id"]), text_of(c["hrbp_id"]));
  return out;
}

// One row per item: points, self and supervisor ratings and their
// difference (flagged at 2 or more), the required level and gap, the spread.
std::string case_items(const msg::json& c) {
  if (c["items"].empty()) return "";
  const auto& self = c["self_review"];
  const auto& review = c["supervisor_review"];
  bool levels = c.contains("gap"), spread = c.contains("spread");
  std::string out =
      fmt::format("  {:<30} {:>7} {:>6} {:>11} {:>6}{}{}\n", "item", "points", "self", "supervisor",
                  "diff", levels ? "  required    gap" : "", spread ? "  spread" : "");
  for (const auto& [key, points] : c["items"].items()) {
    std::string s = "", r = "", d = "";
    if (self.is_object() && self["ratings"].contains(key)) s = text_of(self["ratings"][key]);
    if (review.is_object() && review["ratings"].contains(key)) r = text_of(review["ratings"][key]);
    bool flag = false;
    if (c["self_minus_supervisor"].contains(key)) {
      int diff = c["self_minus_supervisor"][key].get<int>();
      d = fmt::format("{:+d}", diff);
      flag = diff >= 2 || diff <= -2;
    }
    out += fmt::format("  {:<30} {:>7} {:>6} {:>11} {:>6}", key, text_of(points), s, r, d);
    if (levels)
      out +=
          fmt::format("  {:>8} {:>6}", text_of(c["required_level"][key]), text_of(c["gap"][key]));
    if (spread)  // computed items and items nobody rated have none
      out += fmt::format("  {:>6}", c["spread"].contains(key) ? text_of(c["spread"][key]) : "");
    out += flag ? "  <-- differs by 2+\n" : "\n";
  }
  return out;
}

// Area means and further raters, where the program has them.
std::string case_areas_and_raters(const msg::json& c) {
  std::string out;
  if (c.contains("areas"))
    for (const auto& [key, mean] : c["areas"].items())
      out += fmt::format("area {:<32} {:>6}\n", key, text_of(mean));
  if (c.contains("rater_list"))
    for (const auto& r : c["rater_list"])
      out += fmt::format(
          "rater {:<24} {:<24} {}\n", text_of(r["rater"]),
          r["name"].is_null() ? "" : text_of(r["name"]),
          r["rated_at"].is_null() ? "not rated yet" : "rated " + text_of(r["rated_at"]));
  return out;
}

// Total and tier (with a calibration), flags, the deadline of the state and
// how overdue the case is.
std::string case_result_and_deadline(const msg::json& c) {
  std::string out = fmt::format("total {}  tier {}", text_of(c["total"]), text_of(c["tier"]));
  if (!c["adjusted_tier"].is_null())
    out += fmt::format("  adjusted tier {} ({})", text_of(c["adjusted_tier"]),
                       text_of(c["adjust_reason"]));
  if (c.contains("bonus_fen") && !c["bonus_fen"].is_null())
    out += "  bonus " + cny(c["bonus_fen"]) + " CNY";
  out += "\n";
  if (c.contains("outcome") && c["outcome"].is_string()) {
    out += "outcome: " + text_of(c["outcome"]);
    if (c.contains("overruled") && c["overruled"].is_object())
      out += fmt::format(" (overruled from {} by {}: {})", text_of(c["overruled"]["from"]),
                         text_of(c["overruled"]["by"]), text_of(c["overruled"]["reason"]));
    out += "\n";
    if (c.contains("reasons"))
      for (const auto& r : c["reasons"]) out += "  because: " + text_of(r) + "\n";
  }
  if (c.contains("indicators") && c["indicators"].is_object()) {
    const auto& i = c["indicators"];
    out += fmt::format(
        "indicators: sales {} ({}% of target), growth {}%, new customers {}, repeat purchases "
        "{}%, complaints {}\n",
        text_of(i["sales"]), text_of(i["completion_percent"]), text_of(i["growth_percent"]),
        text_of(i["new_customers"]), text_of(i["repeat_purchase_percent"]),
        text_of(i["complaints"]));
  }
  for (const auto& f : c["flags"]) out += "flag: " + text_of(f) + "\n";
  if (c.contains("deadline") && c["deadline"].is_object()) {
    const auto& d = c["deadline"];
    out += fmt::format("deadline: {} due {}", text_of(d["state"]), text_of(d["due_at"]));
    if (d["passed"] == true)
      out += "  PASSED";
    else if (d["reminded"] == true)
      out += "  (reminded)";
    else if (!d["remind_at"].is_null())
      out += fmt::format("  (reminder at {})", text_of(d["remind_at"]));
    out += "\n";
  }
  if (c.contains("overdue_since") && !c["overdue_since"].is_null())
    out += "OVERDUE since " + text_of(c["overdue_since"]) + "\n";
  return out;
}

std::string case_history(const msg::json& c) {
  std::string out = "history:\n";
  for (const auto& h : c["history"]) {
    out += fmt::format("  {}  {} -> {}  {} by {}", text_of(h["at"]), text_of(h["from"]),
                       text_of(h["to"]), text_of(h["action"]), text_of(h["actor"]));
    // The principal who sent it, where it is not the actor itself.
    if (h.contains("principal") && h["principal"].is_string() && h["principal"] != h["actor"])
      out += " via " + text_of(h["principal"]);
    if (!h["reason"].is_null()) out += "  (" + text_of(h["reason"]) + ")";
    out += "\n";
  }
  return out;
}

}  // namespace

std::string render_cycle_opened(const msg::json& r) {
  return fmt::format("cycle {}: opened {} cases, due {}\n", r["cycle"].dump(), r["opened"].dump(),
                     r.contains("due") ? r["due"].get<std::string>() : std::string("-"));
}

std::string render_cases(const msg::json& reply) {
  std::string out = fmt::format("{:>6}  {:<16} {:<8} {:<8} {:<18} {:<18} {}\n", "CASE", "PROGRAM",
                                "PERIOD", "EMPLOYEE", "UNIT", "STATE", "TIER / OUTCOME");
  for (const auto& c : reply["cases"]) {
    std::string tier = text_of(c["tier"]);
    if (!c["adjusted_tier"].is_null()) tier += " (adjusted to " + text_of(c["adjusted_tier"]) + ")";
    if (c.contains("outcome")) tier = text_of(c["outcome"]);  // a certification
    out += fmt::format("{:>6}  {:<16} {:<8} {:<8} {:<18} {:<18} {}\n", c["id"].get<long long>(),
                       text_of(c["program"]), text_of(c["period"]), text_of(c["employee_id"]),
                       text_of(c["unit"]), text_of(c["state"]), tier);
  }
  out += fmt::format("{} cases\n", reply["cases"].size());
  if (reply.contains("next_after"))
    out += fmt::format("more follow: list them with --after {}\n",
                       reply["next_after"].get<long long>());
  return out;
}

std::string render_case(const msg::json& c) {
  return case_heading(c) + case_items(c) + case_areas_and_raters(c) + case_result_and_deadline(c) +
         case_history(c);
}

std::string render_transition(const msg::json& c) {
  return fmt::format("case {}: now {}{}\n", c["id"].get<long long>(), c["state"].get<std::string>(),
                     c["tier"].is_null() ? "" : fmt::format(" (tier {})", c["tier"].dump()));
}

std::string render_raters(const msg::json& r) {
  std::string out = fmt::format("case {} raters:\n", r["case"].dump());
  for (const auto& x : r["raters"])
    out +=
        fmt::format("  {:<24} {}\n", x["rater"].get<std::string>(), x["name"].get<std::string>());
  return out;
}

std::string render_bulk(const msg::json& r) {
  std::string out = fmt::format("{} matched, {} applied, {} refused\n", text_of(r["matched"]),
                                r["applied"].size(), r["refused"].size());
  for (const auto& f : r["refused"])
    out += fmt::format("  case {}: {}\n", text_of(f["case"]), text_of(f["error"]));
  return out;
}

std::string render_score(const msg::json& s) {
  std::string out;
  bool levels = s.contains("gap"), spread = s.contains("spread");
  out += fmt::format("  {:<30} {:>6}{}{}\n", "item", "points", levels ? "  required  gap" : "",
                     spread ? "  spread" : "");
  for (const auto& [key, points] : s["items"].items()) {
    out += fmt::format("  {:<30} {:>6}", key, text_of(points));
    if (levels)
      out +=
          fmt::format("  {:>8} {:>5}", text_of(s["required_level"][key]), text_of(s["gap"][key]));
    if (spread)
      out += fmt::format("  {:>6}", s["spread"].contains(key) ? text_of(s["spread"][key]) : "");
    out += "\n";
  }
  if (s.contains("areas"))
    for (const auto& [key, mean] : s["areas"].items())
      out += fmt::format("area {:<28} {:>6}\n", key, text_of(mean));
  out += "total " + text_of(s["total"]);
  if (s.contains("tier")) out += "  tier " + text_of(s["tier"]);
  if (s.contains("raters")) out += "  raters " + text_of(s["raters"]);
  if (s.contains("bonus_fen") && !s["bonus_fen"].is_null())
    out += "  bonus " + cny(s["bonus_fen"]) + " CNY";
  out += "\n";
  for (const auto& f : s["flags"]) out += "flag: " + text_of(f) + "\n";
  return out;
}

std::string render_chart(const rubric::rubric& r, const msg::json& scored,
                         const std::string& title) {
  chart_spec spec;
  spec.title = title;
  spec.scale_max = r.scale_max;
  spec.standard = r.standard_score;
  spec.subtitle = r.standard_score ? "actual score against the standard circle of " +
                                         std::to_string(*r.standard_score)
                                   : "score per item, 0.." + std::to_string(r.scale_max);
  for (const auto& item : r.items) {
    const msg::json& v =
        scored["items"].contains(item.key) ? scored["items"][item.key] : msg::json();
    spec.items.push_back(
        {item.label.empty() ? item.key : item.label, v.is_number() ? v.get<double>() : 0.0});
  }
  return radar_svg(spec);
}

namespace {

// The table's level of each item at `grade`, by item key.
result<std::map<std::string, int>> levels_at(const msg::json& table, int grade) {
  std::map<std::string, int> out;
  if (!table.contains("table") || !table["table"].is_array())
    return status::invalid("the engine's standards reply has no table");
  for (const auto& row : table["table"]) {
    const msg::json& level = row["levels"][std::to_string(grade)];
    if (row.contains("item") && level.is_number_integer())
      out[row["item"].get<std::string>()] = level.get<int>();
  }
  return out;
}

std::string level_note(double estimated, int scored_at, int now) {
  std::string note = fmt::format("{:.1f}", estimated);
  if (scored_at != now) note += fmt::format("; standard was {}, now {}", scored_at, now);
  return note;
}

}  // namespace

result<std::string> render_level_chart(const rubric::rubric& r, const msg::json& scored,
                                       const msg::json& table, const std::string& title) {
  if (!r.standard_score || r.levels.empty())
    return status::invalid(r.program + " has no standard table to draw against");
  const msg::json& required = scored.value("required_level", msg::json());
  if (!required.is_object() || required.empty())
    return status::invalid("the case has no required levels (not scored yet?)");
  if (!scored.value("grade", msg::json()).is_number_integer())
    return status::invalid(
        "the case's grade is unknown (opened before grades were kept with cases)");
  int grade = scored["grade"].get<int>();
  auto now = levels_at(table, grade);
  if (!now) return now.error();
  chart_spec spec;
  spec.title = title;
  int top = r.levels.rbegin()->first;
  spec.scale_max = top + 1;  // room for "exceeded" at the top level (x 6/5)
  spec.subtitle = fmt::format(
      "grade {}: proficiency levels 1..{}; estimated level = required level x score / {}", grade,
      top, *r.standard_score);
  spec.area_label = "estimated level";
  chart_outline before{"standard when scored", "#d62728", {}, true};
  chart_outline after{"standard now", "#ff7f0e", {}, false};
  for (const auto& item : r.items) {
    const msg::json& v =
        scored["items"].contains(item.key) ? scored["items"][item.key] : msg::json();
    const msg::json& level = required.value(item.key, msg::json());
    if (!level.is_number_integer())
      return status::invalid("the case has no required level for " + item.key);
    auto it = now->find(item.key);
    if (it == now->end()) return status::invalid("the standard table has no item " + item.key);
    double score = v.is_number() ? v.get<double>() : 0.0;
    double estimated = level.get<int>() * score / *r.standard_score;
    spec.items.push_back({item.label.empty() ? item.key : item.label, estimated,
                          level_note(estimated, level.get<int>(), it->second)});
    before.values.push_back(level.get<int>());
    after.values.push_back(it->second);
  }
  spec.outlines = {before, after};
  return radar_svg(spec);
}

}  // namespace af::tools
