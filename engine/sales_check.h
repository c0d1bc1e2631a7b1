// sales_check.h: the workflow attribute `sales_check` (engine/workflow.h)
// applied to cases: which program has one, and whether a checked month's
// sales or targets changed after the check (late events). Reads the store.
#pragma once

#include <optional>
#include <string>

#include "engine/store.h"
#include "engine/workflow.h"

namespace af::engine {

// The program's sales_check, or nullptr when its workflow has none (or the
// program is not defined).
const sales_check_def* sales_check_of(const program_registry& programs, const std::string& program);

// For a checked case of a program with a sales_check: "sales or targets of
// 2026-07 changed after the target check" when the month's figures in the
// store differ from those the check used; std::nullopt when they do not,
// or the case was not checked.
std::optional<std::string> late_sales_change(store& db, const program_registry& programs,
                                             const case_row& c);

}  // namespace af::engine
