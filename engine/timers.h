// timers.h: fires the deadlines that are due (the deadline columns of
// cases, indexed by next_timer_at) and checks cycles whose run window has
// ended, inside the engine's group transaction. Durable by construction: a
// timer is marked fired in the same transaction as its effects (transition, history line, outbox),
// so a timer due while the engine was down fires once after start, and a crash before the commit
// makes it fire again, never twice.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/case_service.h"

namespace af::engine {

class timers {
 public:
  timers(store& db, case_service& cases) : db_(db), cases_(cases) {}

  // Whether fire_due would do anything at `now` (two indexed look-ups).
  // Throws sqlite_error on a storage fault.
  bool anything_due(std::int64_t now);
  // Fires at most `limit` due case timers, then checks every cycle whose
  // window ended. A reminder whose deadline has also passed is not sent:
  // the deadline's outcome is. Returns log lines. A timer its case cannot
  // act on (a status) is logged and marked fired, never retried. Throws
  // sqlite_error on a storage fault: the caller fails the group, so
  // nothing fired is kept and the timers fire again.
  std::vector<std::string> fire_due(std::int64_t now, outbox& out, std::size_t limit = 2000);

  // Timers fired since start, by outcome (for the metrics).
  enum outcome { reminder_sent, deadline_passed, could_not_fire };
  [[nodiscard]] const std::array<std::int64_t, 3>& fired() const { return fired_; }

 private:
  store& db_;
  case_service& cases_;
  std::array<std::int64_t, 3> fired_{};
};

}  // namespace af::engine
