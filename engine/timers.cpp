#include "engine/timers.h"

#include <fmt/format.h>

namespace af::engine {

bool timers::anything_due(std::int64_t now) {
  auto next = db_.next_timer_at();
  if (next && *next <= now) return true;
  auto cycle = db_.next_cycle_due();
  return cycle && *cycle <= now;
}

std::vector<std::string> timers::fire_due(std::int64_t now, outbox& out, std::size_t limit) {
  std::vector<std::string> log;
  int reminded = 0, passed = 0, failed = 0;
  for (const auto& t : db_.due_timers(now, limit)) {
    bool deadline = t.due_at <= now;
    status s = deadline ? cases_.deadline_passed(t, now, out) : cases_.remind(t, now, out);
    if (!s) {
      log.push_back(fmt::format("timers: case {}: {}", t.case_id, s.message()));
      db_.mark_fired(t.case_id);  // do not retry a timer that cannot fire
      ++failed;
      continue;
    }
    ++(deadline ? passed : reminded);
  }
  if (reminded || passed || failed) {  // counted as the group commits: a rollback fires them again
    fired_[reminder_sent] += reminded;
    fired_[deadline_passed] += passed;
    fired_[could_not_fire] += failed;
    db_.work().on_rollback([this, reminded, passed, failed] {
      fired_[reminder_sent] -= reminded;
      fired_[deadline_passed] -= passed;
      fired_[could_not_fire] -= failed;
    });
  }
  if (reminded || passed)
    log.push_back(fmt::format("timers: {} reminders sent, {} deadlines passed", reminded, passed));
  for (const auto& cycle : db_.cycles_past_due(now))
    log.push_back("timers: " + cases_.check_cycle_end(cycle, now, out));
  return log;
}

}  // namespace af::engine
