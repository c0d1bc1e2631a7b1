// render.h: the human-readable output of each assessctl command: pure
// functions from the engine's reply (or an offline result) to text, CSV
// or SVG.
#pragma once

#include <string>

#include "messages/json_text.h"
#include "workers/domain/rubric.h"

namespace af::tools {

// A value as a table cell: "-" for null, numbers with a fraction to two
// places, strings as they are.
std::string text_of(const msg::json& v);
// Fen as CNY with two decimals, exactly (no double): -1211000 -> "-12110.00".
std::string cny(const msg::json& fen);

// The organisation, principals, tasks and events (tools/assessctl/render.cpp).
std::string render_org_import(const msg::json& r);
std::string render_principal(const msg::json& p);  // one line
std::string render_principals(const msg::json& reply);
std::string render_revoked(const msg::json& reply);
std::string render_audit(const msg::json& reply);
std::string render_tasks(const msg::json& reply);
std::string render_retried(const msg::json& reply);
std::string render_event(const msg::json& e);  // one line
std::string render_batch(const msg::json& reply);

// Cycles and cases (tools/assessctl/render_case.cpp).
std::string render_cycle_opened(const msg::json& r);
std::string render_cases(const msg::json& reply);
std::string render_case(const msg::json& c);
// "case 7: now hr_review (tier 2)": a case after an action.
std::string render_transition(const msg::json& c);
std::string render_raters(const msg::json& r);
std::string render_bulk(const msg::json& r);
std::string render_score(const msg::json& s);
// The radar chart (SVG) of a scored case (case.show or score) of rubric `r`.
std::string render_chart(const rubric::rubric& r, const msg::json& scored,
                         const std::string& title);
// The same case in proficiency levels against the standard table twice:
// as the case was scored (its required_level) and as `table` (the
// engine's `standards` reply) stands now for the case's grade; each
// item's estimated level is its required level x score / the standard
// score. InvalidArgument when the case has no required levels or grade,
// or the table lacks one of its items.
result<std::string> render_level_chart(const rubric::rubric& r, const msg::json& scored,
                                       const msg::json& table, const std::string& title);

// Figures and reports (tools/assessctl/render_report.cpp).
std::string render_stats(const msg::json& s);
// A line per cycle: id, program, period, unit, finished of all, cases per state.
std::string render_cycles(const msg::json& r);
std::string render_sales(const msg::json& s);
std::string render_rollup(const msg::json& r);
std::string render_schedule(const msg::json& r);
std::string render_standards(const msg::json& r);
std::string render_standards_adjusted(const msg::json& r);
std::string render_overdue(const msg::json& r);
// "grade changes in 2027 (recorded since 2026-12-01)", a line per change, the counts.
std::string render_grades(const msg::json& r);
std::string render_report(const msg::json& r);
// One row per figure: section,group,key,value (RFC 4180 quoting).
std::string render_report_csv(const msg::json& r);
// One month's commission (assessctl commission).
std::string render_commission(const msg::json& out);

// A learning plan, a row per activity (tools/assessctl/render_plan.cpp).
std::string render_plan(const msg::json& p);
// The inventory as text, and as CSV for Excel: UTF-8 with a byte-order
// mark, a row per person and item, then a row per unit and item
// (tools/assessctl/render_inventory.cpp).
std::string render_inventory(const msg::json& r);
std::string render_inventory_csv(const msg::json& r);

}  // namespace af::tools
