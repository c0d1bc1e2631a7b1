// Notification templates (workers/domain/notice_templates.h): the shipped
// Chinese and English sets, rendering with labels and the company-zone
// deadline, and every refusal naming file and key.
#include "workers/domain/notice_templates.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using af::notice::template_set;
using json = nlohmann::json;

namespace {

const std::string shipped = std::string(ASSESSFLOW_SCHEMAS_DIR) + "/templates";

const json reminder = {{"case", 42},          {"program", "competency50"},
                       {"period", "2026-Q3"}, {"state", "self_review"},
                       {"role", "employee"},  {"deadline", "2026-10-06T09:00:00+08:00"},
                       {"employee", "王芳"},  {"recipient", "王芳"},
                       {"key", "N7Q2"},       {"total", 41.5}};

struct scratch_dir {
  std::string p = (std::filesystem::temp_directory_path() /
                   ("assessflow-templates-" + std::to_string(::getpid()) + "-" +
                    std::to_string(reinterpret_cast<std::uintptr_t>(this))))
                      .string();
  scratch_dir() { std::filesystem::create_directories(p); }
  ~scratch_dir() { std::filesystem::remove_all(p); }
  [[nodiscard]] const std::string& path() const { return p; }
};

// A set of one language with one template and the labels it needs.
struct one_template {
  scratch_dir dir;
  explicit one_template(const json& labels = {{"programs", {{"competency50", "胜任力"}}},
                                              {"states", {{"self_review", "自评"}}},
                                              {"roles", {{"employee", "员工"}}}}) {
    std::filesystem::create_directories(dir.path() + "/zh");
    std::ofstream(dir.path() + "/zh/labels.json") << labels.dump();
  }
  std::string refusal(const std::string& kind, const json& t) {
    std::ofstream(dir.path() + "/zh/" + kind + ".json") << t.dump();
    auto r = template_set::load(dir.path(), "zh");
    return r.is_ok() ? "(accepted)" : r.error().message();
  }
};

}  // namespace

TEST_CASE("the shipped templates: every kind in Chinese and English, rendered with labels",
          "[domain][templates]") {
  auto zh = template_set::load(shipped, "zh");
  REQUIRE(zh.is_ok());
  auto r = zh->render("deadline_reminder", reminder);
  REQUIRE(r.is_ok());
  CHECK(r->subject ==
        "【待办提醒】胜任力评估（50分制） 2026-Q3：请在 2026-10-06 09:00 (UTC+08:00) "
        "前完成自评（案例 42）");
  CHECK(r->text.find("截止时间：2026-10-06 09:00 (UTC+08:00)（公司时区）。") != std::string::npos);
  CHECK(r->text.find("下一步：") != std::string::npos);
  CHECK(r->chat ==
        "#### 待办提醒\n王芳的胜任力评估（50分制）（2026-Q3，案例 42）等待员工完成「自评」，截止 "
        "2026-10-06 09:00 (UTC+08:00)。请尽快处理。\n编号 N7Q2");
  auto en = template_set::load(shipped, "en");
  REQUIRE(en.is_ok());
  auto e = en->render("deadline_reminder", reminder);
  REQUIRE(e.is_ok());
  CHECK(e->subject ==
        "[Reminder] competency assessment (50 points) 2026-Q3: self review due by 2026-10-06 09:00 "
        "(UTC+08:00) (case 42)");
  // A result: optional parts show only what the case has; no chat text.
  auto final_case = zh->render("case_final", {{"case", 7},
                                              {"program", "performance_quarter"},
                                              {"period", "2026-Q2"},
                                              {"employee", "李明"},
                                              {"recipient", "李明"},
                                              {"total", 86},
                                              {"tier", 2},
                                              {"key", "K1"}});
  REQUIRE(final_case.is_ok());
  CHECK(final_case->text.find("总分：86\n等级：2\n\n下一步") != std::string::npos);
  CHECK(final_case->text.find("结论") == std::string::npos);
  CHECK(final_case->chat.empty());
  CHECK(zh->render("horoscope", reminder).error().message() ==
        "no template for notification kind \"horoscope\" in zh");
}

TEST_CASE("templates: the HTML part escapes what people typed, the subject is one line",
          "[domain][templates]") {
  auto zh = template_set::load(shipped, "zh");
  REQUIRE(zh.is_ok());
  auto r = zh->render("case_returned", {{"case", 9},
                                        {"program", "kam_review"},
                                        {"period", "2026"},
                                        {"state", "rating"},
                                        {"employee", "A & B\n<x>"},
                                        {"recipient", "S"},
                                        {"reason", "<script>alert(1)</script> & more"},
                                        {"key", "K"}});
  REQUIRE(r.is_ok());
  CHECK(r->subject.find('\n') == std::string::npos);
  CHECK(r->html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more") != std::string::npos);
  CHECK(r->html.find("<script>") == std::string::npos);
  CHECK(r->text.find("原因：<script>alert(1)</script> & more") != std::string::npos);
}

TEST_CASE("templates: refusals name the file and key", "[domain][templates]") {
  one_template t;
  const json ok = {{"subject", "{{program}} {{period}}"}, {"text", "{{case}}"}};
  CHECK(t.refusal("case_final", ok) == "(accepted)");
  CHECK(t.refusal("case_final", {{"subject", "{{programme}}"}, {"text", "x"}}) ==
        "zh/case_final.json: subject: unknown placeholder {{programme}}");
  CHECK(t.refusal("case_final", {{"subject", "x"}, {"text", "{{#tier}}{{tire}}{{/tier}}"}}) ==
        "zh/case_final.json: text: unknown placeholder {{tire}}");
  CHECK(t.refusal("case_final", {{"subject", "x"}}) ==
        "zh/case_final.json: text: missing (a template text)");
  CHECK(t.refusal("case_final", {{"subject", "x"}, {"text", "{{#tier}}open"}})
            .find("zh/case_final.json: text: ") == 0);  // Mustache's own parse error
  CHECK(t.refusal("case_final", {{"subject", "x"}, {"text", "y"}, {"html", "z"}}) ==
        "zh/case_final.json: html: unknown key (subject, text, chat)");
  CHECK(t.refusal("case_final", {{"subject", "a\nb"}, {"text", "y"}}) ==
        "zh/case_final.json: subject: must be one line");
  CHECK(t.refusal("case_final", {{"subject", "x"}, {"text", "y"}, {"chat", "z"}}) ==
        "zh/case_final.json: chat: case_final is no prompt; a person's result never goes to a "
        "group chat");
  std::filesystem::remove(t.dir.path() + "/zh/case_final.json");
  CHECK(t.refusal("deadline_reminder", ok) ==
        "zh/deadline_reminder.json: chat: missing (a prompt is also posted to the unit's robot)");
  CHECK(t.refusal("deadline_reminder",
                  {{"subject", "x"}, {"text", "{{total}}"}, {"chat", "{{total}}"}}) ==
        "zh/deadline_reminder.json: chat: unknown placeholder {{total}} (a group chat sees no "
        "result)");
  CHECK(
      t.refusal("deadline_reminder", {{"subject", "x"}, {"text", "y"}, {"chat", "{{> p}}"}}) ==
      "zh/deadline_reminder.json: chat: unknown placeholder {{>p}} (a group chat sees no result)");
  std::ofstream(t.dir.path() + "/zh/deadline_reminder.json") << "[1]";
  CHECK(template_set::load(t.dir.path(), "zh").error().message() ==
        "zh/deadline_reminder.json: not a JSON object");
  CHECK(template_set::load(t.dir.path(), "fr").error().message() ==
        "templates: no directory " + t.dir.path() + "/fr");
}

TEST_CASE("templates: covers() names the first kind or label missing", "[domain][templates]") {
  one_template t;
  t.refusal("case_final", {{"subject", "x"}, {"text", "y"}});
  auto set = template_set::load(t.dir.path(), "zh");
  REQUIRE(set.is_ok());
  CHECK(set->covers({"case_final"}, {"competency50"}, {"self_review"}, {"employee"}).is_ok());
  CHECK(set->covers({"case_final", "appeal_filed"}, {}, {}, {}).message() ==
        "zh/appeal_filed.json: missing (a template for every kind of notification)");
  CHECK(set->covers({}, {"kam_review"}, {}, {}).message() ==
        "zh/labels.json: programs.kam_review: missing");
  CHECK(set->covers({}, {}, {"rating"}, {}).message() == "zh/labels.json: states.rating: missing");
  one_template no_roles({{"programs", json::object()}, {"states", json::object()}});
  CHECK(no_roles.refusal("case_final", {{"subject", "x"}, {"text", "y"}}) ==
        "zh/labels.json: roles: must be an object of names");
}
