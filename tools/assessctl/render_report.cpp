// render_report.cpp: the engine's stats, sales figures, roll-ups, the
// schedule, the standard table, overdue cases, a cycle's report (text and
// CSV) and an offline month's commission.
#include <fmt/core.h>

#include "tools/assessctl/render.h"

namespace af::tools {
std::string render_stats(const msg::json& s) {
  std::string out = "cases:";
  for (const auto& [state, n] : s["cases"].items())
    out += fmt::format(" {}={}", state, n.get<long long>());
  out += "\ntasks:";
  for (const auto& [state, n] : s["tasks"].items())
    out += fmt::format(" {}={}", state, n.get<long long>());
  if (s.contains("deliveries"))
    out += fmt::format("\ndeliveries: sent={} redelivered={} duplicate_results={}",
                       text_of(s["deliveries"]["sent"]), text_of(s["deliveries"]["redelivered"]),
                       text_of(s["deliveries"]["duplicate_results"]));
  if (s.contains("ingest")) {
    const auto& i = s["ingest"];
    out += fmt::format("\ningest: messages={} accepted={} duplicate={} rejected={} stored={}",
                       text_of(i["messages"]), text_of(i["accepted"]), text_of(i["duplicate"]),
                       text_of(i["rejected"]), text_of(i["events_stored"]));
  }
  if (s.contains("ingest") && s.contains("durability")) {
    const auto& i = s["ingest"];
    const auto& d = s["durability"];
    long long messages = i.value("messages", 0LL), commits = i.value("commits", 0LL);
    out += fmt::format(
        "\ndurability: {} group commits ({:.1f} ingest messages each), {} WAL syncs of {:.3f} ms "
        "on average, "
        "WAL {} pages, rewound {} times (longest {:.1f} ms)",
        commits, commits ? static_cast<double>(messages) / static_cast<double>(commits) : 0.0,
        text_of(d["wal_syncs"]), d.value("mean_sync_ms", 0.0), text_of(d["wal_frames"]),
        text_of(d["wal_rewinds"]), d.value("wal_rewind_max_ms", 0.0));
  }
  if (s.contains("notifications"))
    for (const auto& [channel, n] : s["notifications"].items())
      out += fmt::format("\nnotifications {}: sent={} retried={} failed={} deferred={}", channel,
                         text_of(n["sent"]), text_of(n["retried"]), text_of(n["failed"]),
                         text_of(n["deferred"]));
  if (s.contains("clock")) out += "\nclock: " + text_of(s["clock"]);
  out += fmt::format("\nworkers: {}\n", s.contains("workers") ? s["workers"].size() : 0);
  if (s.contains("workers"))
    for (const auto& w : s["workers"])
      out += fmt::format("  {:<8} {:<24} pid {:<8} in flight {}/{}  seen {} ms ago\n",
                         text_of(w["kind"]), text_of(w["name"]), text_of(w["pid"]),
                         text_of(w["in_flight"]), text_of(w["capacity"]),
                         text_of(w["last_seen_ms_ago"]));
  if (s.contains("warnings"))
    for (const auto& w : s["warnings"]) out += "warning: " + text_of(w) + "\n";
  return out;
}

std::string render_sales(const msg::json& s) {
  return fmt::format(
      "{} {}: sales {} CNY, refunds {} CNY, net {} CNY; inquiries {}, converted {}\n",
      text_of(s["manager_id"]), text_of(s["period"]), cny(s["sales_fen"]), cny(s["refunds_fen"]),
      cny(s["net_fen"]), text_of(s["inquiries"]), text_of(s["converted"]));
}

std::string render_rollup(const msg::json& r) {
  std::string out = fmt::format(
      "{} {}: {} of {} appraised months met; commission {}, rewards {}, penalties {}, fines {}, "
      "total {} CNY\n",
      r["manager_id"].get<std::string>(), r["period"].get<std::string>(), r["months_met"].dump(),
      r["months_appraised"].dump(), cny(r["commission_fen"]), cny(r["rewards_fen"]),
      cny(r["penalty_fen"]), cny(r.value("fines_fen", msg::json(0))), cny(r["total_fen"]));
  out += fmt::format(
      "net sales {} CNY against {} a year earlier (growth {})\n", cny(r["net_sales_fen"]),
      cny(r["net_sales_year_before_fen"]),
      r["growth"].is_null() ? "n/a" : fmt::format("{:.2f}%", r["growth"].get<double>()));
  if (!r["months_without_final_appraisal"].empty())
    out += "months without a final appraisal: " + r["months_without_final_appraisal"].dump() + "\n";
  if (r.contains("proposal")) {
    out += "proposed: " + r["proposal"].get<std::string>();
    if (r.contains("proposal_why") && r["proposal_why"].is_string())
      out += " (" + r["proposal_why"].get<std::string>() + ")";
    out += "\n";
  }
  return out;
}

std::string render_schedule(const msg::json& r) {
  std::string out = "today " + r["today"].get<std::string>() + " (company time zone)\n";
  for (const auto& p : r["programs"]) {
    std::string last =
        p["last"].is_null()
            ? "none yet"
            : fmt::format("{} at {} ({} cases{})", p["last"]["period"].get<std::string>(),
                          p["last"]["opened_at"].get<std::string>(), p["last"]["cases"].dump(),
                          p["last"]["late"].get<bool>() ? ", late" : "");
    out += fmt::format("{:<16} every {:<8} last: {}; next: {} opens {}\n",
                       p["program"].get<std::string>(), p["every"].get<std::string>(), last,
                       p["next"]["period"].get<std::string>(),
                       p["next"]["window_start"].get<std::string>());
    for (const auto& l : p["opened_late"])
      out += fmt::format("  missed window: {} (window ended {}, opened {})\n",
                         l["period"].get<std::string>(), l["window_end"].get<std::string>(),
                         l["opened_at"].get<std::string>());
  }
  return out;
}

std::string render_standards(const msg::json& r) {
  std::string out =
      fmt::format("{} standard table: required level by grade ({})\n", text_of(r["program"]), [&] {
        std::string levels;
        for (const auto& [n, name] : r["levels"].items())
          levels += (levels.empty() ? "" : ", ") + n + " " + text_of(name);
        return levels;
      }());
  out += fmt::format("  {:<26} {:>7} {:>7} {:>7} {:>7}\n", "item", "grade 4", "grade 3", "grade 2",
                     "grade 1");
  for (const auto& row : r["table"])
    out += fmt::format("  {:<26} {:>7} {:>7} {:>7} {:>7}\n", text_of(row["item"]),
                       text_of(row["levels"]["4"]), text_of(row["levels"]["3"]),
                       text_of(row["levels"]["2"]), text_of(row["levels"]["1"]));
  out += r["history"].empty() ? "never adjusted\n" : "adjustments:\n";
  for (const auto& h : r["history"]) {
    std::string proposals;
    for (const auto& p : h["proposals"])
      proposals += (proposals.empty() ? "" : ", ") + text_of(p["by"]) + "=" + text_of(p["level"]);
    out += fmt::format("  {} {} {:<26} grade {}: {} -> {} (mean {} of {}) by {}\n",
                       text_of(h["business_year"]), text_of(h["at"]), text_of(h["item"]),
                       text_of(h["grade"]), text_of(h["before"]), text_of(h["after"]),
                       text_of(h["mean"]), proposals, text_of(h["by"]));
  }
  return out;
}

std::string render_standards_adjusted(const msg::json& r) {
  std::string out = fmt::format("{} standard table adjusted for business year {}:\n",
                                r["program"].get<std::string>(), r["business_year"].dump());
  for (const auto& c : r["changes"])
    out += fmt::format("  {:<26} grade {}  mean {:.2f}  level {} -> {}\n",
                       c["item"].get<std::string>(), c["grade"].dump(), c["mean"].get<double>(),
                       c["before"].dump(), c["after"].dump());
  return out;
}

std::string render_overdue(const msg::json& r) {
  std::string out =
      fmt::format("{} cases past their deadline at {}\n", r["cases"].size(), text_of(r["now"]));
  if (r["cases"].empty()) return out;
  out += "by unit and role:\n";
  for (const auto& g : r["by_unit_role"])
    out += fmt::format("  {:<18} {:<11} {:>5}\n", text_of(g["unit"]), text_of(g["role"]),
                       text_of(g["cases"]));
  out +=
      fmt::format("{:>6}  {:<16} {:<8} {:<8} {:<18} {:<18} {:<26} {:>6}  {}\n", "CASE", "PROGRAM",
                  "PERIOD", "EMPLOYEE", "UNIT", "STATE", "DUE", "HOURS", "WAITING ON");
  for (const auto& c : r["cases"]) {
    std::string waiting;
    for (const auto& w : c["waiting_on"]) waiting += (waiting.empty() ? "" : ", ") + text_of(w);
    if (!c["escalated"].is_null()) waiting += "  (escalated " + text_of(c["escalated"]) + ")";
    out += fmt::format("{:>6}  {:<16} {:<8} {:<8} {:<18} {:<18} {:<26} {:>6}  {}\n",
                       c["id"].get<long long>(), text_of(c["program"]), text_of(c["period"]),
                       text_of(c["employee_id"]), text_of(c["unit"]), text_of(c["state"]),
                       text_of(c["due_at"]), text_of(c["overdue_hours"]), waiting);
  }
  return out;
}

std::string render_report(const msg::json& r) {
  auto tiers = [](const msg::json& t) {
    std::string out;
    for (const auto& [k, n] : t.items()) out += (out.empty() ? "" : ", ") + k + ": " + text_of(n);
    return out.empty() ? std::string("-") : out;
  };
  std::string out = fmt::format("cycle {} {} {}: {} cases, {} final\n", text_of(r["cycle"]),
                                text_of(r["program"]), text_of(r["period"]), text_of(r["cases"]),
                                text_of(r["final"]));
  out += "still open:";
  if (r["open_by_state"].empty()) out += " none";
  for (const auto& [state, n] : r["open_by_state"].items()) out += " " + state + "=" + text_of(n);
  out += "\nby business unit:\n";
  for (const auto& u : r["units"])
    out += fmt::format("  {:<20} {:>4} scored  mean {:>6}  {}\n", text_of(u["unit"]),
                       text_of(u["cases"]), text_of(u["mean_total"]), tiers(u["tiers"]));
  out += "by supervisor (mean total against the unit's: + lenient, - severe):\n";
  for (const auto& s : r["supervisors"])
    out += fmt::format(
        "  {:<8} {:<20} {:>4} scored  mean {:>6}  unit {:>6}  {:>6}  {}\n",
        text_of(s["supervisor_id"]), text_of(s["unit"]), text_of(s["cases"]),
        text_of(s["mean_total"]), text_of(s["unit_mean_total"]),
        s["difference"].is_null() ? "-" : fmt::format("{:+.2f}", s["difference"].get<double>()),
        tiers(s["tiers"]));
  out += "by item (mean points; mean gap where the program has a standard):\n";
  for (const auto& i : r["items"])
    out += fmt::format("  {:<30} {:>6}{}\n", text_of(i["item"]), text_of(i["mean_points"]),
                       i.contains("mean_gap") ? "  gap " + text_of(i["mean_gap"]) : "");
  return out;
}

std::string render_report_csv(const msg::json& r) {
  auto q = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
  };
  std::string out = "section,group,key,value\n";
  auto row = [&](const std::string& section, const std::string& group, const std::string& key,
                 const msg::json& v) {
    out += q(section) + "," + q(group) + "," + q(key) + "," + q(text_of(v)) + "\n";
  };
  row("cycle", text_of(r["program"]), "period", r["period"]);
  row("cycle", text_of(r["program"]), "cases", r["cases"]);
  row("cycle", text_of(r["program"]), "final", r["final"]);
  for (const auto& [state, n] : r["open_by_state"].items()) row("open", "", state, n);
  for (const auto& u : r["units"]) {
    row("unit", text_of(u["unit"]), "mean_total", u["mean_total"]);
    for (const auto& [t, n] : u["tiers"].items()) row("unit", text_of(u["unit"]), t, n);
  }
  for (const auto& s : r["supervisors"]) {
    row("supervisor", text_of(s["supervisor_id"]), "mean_total", s["mean_total"]);
    row("supervisor", text_of(s["supervisor_id"]), "difference_from_unit", s["difference"]);
    for (const auto& [t, n] : s["tiers"].items())
      row("supervisor", text_of(s["supervisor_id"]), t, n);
  }
  for (const auto& i : r["items"]) {
    row("item", text_of(i["item"]), "mean_points", i["mean_points"]);
    if (i.contains("mean_gap")) row("item", text_of(i["item"]), "mean_gap", i["mean_gap"]);
  }
  return out;
}

std::string render_commission(const msg::json& out) {
  std::string text;
  for (const auto& b : out["brands"])
    text += fmt::format("  {:<12} completion {:>8}  factor {:.2f}  commission {} CNY\n",
                        b["brand"].get<std::string>(),
                        b["completion"].is_null()
                            ? "no target"
                            : fmt::format("{:.2f}%", b["completion"].get<double>()),
                        b["rate_factor"].get<double>(), cny(b["commission_fen"]));
  for (const auto& l : out["lines"]) text += fmt::format("  {}\n", l.get<std::string>());
  text += fmt::format("{} {}: commission {} + rewards {} - penalties {} - fines {} = {} CNY\n",
                      out["period"].get<std::string>(), out["met"].get<bool>() ? "met" : "not met",
                      cny(out["commission_fen"]), cny(out["rewards_fen"]), cny(out["penalty_fen"]),
                      cny(out.value("fines_fen", msg::json(0))), cny(out["total_fen"]));
  return text;
}

std::string render_grades(const msg::json& r) {
  std::string out = fmt::format("grade changes in {}{}", text_of(r["period"]),
                                r["unit"].is_null() ? "" : ", unit " + text_of(r["unit"]));
  out += r["known_from"].is_null()
             ? " (no grades recorded yet)\n"
             : " (recorded since " + text_of(r["known_from"]) + "; earlier ones are unknown)\n";
  for (const auto& c : r["changes"])
    out += fmt::format("  {:<8} {:<16} {:<12} {:>2} -> {}  {:<9} {}  by {}\n",
                       text_of(c["employee_id"]), text_of(c["name"]), text_of(c["unit"]),
                       c["from"].is_null() ? "-" : text_of(c["from"]), text_of(c["to"]),
                       text_of(c["movement"]), text_of(c["at"]), text_of(c["by"]));
  out += fmt::format("promoted {}, demoted {}, first grades {}\n", text_of(r["promoted"]),
                     text_of(r["demoted"]), text_of(r["first"]));
  return out;
}

}  // namespace af::tools
