#include "workers/notify/smtp_sender.h"

#include <curl/curl.h>

#include <cctype>

namespace af::worker {
namespace {

struct slist {
  curl_slist* list = nullptr;
  ~slist() { curl_slist_free_all(list); }
  void add(const std::string& line) {
    if (curl_slist* l = curl_slist_append(list, line.c_str())) list = l;
  }
};

struct mime_guard {
  curl_mime* mime;
  ~mime_guard() { curl_mime_free(mime); }
};

// What the server said during one transfer: its last reply of 400 or
// more, which decides a failure. Not the first: libcurl goes on after
// some (a 454 to STARTTLS when TLS is optional, a 5xx to EHLO before
// HELO), and a QUIT's "221" after the failure is below 400.
struct replies {
  std::string first_error;
  int first_error_code = 0;
};

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  auto* r = static_cast<replies*>(user);
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
      !std::isdigit(static_cast<unsigned char>(line[1])) ||
      !std::isdigit(static_cast<unsigned char>(line[2])))
    return 0;
  int code = std::stoi(line.substr(0, 3));
  if (code < 400) return 0;
  r->first_error_code = code;
  std::string clean;  // one printable line of at most 300 bytes
  for (char c : line.substr(0, 300)) clean += (c >= 0x20 && c != 0x7f) || c < 0 ? c : ' ';
  r->first_error = clean;
  return 0;
}

}  // namespace

result<std::unique_ptr<smtp_sender>> smtp_sender::make(smtp_config cfg) {
  auto authority = cfg.url.substr(0, cfg.url.find('/', cfg.url.find("://") + 3));
  if (authority.find('@') != std::string::npos)  // said without the URL: it may hold a password
    return status::invalid(
        "--smtp-url: give the login with --smtp-user and --smtp-password-file, not in the URL");
  bool plain = cfg.url.rfind("smtp://", 0) == 0, tls = cfg.url.rfind("smtps://", 0) == 0;
  if (!plain && !tls)
    return status::invalid("--smtp-url: \"" + cfg.url +
                           "\" is not smtp://HOST:PORT or smtps://HOST:PORT");
  if (cfg.url.size() <= (plain ? 7u : 8u))
    return status::invalid("--smtp-url: \"" + cfg.url + "\" names no host");
  if (cfg.from.empty()) return status::invalid("--smtp-from: required with --smtp-url");
  if (status s = check_mail_address(cfg.from); !s)
    return status::invalid("--smtp-from: " + s.message());
  if (cfg.user.empty() != cfg.password.empty())
    return status::invalid("--smtp-user and --smtp-password-file: give both or neither");
  auto s = std::unique_ptr<smtp_sender>(new smtp_sender(std::move(cfg)));
  if (!s->curl_) return status::io_error("libcurl: could not make a handle");
  return s;
}

smtp_sender::smtp_sender(smtp_config cfg) : cfg_(std::move(cfg)), curl_(curl_easy_init()) {}

smtp_sender::~smtp_sender() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

delivery smtp_sender::send(mail m) {
  m.from = cfg_.from;
  if (status s = check_mail_address(m.to); !s) return delivery::refused("smtp: " + s.message());
  if (status s = check_message_id(m.message_id); !s)
    return delivery::refused("smtp: " + s.message());
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // options only: the connection to the server is kept
  char error[CURL_ERROR_SIZE] = "";
  replies said;
  curl_easy_setopt(c, CURLOPT_URL, cfg_.url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cfg_.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg_.timeout_ms);
  bool credentials = !cfg_.user.empty();
  curl_easy_setopt(c, CURLOPT_USE_SSL, credentials ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  if (credentials) {
    curl_easy_setopt(c, CURLOPT_USERNAME, cfg_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, cfg_.password.c_str());
  }
  if (!cfg_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, cfg_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &said);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // only feeds on_debug, which prints nothing
  std::string from = "<" + m.from + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  slist rcpt;
  rcpt.add("<" + m.to + ">");
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.list);

  slist headers;
  for (const auto& h : mail_headers(m)) headers.add(h);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.list);
  mime_guard top{curl_mime_init(c)};
  curl_mime* alt = curl_mime_init(c);
  for (auto [body, type] : {std::pair{&m.text, "text/plain; charset=utf-8"},
                            std::pair{&m.html, "text/html; charset=utf-8"}}) {
    curl_mimepart* part = curl_mime_addpart(alt);
    curl_mime_data(part, body->data(), body->size());
    curl_mime_type(part, type);
    curl_mime_encoder(part, "base64");
  }
  curl_mimepart* part = curl_mime_addpart(top.mime);
  curl_mime_subparts(part, alt);  // `top` owns `alt` from here
  curl_mime_type(part, "multipart/alternative");
  slist inline_disposition;
  inline_disposition.add("Content-Disposition: inline");
  curl_mime_headers(part, inline_disposition.list, 0);
  curl_easy_setopt(c, CURLOPT_MIMEPOST, top.mime);

  CURLcode rc = curl_easy_perform(c);
  curl_easy_reset(c);  // nothing left pointing at this call's lists and parts
  if (rc == CURLE_OK) return delivery::ok();
  if (said.first_error_code >= 500) return delivery::refused("smtp: " + said.first_error);
  if (said.first_error_code >= 400) return delivery::retry("smtp: " + said.first_error);
  std::string why = error[0] ? error : curl_easy_strerror(rc);
  return delivery::retry("smtp: " + why);
}

}  // namespace af::worker
