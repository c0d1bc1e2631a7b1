// render.cpp: text_of, and the replies about the organisation, principals,
// the audit, tasks, case events and batches.
#include "tools/assessctl/render.h"

#include <fmt/core.h>

namespace af::tools {
namespace {

// An event's field as text: "" when it is missing or null.
std::string field(const msg::json& e, const char* key) {
  if (!e.contains(key) || e[key].is_null()) return "";
  return e[key].is_string() ? e[key].get<std::string>() : e[key].dump();
}

}  // namespace

std::string cny(const msg::json& fen) {
  long long v = fen.is_number_integer() ? fen.get<long long>() : 0;
  unsigned long long magnitude =
      v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  return fmt::format("{}{}.{:02}", v < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string text_of(const msg::json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.2f}", v.get<double>());
  return v.dump();
}

std::string render_org_import(const msg::json& r) {
  return fmt::format("imported {} employees ({} new, {} updated)\n", r["imported"].dump(),
                     r["created"].dump(), r["updated"].dump());
}

std::string render_principal(const msg::json& p) {
  std::string what = p["kind"] == "person" ? "person " + p["employee_id"].get<std::string>()
                                           : "service " + p["capabilities"].get<std::string>();
  std::string state =
      p["revoked_at"].is_null() ? "active" : "revoked " + p["revoked_at"].get<std::string>();
  return fmt::format("{:<16} {:<44} {:<24} key {}  created {}{}\n", p["name"].get<std::string>(),
                     what, state, p["public_key"].get<std::string>(),
                     p["created_at"].get<std::string>(),
                     p.value("has_token", false) ? "  has a token" : "");
}

std::string render_principals(const msg::json& reply) {
  std::string out;
  for (const auto& p : reply["principals"]) out += render_principal(p);
  return out;
}

std::string render_revoked(const msg::json& reply) {
  return "revoked " + reply["name"].get<std::string>() + "\n";
}

std::string render_audit(const msg::json& reply) {
  std::string out;
  for (const auto& r : reply["audit"])
    out += fmt::format("{}  {:<14} {:<7} {:<18} {}\n", r["at"].get<std::string>(),
                       r["principal"].get<std::string>(), r["endpoint"].get<std::string>(),
                       r["command"].get<std::string>(), r["reason"].get<std::string>());
  if (out.empty()) out = "no refused requests\n";
  return out;
}

std::string render_tasks(const msg::json& reply) {
  std::string out;
  for (const auto& t : reply["tasks"])
    out +=
        fmt::format("{:>8}  case {:<8} {:<8} {:<7} {:>2} attempts  {}\n", t["id"].get<long long>(),
                    text_of(t["case"]), t["kind"].get<std::string>(), t["state"].get<std::string>(),
                    t["attempts"].get<int>(), text_of(t["last_error"]));
  if (out.empty()) out = "no tasks\n";
  if (!reply["next_after"].is_null())
    out += fmt::format("more: --after {}\n", reply["next_after"].get<long long>());
  return out;
}

std::string render_retried(const msg::json& reply) {
  auto n = reply["retried"].size();
  if (n == 0) return "no dead tasks\n";
  std::string ids;
  for (const auto& t : reply["retried"])
    ids += (ids.empty() ? "" : ", ") + std::to_string(t.get<long long>());
  return fmt::format("queued again: {} task{} ({})\n", n, n == 1 ? "" : "s", ids);
}

std::string render_event(const msg::json& e) {
  std::string what = field(e, "event");
  std::string step =
      what == "case.transition" ? field(e, "from") + " > " + field(e, "to") + " (" +
                                      field(e, "action") + " by " + field(e, "actor") + ")"
      : what == "case.opened"  ? "opened in " + field(e, "to")
      : what == "case.overdue" ? field(e, "state") + " overdue since " + field(e, "due_at")
                               : field(e, "period");
  return fmt::format("{:>8}  {}  {:<16} case {:<8} {} {}\n", e["seq"].get<long long>(),
                     field(e, "at"), what, field(e, "case"), field(e, "employee_id"), step);
}

std::string render_batch(const msg::json& reply) {
  int ok = 0;
  std::string out;
  for (const auto& x : reply["results"]) {
    if (x.value("ok", false))
      ++ok;
    else
      out += "  refused: " + x.value("error", std::string()) + "\n";
  }
  return fmt::format("{} of {} requests applied\n", ok, reply["results"].size()) + out;
}

std::string render_cycles(const msg::json& r) {
  std::string out;
  for (const auto& c : r["cycles"]) {
    std::string states;
    for (auto it = c["states"].begin(); it != c["states"].end(); ++it)
      states += fmt::format("{}{} {}", states.empty() ? "" : ", ", it.key(), it.value().dump());
    out += fmt::format("{:>4}  {:<20} {:<8} {:<8} {}/{} finished  {}\n", c["id"].dump(),
                       c["program"].get<std::string>(), c["period"].get<std::string>(),
                       c["unit"].is_null() ? "all" : c["unit"].get<std::string>(),
                       c["finished"].dump(), c["cases"].dump(), states);
  }
  return out.empty() ? "no cycles\n" : out;
}

}  // namespace af::tools
