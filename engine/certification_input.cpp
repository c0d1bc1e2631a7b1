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

// The decision on `c` from the store as it is now, as its result is kept.
// `after_provisional`: at the re-exam's return, not at the first decision.
json decision(store& db, const rubric::rubric_set& rubrics, const certification::rule& rule,
              const case_row& c, bool after_provisional) {
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
  f.after_provisional = after_provisional;
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
  return out;
}

}  // namespace

void evaluate_certification(store& db, const rubric::rubric_set& rubrics,
                            const certification::rule& rule, const case_row& c) {
  // Entering hr_review with a provisional outcome stored: back from the re-exam.
  bool back = parsed(c.result_json).value("outcome", "") == "provisional";
  db.set_result_json(c.id, msg::dump_fixed2(decision(db, rubrics, rule, c, back)));
}

std::optional<std::string> redecide_certification(store& db, const rubric::rubric_set& rubrics,
                                                  const certification::rule& rule,
                                                  const case_row& c) {
  json before = parsed(c.result_json);
  json now = decision(db, rubrics, rule, c, before.contains("first_outcome"));
  // Compared as stored: the same fixed-point text for the same figures.
  json kept = json::parse(msg::dump_fixed2(now));
  bool same = true;
  // What HR approves: the outcome and its reasons (which name the figures
  // the outcome rests on; after a re-exam only the exam counts).
  for (const char* key : {"outcome", "reasons"})
    same = same && before.value(key, json()) == kept.value(key, json());
  if (same) return std::nullopt;
  db.set_result_json(c.id, msg::dump_fixed2(now));
  std::string why;
  for (const auto& r : now["reasons"]) why += (why.empty() ? "" : "; ") + r.get<std::string>();
  return "the results it was decided on changed: now " + now["outcome"].get<std::string>() +
         ", was " + before.value("outcome", std::string("undecided")) + " (" + why + ")";
}

}  // namespace af::engine
