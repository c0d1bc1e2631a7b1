// The chat robots of the notify worker: the webhooks file's rules, the
// WeCom and DingTalk bodies and signature, how an answer is read, the
// per-unit throttle, and robot_sender against tests/tools/fake_robot.py.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/fake_server.h"
#include "tools/common/process.h"
#include "workers/notify/robot_message.h"
#include "workers/notify/robot_sender.h"
#include "workers/notify/webhooks.h"

using af::worker::delivery;
using af::worker::robot;
using nlohmann::json;

namespace {

const std::string wecom_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOMKEY42";
const std::string ding_url = "https://oapi.dingtalk.com/robot/send?access_token=DINGTOKEN42";
const std::string ding_secret = "SECa1b2c3";

std::string write_file(const std::string& path, const std::string& text, mode_t mode) {
  { std::ofstream(path) << text; }
  ::chmod(path.c_str(), mode);
  return path;
}

// The error of parsing `j` as a webhooks file named "hooks.json".
std::string parse_error(const json& j) {
  auto r = af::worker::parse_webhooks(j, "hooks.json");
  REQUIRE_FALSE(r.is_ok());
  std::string m = r.error().message();
  CHECK(m.find("WECOMKEY42") == std::string::npos);
  CHECK(m.find("DINGTOKEN42") == std::string::npos);
  CHECK(m.find(ding_secret) == std::string::npos);
  for (const char* host : {"qq.com", "dingtalk.com", "example.com", "x.test"})
    CHECK(m.find(host) == std::string::npos);
  return m;
}

std::string outcome(const delivery& d) {
  switch (d.what) {
    case delivery::outcome::sent:
      return "sent";
    case delivery::outcome::retryable:
      return "retryable: " + d.error;
    case delivery::outcome::permanent:
      return "permanent: " + d.error;
    case delivery::outcome::deferred:
      return "deferred: " + d.error;
  }
  return "?";
}

}  // namespace

TEST_CASE("a webhooks file only its owner may read is loaded", "[workers][robot]") {
  af::tools::temp_dir dir;
  json j = {{"Sales East", {{"wecom", wecom_url}}},
            {"Sales West", {{"dingtalk", ding_url}, {"secret", ding_secret}}},
            {"Support", {{"dingtalk", "http://127.0.0.1:8080/robot/send?access_token=x"}}}};
  auto path = write_file(dir.path() + "/hooks.json", j.dump(), 0600);
  auto r = af::worker::load_webhooks(path);
  REQUIRE(r.is_ok());
  REQUIRE(r->size() == 3);
  CHECK(r->at("Sales East").type == robot::kind::wecom);
  CHECK(r->at("Sales East").url == wecom_url);
  CHECK(r->at("Sales East").secret.empty());
  CHECK(r->at("Sales West").type == robot::kind::dingtalk);
  CHECK(r->at("Sales West").secret == ding_secret);
  CHECK(r->at("Support").secret.empty());

  SECTION("readable or writable by group or others: refused") {
    for (mode_t mode : {0644, 0640, 0620, 0604, 0602}) {
      ::chmod(path.c_str(), mode);
      auto bad = af::worker::load_webhooks(path);
      REQUIRE_FALSE(bad.is_ok());
      CHECK(bad.error().code() == af::status_code::forbidden);
      CHECK(bad.error().message() ==
            path + ": readable by others (chmod 600 " + path + "); it holds robot keys");
    }
  }
}

TEST_CASE("a webhooks file that cannot be read or parsed is named", "[workers][robot]") {
  af::tools::temp_dir dir;
  auto missing = af::worker::load_webhooks(dir.path() + "/none.json");
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.error().message() ==
        dir.path() + "/none.json: cannot read (No such file or directory)");

  // The parser's own message quotes the text near the fault: here a key.
  auto torn = write_file(dir.path() + "/torn.json", "{\"A\": {\"wecom\": \"" + wecom_url, 0600);
  auto r = af::worker::load_webhooks(torn);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().message() == torn + ": not JSON (at byte 81)");

  auto list = write_file(dir.path() + "/list.json", "[1, 2]", 0600);
  CHECK(af::worker::load_webhooks(list).error().message() ==
        list + ": not a JSON object {\"UNIT\": {\"wecom\": URL}, ...}");
}

TEST_CASE("each unit names exactly one robot with known keys", "[workers][robot]") {
  const std::string at = "hooks.json: unit \"East\": ";
  CHECK(parse_error({{"East", wecom_url}}) ==
        at + "must be an object {\"wecom\": URL} or {\"dingtalk\": URL, \"secret\": S}");
  CHECK(parse_error({{"East", {{"wecom", wecom_url}, {"secret", ding_secret}}}}) ==
        at + "\"secret\" is for dingtalk only");
  CHECK(parse_error({{"East", {{"dingtalk", ding_url}, {"secret", ""}}}}) ==
        at + "\"secret\" must be a non-empty string");
  CHECK(parse_error({{"East", {{"dingtalk", ding_url}, {"secret", 42}}}}) ==
        at + "\"secret\" must be a non-empty string");
  CHECK(parse_error({{"East", {{"dingtalk", ding_url}, {"token", "x"}}}}) ==
        at + "unknown key \"token\" (wecom, dingtalk, secret)");
  CHECK(parse_error({{"East", {{"wecom", wecom_url}, {wecom_url, "x"}}}}) ==
        at + "unknown key (a key that is not a plain word) (wecom, dingtalk, secret)");
  CHECK(parse_error({{"East", {{"wecom", wecom_url}, {"dingtalk", ding_url}}}}) ==
        at + "give exactly one of \"wecom\" and \"dingtalk\"");
  CHECK(parse_error({{"East", json::object()}}) ==
        at + "give exactly one of \"wecom\" and \"dingtalk\"");
  CHECK(parse_error({{"East", {{"wecom", 7}}}}) == at + "\"wecom\" must be a string (a URL)");
}

TEST_CASE("robot URLs are https, or http to a loopback host", "[workers][robot]") {
  const std::string at = "hooks.json: unit \"East\": \"dingtalk\": ";
  auto url_error = [&](const std::string& url) {
    return parse_error({{"East", {{"dingtalk", url + "?access_token=DINGTOKEN42"}}}});
  };
  const std::string http_only = "http:// only to 127.0.0.1, localhost or [::1]; use https://";
  CHECK(url_error("http://oapi.dingtalk.com/robot/send") == at + http_only);
  CHECK(url_error("http://localhost.example.com/send") == at + http_only);
  CHECK(url_error("http://127.0.0.1@example.com/send") == at + http_only);
  CHECK(url_error("http://localhost:/send") == at + http_only);
  CHECK(url_error("ftp://oapi.dingtalk.com/robot/send") == at + "not an https:// URL");
  CHECK(url_error("https:///robot/send") == at + "the URL names no host");
  const std::string ascii = "the URL must be printable ASCII without spaces or line breaks";
  CHECK(url_error("https://oapi.dingtalk.com/robot send") == at + ascii);
  CHECK(url_error("https://oapi.dingtalk.com/robot\r\nX-Evil: 1") == at + ascii);

  for (const char* ok :
       {"https://oapi.dingtalk.com/robot/send", "http://127.0.0.1/send",
        "http://localhost:8080/send", "http://[::1]:9/send?x=1", "http://127.0.0.1:5"})
    CHECK(af::worker::check_robot_url(ok).is_ok());
}

TEST_CASE("a WeCom body is markdown with the mention at its end", "[workers][robot]") {
  std::string body = af::worker::wecom_body("**Q3 review** is due", "zhangsan");
  CHECK(body == R"({"markdown":{"content":"**Q3 review** is due\n<@zhangsan>"},)"
                R"("msgtype":"markdown"})");
  CHECK(json::parse(af::worker::wecom_body("# 通知", "")) ==
        json{{"msgtype", "markdown"}, {"markdown", {{"content", "# 通知"}}}});
  // Invalid UTF-8 from a template is replaced, not thrown.
  CHECK(json::parse(af::worker::wecom_body("a\xff", ""))["markdown"]["content"] == "a\xef\xbf\xbd");
}

TEST_CASE("a DingTalk body mentions in the text and in atUserIds", "[workers][robot]") {
  CHECK(json::parse(af::worker::dingtalk_body("Review", "**due**", "E1001")) ==
        json{{"msgtype", "markdown"},
             {"markdown", {{"title", "Review"}, {"text", "**due**\n\n@E1001"}}},
             {"at", {{"atUserIds", {"E1001"}}, {"isAtAll", false}}}});
  CHECK(af::worker::dingtalk_body("Review", "**due**", "") ==
        R"({"at":{"atUserIds":[],"isAtAll":false},)"
        R"("markdown":{"text":"**due**","title":"Review"},"msgtype":"markdown"})");
}

TEST_CASE("the DingTalk signature matches a reference computation", "[workers][robot]") {
  // python3 -c 'import hmac,hashlib,base64,urllib.parse; ts="1700000000000"; s="SECa1b2c3";
  //   print(urllib.parse.quote(base64.b64encode(hmac.new(s.encode(), (ts+"\n"+s).encode(),
  //   hashlib.sha256).digest()).decode(), safe=""))'
  CHECK(af::worker::dingtalk_signed_url(ding_url, ding_secret, 1700000000000) ==
        ding_url +
            "&timestamp=1700000000000&sign=r3A3qrlgRa%2BTdR5aXyvO01zn0wmdf5B%2FXKtKbV42SDc%3D");
  CHECK(af::worker::dingtalk_signed_url("https://x.test/send", ding_secret, 1700000000000) ==
        "https://x.test/send?timestamp=1700000000000&sign="
        "r3A3qrlgRa%2BTdR5aXyvO01zn0wmdf5B%2FXKtKbV42SDc%3D");
  // A key longer than SHA-256's 64-byte block is hashed first; same one-liner
  // with s="SEC"+"0123456789abcdef"*6.
  std::string long_secret = "SEC";
  for (int i = 0; i < 6; ++i) long_secret += "0123456789abcdef";
  CHECK(af::worker::dingtalk_signed_url("https://x.test/send", long_secret, 1700000000000) ==
        "https://x.test/send?timestamp=1700000000000&sign="
        "aKJfR3Vt2H4J2Z%2BTqZcsTpgKQs2SHzlFG7TPr5ndTLQ%3D");
}

TEST_CASE("a robot's answer decides the delivery", "[workers][robot]") {
  using k = robot::kind;
  auto answer = [](k kind, long http, const std::string& body) {
    return outcome(af::worker::robot_answer(kind, http, body));
  };
  const std::string ok = R"({"errcode":0,"errmsg":"ok"})";
  CHECK(answer(k::wecom, 200, ok) == "sent");
  CHECK(answer(k::dingtalk, 204, ok) == "sent");
  CHECK(answer(k::wecom, 429, ok) == "retryable: wecom: HTTP 429");
  CHECK(answer(k::wecom, 500, "") == "retryable: wecom: HTTP 500");
  CHECK(answer(k::dingtalk, 503, "<html>") == "retryable: dingtalk: HTTP 503");
  CHECK(answer(k::wecom, 404, ok) == "permanent: wecom: HTTP 404");
  CHECK(answer(k::wecom, 400, ok) == "permanent: wecom: HTTP 400");
  CHECK(answer(k::wecom, 302, ok) == "permanent: wecom: HTTP 302");
  CHECK(answer(k::wecom, 200, "<html>busy</html>") ==
        "retryable: wecom: HTTP 200 without a JSON errcode");
  CHECK(answer(k::wecom, 200, "") == "retryable: wecom: HTTP 200 without a JSON errcode");
  CHECK(answer(k::wecom, 200, R"({"errmsg":"ok"})") ==
        "retryable: wecom: HTTP 200 without a JSON errcode");
  CHECK(answer(k::wecom, 200, R"({"errcode":45009,"errmsg":"api freq out of limit"})") ==
        "retryable: wecom: errcode 45009: api freq out of limit");
  CHECK(answer(k::wecom, 200, R"({"errcode":-1,"errmsg":"system busy"})") ==
        "retryable: wecom: errcode -1: system busy");
  CHECK(answer(k::wecom, 200, R"({"errcode":93000,"errmsg":"invalid webhook url"})") ==
        "permanent: wecom: errcode 93000: invalid webhook url");
  CHECK(answer(k::wecom, 200, R"({"errcode":130101})") == "permanent: wecom: errcode 130101");
  CHECK(answer(k::dingtalk, 200, R"({"errcode":130101,"errmsg":"send too fast"})") ==
        "retryable: dingtalk: errcode 130101: send too fast");
  CHECK(answer(k::dingtalk, 200, R"({"errcode":410100,"errmsg":"x"})") ==
        "retryable: dingtalk: errcode 410100: x");
  CHECK(answer(k::dingtalk, 200, R"({"errcode":-1,"errmsg":"busy"})") ==
        "retryable: dingtalk: errcode -1: busy");
  CHECK(answer(k::dingtalk, 200, R"({"errcode":45009,"errmsg":"x"})") ==
        "permanent: dingtalk: errcode 45009: x");
  CHECK(answer(k::dingtalk, 200, R"({"errcode":310000,"errmsg":"sign not match"})") ==
        "permanent: dingtalk: errcode 310000: sign not match");

  SECTION("errmsg as one printable line of at most 200 bytes") {
    json long_msg = {{"errcode", 93000}, {"errmsg", "a\r\nb" + std::string(300, 'x')}};
    auto d = af::worker::robot_answer(k::wecom, 200, long_msg.dump());
    CHECK(d.error == "wecom: errcode 93000: a  b" + std::string(196, 'x'));
    // Not cut inside a character: 199 bytes then a 3-byte one.
    json utf8 = {{"errcode", 93000}, {"errmsg", std::string(199, 'y') + "通知"}};
    CHECK(af::worker::robot_answer(k::wecom, 200, utf8.dump()).error ==
          "wecom: errcode 93000: " + std::string(199, 'y'));
  }
}

TEST_CASE("the throttle allows 20 sends per unit in any 60 s", "[workers][robot]") {
  af::worker::robot_throttle t;
  for (int i = 0; i < 20; ++i) {
    CHECK(t.wait_ms("East", i) == 0);
    t.sent("East", i);
  }
  CHECK(t.wait_ms("East", 20) == 60000 - 20);
  CHECK(t.wait_ms("East", 30000) == 30000);
  CHECK(t.wait_ms("East", 59999) == 1);
  CHECK(t.wait_ms("East", 60000) == 0);  // the send at 0 has left (60000-60000, 60000]
  CHECK(t.wait_ms("West", 20) == 0);     // per unit
  t.sent("East", 60000);
  CHECK(t.wait_ms("East", 60000) == 1);  // now the one at 1 must leave
  CHECK(t.wait_ms("East", 60001) == 0);
  CHECK(t.wait_ms("East", 200000) == 0);

  SECTION("a smaller limit") {
    af::worker::robot_throttle two(2);
    two.sent("U", 1000);
    CHECK(two.wait_ms("U", 1000) == 0);
    two.sent("U", 5000);
    CHECK(two.wait_ms("U", 5000) == 56000);
    CHECK(two.wait_ms("U", 61000) == 0);
  }
}

namespace {

// tests/tools/fake_robot.py on 127.0.0.1, its requests recorded in a temp dir.
struct fake_robot {
  af::tools::temp_dir dir;
  af::test::fake_server server;
  explicit fake_robot(std::vector<std::string> extra)
      : server(dir.path(), "fake_robot.py", std::move(extra)) {}
  [[nodiscard]] std::string base() const { return server.url("http"); }
  [[nodiscard]] std::vector<json> requests() const { return server.lines(); }
};

}  // namespace

TEST_CASE("robot_sender posts WeCom and signed DingTalk messages", "[workers][robot]") {
  fake_robot fake({"--secret", ding_secret});
  af::worker::robot_sender sender;
  robot wecom{robot::kind::wecom, fake.base() + "/cgi-bin/webhook/send?key=WECOMKEY42", ""};
  robot ding{robot::kind::dingtalk, fake.base() + "/robot/send?access_token=DINGTOKEN42",
             ding_secret};
  CHECK(outcome(sender.post(wecom, af::worker::wecom_body("**hi**", "zhangsan"), 1)) == "sent");
  CHECK(outcome(sender.post(ding, af::worker::dingtalk_body("T", "**hi**", "E1"), 1700000000000)) ==
        "sent");
  auto reqs = fake.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0]["path"] == "/cgi-bin/webhook/send");
  CHECK(reqs[0]["query"] == json{{"key", "WECOMKEY42"}});
  CHECK(reqs[0]["content_type"] == "application/json");
  CHECK(reqs[0]["body"] ==
        json{{"msgtype", "markdown"}, {"markdown", {{"content", "**hi**\n<@zhangsan>"}}}});
  CHECK(reqs[1]["path"] == "/robot/send");
  CHECK(reqs[1]["query"] == json{{"access_token", "DINGTOKEN42"},
                                 {"timestamp", "1700000000000"},
                                 {"sign", "r3A3qrlgRa+TdR5aXyvO01zn0wmdf5B/XKtKbV42SDc="}});
  CHECK(reqs[1]["sign_ok"] == true);
  CHECK(reqs[1]["body"]["markdown"]["text"] == "**hi**\n\n@E1");
  CHECK(reqs[1]["body"]["at"]["atUserIds"] == json{"E1"});

  CHECK(fake.server.stop() == 0);
}

TEST_CASE("robot_sender reads a robot's errcodes and HTTP failures", "[workers][robot]") {
  fake_robot fake({"--answers", R"([[200, {"errcode": 45009, "errmsg": "api freq out of limit"}],
                                   [200, {"errcode": 93000, "errmsg": "invalid webhook url"}],
                                   [503, {"errcode": -1}],
                                   [200, {"errcode": 0, "errmsg": "ok"}]])"});
  af::worker::robot_sender sender;
  robot wecom{robot::kind::wecom, fake.base() + "/send?key=WECOMKEY42", ""};
  std::string body = af::worker::wecom_body(std::string(5000, 'x'), "");  // over curl's 1 KiB
  CHECK(outcome(sender.post(wecom, body, 1)) ==
        "retryable: wecom: errcode 45009: api freq out of limit");
  CHECK(outcome(sender.post(wecom, body, 2)) ==
        "permanent: wecom: errcode 93000: invalid webhook url");
  CHECK(outcome(sender.post(wecom, body, 3)) == "retryable: wecom: HTTP 503");
  CHECK(outcome(sender.post(wecom, body, 4)) == "sent");
  CHECK(fake.requests().size() == 4);

  SECTION("no robot listening: retryable, without the URL") {
    REQUIRE(fake.server.stop() == 0);
    robot ding{robot::kind::dingtalk, fake.base() + "/robot/send?access_token=DINGTOKEN42",
               ding_secret};
    auto d = sender.post(ding, af::worker::dingtalk_body("T", "x", ""), 5);
    CHECK(outcome(d) == "retryable: dingtalk: Couldn't connect to server");
  }
  SECTION("a URL the webhooks file would refuse is not posted to") {
    robot bad{robot::kind::wecom, "http://example.com/send?key=WECOMKEY42", ""};
    CHECK(outcome(sender.post(bad, body, 5)) ==
          "permanent: wecom: http:// only to 127.0.0.1, localhost or [::1]; use https://");
  }
}
