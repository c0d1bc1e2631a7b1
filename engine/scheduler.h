// scheduler.h: opens each program's cycle at the start of its run window
// (schemas/schedules.json), in the company's time zone, exactly once: the
// opened periods are kept in schedule_runs, so a restart never opens one
// twice, and a cycle whose window passed while the engine was down opens
// once, late, and says so. Runs inside the engine's group transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "messages/json_text.h"
#include "workers/domain/schedule.h"

namespace af::engine {

class scheduler {
 public:
  scheduler(store& db, case_service& cases, std::vector<schedule::definition> defs,
            int tz_offset_minutes)
      : db_(db), cases_(cases), defs_(std::move(defs)), tz_(tz_offset_minutes) {}

  // Reads what was opened before (call once, at start). Throws sqlite_error
  // on a storage fault.
  void load();
  // Whether run_due would open something (pure: no store access).
  [[nodiscard]] bool anything_due(std::int64_t now) const;
  // Opens every cycle now due; returns one log line per cycle opened. With
  // no employees imported yet it waits (a cycle of nobody helps no one).
  // Throws sqlite_error on a storage fault: the caller fails the group, and
  // the periods it had marked opened are undone with it.
  std::vector<std::string> run_due(std::int64_t now, outbox& out);
  // Per program: last opened, next opening, cycles opened late (`assessctl
  // schedule`). Throws sqlite_error on a storage fault.
  msg::json status(std::int64_t now);

 private:
  store& db_;
  case_service& cases_;
  std::vector<schedule::definition> defs_;
  int tz_;
  std::map<std::string, period> last_;  // program -> last period opened
  bool waiting_for_org_logged_ = false;
};

}  // namespace af::engine
