#include "tools/gateway/dashboard_pages.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "base/markup.h"
#include "tools/assessctl/chart.h"

namespace af::gateway {

namespace {

using msg::json;

// o[key] when `o` is an object holding a non-null `key`, else null: a
// reply of an unexpected shape shows dashes, never fails the page.
json val(const json& o, const std::string& key) {
  if (!o.is_object()) return json();
  auto it = o.find(key);
  return it == o.end() ? json() : *it;
}
long long whole(const json& v) { return v.is_number_integer() ? v.get<long long>() : 0; }

std::string t(page_lang l, const char* zh, const char* en) { return l == page_lang::en ? en : zh; }

std::string esc(const std::string& s) { return markup_escaped(s); }

// A reply's value as text: strings as they are, numbers with two decimals
// when not whole, null as a dash.
std::string text_of(const json& v) {
  if (v.is_null()) return "–";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.2f}", v.get<double>());
  return v.dump();
}
std::string cell(const json& v) { return esc(text_of(v)); }

std::string lang_query(page_lang l) { return l == page_lang::en ? "?lang=en" : ""; }

std::string state_label(page_lang l, const std::string& s) {
  static const std::map<std::string, std::pair<const char*, const char*>> names{
      {"self_review", {"自评", "self review"}},
      {"supervisor_review", {"上级评分", "supervisor review"}},
      {"scoring", {"计分", "scoring"}},
      {"hrbp_review", {"HRBP 审核", "HRBP review"}},
      {"hr_review", {"人力资源审批", "HR review"}},
      {"chairman_review", {"董事长校准", "chairman's calibration"}},
      {"final", {"已完成", "final"}},
      {"cancelled", {"已取消", "cancelled"}}};
  auto it = names.find(s);
  if (it == names.end()) return esc(s);
  return esc(t(l, it->second.first, it->second.second)) + " <small>" + esc(s) + "</small>";
}

std::string layout(page_lang l, const std::string& title, const std::string& body,
                   bool signed_in = true) {
  std::string other = l == page_lang::en ? "中文" : "English";
  std::string other_query = l == page_lang::en ? "?lang=zh" : "?lang=en";
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + t(l, "zh-CN", "en") +
                    "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                    "content=\"width=device-width, initial-scale=1\"><title>" +
                    esc(title) + " · assessflow</title><style>" +
                    "body{font-family:sans-serif;margin:0 auto;max-width:1200px;padding:0 16px;"
                    "color:#222}header{display:flex;gap:16px;align-items:center;border-bottom:"
                    "1px solid #ccc;padding:8px 0}header form{margin-left:auto}table{border-"
                    "collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #ccc;padding:"
                    "3px 8px;text-align:left}td.n{text-align:right}.bar{background:#eee;width:"
                    "160px;height:12px}.bar span{display:block;height:12px;background:#2a7}"
                    ".flag{color:#b00;font-weight:bold}small{color:#777}" +
                    "</style></head><body><header><strong>assessflow</strong>";
  if (signed_in) out += "<a href=\"/" + lang_query(l) + "\">" + t(l, "考核周期", "Cycles") + "</a>";
  out += "<a href=\"" + other_query + "\">" + other + "</a>";
  if (signed_in)
    out += "<form method=\"post\" action=\"/logout\"><button type=\"submit\">" +
           t(l, "退出", "Sign out") + "</button></form>";
  out += "</header><main><h1>" + esc(title) + "</h1>" + body + "</main></body></html>\n";
  return out;
}

// Cases per unit and state: {unit: {state: n}}.
std::map<std::string, std::map<std::string, long>> by_unit_state(const json& cases) {
  std::map<std::string, std::map<std::string, long>> out;
  for (const auto& c : cases) {
    std::string unit = val(c, "unit").is_string() ? c["unit"].get<std::string>() : "–";
    ++out[unit][text_of(val(c, "state"))];
  }
  return out;
}

std::string unit_state_table(page_lang l, const json& cases) {
  auto grid = by_unit_state(cases);
  std::set<std::string> states;
  for (const auto& [unit, row] : grid)
    for (const auto& [state, n] : row) states.insert(state);
  std::string out =
      "<table id=\"by-unit-state\"><tr><th>" + t(l, "业务单元", "Business unit") + "</th>";
  for (const auto& s : states) out += "<th>" + state_label(l, s) + "</th>";
  out += "<th>" + t(l, "合计", "Total") + "</th></tr>";
  for (const auto& [unit, row] : grid) {
    long total = 0;
    out += "<tr><td>" + esc(unit) + "</td>";
    for (const auto& s : states) {
      long n = row.count(s) ? row.at(s) : 0;
      total += n;
      out += "<td class=\"n\" data-unit=\"" + esc(unit) + "\" data-state=\"" + esc(s) + "\">" +
             std::to_string(n) + "</td>";
    }
    out += "<td class=\"n\">" + std::to_string(total) + "</td></tr>";
  }
  return out + "</table>";
}

// ["S2001", "B4001"] -> "S2001, B4001"; a string as it is.
std::string names_of(const json& v) {
  if (!v.is_array()) return text_of(v);
  std::string out;
  for (const auto& n : v) out += (out.empty() ? "" : ", ") + text_of(n);
  return out;
}

// The overdue cases of this cycle: those whose ids are among its cases.
std::string overdue_table(page_lang l, const std::set<long long>& in_cycle, const json& overdue) {
  if (overdue.is_null())
    return "<p>" +
           t(l, "逾期情况仅对人力资源、HRBP 和管理者可见。",
             "Overdue cases are for HR, HRBPs and managers.") +
           "</p>";
  std::string rows;
  int n = 0;
  for (const auto& c : val(overdue, "cases")) {
    if (!in_cycle.count(whole(val(c, "id")))) continue;
    ++n;
    rows += "<tr data-overdue-case=\"" + cell(val(c, "id")) + "\"><td><a href=\"/cases/" +
            cell(val(c, "id")) + lang_query(l) + "\">" + cell(val(c, "id")) + "</a></td><td>" +
            cell(val(c, "employee_id")) + "</td><td>" + state_label(l, text_of(val(c, "state"))) +
            "</td><td>" + esc(names_of(val(c, "waiting_on"))) + "</td><td>" +
            cell(val(c, "due_at")) + "</td><td class=\"n\">" + cell(val(c, "overdue_hours")) +
            "</td></tr>";
  }
  if (n == 0)
    return "<p id=\"overdue-none\">" + t(l, "没有逾期的考核。", "No case is overdue.") + "</p>";
  return "<table id=\"overdue\"><tr><th>" + t(l, "编号", "Case") + "</th><th>" +
         t(l, "员工", "Employee") + "</th><th>" + t(l, "状态", "State") + "</th><th>" +
         t(l, "等待", "Waiting on") + "</th><th>" + t(l, "截止", "Due") + "</th><th>" +
         t(l, "逾期小时", "Hours overdue") + "</th></tr>" + rows + "</table>";
}

std::string tier_tables(page_lang l, const json& report) {
  if (report.is_null())
    return "<p>" +
           t(l, "等级分布仅对人力资源、HRBP 和管理者可见。",
             "Tier distributions are for HR, HRBPs and managers.") +
           "</p>";
  std::string out = "<h2>" + t(l, "各单元等级分布", "Tiers per business unit") +
                    "</h2><table id=\"tiers\"><tr><th>" + t(l, "业务单元", "Business unit") +
                    "</th><th>" + t(l, "考核数", "Cases") + "</th><th>" +
                    t(l, "平均分", "Mean total") + "</th>";
  for (int tier = 1; tier <= 4; ++tier)
    out += "<th>" + t(l, "等级 ", "Tier ") + std::to_string(tier) + "</th>";
  out += "</tr>";
  for (const auto& u : val(report, "units")) {
    std::string unit = text_of(val(u, "unit"));
    out += "<tr><td>" + esc(unit) + "</td><td class=\"n\">" + cell(val(u, "cases")) +
           "</td><td class=\"n\">" + cell(val(u, "mean_total")) + "</td>";
    for (int tier = 1; tier <= 4; ++tier) {
      const json tiers = val(u, "tiers");
      std::string key = "tier " + std::to_string(tier);
      out += "<td class=\"n\" data-unit=\"" + esc(unit) + "\" data-tier=\"" + std::to_string(tier) +
             "\">" + (tiers.contains(key) ? cell(tiers[key]) : "0") + "</td>";
    }
    out += "</tr>";
  }
  out += "</table><h2>" + t(l, "上级评分宽严", "Supervisors' leniency") +
         "</h2><table id=\"leniency\"><tr><th>" + t(l, "上级", "Supervisor") + "</th><th>" +
         t(l, "业务单元", "Business unit") + "</th><th>" + t(l, "考核数", "Cases") + "</th><th>" +
         t(l, "平均分", "Mean total") + "</th><th>" + t(l, "单元平均", "Unit mean") + "</th><th>" +
         t(l, "差值", "Difference") + "</th></tr>";
  for (const auto& s : val(report, "supervisors"))
    out += "<tr data-supervisor=\"" + cell(val(s, "supervisor_id")) + "\"><td>" +
           cell(val(s, "supervisor_id")) + "</td><td>" + cell(val(s, "unit")) +
           "</td><td class=\"n\">" + cell(val(s, "cases")) + "</td><td class=\"n\">" +
           cell(val(s, "mean_total")) + "</td><td class=\"n\">" + cell(val(s, "unit_mean_total")) +
           "</td><td class=\"n\">" + cell(val(s, "difference")) + "</td></tr>";
  return out + "</table>";
}

}  // namespace

page_lang lang_of(std::string_view v) { return v == "en" ? page_lang::en : page_lang::zh; }

std::string signin_page(page_lang l, const std::string& error) {
  std::string body;
  if (!error.empty()) body += "<p class=\"flag\" id=\"error\">" + esc(error) + "</p>";
  body += "<form method=\"post\" action=\"/login" + lang_query(l) + "\"><label>" +
          t(l, "令牌", "Token") +
          " <input name=\"token\" type=\"password\" autocomplete=\"off\" size=\"50\" "
          "required></label> <button type=\"submit\">" +
          t(l, "登录", "Sign in") + "</button></form><p><small>" +
          t(l, "令牌由 assessctl principals add 名称 ... --token 生成。",
            "A token comes from assessctl principals add NAME ... --token.") +
          "</small></p>";
  return layout(l, t(l, "登录", "Sign in"), body, false);
}

std::string cycles_page(page_lang l, const json& cycles) {
  std::string body = "<table id=\"cycles\"><tr><th>" + t(l, "周期", "Cycle") + "</th><th>" +
                     t(l, "项目", "Program") + "</th><th>" + t(l, "期间", "Period") + "</th><th>" +
                     t(l, "范围", "Scope") + "</th><th>" + t(l, "考核数", "Cases") + "</th><th>" +
                     t(l, "已完成", "Finished") + "</th><th>" + t(l, "进度", "Progress") +
                     "</th></tr>";
  for (const auto& c : val(cycles, "cycles")) {
    long long cases = whole(val(c, "cases")), finished = whole(val(c, "finished"));
    int percent = cases ? static_cast<int>(std::lround(100.0 * static_cast<double>(finished) /
                                                       static_cast<double>(cases)))
                        : 0;
    std::string id = cell(val(c, "id"));
    body += "<tr data-cycle=\"" + id + "\"><td><a href=\"/cycles/" + id + lang_query(l) + "\">" +
            id + "</a></td><td>" + cell(val(c, "program")) + "</td><td>" + cell(val(c, "period")) +
            "</td><td>" + (val(c, "unit").is_null() ? t(l, "全部", "all units") : cell(c["unit"])) +
            "</td><td class=\"n\" data-field=\"cases\">" + std::to_string(cases) +
            "</td><td class=\"n\" data-field=\"finished\">" + std::to_string(finished) +
            "</td><td><div class=\"bar\" title=\"" + std::to_string(percent) +
            "%\"><span style=\"width:" + std::to_string(percent) + "%\"></span></div> " +
            std::to_string(percent) + "%</td></tr>";
  }
  body += "</table>";
  if (val(cycles, "cycles").empty())
    body = "<p id=\"no-cycles\">" +
           t(l, "没有您可查看的考核周期。", "No cycle has a case you may see.") + "</p>";
  return layout(l, t(l, "考核周期", "Cycles"), body);
}

std::string cycle_page(page_lang l, const json& cycle, const json& cases, const json& overdue,
                       const json& report) {
  long long id = whole(val(cycle, "id"));
  std::set<long long> ids;
  for (const auto& c : cases) ids.insert(whole(val(c, "id")));
  std::string body = "<p>" + cell(val(cycle, "program")) + " · " + cell(val(cycle, "period")) +
                     " · " + t(l, "开启于 ", "opened ") + cell(val(cycle, "opened_at")) +
                     "</p><h2>" + t(l, "各状态考核数", "Cases by state") +
                     "</h2><table id=\"by-state\"><tr>";
  std::string values;
  const json states = val(cycle, "states");
  for (const auto& [state, n] : states.items()) {
    body += "<th>" + state_label(l, state) + "</th>";
    values += "<td class=\"n\" data-state=\"" + esc(state) + "\">" + cell(n) + "</td>";
  }
  body += "</tr><tr>" + values + "</tr></table><h2>" +
          t(l, "各业务单元与状态", "By business unit and state") + "</h2>" +
          unit_state_table(l, cases) + "<h2>" + t(l, "逾期考核", "Overdue cases") + "</h2>" +
          overdue_table(l, ids, overdue) + tier_tables(l, report) + "<h2>" +
          t(l, "考核列表", "Cases") + "</h2><table id=\"cases\"><tr><th>" + t(l, "编号", "Case") +
          "</th><th>" + t(l, "员工", "Employee") + "</th><th>" + t(l, "业务单元", "Business unit") +
          "</th><th>" + t(l, "状态", "State") + "</th><th>" + t(l, "等级", "Tier") + "</th></tr>";
  for (const auto& c : cases) {
    std::string cid = cell(val(c, "id"));
    body += "<tr data-case=\"" + cid + "\"><td><a href=\"/cases/" + cid + lang_query(l) + "\">" +
            cid + "</a></td><td>" + cell(val(c, "employee_id")) + "</td><td>" +
            cell(val(c, "unit")) + "</td><td>" + state_label(l, text_of(val(c, "state"))) +
            "</td><td>" + cell(val(c, "tier")) + "</td></tr>";
  }
  body += "</table>";
  return layout(l, t(l, "考核周期 ", "Cycle ") + std::to_string(id), body);
}

std::string case_page(page_lang l, const json& c) {
  const json self = val(val(c, "self_review"), "ratings");
  const json sup = val(val(c, "supervisor_review"), "ratings");
  const json diff = val(c, "self_minus_supervisor");
  std::string body = "<p>" + cell(val(c, "employee_id")) + " " + cell(val(c, "employee_name")) +
                     " · " + cell(val(c, "unit")) + " · " + cell(val(c, "program")) + " " +
                     cell(val(c, "period")) + " · " + state_label(l, text_of(val(c, "state"))) +
                     "</p><p>" + t(l, "总分 ", "Total ") + "<strong id=\"total\">" +
                     cell(val(c, "total")) + "</strong> · " + t(l, "等级 ", "Tier ") +
                     "<strong id=\"tier\">" + cell(val(c, "tier")) + "</strong>";
  if (!val(c, "adjusted_tier").is_null())
    body += " · " + t(l, "校准后 ", "adjusted to ") + "<strong id=\"adjusted-tier\">" +
            cell(c["adjusted_tier"]) + "</strong> (" + cell(val(c, "adjust_reason")) + ")";
  body += "</p><h2>" + t(l, "评分项", "Items") + "</h2><table id=\"items\"><tr><th>" +
          t(l, "项目", "Item") + "</th><th>" + t(l, "得分", "Score") + "</th><th>" +
          t(l, "自评", "Self") + "</th><th>" + t(l, "上级", "Supervisor") + "</th><th>" +
          t(l, "差值", "Difference") + "</th></tr>";
  tools::chart_spec chart;
  chart.title = text_of(val(c, "employee_id")) + " " + text_of(val(c, "period"));
  chart.scale_max = 5;
  const json items = val(c, "items");
  for (const auto& [item, score] : items.items()) {
    const json d = val(diff, item);
    bool flagged = d.is_number() && std::abs(d.get<double>()) >= 2;
    body +=
        "<tr data-item=\"" + esc(item) + "\"><td>" + esc(item) + "</td><td class=\"n\">" +
        cell(score) + "</td><td class=\"n\">" + cell(val(self, item)) + "</td><td class=\"n\">" +
        cell(val(sup, item)) + "</td><td class=\"n" +
        (flagged ? " flag\" title=\"" + t(l, "相差 2 分或以上", "2 points or more apart") : "") +
        "\">" + cell(d) + "</td></tr>";
    chart.items.push_back({item, score.is_number() ? score.get<double>() : 0.0, ""});
  }
  body += "</table>";
  if (!chart.items.empty())
    body += "<h2>" + t(l, "雷达图", "Radar chart") + "</h2><div id=\"radar\">" +
            tools::radar_svg(chart) + "</div>";
  body += "<h2>" + t(l, "历程", "History") + "</h2><table id=\"history\"><tr><th>" +
          t(l, "时间", "At") + "</th><th>" + t(l, "从", "From") + "</th><th>" + t(l, "到", "To") +
          "</th><th>" + t(l, "动作", "Action") + "</th><th>" + t(l, "操作人", "Actor") +
          "</th><th>" + t(l, "说明", "Reason") + "</th></tr>";
  for (const auto& h : val(c, "history"))
    body += "<tr><td>" + cell(val(h, "at")) + "</td><td>" + cell(val(h, "from")) + "</td><td>" +
            cell(val(h, "to")) + "</td><td>" + cell(val(h, "action")) + "</td><td>" +
            cell(val(h, "actor")) + "</td><td>" + cell(val(h, "reason")) + "</td></tr>";
  body += "</table>";
  return layout(l, t(l, "考核 ", "Case ") + text_of(val(c, "id")), body);
}

std::string error_page(page_lang l, unsigned status, const std::string& error) {
  return layout(l, std::to_string(status),
                "<p class=\"flag\" id=\"error\">" + esc(error) + "</p><p><a href=\"/" +
                    lang_query(l) + "\">" + t(l, "返回考核周期", "Back to the cycles") +
                    "</a></p>");
}

}  // namespace af::gateway
