// learning_plans.h: a manager's learning plan (DOMAIN.md "Qualification
// certification"): built from their latest final competency result (the
// catalogue's program, competency_model) and the catalogue
// (workers/domain/learning.h), with the activities recorded as done. The
// plan is not stored; what is done is (store::learning_done).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/store.h"
#include "messages/json_text.h"
#include "workers/domain/learning.h"

namespace af::engine {

class learning_plans {
 public:
  learning_plans(store& db, int tz_offset_minutes) : db_(db), tz_(tz_offset_minutes) {}
  void set_catalogue(learning::catalogue c) { catalogue_ = std::move(c); }

  // The plan of `e` from their latest final case of the catalogue's
  // program (empty, with a note, when they have none).
  struct plan {
    std::optional<case_row> from;
    std::vector<learning::plan_entry> entries;
  };
  plan plan_of(const std::string& employee_id);
  // The plan as `plan show` prints it: each activity with its item, gap,
  // level, kind, title and when and by whom it was done; done of total.
  msg::json show(const employee_row& e);
  // Records `activity` of e's plan as done by `as` (ROLE:ID, already
  // resolved against the principal). Forbidden unless `as` is the manager
  // (employee:ID) or their supervisor; InvalidArgument for an activity not
  // in the plan; Conflict when it was recorded before. The plan after.
  result<msg::json> done(const employee_row& e, const std::string& activity, const std::string& as,
                         const std::string& principal, std::int64_t now);

 private:
  store& db_;
  int tz_;
  learning::catalogue catalogue_;
};

}  // namespace af::engine
