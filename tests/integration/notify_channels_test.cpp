// Notifications on their outside channels against real servers on
// 127.0.0.1 (DESIGN.md "Notification channels"): a real SMTP server
// (Debian's python3-aiosmtpd, tests/tools/fake_smtp.py) and a local HTTP
// server in the robots' place (tests/tools/fake_robot.py), with the real
// engine, scoring and notify workers, assess-drive and assessctl.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/fake_server.h"
#include "tests/integration/scenario.h"

using namespace af::test;
namespace fs = std::filesystem;

namespace {

// Gives every person of the sample org an e-mail address (id@example.com,
// unless !email) and a chat id (chat-ID), the optional columns after roles.
void add_contacts(const std::string& org_csv, bool email = true) {
  std::ifstream in(org_csv);
  std::stringstream out;
  std::string line;
  std::getline(in, line);
  out << line << ",email,chat_id\n";
  while (std::getline(in, line)) {
    std::string id = line.substr(0, line.find(','));
    out << line << "," << (email ? id + "@example.com" : "") << ",chat-" << id << "\n";
  }
  in.close();
  std::ofstream(org_csv) << out.str();
}

// Every line the notify worker wrote to the file channel.
std::vector<json> filed(const std::string& data) {
  std::vector<json> out;
  fs::path dir = data + "/notifications";
  if (!fs::exists(dir)) return out;
  for (const auto& f : fs::directory_iterator(dir)) {
    std::ifstream in(f.path());
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  }
  return out;
}

json tasks_of(const std::string& data, const std::string& state) {
  std::string out;
  REQUIRE(run(ASSESSCTL_BIN, {"--data", data, "--json", "tasks", "--state", state}, &out) == 0);
  return json::parse(out);
}

// No task queued, leased or backing off.
bool settled(const std::string& data) {
  json t = admin(data, {{"cmd", "stats"}})["tasks"];
  return t.value("queued", 1) == 0 && t.value("leased", 1) == 0 && t.value("backing_off", 1) == 0;
}

// A small cycle run to its end: 3 managers, 15 cases.
struct mail_cycle {
  scenario s;
  std::unique_ptr<process> engine;
  long long cycle = 0;

  explicit mail_cycle(const std::vector<std::string>& engine_flags = {}) {
    s.generate(3, 10);
    add_contacts(s.sample() + "/org.csv");
    engine = std::make_unique<process>(start_engine(s.root.path(), engine_flags));
    s.load();
  }
  std::vector<std::string> smtp_flags(int port) const {
    return {"--smtp-url", "smtp://127.0.0.1:" + std::to_string(port), "--smtp-from",
            "assessflow@example.com"};
  }
  std::vector<std::string> drive_args() const {
    return {"--data",     s.data(),
            "--cycle",    std::to_string(cycle),
            "--reviews",  s.sample() + "/reviews.jsonl",
            "--hr",       "H0001",
            "--no-print", "--quiet"};
  }
  // Plays every part to the end; returns once every task is delivered.
  void drive() {
    cycle = s.open_cycle();
    REQUIRE(run(ASSESS_DRIVE_BIN, drive_args()) == 0);
  }
};

// recipient address -> messages, from the file channel (everyone has an address).
std::map<std::string, int> expected_mail(const std::string& data) {
  std::map<std::string, int> out;
  for (const auto& l : filed(data)) ++out[l["recipient"].get<std::string>() + "@example.com"];
  return out;
}

}  // namespace

TEST_CASE(
    "e-mail: every notification of a small cycle reaches a real SMTP server exactly once, with "
    "its headers and a decoded Chinese subject and body",
    "[integration][notify][smtp]") {
  mail_cycle m;
  fake_server smtp(m.s.root.path(), "fake_smtp.py", {});
  // A password file others may read is refused, and the password not shown.
  std::string pass = m.s.root.path() + "/smtp.pass";
  std::ofstream(pass) << "s3cret-pw\n";
  fs::permissions(pass, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  auto flags = m.smtp_flags(smtp.port());
  flags.insert(flags.end(),
               {"--data", m.s.data(), "--smtp-user", "assess", "--smtp-password-file", pass});
  std::string err;
  CHECK(run(ASSESS_NOTIFY_BIN, flags, &err, true) == 2);
  CHECK(err == "assess-worker-notify: --smtp-password-file: " + pass +
                   ": readable by others "
                   "(chmod 600 " +
                   pass + "); it holds a password\n");
  auto notify = start_worker(ASSESS_NOTIFY_BIN, m.s.root.path(), m.smtp_flags(smtp.port()));
  auto scoring = start_worker(ASSESS_SCORING_BIN, m.s.root.path());
  m.drive();
  REQUIRE(eventually([&] { return settled(m.s.data()); }));
  auto mails = smtp.lines();
  auto expected = expected_mail(m.s.data());
  std::map<std::string, int> got;
  std::set<std::string> ids;
  for (const auto& mail : mails) {
    INFO(mail.dump());
    CHECK(mail["accepted"] == true);
    REQUIRE(mail["rcpt_tos"].size() == 1);
    ++got[mail["rcpt_tos"][0].get<std::string>()];
    CHECK(mail["mail_from"] == "assessflow@example.com");
    const json& h = mail["headers"];
    CHECK(h["Auto-Submitted"] == "auto-generated");
    CHECK(h["From"] == "assessflow@example.com");
    std::string id = h["Message-ID"].get<std::string>();
    CHECK(std::regex_match(id, std::regex("<[0-9a-f]{32}@[0-9a-z-]+\\.assessflow>")));
    ids.insert(id);
    CHECK(std::regex_match(h["Date"].get<std::string>(),
                           std::regex("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} "
                                      "\\d{2}:\\d{2}:\\d{2} \\+0800")));
    CHECK(mail["content_type"] == "multipart/mixed");
    CHECK(mail["alternative"] == json::array({"text/plain", "text/html"}));
    // RFC 2047 on the wire, Chinese once decoded, and the short key in the text.
    CHECK(mail["raw_subject"].get<std::string>().rfind("=?UTF-8?B?", 0) == 0);
    std::string subject = mail["subject"].get<std::string>();
    CHECK(subject.rfind("【", 0) == 0);
    std::string key = h["X-Assessflow-Key"].get<std::string>();
    CHECK(std::regex_match(key, std::regex("[A-Z2-7]{8}")));
    std::string text = mail["text"].get<std::string>();
    CHECK(text.find("您好") != std::string::npos);
    CHECK(text.find("编号 " + key) != std::string::npos);
    CHECK(mail["html"].get<std::string>().find("编号 " + key) != std::string::npos);
  }
  CHECK(mails.size() == ids.size());  // no message twice
  CHECK(got == expected);
  CHECK(mails.size() >= 45);  // 15 cases, each final told to employee, supervisor and HRBP
  // Each final result told to the employee, the supervisor and the HRBP.
  int finals = 0;
  for (const auto& mail : mails)
    finals += mail["subject"].get<std::string>().rfind("【结果】", 0) == 0;
  CHECK(finals == 45);
  json stats = admin(m.s.data(), {{"cmd", "stats"}});
  CHECK(stats["notifications"]["smtp"]["sent"] == mails.size());
  CHECK(stats["notifications"]["smtp"]["retried"] == 0);
  CHECK(stats["notifications"]["file"]["sent"] == filed(m.s.data()).size());
  CHECK(stats["people_without_channel"] == 0);
}

TEST_CASE(
    "e-mail: a 451 answer is retried and the message delivered once, a 550 makes the task dead "
    "with that answer",
    "[integration][notify][smtp]") {
  SECTION("451 then 250") {
    mail_cycle m({"--retry-base-ms", "200", "--retry-cap-ms", "400"});
    fake_server smtp(m.s.root.path(), "fake_smtp.py", {"--answers", "451,250"});
    auto notify = start_worker(ASSESS_NOTIFY_BIN, m.s.root.path(), m.smtp_flags(smtp.port()));
    auto scoring = start_worker(ASSESS_SCORING_BIN, m.s.root.path());
    m.drive();
    REQUIRE(eventually([&] { return settled(m.s.data()); }));
    auto mails = smtp.lines();
    REQUIRE(mails.size() >= 2);
    CHECK(mails[0]["accepted"] == false);
    CHECK(mails[0]["reply"] == "451 4.3.0 Mailbox temporarily unavailable, try again later");
    std::map<std::string, int> accepted;
    for (const auto& mail : mails)
      if (mail["accepted"] == true) ++accepted[mail["headers"]["Message-ID"].get<std::string>()];
    CHECK(accepted.size() == mails.size() - 1);
    for (const auto& [id, n] : accepted) CHECK(n == 1);
    CHECK(accepted.count(mails[0]["headers"]["Message-ID"].get<std::string>()) == 1);
    json stats = admin(m.s.data(), {{"cmd", "stats"}});
    CHECK(stats["notifications"]["smtp"]["retried"] == 1);
    CHECK(stats["notifications"]["smtp"]["sent"] == accepted.size());
    CHECK(tasks_of(m.s.data(), "dead")["tasks"].empty());
  }
  SECTION("550") {
    mail_cycle m;
    fake_server smtp(m.s.root.path(), "fake_smtp.py", {"--answers", "550"});
    auto notify = start_worker(ASSESS_NOTIFY_BIN, m.s.root.path(), m.smtp_flags(smtp.port()));
    auto scoring = start_worker(ASSESS_SCORING_BIN, m.s.root.path());
    m.drive();
    REQUIRE(eventually([&] { return settled(m.s.data()); }));
    auto mails = smtp.lines();
    json dead = tasks_of(m.s.data(), "dead");
    CHECK(dead["tasks"].size() == mails.size());  // each tried once, dead at once
    for (const auto& t : dead["tasks"]) {
      CHECK(t["attempts"] == 1);
      CHECK(t["last_error"] == "smtp: 550 5.1.1 No such user here");
    }
    std::string table;
    REQUIRE(run(ASSESSCTL_BIN, {"--data", m.s.data(), "tasks", "--state", "dead"}, &table) == 0);
    CHECK(table.find("smtp: 550 5.1.1 No such user here") != std::string::npos);
    json stats = admin(m.s.data(), {{"cmd", "stats"}});
    CHECK(stats["notifications"]["smtp"]["failed"] == mails.size());
    CHECK(stats["notifications"]["smtp"]["sent"] == 0);
    // The file channel is unaffected: every notification is in the outbox.
    CHECK(stats["notifications"]["file"]["sent"] == filed(m.s.data()).size());
  }
}

TEST_CASE(
    "e-mail: a notify worker killed between sending and answering is replaced, and the "
    "redelivered message keeps its Message-ID",
    "[integration][notify][smtp]") {
  mail_cycle m({"--worker-timeout-ms", "1500"});
  fake_server smtp(m.s.root.path(), "fake_smtp.py", {});
  auto scoring = start_worker(ASSESS_SCORING_BIN, m.s.root.path());
  auto flags = m.smtp_flags(smtp.port());
  flags.insert(flags.end(), {"--fault", "crash-unanswered:0"});
  auto dying = start_worker(ASSESS_NOTIFY_BIN, m.s.root.path(), flags);
  m.cycle = m.s.open_cycle();
  process driver(ASSESS_DRIVE_BIN, m.drive_args(), m.s.root.path() + "/drive.log");
  // It sends its first batch of e-mails, then dies before answering them.
  CHECK(dying.wait(std::chrono::seconds(30)) == 137);
  // The server has accepted those (its 250 came before the crash), but may
  // write them to its file a moment later.
  decltype(smtp.lines()) before;
  REQUIRE(eventually([&] { return !(before = smtp.lines()).empty(); }, std::chrono::seconds(10)));
  auto notify = start_worker(ASSESS_NOTIFY_BIN, m.s.root.path(), m.smtp_flags(smtp.port()));
  CHECK(driver.wait(std::chrono::seconds(60)) == 0);  // it waits until every task is delivered
  REQUIRE(eventually([&] { return settled(m.s.data()); }, std::chrono::seconds(60)));
  std::map<std::string, int> times;
  for (const auto& mail : smtp.lines()) ++times[mail["headers"]["Message-ID"].get<std::string>()];
  for (const auto& mail : before) {  // sent, never answered: sent again with the same id
    INFO(mail["headers"]["Message-ID"]);
    CHECK(times[mail["headers"]["Message-ID"].get<std::string>()] == 2);
  }
  std::size_t once = 0;
  for (const auto& [id, n] : times) once += n == 1;
  CHECK(once + before.size() == times.size());
  CHECK(times.size() == filed(m.s.data()).size());
}

TEST_CASE(
    "chat: reminders reach the WeCom and DingTalk robots of their units in the robots' JSON, "
    "signed, mentioning the person, and a rate-limit errcode is retried",
    "[integration][notify][chat]") {
  scenario s;
  s.generate(3, 10);                             // 15 cases over three sales units
  add_contacts(s.sample() + "/org.csv", false);  // chat ids only: this worker has no SMTP
  long long cycle = 0;
  {
    auto engine = start_engine(s.root.path(), {"--clock-start", "2026-10-01T09:00:00+08:00"});
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "org", "import", s.sample() + "/org.csv"}) ==
            0);
    cycle = s.open_cycle();
    engine.signal(SIGTERM);
    engine.wait();
  }
  const std::string secret = "SEC0123456789abcdef";
  fake_server wecom(s.root.path(), "fake_robot.py",
                    {"--answers",
                     R"([[200, {"errcode": 45009, "errmsg": "api freq out of limit"}],
                         [200, {"errcode": 0, "errmsg": "ok"}]])"},
                    "wecom");
  fake_server dingtalk(s.root.path(), "fake_robot.py", {"--secret", secret}, "dingtalk");
  std::string wecom_url =
      "http://127.0.0.1:" + std::to_string(wecom.port()) + "/cgi-bin/webhook/send?key=K1";
  std::string dingtalk_url =
      "http://127.0.0.1:" + std::to_string(dingtalk.port()) + "/robot/send?access_token=T2";
  std::string webhooks = s.root.path() + "/webhooks.json";
  {
    json hooks{{"建机事业部", {{"wecom", wecom_url}}},
               {"游乐事业部", {{"wecom", wecom_url}}},
               {"环保事业部", {{"dingtalk", dingtalk_url}, {"secret", secret}}},
               {"人力资源中心", {{"wecom", wecom_url}}}};
    std::ofstream(webhooks) << hooks.dump();
  }
  // A webhooks file others may read is refused: it holds the robots' keys.
  fs::permissions(webhooks, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  std::string err;
  CHECK(run(ASSESS_NOTIFY_BIN, {"--data", s.data(), "--webhooks", webhooks}, &err, true) == 2);
  CHECK(err.find("readable by others (chmod 600 " + webhooks + ")") != std::string::npos);
  CHECK(err.find("K1") == std::string::npos);
  fs::permissions(webhooks, fs::perms::owner_read | fs::perms::owner_write);

  auto notify = start_worker(ASSESS_NOTIFY_BIN, s.root.path(), {"--webhooks", webhooks});
  // Back on 5 October at 09:30: every self review is due tomorrow, its
  // employee was reminded at 09:00.
  auto engine = start_engine(s.root.path(), {"--clock-start", "2026-10-05T09:30:00+08:00",
                                             "--retry-base-ms", "200", "--retry-cap-ms", "400"});
  REQUIRE(eventually([&] {
    std::size_t reminders = 0;
    for (const auto& l : filed(s.data())) reminders += l["kind"] == "deadline_reminder";
    return reminders == 15 && settled(s.data());
  }));
  std::map<std::string, std::string> unit_of;
  json cases = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}, {"limit", 1000}});
  INFO(cases.dump());
  for (const auto& c : cases["cases"])
    unit_of[c["employee_id"].get<std::string>()] = c["unit"].get<std::string>();
  REQUIRE(unit_of.size() == 15);
  std::map<std::string, int> posted;  // employee -> posts mentioning them
  auto posts = wecom.lines();
  REQUIRE(!posts.empty());
  CHECK(posts[0]["path"] == "/cgi-bin/webhook/send");
  CHECK(posts[0]["query"]["key"] == "K1");
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const json& body = posts[i]["body"];
    INFO(body.dump());
    CHECK(body["msgtype"] == "markdown");
    std::string text = body["markdown"]["content"].get<std::string>();
    CHECK(text.rfind("#### 待办提醒\n", 0) == 0);
    std::smatch at;
    REQUIRE(std::regex_search(text, at, std::regex("<@chat-([A-Z0-9]+)>$")));
    CHECK(unit_of.at(at[1]) != "环保事业部");
    CHECK(std::regex_search(text, std::regex("编号 [A-Z2-7]{8}")));
    ++posted[at[1]];
  }
  for (const auto& post : dingtalk.lines()) {
    const json& body = post["body"];
    INFO(post.dump());
    CHECK(post["path"] == "/robot/send");
    CHECK(post["query"]["access_token"] == "T2");
    CHECK(post["sign_ok"] == true);
    CHECK(body["msgtype"] == "markdown");
    CHECK(body["markdown"]["title"] == "待办提醒");
    REQUIRE(body["at"]["atUserIds"].size() == 1);
    std::string id = body["at"]["atUserIds"][0].get<std::string>();
    REQUIRE(id.rfind("chat-", 0) == 0);
    CHECK(body["at"]["isAtAll"] == false);
    CHECK(body["markdown"]["text"].get<std::string>().find("@" + id) != std::string::npos);
    CHECK(unit_of.at(id.substr(5)) == "环保事业部");
    ++posted[id.substr(5)];
  }
  // Every employee once, but the first post: answered 45009, and sent again.
  REQUIRE(posted.size() == 15);
  std::smatch first;
  std::string first_text = posts[0]["body"]["markdown"]["content"].get<std::string>();
  REQUIRE(std::regex_search(first_text, first, std::regex("<@chat-([A-Z0-9]+)>$")));
  for (const auto& [employee, n] : posted) CHECK(n == (employee == first[1] ? 2 : 1));
  json stats = admin(s.data(), {{"cmd", "stats"}});
  CHECK(stats["notifications"]["chat"]["sent"] == 15);
  CHECK(stats["notifications"]["chat"]["retried"] == 1);
  json dead = tasks_of(s.data(), "dead")["tasks"];
  INFO(dead.dump());
  CHECK(dead.empty());
}
