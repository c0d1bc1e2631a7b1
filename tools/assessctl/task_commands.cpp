// task_commands.cpp: assessctl tasks [--state S] [--limit N] [--after ID]
// and assessctl tasks retry ID | --all-dead: the dead-letter queue (the
// admin requests `tasks` and `tasks.retry`).
#include "tools/assessctl/commands.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {

void add_tasks_command(CLI::App& app, const global_options& g, int& code) {
  static std::string state;
  static long long limit = 1000, after = 0, task = 0;
  static bool all_dead = false;
  auto* tasks = add_command(
      app, "tasks",
      "Worker tasks: case, kind, state, attempts and last error (the dead-letter queue)");
  tasks->add_option("--state", state, "Only tasks in this state")
      ->check(CLI::IsMember({"queued", "done", "dead"}));
  tasks->add_option("--limit", limit, "At most this many")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  tasks->add_option("--after", after, "Tasks after this id (the previous page's last)");
  tasks->callback([&, tasks] {
    if (tasks->get_subcommands().size()) return;  // `tasks retry`
    json request{{"cmd", "tasks"}, {"limit", limit}};
    if (!state.empty()) request["state"] = state;
    if (after > 0) request["after"] = after;
    code = call(g, request, render_tasks);
  });

  auto* retry = add_command(*tasks, "retry", "Queue a dead task again, its attempts reset");
  auto* id = retry->add_option("ID", task, "The task id");
  auto* all = retry->add_flag("--all-dead", all_dead, "Every dead task");
  id->excludes(all);
  retry->callback([&, id, all] {
    if (!*id && !*all) {
      code = fail("tasks retry: give a task ID or --all-dead");
      return;
    }
    json request{{"cmd", "tasks.retry"}};
    if (all_dead)
      request["all_dead"] = true;
    else
      request["task"] = task;
    code = call(g, request, render_retried);
  });
}

}  // namespace af::tools::cli
