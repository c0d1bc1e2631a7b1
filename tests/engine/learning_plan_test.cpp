// Learning plans (DOMAIN.md "Qualification certification"; engine/
// learning_plans.h): built from a manager's final competency_model result
// and schemas/learning/catalogue.json, largest gap first, the activities at
// the required level and, for a gap of 2 or more, the level below; who may
// read a plan and who may record an activity done.
#include <catch2/catch.hpp>

#include "tests/engine/scoring_fixture.h"

using namespace af::engine::testing;

namespace {

std::vector<std::string> ids(const njson& plan) {
  std::vector<std::string> out;
  for (const auto& a : plan["activities"]) out.push_back(a["id"].get<std::string>());
  return out;
}

// E1 (grade 3: level 2 required): execution 2 (gap 3), position_knowledge
// 65 -> 3 points (gap 2), communication 4 (gap 1), everything else at or
// above the standard of 5.
void e1_model(scoring_fixture& f) {
  f.final_competency_model("E1", 5, {{"execution", 2}, {"communication", 4}},
                           {{"general_knowledge", 85},
                            {"professional_knowledge", 95},
                            {"position_knowledge", 65},
                            {"position_skills", 91}});
}

}  // namespace

TEST_CASE("a learning plan: largest gap first, the required level and the one below for 2+",
          "[engine][learning]") {
  scoring_fixture f;
  f.import_org();
  f.now = *af::parse_instant("2027-01-05T09:00:00+08:00");
  auto none = f.ok({{"cmd", "plan.show"}, {"employee_id", "E1"}});
  CHECK(none["activities"].empty());
  CHECK(none["note"] == "no final competency_model result yet: no plan");
  e1_model(f);
  auto plan = f.ok({{"cmd", "plan.show"}, {"employee_id", "E1"}});
  CHECK(ids(plan) == std::vector<std::string>{"EXE-1", "EXE-2", "EXE-2P", "POS-1", "POS-2",
                                              "POS-2P", "COM-2", "COM-2P"});
  CHECK(plan["activities"][0]["gap"] == 3.0);
  CHECK(plan["activities"][0]["level"] == 1);
  CHECK(plan["activities"][0]["kind"] == "course");
  CHECK(plan["activities"][6]["gap"] == 1.0);
  CHECK(plan["period"] == "2026");
  CHECK(plan["done"] == 0);
  CHECK(plan["total"] == 8);

  // The manager and the supervisor record what is done; nobody else.
  f.ok({{"cmd", "plan.done"}, {"employee_id", "E1"}, {"activity", "EXE-1"}, {"as", "employee:E1"}});
  f.now += 3600;
  auto after = f.ok({{"cmd", "plan.done"},
                     {"employee_id", "E1"},
                     {"activity", "POS-2"},
                     {"as", "supervisor:S1"}});
  CHECK(after["done"] == 2);
  CHECK(after["activities"][0]["done_by"] == "employee:E1");
  CHECK(after["activities"][0]["done_at"] == "2027-01-05T09:00:00+08:00");
  CHECK(after["activities"][4]["done_by"] == "supervisor:S1");
  CHECK(f.refused_with("forbidden", {{"cmd", "plan.done"},
                                     {"employee_id", "E1"},
                                     {"activity", "COM-2"},
                                     {"as", "hrbp:B1"}}) ==
        "a plan's activities are recorded by the manager (employee:E1) or their supervisor "
        "(supervisor:S1)");
  CHECK(f.refused_with("forbidden", {{"cmd", "plan.done"},
                                     {"employee_id", "E1"},
                                     {"activity", "COM-2"},
                                     {"as", "employee:E2"}}) ==
        "a plan's activities are recorded by the manager (employee:E1) or their supervisor "
        "(supervisor:S1)");
  CHECK(f.refused_with("conflict", {{"cmd", "plan.done"},
                                    {"employee_id", "E1"},
                                    {"activity", "EXE-1"},
                                    {"as", "supervisor:S1"}}) ==
        "activity EXE-1 of E1 was recorded as done at 2027-01-05T09:00:00+08:00 by employee:E1");
  CHECK(f.refused_with("invalid", {{"cmd", "plan.done"},
                                   {"employee_id", "E1"},
                                   {"activity", "GEN-2"},
                                   {"as", "employee:E1"}}) ==
        "activity: \"GEN-2\" is not in E1's plan");
  CHECK(f.refused_with("invalid",
                       {{"cmd", "plan.done"}, {"employee_id", "E1"}, {"as", "employee:E1"}}) ==
        "activity: missing");
  CHECK(f.ok({{"cmd", "plan.show"}, {"employee_id", "E1"}})["done"] ==
        2);  // refusals changed nothing
}

TEST_CASE("who may read a learning plan", "[engine][learning][access]") {
  scoring_fixture f;
  f.import_org();
  f.now = *af::parse_instant("2027-01-05T09:00:00+08:00");
  e1_model(f);
  for (const char* reader : {"E1", "S1", "B1", "H1", "C1"}) {
    INFO(reader);
    f.as_person(reader);
    CHECK(f.ok({{"cmd", "plan.show"}, {"employee_id", "E1"}})["total"] == 8);
  }
  f.as_person("E2");  // a colleague sees nothing of it
  CHECK(f.refused_with("not_found", {{"cmd", "plan.show"}, {"employee_id", "E1"}}) ==
        "employee_id: unknown employee \"E1\"");
  CHECK(f.refused_with("not_found", {{"cmd", "plan.done"},
                                     {"employee_id", "E1"},
                                     {"activity", "EXE-1"},
                                     {"as", "employee"}}) ==
        "employee_id: unknown employee \"E1\"");
  f.as_person("E1");  // a person acts only as themself
  CHECK(f.refused_with("forbidden", {{"cmd", "plan.done"},
                                     {"employee_id", "E1"},
                                     {"activity", "EXE-1"},
                                     {"as", "supervisor:S1"}}) ==
        "principal p-E1 may not act as S1");
  f.ok({{"cmd", "plan.done"}, {"employee_id", "E1"}, {"activity", "EXE-1"}, {"as", "employee"}});
  f.as_service("watcher", {af::engine::capability::observer});
  CHECK(f.ok({{"cmd", "plan.show"}, {"employee_id", "E1"}})["done"] == 1);
  CHECK(f.refused_with("forbidden", {{"cmd", "plan.done"},
                                     {"employee_id", "E1"},
                                     {"activity", "EXE-2"},
                                     {"as", "employee:E1"}}) ==
        "principal watcher (service: observer) may not send plan.done (it acts for nobody; "
        "actions need a person, portal or admin principal)");
}
