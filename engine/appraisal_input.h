// appraisal_input.h: what a quarterly or annual appraisal's scoring needs
// of the period's sales (DOMAIN.md program 3, "Indicators"), read from the
// store's monthly aggregates into the scoring task. The indicators
// themselves are computed by the worker (workers/domain/appraisal.h).
#pragma once

#include "base/civil_time.h"
#include "engine/store.h"
#include "messages/types.h"

namespace af::engine {

// Fills `t`'s figures for the manager (t.employee_id) and `p`'s months:
// net sales and targets over every brand, net sales of the same months a
// year earlier, the period's customers (new ones and repeat ones) and
// complaints. Throws checked::overflow when a sum does not fit.
void add_appraisal_figures(store& db, const period& p, msg::scoring_task& t);

}  // namespace af::engine
