// certification_input.h: the facts a certification case is decided on
// (workers/domain/certification.h), read from the store: the manager's
// grade when the case opened, the items of their final competency result
// of the year (the rule's ability program, against its rubric's standard
// score), the total of their final annual appraisal, and at a re-exam the
// score entered; the decision kept as the case's result.
#pragma once

#include "engine/store.h"
#include "workers/domain/certification.h"
#include "workers/domain/rubric.h"

namespace af::engine {

// Decides case `c` (a certification case of a year) and stores the
// decision as its result: {"outcome", "reasons", "competency_case",
// "appraisal_total", "re_exam"}. A case whose result was provisional is
// at its re-exam: the exam "re_exam" of its review, or none (missed).
void evaluate_certification(store& db, const rubric::rubric_set& rubrics,
                            const certification::rule& rule, const case_row& c);

}  // namespace af::engine
