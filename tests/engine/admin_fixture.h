// admin_fixture.h: a store on a temporary file, the competency50 program,
// a small organisation and an admin API to drive cases through, each
// request in its own transaction at the fixture's clock (`now`).
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "engine/admin_api.h"
#include "engine/case_service.h"
#include "engine/store.h"
#include "messages/types.h"
#include "tests/engine/test_support.h"

namespace af::engine::testing {

using af::engine::admin_api;
using af::engine::case_service;
using af::engine::outbox;
using af::engine::program_registry;
using af::engine::queued_task;
using af::engine::store;
using njson = nlohmann::json;

inline constexpr int shanghai = 480;
// The fixture's clock starts here; tests may move fixture::now.
const std::int64_t start_instant = *af::parse_instant("2026-10-01T09:00:00+08:00");

inline store open_store(const std::string& path) {
  auto r = store::open(path, ASSESSFLOW_SCHEMAS_DIR "/migrations", false);
  if (!r) FAIL("store::open: " << r.error().to_string());
  return std::move(r).value();
}

inline program_registry load_programs() {
  program_registry programs;
  for (const char* name : {"competency50", "competency_model", "kam_review", "performance",
                           "performance_quarter", "performance_year", "certification"}) {
    auto wf = af::engine::load_workflow_file(std::string(ASSESSFLOW_SCHEMAS_DIR "/workflows/") +
                                             name + ".json");
    if (!wf) FAIL("workflow: " << wf.error().to_string());
    programs.emplace(name, std::move(wf).value());
  }
  return programs;
}

inline njson row(const std::string& id, const std::string& supervisor, const std::string& hrbp,
                 const std::string& roles, int grade = 3,
                 const std::string& joined_on = "2021-03-01") {
  return {{"id", id},
          {"name", "Name " + id},
          {"unit", "U1"},
          {"grade", grade},
          {"supervisor_id", supervisor},
          {"hrbp_id", hrbp},
          {"joined_on", joined_on},
          {"roles", roles}};
}

inline njson small_org() {
  return njson::array(
      {row("S1", "", "", "", 1, "2010-01-01"), row("B1", "", "", "", 2, "2012-05-01"),
       row("H1", "S1", "B1", "hr"), row("C1", "S1", "", "chairman"), row("A1", "S1", "", "admin"),
       row("E1", "S1", "B1", "", 3, "2021-03-01"), row("E2", "S1", "B1", "", 4, "2024-02-29")});
}

inline const njson ratings = {{"language", 4},
                              {"market_development", 3},
                              {"negotiation", 5},
                              {"achievement_motivation", 4},
                              {"service_orientation", 4},
                              {"initiative", 3}};
inline const njson exams = {{"product_knowledge", 87}};

inline af::msg::scoring_result design_result(std::int64_t case_id) {
  af::msg::scoring_result r;
  r.case_id = static_cast<std::uint64_t>(case_id);
  r.ok = true;
  r.items = {{"product_knowledge", 435},
             {"language", 400},
             {"market_development", 300},
             {"negotiation", 500},
             {"achievement_motivation", 400},
             {"service_orientation", 400},
             {"initiative", 300},
             {"years_experience", 500},
             {"sales_last_year", 400},
             {"conversion_rate", 300}};
  r.total = 3935;
  r.tier = 2;
  return r;
}

template <typename T>
T unpack(const queued_task& t) {
  af::msg::envelope e{t.type, af::msg::current_version(t.type), static_cast<std::uint64_t>(t.id), 0,
                      t.body};
  auto r = af::msg::unpack<T>(e);
  if (!r) FAIL("unpack: " << r.error().to_string());
  return std::move(r).value();
}

struct fixture {
  temp_dir dir;
  store db = open_store(dir.file("assessflow.db"));
  program_registry programs = load_programs();
  case_service cases{db, programs, shanghai};
  bool rubrics_set = [this] {  // case_service holds views of itself: it is not copied
    auto rubrics = af::rubric::load_dir(ASSESSFLOW_SCHEMAS_DIR "/rubrics");
    if (!rubrics) FAIL("rubrics: " << rubrics.error().to_string());
    std::ifstream in(ASSESSFLOW_SCHEMAS_DIR "/learning/catalogue.json");
    std::stringstream text;
    text << in.rdbuf();
    auto catalogue = af::learning::parse_catalogue(text.str(), "catalogue.json",
                                                   rubrics->at("competency_model"));
    if (!catalogue) FAIL("catalogue: " << catalogue.error().to_string());
    cases.set_catalogue(std::move(catalogue).value());
    cases.set_rubrics(std::move(rubrics).value());
    return true;
  }();
  std::vector<std::string> imported;
  af::engine::principal_registry principals;
  admin_api api{db, cases, principals, [] { return af::msg::json::object(); },
                [this](const std::string& id) { imported.push_back(id); }};
  outbox last;  // what the last request produced
  std::int64_t now = start_instant;
  // Who sends the requests: an admin service unless a test says otherwise.
  af::engine::principal caller{"admin", false, "", {af::engine::capability::admin}, "", false};

  std::string raw(const std::string& text) {
    last.clear();
    db.work().begin();
    std::string reply = api.handle(caller, text, now, last);
    db.work().commit();
    return reply;
  }
  // The next requests come from a person principal bound to `employee`.
  void as_person(const std::string& employee) {
    caller = {"p-" + employee, true, employee, {}, "", false};
  }
  // ... or from a service with these capabilities.
  void as_service(const std::string& name, std::set<af::engine::capability> caps) {
    caller = {name, false, "", std::move(caps), "", false};
  }
  njson call(const njson& request) {
    std::string reply = raw(request.dump());
    CHECK(reply.find('\n') == std::string::npos);
    auto j = njson::parse(reply, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    REQUIRE(j.is_object());
    REQUIRE(j.contains("ok"));
    return j;
  }
  // A request that must succeed; the reply.
  njson ok(const njson& request) {
    auto j = call(request);
    INFO(request.dump() << " -> " << j.dump());
    REQUIRE(j["ok"] == true);
    return j;
  }
  // A request that must fail; its error.
  std::string refused(const njson& request) {
    auto j = call(request);
    INFO(request.dump() << " -> " << j.dump());
    REQUIRE(j["ok"] == false);
    CHECK(j.size() == 3);
    CHECK(j.contains("code"));
    return j["error"].get<std::string>();
  }
  // A request that must fail with this code; its error.
  std::string refused_with(const std::string& code, const njson& request) {
    auto j = call(request);
    INFO(request.dump() << " -> " << j.dump());
    REQUIRE(j["ok"] == false);
    CHECK(j["code"] == code);
    return j["error"].get<std::string>();
  }

  void import_org() {
    auto r = ok({{"cmd", "org.import"}, {"rows", small_org()}});
    CHECK(r["imported"] == 7);
  }
  std::int64_t start_cycle() {
    auto r = ok({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
    CHECK(r["opened"] == 2);
    return r["cycle"].get<std::int64_t>();
  }
  std::int64_t case_of(const std::string& employee) {
    const njson list = ok({{"cmd", "cases"}})["cases"];
    for (const auto& c : list)
      if (c["employee_id"] == employee) return c["id"].get<std::int64_t>();
    FAIL("no case for " << employee);
    return 0;
  }
  njson show(std::int64_t id) { return ok({{"cmd", "case.show"}, {"case", id}}); }
  std::string state(std::int64_t id) { return show(id)["state"].get<std::string>(); }

  // The employee's self review and S1's review, both with `with_ratings`.
  void submit_reviews(std::int64_t id, const std::string& employee, const njson& with_ratings,
                      const njson& with_exams) {
    ok({{"cmd", "submit"},
        {"case", id},
        {"as", "employee:" + employee},
        {"ratings", with_ratings}});
    ok({{"cmd", "submit"},
        {"case", id},
        {"as", "supervisor:S1"},
        {"ratings", with_ratings},
        {"exams", with_exams}});
  }
  // Drives a case from self_review to hrbp_review.
  void to_hrbp_review(std::int64_t id, const std::string& employee) {
    submit_reviews(id, employee, ratings, exams);
    REQUIRE(apply_scoring(design_result(id)).is_ok());
    REQUIRE(state(id) == "hrbp_review");
  }

  af::status apply_scoring(const af::msg::scoring_result& r) {
    last.clear();
    db.work().begin();
    auto s = cases.apply_scoring(r, now, last);
    db.work().commit();
    return s;
  }
};

}  // namespace af::engine::testing
