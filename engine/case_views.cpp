// case_views.cpp: a case in full (`case show`) and as a summary (`cases`).
#include "engine/case_views.h"

#include <algorithm>

#include "engine/case_record.h"
#include "engine/sales_check.h"

namespace af::engine {
namespace {

using json = msg::json;

json parse_stored(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::parse(*text, nullptr, false);
}

json member_or(const json& object, const char* key, json otherwise) {
  return object.is_object() && object.contains(key) ? object[key] : std::move(otherwise);
}

}  // namespace

json case_views::summary(const case_row& c, case_view view) {
  bool scores = view == case_view::full;
  json row{{"id", c.id},
           {"program", c.program},
           {"period", c.period},
           {"employee_id", c.employee_id},
           {"unit", c.unit},
           {"supervisor_id", c.supervisor_id},
           {"hrbp_id", c.hrbp_id.empty() ? json(nullptr) : json(c.hrbp_id)},
           {"state", c.state},
           {"tier", scores && c.tier ? json(*c.tier) : json(nullptr)},
           {"adjusted_tier", scores && c.adjusted_tier ? json(*c.adjusted_tier) : json(nullptr)}};
  // A decided case (certification) lists its outcome; the text search
  // spares every other row a parse.
  if (scores && c.result_json && c.result_json->find("\"outcome\"") != std::string::npos)
    if (auto o = outcome_of(c.result_json); !o.empty()) row["outcome"] = o;
  return row;
}

result<json> case_views::show(std::int64_t case_id, case_view view) {
  auto c = db_.find_case(case_id);
  if (!c || view == case_view::hidden)
    return status::not_found("case " + std::to_string(case_id) + " does not exist");
  json j = summary(*c, view);
  j["as_of"] = c->as_of;
  if (auto e = db_.find_employee(c->employee_id)) j["employee_name"] = e->name;
  if (view == case_view::rating) {  // a further rater: what to rate, nobody's ratings or results
    j["view"] = "rater";
    j["deadline"] =
        c->due_at ? json{{"state", c->state}, {"due_at", at(*c->due_at)}} : json(nullptr);
    return j;
  }
  j["grade"] = c->grade ? json(*c->grade) : json(nullptr);  // when the case opened
  add_results(j, *c);
  add_reviews(j, *c);
  if (rubrics_.count(c->program) && rubrics_.at(c->program).many_raters) add_rater_list(j, *c);
  add_history(j, *c);
  return j;
}

// Items, flags and the program's further figures as scoring left them;
// the deadline; a sales_check program's month and late events; the total.
void case_views::add_results(json& j, const case_row& c) {
  json result = parse_stored(c.result_json);
  j["items"] = member_or(result, "items", json::object());
  j["flags"] = member_or(result, "flags", json::array());
  for (const char* key : {"required_level", "gap", "exam_average", "areas", "spread", "raters",
                          "bonus_fen", "indicators", "outcome", "reasons", "overruled",
                          "first_outcome", "competency_case", "appraisal_total", "re_exam"})
    if (result.is_object() && result.contains(key)) j[key] = result[key];
  if (c.flags)  // set by the workflow, e.g. "self review missing"
    for (const auto& f : json::parse(*c.flags, nullptr, false))
      if (f.is_string()) j["flags"].push_back(f);
  j["overdue_since"] = c.overdue_since ? json(*c.overdue_since) : json(nullptr);
  if (c.due_at)
    j["deadline"] = {{"state", c.state},
                     {"due_at", at(*c.due_at)},
                     {"remind_at", c.remind_at ? json(at(*c.remind_at)) : json(nullptr)},
                     {"reminded", c.deadline_stage >= 1},
                     {"passed", c.deadline_stage >= 2}};
  else
    j["deadline"] = nullptr;
  if (const auto* check = sales_check_of(programs_, c.program)) {
    for (const auto& m : check->shown) j[m] = member_or(result, m.c_str(), nullptr);
    auto state = place_of(programs_, c.program, c.state).state;
    if (state && std::count(check->late_flag_in.begin(), check->late_flag_in.end(), *state))
      if (auto changed = late_sales_change(db_, programs_, c))
        j["flags"].push_back("late events after " + c.state + ": " + *changed);
  }
  j["total"] = c.total ? msg::points(*c.total) : json(nullptr);
  j["adjust_reason"] = c.adjust_reason ? json(*c.adjust_reason) : json(nullptr);
}

// Both reviews as stored and, item by item, self minus supervisor (in a
// many-rater program the supervisor's review is their rating row).
void case_views::add_reviews(json& j, const case_row& c) {
  json self = parse_stored(c.self_json), review = parse_stored(c.review_json);
  if (!review.is_object() && self.is_object())
    for (const auto& r : db_.ratings(c.id))
      if (r.rater == "supervisor:" + c.supervisor_id)
        review = {{"ratings", parse_stored(r.ratings_json)}, {"by", c.supervisor_id}, {"at", r.at}};
  j["self_review"] = self;
  j["supervisor_review"] = review;
  json diff = json::object();
  if (self.is_object() && review.is_object())
    for (auto it = review["ratings"].begin(); it != review["ratings"].end(); ++it)
      if (self["ratings"].contains(it.key()))
        diff[it.key()] = self["ratings"][it.key()].get<int>() - it.value().get<int>();
  j["self_minus_supervisor"] = diff;
}

// A many-rater case: the supervisor and each further rater, with when they rated.
void case_views::add_rater_list(json& j, const case_row& c) {
  json raters = json::array();
  std::map<std::string, std::string> rated_at;
  for (const auto& r : db_.ratings(c.id)) rated_at[r.rater] = r.at;
  auto rated = [&](const std::string& rater) {
    return rated_at.count(rater) ? json(rated_at[rater]) : json(nullptr);
  };
  std::string supervisor = "supervisor:" + c.supervisor_id;
  raters.push_back({{"rater", supervisor}, {"name", nullptr}, {"rated_at", rated(supervisor)}});
  for (const auto& r : db_.raters(c.id))
    raters.push_back({{"rater", r.rater}, {"name", r.name}, {"rated_at", rated(r.rater)}});
  j["rater_list"] = raters;
}

void case_views::add_history(json& j, const case_row& c) {
  json history = json::array();
  for (const auto& h : db_.history(c.id))
    history.push_back({{"at", h.at},
                       {"from", h.from_state.empty() ? json(nullptr) : json(h.from_state)},
                       {"to", h.to_state},
                       {"action", h.action},
                       {"actor", h.actor},
                       {"principal", h.principal.empty() ? json(nullptr) : json(h.principal)},
                       {"reason", h.reason.empty() ? json(nullptr) : json(h.reason)}});
  j["history"] = history;
}

}  // namespace af::engine
