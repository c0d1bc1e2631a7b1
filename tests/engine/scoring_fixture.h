// scoring_fixture.h: the admin fixture with the scoring worker's own
// function (workers/scoring/scoring_handler.h) standing in for the worker:
// the task the engine emits is scored as the worker would score it and the
// result applied, for tests of programs as data.
#pragma once

#include "tests/engine/admin_fixture.h"
#include "workers/scoring/scoring_handler.h"

namespace af::engine::testing {

struct scoring_fixture : fixture {
  af::rubric::rubric_set rubrics = *af::rubric::load_dir(ASSESSFLOW_SCHEMAS_DIR "/rubrics");

  // The scoring task the last step emitted, scored as the worker would, applied.
  af::msg::scoring_task score_last() {
    for (const auto& t : last.tasks)
      if (t.type == af::msg::message_type::scoring_task) {
        auto task = unpack<af::msg::scoring_task>(t);
        auto result = af::worker::score_task(task, rubrics);
        INFO(result.error);
        REQUIRE(result.ok);
        REQUIRE(apply_scoring(result).is_ok());
        return task;
      }
    FAIL("no scoring task");
    return {};
  }

  // Opens (once) the competency_model cycle of `period` and takes
  // `employee`'s case to final: every rated item at `rated` but those in
  // `ratings`, the exams as given. The case id.
  std::int64_t final_competency_model(const std::string& employee, int rated, njson ratings,
                                      const njson& exams, const std::string& period = "2026") {
    ok({{"cmd", "cycle.start"}, {"program", "competency_model"}, {"period", period}});
    std::int64_t id = 0;
    const njson listed =
        ok({{"cmd", "cases"}, {"program", "competency_model"}, {"period", period}});
    for (const auto& c : listed["cases"])
      if (c["employee_id"] == employee) id = c["id"].get<std::int64_t>();
    REQUIRE(id != 0);
    for (const auto& item : rubrics.at("competency_model").items)
      if (item.how == af::rubric::assessed::rated && !ratings.contains(item.key))
        ratings[item.key] = rated;
    submit_reviews(id, employee, ratings, exams);
    score_last();
    ok({{"cmd", "approve"}, {"case", id}, {"as", "hrbp:B1"}});
    ok({{"cmd", "approve"}, {"case", id}, {"as", "hr:H1"}});
    REQUIRE(state(id) == "final");
    return id;
  }
};

}  // namespace af::engine::testing
