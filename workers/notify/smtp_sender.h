// smtp_sender.h: sends notification e-mails with libcurl's SMTP (Debian's
// libcurl4-openssl-dev), one reused connection per sender:
//   smtp://HOST:PORT   STARTTLS when the server offers it; required (no
//                      plain-text login) when credentials are given;
//   smtps://HOST:PORT  TLS from the first byte.
// The message is multipart/alternative (text/plain and text/html, UTF-8,
// base64) inside libcurl's multipart/mixed, with the headers of
// mail_headers(). Each send answers a delivery (delivery.h): the SMTP
// server's reply decides it: 2xx sent, 4xx retryable, 5xx permanent,
// with that reply as the error; no connection, TLS trouble or a timeout
// are retryable. A password never appears in an error or a log line.
// Not thread-safe; one sender per thread. The process calls
// curl_global_init once before making one (the notify worker's main).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "workers/notify/delivery.h"
#include "workers/notify/mail_message.h"

namespace af::worker {

struct smtp_config {
  std::string url;   // smtp://HOST:PORT or smtps://HOST:PORT
  std::string from;  // the envelope sender and From address
  std::string user, password;
  std::string ca_file;  // PEM bundle to verify the server with; empty: the system's
  long connect_timeout_ms = 3000;
  long timeout_ms = 6000;  // the whole message, connection included
};

class smtp_sender {
 public:
  // Refused: an URL of another scheme or without a host, a bad From
  // address, a user without a password or a password without a user.
  static result<std::unique_ptr<smtp_sender>> make(smtp_config cfg);
  ~smtp_sender();
  smtp_sender(const smtp_sender&) = delete;
  smtp_sender& operator=(const smtp_sender&) = delete;

  // Sends `m` (m.from is set from the config). A bad recipient address or
  // Message-ID is permanent without a connection.
  delivery send(mail m);

 private:
  explicit smtp_sender(smtp_config cfg);
  smtp_config cfg_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace af::worker
