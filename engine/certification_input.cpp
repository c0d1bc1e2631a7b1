#include "engine/certification_input.h"

#include <cmath>

#include "base/exact.h"
#include "engine/case_record.h"
#include "messages/json_text.h"

namespace af::engine {
namespace {

using json = msg::json;

json parsed(const std::optional<std::string>& text) {
  if (!text) return json::object();
  json j = json::parse(*text, nullptr, false);
  return j.is_object() ? j : json::object();
}

// An exam's score in hundredths: with parts, their weighted average rounded half up.
std::int64_t score_of(const rubric::exam_input& e) {
  if (e.parts.empty()) return e.hundredths;
  std::int64_t weighted = 0, weights = 0;
  for (const auto& [score, weight] : e.parts) {
    weighted += score * weight;
    weights += weight;
  }
  return weights > 0 ? exact::hundredths_half_up({weighted, weights * 100}) : 0;
}

}  // namespace

void evaluate_certification(store& db, const rubric::rubric_set& rubrics,
                            const certification::rule& rule, const case_row& c) {
  certification::facts f;
  auto e = db.find_employee(c.employee_id);
  f.grade = c.grade ? static_cast<int>(*c.grade) : e ? e->grade : 4;
  auto model = rubrics.find(rule.ability_program);
  if (model != rubrics.end() && model->second.standard_score)
    f.standard = *model->second.standard_score * 100;
  auto competency = db.find_case(rule.ability_program, c.period, c.employee_id);
  if (competency && competency->state == "final") {
    json items = parsed(competency->result_json).value("items", json::object());
    std::vector<std::int64_t> points;
    for (auto it = items.begin(); it != items.end(); ++it)
      if (it.value().is_number()) points.push_back(std::llround(it.value().get<double>() * 100));
    f.items = std::move(points);
  } else {
    competency.reset();
  }
  auto appraisal = db.find_case(rule.performance_program, c.period, c.employee_id);
  if (appraisal && appraisal->state == "final" && appraisal->total)
    f.appraisal_total = *appraisal->total;
  json before = parsed(c.result_json);
  f.after_provisional = before.value("outcome", "") == "provisional";
  if (f.after_provisional)
    if (auto review = decode_review(c.review_json)) {
      auto exam = review->form.exams.find("re_exam");
      if (exam != review->form.exams.end()) f.re_exam = score_of(exam->second);
    }
  auto d = certification::decide(rule, f);
  json out{{"outcome", std::string(certification::outcome_name(d.result))},
           {"reasons", d.reasons},
           {"competency_case", competency ? json(competency->id) : json(nullptr)},
           {"appraisal_total", f.appraisal_total ? msg::points(*f.appraisal_total) : json(nullptr)},
           {"re_exam", f.re_exam ? msg::points(*f.re_exam) : json(nullptr)}};
  if (f.after_provisional) out["first_outcome"] = "provisional";
  db.set_result_json(c.id, msg::dump_fixed2(out));
}

}  // namespace af::engine
