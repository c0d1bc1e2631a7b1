// task_commands.cpp: assessctl tasks [--state S] [--limit N] [--after ID]
// and assessctl tasks retry ID | --all-dead: the dead-letter queue (the
// admin requests `tasks` and `tasks.retry`).
#include <fmt/core.h>

#include "tools/assessctl/cli.h"

namespace af::tools::cli {
namespace {

std::string text_or_dash(const json& v) {
  return v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : v.dump();
}

std::string render_tasks(const json& reply) {
  std::string out;
  for (const auto& t : reply["tasks"])
    out += fmt::format("{:>8}  case {:<8} {:<8} {:<7} {:>2} attempts  {}\n",
                       t["id"].get<long long>(), text_or_dash(t["case"]),
                       t["kind"].get<std::string>(), t["state"].get<std::string>(),
                       t["attempts"].get<int>(), text_or_dash(t["last_error"]));
  if (out.empty()) out = "no tasks\n";
  if (!reply["next_after"].is_null())
    out += fmt::format("more: --after {}\n", reply["next_after"].get<long long>());
  return out;
}

}  // namespace

void add_task_commands(CLI::App& app, const global_options& g, int& code) {
  static std::string state;
  static long long limit = 1000, after = 0, task = 0;
  static bool all_dead = false;
  auto* tasks =
      app.add_subcommand(
             "tasks",
             "Worker tasks: case, kind, state, attempts and last error (the dead-letter queue)")
          ->fallthrough();
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

  auto* retry =
      tasks->add_subcommand("retry", "Queue a dead task again, its attempts reset")->fallthrough();
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
    code = call(g, request, [](const json& reply) {
      auto n = reply["retried"].size();
      if (n == 0) return std::string("no dead tasks\n");
      std::string ids;
      for (const auto& t : reply["retried"])
        ids += (ids.empty() ? "" : ", ") + std::to_string(t.get<long long>());
      return fmt::format("queued again: {} task{} ({})\n", n, n == 1 ? "" : "s", ids);
    });
  });
}

}  // namespace af::tools::cli
