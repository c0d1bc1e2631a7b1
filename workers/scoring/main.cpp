// assess-worker-scoring: scores assessment cases of every program with a
// rubric in schemas/rubrics/ (DOMAIN.md programs 1, 2 and 4).
#include <fmt/core.h>

#include "workers/common/worker_loop.h"
#include "workers/scoring/scoring_handler.h"

#ifndef ASSESSFLOW_SCHEMAS_DIR
#define ASSESSFLOW_SCHEMAS_DIR "schemas"
#endif

int main(int argc, char** argv) {
  using namespace af;
  CLI::App app{"assess-worker-scoring: scores assessment cases for the engine"};
  worker::worker_options o;
  worker::add_worker_options(app, o);
  std::string rubrics_dir = std::string(ASSESSFLOW_SCHEMAS_DIR) + "/rubrics";
  app.add_option("--rubrics", rubrics_dir, "Directory of the programs' rubrics")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  auto rubrics = rubric::load_dir(rubrics_dir);
  if (!rubrics) {
    fmt::print(stderr, "assess-worker-scoring: {}\n", rubrics.error().message());
    return 1;
  }
  return worker::run_worker(
      o, msg::worker_kind::scoring,
      worker::typed_handler<msg::scoring_task, msg::scoring_result>(
          [&](const msg::scoring_task& task) { return worker::score_task(task, *rubrics); }));
}
