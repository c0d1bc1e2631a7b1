// mail_message.h: the header values of one notification e-mail
// (DESIGN.md "Notification channels"), pure text, no I/O:
//   Subject and display names: UTF-8 as RFC 2047 encoded words
//     (=?UTF-8?B?...?=), each at most 75 characters and cut only between
//     characters, folded onto continuation lines;
//   Date: RFC 5322 ("Thu, 03 Dec 2026 21:30:00 +0800") in the company's zone;
//   addresses and the Message-ID checked so that nothing from a task can
//   add a header line (no CR, LF, angle brackets, spaces in an address).
// The message itself (multipart/alternative text and HTML, base64 bodies)
// is built by libcurl's MIME API in smtp_sender.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace af::worker {

// "=?UTF-8?B?...?=" words joined by "\r\n " (a folded header value); the
// text unchanged when it is printable ASCII without "=?" (and, for a
// display name, without the specials of RFC 5322: ()<>[]:;@\,." ).
std::string rfc2047_words(const std::string& utf8, bool display_name = false);

// RFC 5322 date-time of `unix_seconds` at a UTC offset in minutes.
std::string rfc5322_date(std::int64_t unix_seconds, int offset_minutes);

// An addr-spec a header and the SMTP envelope can carry: local@domain,
// printable ASCII, no spaces, <, >, CR or LF, at most 254 bytes.
status check_mail_address(const std::string& address);

// A Message-ID as "<left@right>" with printable ASCII inside.
status check_message_id(const std::string& message_id);

struct mail {
  std::string from, to, to_name;  // addresses; to_name may be empty
  std::string subject, text, html;
  std::string message_id, date;  // checked / rfc5322_date
  std::string key;               // the notification's short key (X-Assessflow-Key)
};

// The header lines of `m` (Date, From, To, Subject, Message-ID,
// Auto-Submitted, X-Auto-Response-Suppress, X-Assessflow-Key), each
// without its line end.
std::vector<std::string> mail_headers(const mail& m);

}  // namespace af::worker
