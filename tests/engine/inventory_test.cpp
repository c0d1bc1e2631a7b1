// The inventory (盘点; DOMAIN.md "Qualification certification"; engine/
// inventory_view.cpp): each competency item's score and gap this year
// against the last, per person and per unit, with the certification
// outcomes and the movement between grades; who may read it.
#include <catch2/catch.hpp>

#include "tests/engine/scoring_fixture.h"

using namespace af::engine::testing;

namespace {

const njson exams = {{"general_knowledge", 85},
                     {"professional_knowledge", 95},
                     {"position_knowledge", 85},
                     {"position_skills", 91}};

njson item(const njson& items, const std::string& key) {
  for (const auto& i : items)
    if (i["item"] == key) return i;
  FAIL("no item " << key);
  return {};
}

// 2025: E1's execution 3. 2026: E1's execution 4, E2 at 5 throughout; E1
// promoted to grade 2 in June 2026; certification of 2026 for both.
void two_years(scoring_fixture& f) {
  f.now = *af::parse_instant("2026-01-05T09:00:00+08:00");
  f.import_org();
  f.final_competency_model("E1", 5, {{"execution", 3}}, exams, "2025");
  f.now = *af::parse_instant("2026-06-01T09:00:00+08:00");
  auto org = small_org();
  for (auto& r : org)
    if (r["id"] == "E1") r["grade"] = 2;
  f.ok({{"cmd", "org.import"}, {"rows", org}});
  f.now = *af::parse_instant("2027-01-05T09:00:00+08:00");
  f.final_competency_model("E1", 5, {{"execution", 4}}, exams, "2026");
  f.final_competency_model("E2", 5, njson::object(), exams, "2026");
  f.now = *af::parse_instant("2027-01-12T09:00:00+08:00");
  f.ok({{"cmd", "cycle.start"}, {"program", "certification"}, {"period", "2026"}});
}

}  // namespace

TEST_CASE("the inventory: items and gaps against the year before, outcomes, grade movement",
          "[engine][inventory]") {
  scoring_fixture f;
  two_years(f);
  auto inv = f.ok({{"cmd", "inventory"}, {"period", "2026"}});
  CHECK(inv["previous_period"] == "2025");
  CHECK(inv["program"] == "competency_model");
  CHECK(inv["grades_known_from"] == "2026-01-05");
  REQUIRE(inv["people"].size() == 2);  // E1 and E2; a first grade alone lists nobody
  const auto& e1 = inv["people"][0];
  CHECK(e1["employee_id"] == "E1");
  CHECK(e1["grade"] == 2);
  CHECK(item(e1["items"], "execution") == njson{{"item", "execution"},
                                                {"score", 4.0},
                                                {"previous_score", 3.0},
                                                {"gap", 1.0},
                                                {"previous_gap", 2.0},
                                                {"change", 1.0}});
  CHECK(item(e1["items"], "professional_knowledge")["score"] == 6.0);
  CHECK(item(e1["items"], "professional_knowledge")["change"] == 0.0);
  CHECK(e1["certification"]["outcome"] == "certified");
  CHECK(e1["grade_movement"] == njson{"first", "promoted"});
  const auto& e2 = inv["people"][1];
  CHECK(item(e2["items"], "execution")["previous_score"].is_null());
  CHECK(item(e2["items"], "execution")["change"].is_null());
  REQUIRE(inv["units"].size() == 1);
  const auto& u = inv["units"][0];
  CHECK(u["unit"] == "U1");
  CHECK(u["people"] == 2);
  CHECK(item(u["items"], "execution") == njson{{"item", "execution"},
                                               {"mean_score", 4.5},
                                               {"previous_mean_score", 3.0},
                                               {"mean_gap", 0.5},
                                               {"previous_mean_gap", 2.0}});
  CHECK(u["certification"] == njson{{"pending", 2}});  // HR has not approved them yet
  CHECK(u["promoted"] == 1);
  CHECK(u["demoted"] == 0);
  f.ok({{"cmd", "approve"}, {"as", "hr:H1"}, {"state", "hr_review"}});  // both certified by HR
  CHECK(f.ok({{"cmd", "inventory"}, {"period", "2026"}})["units"][0]["certification"] ==
        njson{{"certified", 2}});
  CHECK(f.ok({{"cmd", "inventory"}, {"period", "2026"}, {"unit", "elsewhere"}})["people"].empty());
  // E2 moves to U2 in 2027: the inventory of 2026 still counts E2 in U1.
  auto org = small_org();
  for (auto& r : org) {
    if (r["id"] == "E1") r["grade"] = 2;
    if (r["id"] == "E2") r["unit"] = "U2";
  }
  f.ok({{"cmd", "org.import"}, {"rows", org}});
  auto moved = f.ok({{"cmd", "inventory"}, {"period", "2026"}});
  REQUIRE(moved["units"].size() == 1);
  CHECK(moved["units"][0]["unit"] == "U1");
  CHECK(moved["units"][0]["people"] == 2);
  CHECK(moved["people"][1]["unit"] == "U1");
  CHECK(f.ok({{"cmd", "inventory"}, {"period", "2026"}, {"unit", "U1"}})["people"].size() == 2);
  CHECK(f.ok({{"cmd", "inventory"}, {"period", "2026"}, {"unit", "U2"}})["people"].empty());
  CHECK(f.refused({{"cmd", "inventory"}, {"period", "2026-07"}}) ==
        "period: an inventory is for a year (2026) or a quarter (2026-Q3)");
  CHECK(f.refused({{"cmd", "inventory"}}) == "period: missing (2026 or 2026-Q3)");
}

TEST_CASE("who may read the inventory", "[engine][inventory][access]") {
  scoring_fixture f;
  two_years(f);
  f.as_person("E1");
  CHECK(f.refused_with("forbidden", {{"cmd", "inventory"}, {"period", "2026"}}) ==
        "principal p-E1 (person E1) may not send inventory (needs the hr, chairman or admin "
        "role, an HRBP, or an observer, portal or admin principal)");
  f.as_person("S1");  // a supervisor who is no HRBP
  CHECK(f.refused_with("forbidden", {{"cmd", "inventory"}, {"period", "2026"}})
            .find("may not send inventory") != std::string::npos);
  f.as_person("B1");  // the HRBP of E1 and E2
  CHECK(f.ok({{"cmd", "inventory"}, {"period", "2026"}})["people"].size() == 2);
  f.as_person("H1");
  CHECK(f.ok({{"cmd", "inventory"}, {"period", "2026"}})["people"].size() == 2);
  f.as_service("watcher", {af::engine::capability::observer});
  CHECK(f.ok({{"cmd", "inventory"}, {"period", "2026"}})["units"].size() == 1);
}
