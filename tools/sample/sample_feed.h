// sample_feed.h: the sample's sales feed: each manager's sales, refunds
// and inquiries for 2025-01..2026-09, shaped so that 2025 net sales and
// 2026-Q3 conversion rates fill every band of competency50 (DOMAIN.md
// program 1), and the JSON line of each event.
#pragma once

#include <string>
#include <vector>

#include "tools/sample/sample_model.h"

namespace af::sample {

// Appends manager `m`'s events to `out` (from its own stream of o.seed);
// returns the figures they add up to.
sales_figures add_manager_events(const options& o, int m, std::vector<event>& out);

// One line of events.jsonl (without the newline).
std::string event_line(const event& e);

}  // namespace af::sample
