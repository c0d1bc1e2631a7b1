// schedule.h: when periodic cycles open (DOMAIN.md "Periodic cycles").
// A cycle covers a period that has just ended; its run window starts on
// `window_start_day` of the month after the period and ends on
// `window_end_day` of that month (quarterly: 1st-10th of the next
// quarter's first month; annual: 1-10 January). Pure: dates in, periods out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "base/status.h"

namespace af::schedule {

struct definition {
  std::string program;
  period_kind every = period_kind::quarter;
  int window_start_day = 1;
  int window_end_day = 10;
};

// Parses schedules.json; InvalidArgument naming the entry and key.
result<std::vector<definition>> parse(std::string_view json_text, const std::string& source);

struct window {
  civil_date start, end;  // inclusive, company-zone dates
};

// The run window of the cycle for period `p`.
window window_of(const definition& d, const period& p);

// The periods whose window has started by `today` and that come after
// `last_opened`, oldest first. With no `last_opened` (the engine's first
// run) only a period whose window is open today is due: history is not
// back-filled.
// `limit` bounds how many missed periods one call returns.
std::vector<period> due(const definition& d, const std::optional<period>& last_opened,
                        civil_date today, std::size_t limit = 24);

// The last day of a cycle's run window, for a cycle of period `p` opened on
// `opened_on`: its scheduled window's end while that is still ahead;
// otherwise (opened late, by hand or after downtime) a window of the same
// length starting the day it opens. `d` is null for a program without a
// schedule, whose window is `default_window_days` long.
inline constexpr int default_window_days = 10;
civil_date cycle_due_date(const definition* d, const period& p, civil_date opened_on);

// The next period whose window has not started by `today`.
period next_to_open(const definition& d, civil_date today);

}  // namespace af::schedule
