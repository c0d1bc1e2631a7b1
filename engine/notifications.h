// notifications.h: how one notification becomes tasks for the notify
// worker (DESIGN.md "Notification channels"): one task per channel, so
// retrying one channel never sends another again.
//   smtp  when the recipient has an e-mail address;
//   chat  when the notification is a prompt (notice::is_prompt: reminders,
//         overdue escalations, a missing self review, a cycle unfinished)
//         about a state that reveals no result (not an appeal or a
//         re-exam: notice::state_reveals_result) and the recipient has a
//         chat id: posted to the robot of their unit, mentioning them. A
//         person's result never goes to a chat;
//   file  always: DATA/notifications/<recipient>.jsonl, the record of what
//         was sent and all a person without an address or chat id gets.
// The file task keeps the notification's id; the others add -smtp, -chat.
// The Message-ID is <HASH@INSTANCE.assessflow>, HASH the notification id's
// 128-bit XXH3 in hex (ids hold employee ids: free text).
// Every task of a notification carries the same short key (shown in the
// texts, so a reader can tell a repeat) and the e-mail's Message-ID,
// stable across redeliveries and unique per database (INSTANCE:
// store::instance_id()).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/outbox.h"
#include "engine/rows.h"
#include "engine/store.h"
#include "messages/types.h"

namespace af::engine {

// The tasks of notification `n` (notification_id, recipient_id, case_id,
// kind and body_json set) to `recipient` (nullopt: not in the org, file only).
std::vector<msg::notify_task> channel_tasks(const msg::notify_task& n,
                                            const std::optional<employee_row>& recipient,
                                            const std::string& instance_id);

// The short key of a notification id: 8 characters of A-Z and 2-7.
std::string message_key(const std::string& notification_id);

// Stores the tasks of `n` in the current transaction and hands them to `out`.
void queue_notification(store& db, outbox& out, const msg::notify_task& n, const std::string& when);

}  // namespace af::engine
