// scoring_handler.h: a scoring task in, a scoring result out, through the
// generic rubric scorer (workers/domain/rubric.h) and the worker's copy of
// the programs' rubrics. Never throws; a task that cannot be scored gets a
// result with ok = false and the reason.
#pragma once

#include "messages/types.h"
#include "workers/domain/rubric.h"

namespace af::worker {

// The rubric input of a task: ratings (one rater, or many), exams (a score
// or weighted parts), the measures computed items use, required levels.
result<rubric::input> rubric_input_of(const msg::scoring_task& task);
msg::scoring_result score_task(const msg::scoring_task& task, const rubric::rubric_set& rubrics);

}  // namespace af::worker
