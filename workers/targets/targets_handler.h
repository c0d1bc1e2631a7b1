// targets_handler.h: a targets task in, a targets result out, through the
// pure commission library. Never throws.
#pragma once

#include "messages/types.h"
#include "workers/domain/commission.h"

namespace af::worker {

msg::targets_result check_targets(const msg::targets_task& task, const commission::rules& rules);

}  // namespace af::worker
