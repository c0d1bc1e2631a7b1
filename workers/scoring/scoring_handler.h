// scoring_handler.h: a scoring task in, a scoring result out, through the
// pure competency50 library. Never throws; a task that cannot be scored
// gets a result with ok = false and the reason.
#pragma once

#include "messages/types.h"

namespace af::worker {

msg::scoring_result score_task(const msg::scoring_task& task);
msg::envelope handle_scoring(const msg::envelope& task);

}  // namespace af::worker
