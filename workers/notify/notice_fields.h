// notice_fields.h: the placeholders' values of one notification
// (notice_templates.h) from its task: the engine's body (engine/
// case_messages.h) and the task's recipient and key. Pure, no I/O.
//   case, program, period, state   from the body (case: or the task's case);
//   deadline     the body's due_at (a cycle's: its window_end), as the
//                templates show it: "2026-10-05 18:00 (UTC+08:00)";
//   employee     the body's employee_name, else its employee_id;
//   employee_id, waiting_on, open, total, reason, outcome   as the body has them;
//   tier         the body's adjusted_tier when set, else its tier;
//   role         the body's `as` (the role the recipient is told as);
//   recipient    the task's recipient_name, else its recipient_id;
//   key          the task's message_key.
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "messages/types.h"

namespace af::worker {

// Invalid when the body is not a JSON object.
result<nlohmann::json> notice_fields(const msg::notify_task& task);

}  // namespace af::worker
