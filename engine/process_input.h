// process_input.h: what a monthly target check needs of the month's
// process indicators (DOMAIN.md program 3), read from the store's monthly
// aggregates and the company's plan into the targets task.
#pragma once

#include "engine/store.h"
#include "messages/types.h"
#include "workers/domain/commission_plan.h"

namespace af::engine {

// Fills `t`'s display, outlet, banquet and inspection members for the
// manager and month of `t` (t.manager_id, t.period "2026-07"): distinct
// stores with a passed check and those in each key township of the plan,
// new outlets by area (an outlet without an area counts for the county)
// against the plan's targets, banquets by origin and product with the
// month's target (none when the plan has none), stores found by finding.
void add_process_indicators(store& db, const commission::plan& plan, msg::targets_task& t);

}  // namespace af::engine
