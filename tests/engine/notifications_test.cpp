// One notification, one task per channel (engine/notifications.h): e-mail
// for an address, the unit's robot for a prompt to someone with a chat id,
// the file otherwise; the same key and a Message-ID unique per database.
#include "engine/notifications.h"

#include <catch2/catch.hpp>

#include "tests/engine/admin_fixture.h"

using namespace af::engine::testing;
using af::engine::channel_tasks;
using af::engine::employee_row;

namespace {

af::msg::notify_task notification(const std::string& kind) {
  af::msg::notify_task n;
  n.notification_id = "case-7-h12-employee";
  n.recipient_id = "E1";
  n.case_id = 7;
  n.kind = kind;
  n.body_json = "{}";
  return n;
}

employee_row person(const std::string& email, const std::string& chat_id) {
  employee_row e;
  e.id = "E1";
  e.name = "王芳";
  e.unit = "华东事业部";
  e.email = email;
  e.chat_id = chat_id;
  return e;
}

std::vector<std::string> channels(const std::vector<af::msg::notify_task>& tasks) {
  std::vector<std::string> out;
  for (const auto& t : tasks) out.push_back(t.channel + " " + t.notification_id + " " + t.address);
  return out;
}

}  // namespace

TEST_CASE("a notification's channels follow the recipient's contacts and its kind",
          "[engine][notifications]") {
  const std::string db = "0123456789abcdef";
  CHECK(channels(channel_tasks(notification("case_final"), person("", ""), db)) ==
        std::vector<std::string>{"file case-7-h12-employee "});
  CHECK(channels(channel_tasks(notification("case_final"), std::nullopt, db)) ==
        std::vector<std::string>{"file case-7-h12-employee "});
  const std::string file = "file case-7-h12-employee ";
  CHECK(
      channels(channel_tasks(notification("case_final"), person("wang@example.cn", "wf"), db)) ==
      std::vector<std::string>{file, "smtp case-7-h12-employee-smtp wang@example.cn"});  // no chat
  auto reminder =
      channel_tasks(notification("deadline_reminder"), person("wang@example.cn", "wf"), db);
  CHECK(channels(reminder) ==
        std::vector<std::string>{file, "smtp case-7-h12-employee-smtp wang@example.cn",
                                 "chat case-7-h12-employee-chat wf"});
  CHECK(channels(channel_tasks(notification("deadline_reminder"), person("", "wf"), db)) ==
        std::vector<std::string>{file, "chat case-7-h12-employee-chat wf"});
  // A reminder about an appeal or a re-exam would tell the group a result: no chat.
  for (const char* state : {"appeal", "rescoring", "re_exam"}) {
    auto n = notification("deadline_reminder");
    n.body_json = std::string(R"({"state":")") + state + "\"}";
    INFO(state);
    CHECK(channels(channel_tasks(n, person("", "wf"), db)) == std::vector<std::string>{file});
  }
  for (const auto& t : reminder) {
    CHECK(t.message_key == af::engine::message_key("case-7-h12-employee"));
    CHECK(t.message_id.size() == 1 + 32 + 1 + 16 + 12);  // <HASH@INSTANCE.assessflow>
    CHECK(t.message_id.rfind("@0123456789abcdef.assessflow>") == 33);
    CHECK(t.message_id == reminder[0].message_id);
    CHECK(t.unit == "华东事业部");
    CHECK(t.recipient_name == "王芳");
  }
  auto odd = notification("case_final");
  odd.notification_id = "case-7-h12-hr-H1\r\nBcc: x@evil";  // employee ids are free text
  auto id = channel_tasks(odd, std::nullopt, db)[0].message_id;
  CHECK(id.find_first_of("\r\n ") == std::string::npos);
  CHECK(af::engine::message_key("case-7-h12-employee").size() == 8);
  CHECK(af::engine::message_key("case-7-h12-employee") !=
        af::engine::message_key("case-7-h13-employee"));
}

TEST_CASE("the engine queues a task per channel and warns of people without one",
          "[engine][notifications]") {
  fixture f;
  auto org = small_org();
  for (auto& r : org)
    if (r["id"] == "E1") r["email"] = "e1@example.cn";
  f.ok({{"cmd", "org.import"}, {"rows", org}});
  auto stats = f.ok({{"cmd", "stats"}});
  CHECK(stats["people_without_channel"] == static_cast<int>(org.size()) - 1);
  CHECK(stats["warnings"][0] ==
        std::to_string(org.size() - 1) +
            " active people have no email or chat_id in the org: their notifications go to the "
            "file channel only");
  CHECK(f.db.instance_id().size() == 32);  // 16 random bytes, made with the database
}
