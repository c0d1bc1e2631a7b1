// E-mail: the header values (RFC 2047 words, RFC 5322 dates, addresses
// that cannot add a header line) and smtp_sender against a real SMTP
// server (tests/tools/fake_smtp.py, Debian's python3-aiosmtpd): plain,
// STARTTLS with a login, a login refused without TLS, replies 4xx and 5xx.
#include <curl/curl.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/fake_server.h"
#include "tools/common/process.h"
#include "workers/notify/mail_message.h"
#include "workers/notify/smtp_sender.h"

using af::worker::delivery;
using af::worker::mail;
using af::worker::rfc2047_words;
using af::worker::smtp_config;
using af::worker::smtp_sender;
using json = nlohmann::json;

namespace {

mail sample_mail() {
  mail m;
  m.to = "wang.fang@example.com";
  m.to_name = "王芳";
  m.subject = "【结果】能力评估 2026年第三季度：评估已完成（案例 7）";
  m.text = "王芳，您好：\n\n评估已完成。\n\n编号 K7Q2ABCD";
  m.html = "<p>王芳，您好：</p><p>编号 K7Q2ABCD</p>";
  m.message_id = "<0123456789abcdef0123456789abcdef@inst.assessflow>";
  m.date = af::worker::rfc5322_date(1'791'600'000, 480);
  m.key = "K7Q2ABCD";
  return m;
}

struct curl_once {
  curl_once() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};
const curl_once curl_started;

}  // namespace

TEST_CASE("a subject becomes RFC 2047 words of at most 75 characters, cut between characters",
          "[workers][mail]") {
  CHECK(rfc2047_words("Cycle 2026-Q3 done") == "Cycle 2026-Q3 done");
  CHECK(rfc2047_words("你好") == "=?UTF-8?B?5L2g5aW9?=");
  CHECK(rfc2047_words("Wang, Fang", true) == "=?UTF-8?B?V2FuZywgRmFuZw==?=");  // a special
  CHECK(rfc2047_words("a =?x?= b") == "=?UTF-8?B?YSA9P3g/PSBi?=");
  // 16 characters of 3 bytes: 45 bytes (15 characters) fit one word.
  std::string zh;
  for (int i = 0; i < 16; ++i) zh += "评";
  std::string words = rfc2047_words(zh);
  auto fold = words.find("\r\n ");
  REQUIRE(fold != std::string::npos);
  CHECK(words.find("\r\n ", fold + 1) == std::string::npos);
  CHECK(fold == 72);  // "=?UTF-8?B?" + 60 + "?="
  CHECK(words.substr(fold + 3) == "=?UTF-8?B?6K+E?=");
}

TEST_CASE("dates are RFC 5322 in the company's zone, addresses cannot add a header",
          "[workers][mail]") {
  CHECK(af::worker::rfc5322_date(1'791'600'000, 480) == "Sat, 10 Oct 2026 10:40:00 +0800");
  CHECK(af::worker::rfc5322_date(1'791'600'000, -330) == "Fri, 09 Oct 2026 21:10:00 -0530");
  CHECK(af::worker::rfc5322_date(0, 0) == "Thu, 01 Jan 1970 00:00:00 +0000");
  CHECK(af::worker::check_mail_address("wang.fang@example.com").is_ok());
  CHECK(af::worker::check_mail_address("wang@example.com\r\nBcc: x@evil.example").message() ==
        "e-mail address: byte 0x0d is not allowed (printable ASCII without spaces, <>,\"\\)");
  CHECK(af::worker::check_mail_address("no-at-sign").message() ==
        "\"no-at-sign\" is not an e-mail address (local@domain)");
  CHECK(af::worker::check_message_id("<a@b>").is_ok());
  CHECK(af::worker::check_message_id("a@b").message() == "Message-ID \"a@b\" is not <left@right>");
  auto headers = af::worker::mail_headers(sample_mail());
  CHECK(headers[2] == "To: =?UTF-8?B?546L6Iqz?= <wang.fang@example.com>");
  CHECK(headers[5] == "Auto-Submitted: auto-generated");
  CHECK(headers.back() == "X-Assessflow-Key: K7Q2ABCD");
}

TEST_CASE("smtp_sender refuses a bad configuration naming the option", "[workers][mail]") {
  CHECK(smtp_sender::make({"http://mail.example.com", "a@b.c"}).error().message() ==
        "--smtp-url: \"http://mail.example.com\" is not smtp://HOST:PORT or smtps://HOST:PORT");
  CHECK(smtp_sender::make({"smtp://", "a@b.c"}).error().message() ==
        "--smtp-url: \"smtp://\" names no host");
  CHECK(smtp_sender::make({"smtp://mail.example.com", ""}).error().message() ==
        "--smtp-from: required with --smtp-url");
  CHECK(smtp_sender::make({"smtp://mail.example.com", "a@b.c", "user"}).error().message() ==
        "--smtp-user and --smtp-password-file: give both or neither");
  // A login in the URL would reach the logs: refused without repeating it.
  CHECK(smtp_sender::make({"smtp://assess:pw@mail.example.com:587", "a@b.c"}).error().message() ==
        "--smtp-url: give the login with --smtp-user and --smtp-password-file, not in the URL");
  CHECK(smtp_sender::make({"smtp://mail.example.com:587/a@b", "a@b.c"}).is_ok());
}

TEST_CASE("a real SMTP server receives the message, 4xx is retryable and 5xx permanent",
          "[workers][mail]") {
  af::tools::temp_dir dir;
  af::test::fake_server server(dir.path(), "fake_smtp.py", {"--answers", "250,451,550"}, "smtp");
  auto sender = smtp_sender::make({server.url("smtp"), "assessflow@example.com"});
  REQUIRE(sender.is_ok());
  delivery first = (*sender)->send(sample_mail());
  CHECK(first.what == delivery::outcome::sent);
  delivery busy = (*sender)->send(sample_mail());
  CHECK(busy.what == delivery::outcome::retryable);
  CHECK(busy.error == "smtp: 451 4.3.0 Mailbox temporarily unavailable, try again later");
  delivery refused = (*sender)->send(sample_mail());
  CHECK(refused.what == delivery::outcome::permanent);
  CHECK(refused.error == "smtp: 550 5.1.1 No such user here");
  auto got = server.lines();
  REQUIRE(got.size() == 3);
  const json& m = got[0];
  CHECK(m["tls"] == false);
  CHECK(m["mail_from"] == "assessflow@example.com");
  CHECK(m["rcpt_tos"] == json::array({"wang.fang@example.com"}));
  CHECK(m["subject"] == "【结果】能力评估 2026年第三季度：评估已完成（案例 7）");
  CHECK(m["headers"]["To"] == "王芳 <wang.fang@example.com>");
  CHECK(m["headers"]["From"] == "assessflow@example.com");
  CHECK(m["headers"]["Date"] == "Sat, 10 Oct 2026 10:40:00 +0800");
  CHECK(m["headers"]["Message-ID"] == "<0123456789abcdef0123456789abcdef@inst.assessflow>");
  CHECK(m["headers"]["X-Auto-Response-Suppress"] == "All");
  CHECK(m["alternative"] == json::array({"text/plain", "text/html"}));
  CHECK(m["text"] == "王芳，您好：\n\n评估已完成。\n\n编号 K7Q2ABCD");
  CHECK(m["html"] == "<p>王芳，您好：</p><p>编号 K7Q2ABCD</p>");
  // A recipient that could add a header is refused before any connection.
  mail bad = sample_mail();
  bad.to = "x@example.com>\r\nBcc: <y@example.com";
  CHECK((*sender)->send(bad).what == delivery::outcome::permanent);
  CHECK(server.lines().size() == 3);
}

TEST_CASE("a login goes only over TLS: STARTTLS when offered, refused on a plain server",
          "[workers][mail]") {
  af::tools::temp_dir dir;
  std::string cert = dir.path() + "/cert.pem", key = dir.path() + "/key.pem";
  REQUIRE(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                       "-addext subjectAltName=IP:127.0.0.1 -keyout " +
                       key + " -out " + cert + " 2>/dev/null")
                          .c_str()) == 0);
  af::test::fake_server tls(dir.path(), "fake_smtp.py",
                            {"--tls-cert", cert, "--tls-key", key, "--login", "assess:s3cret-pw"},
                            "tls");
  smtp_config cfg{tls.url("smtp"), "assessflow@example.com", "assess", "s3cret-pw", cert};
  auto sender = smtp_sender::make(cfg);
  REQUIRE(sender.is_ok());
  delivery sent = (*sender)->send(sample_mail());
  INFO(sent.error);
  CHECK(sent.what == delivery::outcome::sent);
  REQUIRE(tls.lines().size() == 1);
  CHECK(tls.lines()[0]["tls"] == true);
  CHECK(tls.lines()[0]["login"] == true);
  // A wrong password is the server's 535: permanent, without the password.
  cfg.password = "wrong-pw";
  auto wrong = smtp_sender::make(cfg);
  REQUIRE(wrong.is_ok());
  delivery refused = (*wrong)->send(sample_mail());
  INFO(refused.error);
  CHECK(refused.what == delivery::outcome::permanent);
  CHECK(refused.error.rfind("smtp: 535", 0) == 0);
  CHECK(refused.error.find("wrong-pw") == std::string::npos);
  // A server that offers no STARTTLS never sees the login.
  af::test::fake_server plain(dir.path(), "fake_smtp.py", {}, "plain");
  cfg.url = plain.url("smtp");
  cfg.password = "s3cret-pw";
  auto insecure = smtp_sender::make(cfg);
  REQUIRE(insecure.is_ok());
  delivery not_sent = (*insecure)->send(sample_mail());
  CHECK(not_sent.what == delivery::outcome::retryable);
  CHECK(not_sent.error.find("s3cret-pw") == std::string::npos);
  CHECK(plain.lines().empty());
}
