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

// HR approves what was decided when the case entered hr_review; the
// results it was decided on may have changed since (an annual appraisal
// appealed and changed, a competency case finalised late). Decides `c`
// again from the store as it is now: when the decision differs, stores the
// new one and returns what changed ("now certified, was provisional: ..."),
// else nullopt and nothing is written.
std::optional<std::string> redecide_certification(store& db, const rubric::rubric_set& rubrics,
                                                  const certification::rule& rule,
                                                  const case_row& c);

}  // namespace af::engine
