// assess-worker-scoring: scores competency cases (DOMAIN.md program 1).
#include "workers/common/worker_loop.h"
#include "workers/scoring/scoring_handler.h"

int main(int argc, char** argv) {
  CLI::App app{"assess-worker-scoring: scores assessment cases for the engine"};
  af::worker::worker_options o;
  af::worker::add_worker_options(app, o);
  CLI11_PARSE(app, argc, argv);
  return af::worker::run_worker(o, af::msg::worker_kind::scoring, af::worker::handle_scoring);
}
