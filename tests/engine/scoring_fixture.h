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
};

}  // namespace af::engine::testing
