// contacts.h: how a person is reached besides the file channel (DESIGN.md
// "Notification channels"): the org CSV's optional `email` and `chat_id`.
// Pure checks, so that an import refuses a malformed contact naming the
// row instead of a notification failing months later.
#pragma once

#include <string_view>

#include "base/status.h"

namespace af::engine {

// An address mail servers take: local@domain, ASCII, at most 254
// characters; the local part 1..64 of letters, digits and
// !#$%&'*+/=?^_`{|}~- with single dots between them (no quoted local
// parts); the domain at least two labels of letters, digits and inner
// hyphens (1..63 each), the last not all digits. "" is no address.
// InvalidArgument "email: \"...\" is not an e-mail address (...)".
status email_error(std::string_view address);

// A WeCom user id or a DingTalk mobile or user id: 1..64 of letters,
// digits and . _ @ + -. "" is none.
status chat_id_error(std::string_view id);

}  // namespace af::engine
