// The notify worker's batch without outside servers: the placeholders a
// task fills in, what a worker without a channel answers, the result that
// never goes to a chat, and the batch's time budget. The sends themselves
// are tested against real servers in tests/integration/notify_channels_test.cpp.
#include "workers/notify/notifier.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tools/common/process.h"
#include "workers/notify/notice_fields.h"

using af::msg::notify_result;
using af::msg::notify_task;
using af::worker::notice_fields;
using af::worker::notifier;
using af::worker::notifier_config;
using json = nlohmann::json;

namespace {

notify_task task(const std::string& channel, const std::string& kind = "case_final") {
  notify_task t;
  t.notification_id = "case-7-h3-employee";
  if (channel != "file") t.notification_id += "-" + channel;
  t.recipient_id = "E1001";
  t.case_id = 7;
  t.kind = kind;
  t.body_json = R"({"case":7,"program":"competency50","period":"2026-Q3","employee_id":"E1001",)"
                R"("employee_name":"王芳","state":"final","kind":"case_final","as":"employee",)"
                R"("at":"2026-10-09T10:00:00+08:00","total":"43.50","tier":2,"adjusted_tier":1,)"
                R"("due_at":"2026-10-10T09:00:00+08:00"})";
  t.channel = channel;
  t.address = channel == "smtp" ? "wang@example.com" : channel == "chat" ? "wangfang" : "";
  t.unit = "建机事业部";
  t.recipient_name = "王芳";
  t.message_key = "K7Q2ABCD";
  t.message_id = "<0123456789abcdef0123456789abcdef@inst.assessflow>";
  return t;
}

std::vector<notify_result> handle(notifier& n, const std::vector<notify_task>& tasks,
                                  std::int64_t elapsed = 0) {
  std::vector<af::msg::envelope> in;
  for (const auto& t : tasks) in.push_back(af::msg::pack(t));
  return n.handle(in, 1'791'600'000'000, [&] { return elapsed; });
}

notifier_config config(const std::string& outbox, bool templates) {
  notifier_config cfg;
  cfg.outbox = outbox;
  if (templates) {
    auto set =
        af::notice::template_set::load(std::string(ASSESSFLOW_SCHEMAS_DIR) + "/templates", "zh");
    REQUIRE(set.is_ok());
    cfg.templates = std::move(set).value();
  }
  return cfg;
}

}  // namespace

TEST_CASE("a task's placeholders come from its body and its recipient", "[workers][notify]") {
  auto f = notice_fields(task("smtp"));
  REQUIRE(f.is_ok());
  CHECK(*f == json{{"case", 7},
                   {"program", "competency50"},
                   {"period", "2026-Q3"},
                   {"state", "final"},
                   {"employee_id", "E1001"},
                   {"employee", "王芳"},
                   {"total", "43.50"},
                   {"tier", 1},  // the adjusted tier wins
                   {"role", "employee"},
                   {"deadline", "2026-10-10T09:00:00+08:00"},
                   {"recipient", "王芳"},
                   {"key", "K7Q2ABCD"}});
  notify_task bare = task("file");
  bare.body_json = R"({"kind":"cycle_unfinished","program":"competency50","open":3,)"
                   R"("window_end":"2026-10-10"})";
  bare.recipient_name.clear();
  bare.case_id = 0;
  f = notice_fields(bare);
  REQUIRE(f.is_ok());
  CHECK(*f == json{{"program", "competency50"},
                   {"open", 3},
                   {"deadline", "2026-10-10"},
                   {"recipient", "E1001"},
                   {"key", "K7Q2ABCD"}});
  bare.body_json = "[1,2]";
  CHECK(notice_fields(bare).error().message() ==
        "notification case-7-h3-employee: its body is not a JSON object");
}

TEST_CASE("a channel this worker was not given makes the task dead naming what is missing",
          "[workers][notify]") {
  af::tools::temp_dir dir;
  auto made = notifier::make(config(dir.path() + "/out", false));
  REQUIRE(made.is_ok());
  auto results =
      handle(**made, {task("file"), task("smtp"), task("chat", "deadline_reminder"), task("fax")});
  REQUIRE(results.size() == 4);
  CHECK(results[0].ok);
  CHECK(results[0].notification_id == "case-7-h3-employee");
  CHECK_FALSE(results[1].ok);
  CHECK_FALSE(results[1].retryable);
  CHECK(results[1].error ==
        "channel smtp: not configured on this notify worker (start it with --smtp-url and "
        "--smtp-from)");
  CHECK(results[2].error ==
        "channel chat: not configured on this notify worker (start it with --webhooks FILE)");
  CHECK(results[3].error == "channel \"fax\": unknown (file, smtp or chat)");
  CHECK(results[3].notification_id == "case-7-h3-employee-fax");
  for (const auto& r : results) CHECK(r.defer_ms == 0);
  // E-mail and chat cannot be configured without the templates.
  auto cfg = config(dir.path() + "/out", false);
  cfg.smtp = af::worker::smtp_config{"smtp://127.0.0.1:1", "assessflow@example.com"};
  CHECK(notifier::make(std::move(cfg)).error().message() ==
        "e-mail and chat need the notification templates (--templates DIR)");
}

TEST_CASE("a result never goes to a chat, a unit without a robot is named, a late batch defers",
          "[workers][notify]") {
  af::tools::temp_dir dir;
  auto cfg = config(dir.path() + "/out", true);
  // Nothing listens on port 1: any attempt would fail as retryable, not as below.
  cfg.robots["建机事业部"] = {af::worker::robot::kind::wecom,
                              "http://127.0.0.1:1/cgi-bin/webhook/send?key=K", ""};
  cfg.smtp = af::worker::smtp_config{"smtp://127.0.0.1:1", "assessflow@example.com"};
  auto made = notifier::make(std::move(cfg));
  REQUIRE(made.is_ok());
  notify_task elsewhere = task("chat", "deadline_reminder");
  elsewhere.unit = "环保事业部";
  auto results = handle(**made, {task("chat", "case_final"), elsewhere});
  CHECK(results[0].error ==
        "chat: \"case_final\" is not a prompt; a person's result never goes to a group chat");
  CHECK_FALSE(results[0].retryable);
  CHECK(results[1].error == "chat: no robot for unit \"环保事业部\" in the webhooks file");
  // Past the budget (2 s): not attempted, offered again in half a second.
  results = handle(**made, {task("smtp"), task("chat", "deadline_reminder"), task("file")}, 2'000);
  for (int i : {0, 1}) {
    CHECK_FALSE(results[i].ok);
    CHECK(results[i].defer_ms == 500);
    CHECK(results[i].error == "not attempted: the batch ran out of time");
  }
  CHECK(results[2].ok);  // the file channel has no budget
  // Within it, a server that is not there is a retryable failure.
  results = handle(**made, {task("smtp")}, 1'999);
  CHECK_FALSE(results[0].ok);
  CHECK(results[0].retryable);
  CHECK(results[0].defer_ms == 0);
  CHECK(results[0].error.rfind("smtp: ", 0) == 0);
}

TEST_CASE("units that share a robot share its limit of posts a minute", "[workers][notify]") {
  af::tools::temp_dir dir;
  auto cfg = config(dir.path() + "/out", true);
  std::string url = "http://127.0.0.1:1/cgi-bin/webhook/send?key=K";  // nothing listens
  cfg.robots["建机事业部"] = {af::worker::robot::kind::wecom, url, ""};
  cfg.robots["环保事业部"] = {af::worker::robot::kind::wecom, url, ""};
  cfg.robot_per_minute = 1;
  auto made = notifier::make(std::move(cfg));
  REQUIRE(made.is_ok());
  notify_task other = task("chat", "deadline_reminder");
  other.unit = "环保事业部";
  auto results = handle(**made, {task("chat", "deadline_reminder"), other});
  CHECK(results[0].retryable);  // attempted: no connection
  CHECK(results[0].defer_ms == 0);
  CHECK_FALSE(results[1].ok);
  CHECK(results[1].defer_ms == 60'000);  // not attempted: the shared robot had its one post
  CHECK(results[1].error ==
        "chat: the robot of unit \"环保事业部\" is at its limit of 1 messages a minute");
}
