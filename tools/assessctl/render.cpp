#include "tools/assessctl/render.h"

#include <fmt/core.h>

namespace af::tools {
namespace {

std::string text_of(const msg::json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.2f}", v.get<double>());
  return v.dump();
}

}  // namespace

std::string render_cases(const msg::json& reply) {
  std::string out = fmt::format("{:>6}  {:<16} {:<8} {:<8} {:<18} {:<18} {}\n", "CASE", "PROGRAM",
                                "PERIOD", "EMPLOYEE", "UNIT", "STATE", "TIER");
  for (const auto& c : reply["cases"]) {
    std::string tier = text_of(c["tier"]);
    if (!c["adjusted_tier"].is_null()) tier += " (adjusted to " + text_of(c["adjusted_tier"]) + ")";
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
  std::string out = fmt::format(
      "case {}  {} {}  employee {} {}  unit {}\n", c["id"].get<long long>(), text_of(c["program"]),
      text_of(c["period"]), text_of(c["employee_id"]),
      c.contains("employee_name") ? text_of(c["employee_name"]) : "", text_of(c["unit"]));
  out += fmt::format("state {}  as of {}  supervisor {}  hrbp {}\n", text_of(c["state"]),
                     text_of(c["as_of"]), text_of(c["supervisor_id"]), text_of(c["hrbp_id"]));
  const auto& self = c["self_review"];
  const auto& review = c["supervisor_review"];
  if (!c["items"].empty()) {
    bool levels = c.contains("gap"), spread = c.contains("spread");
    out += fmt::format("  {:<30} {:>7} {:>6} {:>11} {:>6}{}{}\n", "item", "points", "self",
                       "supervisor", "diff", levels ? "  required    gap" : "",
                       spread ? "  spread" : "");
    for (const auto& [key, points] : c["items"].items()) {
      std::string s = "", r = "", d = "";
      if (self.is_object() && self["ratings"].contains(key)) s = text_of(self["ratings"][key]);
      if (review.is_object() && review["ratings"].contains(key))
        r = text_of(review["ratings"][key]);
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
      if (spread) out += fmt::format("  {:>6}", text_of(c["spread"][key]));
      out += flag ? "  <-- differs by 2+\n" : "\n";
    }
  }
  if (c.contains("areas"))
    for (const auto& [key, mean] : c["areas"].items())
      out += fmt::format("area {:<32} {:>6}\n", key, text_of(mean));
  if (c.contains("rater_list"))
    for (const auto& r : c["rater_list"])
      out += fmt::format(
          "rater {:<24} {:<24} {}\n", text_of(r["rater"]),
          r["name"].is_null() ? "" : text_of(r["name"]),
          r["rated_at"].is_null() ? "not rated yet" : "rated " + text_of(r["rated_at"]));
  out += fmt::format("total {}  tier {}", text_of(c["total"]), text_of(c["tier"]));
  if (!c["adjusted_tier"].is_null())
    out += fmt::format("  adjusted tier {} ({})", text_of(c["adjusted_tier"]),
                       text_of(c["adjust_reason"]));
  out += "\n";
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
  out += "history:\n";
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
  if (s.contains("clock")) out += "\nclock: " + text_of(s["clock"]);
  out += fmt::format("\nworkers: {}\n", s.contains("workers") ? s["workers"].size() : 0);
  if (s.contains("workers"))
    for (const auto& w : s["workers"])
      out += fmt::format("  {:<8} {:<24} pid {:<8} in flight {}/{}  seen {} ms ago\n",
                         text_of(w["kind"]), text_of(w["name"]), text_of(w["pid"]),
                         text_of(w["in_flight"]), text_of(w["capacity"]),
                         text_of(w["last_seen_ms_ago"]));
  return out;
}

std::string render_sales(const msg::json& s) {
  auto yuan = [](const msg::json& fen) {
    return fmt::format("{:.2f}", fen.get<long long>() / 100.0);
  };
  return fmt::format(
      "{} {}: sales {} CNY, refunds {} CNY, net {} CNY; inquiries {}, converted {}\n",
      text_of(s["manager_id"]), text_of(s["period"]), yuan(s["sales_fen"]), yuan(s["refunds_fen"]),
      yuan(s["net_fen"]), text_of(s["inquiries"]), text_of(s["converted"]));
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
    if (spread) out += fmt::format("  {:>6}", text_of(s["spread"][key]));
    out += "\n";
  }
  if (s.contains("areas"))
    for (const auto& [key, mean] : s["areas"].items())
      out += fmt::format("area {:<28} {:>6}\n", key, text_of(mean));
  out += "total " + text_of(s["total"]);
  if (s.contains("tier")) out += "  tier " + text_of(s["tier"]);
  if (s.contains("raters")) out += "  raters " + text_of(s["raters"]);
  out += "\n";
  for (const auto& f : s["flags"]) out += "flag: " + text_of(f) + "\n";
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

std::string render_bulk(const msg::json& r) {
  std::string out = fmt::format("{} matched, {} applied, {} refused\n", text_of(r["matched"]),
                                r["applied"].size(), r["refused"].size());
  for (const auto& f : r["refused"])
    out += fmt::format("  case {}: {}\n", text_of(f["case"]), text_of(f["error"]));
  return out;
}

}  // namespace af::tools
