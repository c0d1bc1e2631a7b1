// worker_loop.h: the loop every worker process shares. Connects a DEALER
// socket to the engine's task endpoint, says hello, heartbeats every
// second (also while a batch is being handled, on a thread of its own),
// and answers each task with the result its handler returns.
// A worker is stateless: a task carries all its input.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "messages/types.h"

namespace af::worker {

struct worker_options {
  std::string data_dir;  // finds the default endpoint ipc://DATA/tasks.sock and DATA/keys/
  std::string tasks_ep;
  std::string key_file;         // --key: [DATA/keys/worker.key_secret]
  std::string server_key_file;  // --server-key: [DATA/keys/engine.key]
  std::string name;
  std::uint32_t capacity = 32;  // tasks the engine may have in flight here
  int heartbeat_ms = 1000;
  // Faults injected on purpose by tests: "crash-after:N" exits abruptly on
  // the task after N answered; "crash-unanswered:N" handles the batch
  // holding task N+1 (a notification is sent) and exits before answering
  // it; "stall-after:N" stops answering and heartbeating after N answered.
  std::string fault;
};

// Registers --data, --tasks, --key, --server-key, --name, --capacity, --heartbeat-ms, --fault.
void add_worker_options(CLI::App& app, worker_options& o);

// Turns a task envelope into its result envelope (correlation id = task id).
using task_handler = std::function<msg::envelope(const msg::envelope& task)>;
// Turns the tasks that arrived together into their results, in order: lets
// a worker share one fsync among them (the notify worker does).
using batch_handler =
    std::function<std::vector<msg::envelope>(const std::vector<msg::envelope>& tasks)>;

// A task_handler for one task type: a body that does not decode is
// answered with a Result carrying the decoding error, never computed.
template <typename Task, typename Result, typename Compute>
task_handler typed_handler(Compute compute) {
  return [compute](const msg::envelope& e) {
    auto task = msg::unpack<Task>(e);
    if (!task) {
      Result r;
      r.error = task.error().message();
      return msg::pack(r);
    }
    return msg::pack(compute(*task));
  };
}

// Runs until SIGINT/SIGTERM; returns the process exit code: 0, 2 for bad
// options, 3 when the engine refuses this worker's key. Waits for the key
// files while the engine has not made them yet.
int run_worker(worker_options o, msg::worker_kind kind, const batch_handler& handle);
int run_worker(worker_options o, msg::worker_kind kind, const task_handler& handle);

}  // namespace af::worker
