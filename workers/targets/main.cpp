// assess-worker-targets: the monthly sales-target check (DOMAIN.md program 3).
#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "workers/common/worker_loop.h"
#include "workers/targets/targets_handler.h"

#ifndef ASSESSFLOW_SCHEMAS_DIR
#define ASSESSFLOW_SCHEMAS_DIR "schemas"
#endif

int main(int argc, char** argv) {
  using namespace af;
  CLI::App app{
      "assess-worker-targets: checks a month's sales against targets and computes commission"};
  worker::worker_options o;
  worker::add_worker_options(app, o);
  std::string rules_file = std::string(ASSESSFLOW_SCHEMAS_DIR) + "/commission/rules.json";
  app.add_option("--rules", rules_file, "Commission rules")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::ifstream in(rules_file);
  if (!in) {
    fmt::print(stderr, "assess-worker-targets: cannot read {}\n", rules_file);
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto rules = commission::parse_rules(text.str(), rules_file);
  if (!rules) {
    fmt::print(stderr, "assess-worker-targets: {}\n", rules.error().message());
    return 1;
  }
  return worker::run_worker(
      o, msg::worker_kind::targets,
      worker::typed_handler<msg::targets_task, msg::targets_result>(
          [&](const msg::targets_task& task) { return worker::check_targets(task, *rules); }));
}
