// offline_score.h: `assessctl score --input FILE.json`: scores one case
// file (DESIGN.md "Offline scoring input") of any program with a rubric,
// through the same generic scorer the scoring worker uses. No engine needed.
#pragma once

#include <nlohmann/json.hpp>

#include "workers/domain/rubric.h"

namespace af::tools {

// The rubric input of a case file: ratings (or, for programs with many
// raters, "raters": {rater: ratings}), exams (a score or {"parts":
// [[score, weight], ...]}), the sales figures computed items need, and the
// required levels (from employee.grade, or "required_levels").
result<rubric::input> read_case_file(const nlohmann::json& input, const rubric::rubric& r);

// {"program", "items", "total", "tier", "flags", ...} (rubric::to_json), or
// a one-line InvalidArgument naming the field or item at fault.
result<nlohmann::ordered_json> score_offline(const nlohmann::json& input,
                                             const rubric::rubric_set& rubrics);

}  // namespace af::tools
