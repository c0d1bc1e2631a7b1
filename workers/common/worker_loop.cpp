#include "workers/common/worker_loop.h"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <future>
#include <memory>
#include <thread>
#include <zmq.hpp>

#include "messages/secure_client.h"
#include "messages/zmq_retry.h"

namespace af::worker {
namespace {

std::atomic<bool> stop_requested{false};
extern "C" void on_signal(int) { stop_requested = true; }

struct fault_plan {
  // crash: exits on the task after `after` answered, before handling it;
  // crash_unanswered: handles that task's batch (a notification is sent)
  // and exits before answering it; stall: stops answering and heartbeating.
  enum class kind { none, crash, crash_unanswered, stall } what = kind::none;
  long after = 0;
};

fault_plan parse_fault(const std::string& f) {
  auto colon = f.find(':');
  if (f.empty() || colon == std::string::npos) return {};
  long n = std::stol(f.substr(colon + 1));
  if (f.substr(0, colon) == "crash-after") return {fault_plan::kind::crash, n};
  if (f.substr(0, colon) == "crash-unanswered") return {fault_plan::kind::crash_unanswered, n};
  if (f.substr(0, colon) == "stall-after") return {fault_plan::kind::stall, n};
  return {};
}

}  // namespace

void add_worker_options(CLI::App& app, worker_options& o) {
  app.add_option("--data", o.data_dir,
                 "Engine data directory (for the default endpoint ipc://DATA/tasks.sock)");
  app.add_option("--tasks", o.tasks_ep, "The engine's task endpoint, e.g. tcp://host:5557");
  app.add_option("--key", o.key_file,
                 "This worker's key pair (FILE.key_secret) [DATA/keys/worker.key_secret]");
  app.add_option("--server-key", o.server_key_file,
                 "The engine's public key (FILE.key) [DATA/keys/engine.key]");
  app.add_option("--name", o.name, "Name shown in `assessctl stats` [kind-pid]");
  app.add_option("--capacity", o.capacity, "Tasks the engine may lease to this worker at once")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--heartbeat-ms", o.heartbeat_ms, "Heartbeat interval")
      ->check(CLI::Range(50, 60000))
      ->capture_default_str();
  app.add_option("--fault", o.fault,
                 "Test only: crash-after:N, crash-unanswered:N or stall-after:N")
      ->check([](const std::string& f) {
        return parse_fault(f).what == fault_plan::kind::none
                   ? std::string("expected crash-after:N, crash-unanswered:N or stall-after:N")
                   : std::string();
      });
}

int run_worker(worker_options o, msg::worker_kind kind, const task_handler& handle) {
  return run_worker(std::move(o), kind, batch_handler([&](const std::vector<msg::envelope>& tasks) {
                      std::vector<msg::envelope> out;
                      for (const auto& t : tasks) out.push_back(handle(t));
                      return out;
                    }));
}

namespace {

// Fills in what the options leave out: the endpoint under --data and the
// name; false, after saying so, when there is no endpoint to connect to.
bool complete_options(worker_options& o, msg::worker_kind kind) {
  if (o.tasks_ep.empty()) {
    if (o.data_dir.empty()) {
      fmt::print(stderr, "assess-worker-{}: give --tasks EP or --data DIR\n", msg::kind_name(kind));
      return false;
    }
    o.tasks_ep = "ipc://" + o.data_dir + "/tasks.sock";
  }
  if (o.name.empty()) o.name = fmt::format("{}-{}", msg::kind_name(kind), ::getpid());
  return true;
}

using steady = std::chrono::steady_clock;

// A worker's DEALER connection to the engine, hello sent, and the state
// of its loop: the next heartbeat, the tasks answered, an injected fault.
class connection {
 public:
  connection(const worker_options& o, msg::worker_kind kind, const msg::client_keys& keys,
             fault_plan fault)
      : o_(o), kind_(kind), fault_(fault) {
    sock_.set(zmq::sockopt::linger, 500);
    msg::make_curve_client(sock_, keys);
    handshakes_ = std::make_unique<msg::handshake_watch>(sock_);
    sock_.connect(o_.tasks_ep);
    msg::send_retrying(
        sock_,
        zmq::buffer(msg::encode(msg::pack(msg::worker_hello{kind_, o_.name, pid_, o_.capacity}))),
        zmq::send_flags::none);
    fmt::print(stderr, "{}: connected to {}\n", o_.name, o_.tasks_ep);
    next_beat_ = steady::now();
  }

  // Whether the engine has refused this worker's key.
  bool refused() {
    return handshakes_->poll(std::chrono::milliseconds(0)) ==
           msg::handshake_watch::outcome::refused;
  }

  // Sends a heartbeat when one is due, unless the worker is stalled;
  // `busy` tasks being handled now renew their leases (dispatcher.h).
  void heartbeat_if_due(std::uint32_t busy = 0) {
    auto now = steady::now();
    if (now >= next_beat_ && !stalled_) {
      msg::heartbeat hb{kind_, busy, o_.capacity, o_.name, pid_};
      msg::send_retrying(sock_, zmq::buffer(msg::encode(msg::pack(hb))), zmq::send_flags::dontwait);
      next_beat_ = now + std::chrono::milliseconds(o_.heartbeat_ms);
    }
  }

  // A frame if one is waiting; none when a signal interrupts (the loop stops).
  bool receive_now(zmq::message_t& frame) {
    try {
      return static_cast<bool>(sock_.recv(frame, zmq::recv_flags::dontwait));
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
      return false;
    }
  }

  // Waits until the next heartbeat is due (1..200 ms) for tasks; true when
  // some arrived.
  bool wait_for_tasks() {
    zmq::pollitem_t items[] = {{sock_.handle(), 0, ZMQ_POLLIN, 0}};
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_beat_ - steady::now());
    try {
      zmq::poll(items, 1,
                std::chrono::milliseconds(std::max<long>(1, std::min<long>(wait.count(), 200))));
    } catch (const zmq::error_t& e) {  // SIGTERM/SIGINT interrupted the wait: the loop stops
      if (e.num() != EINTR) throw;
      return false;
    }
    return (items[0].revents & ZMQ_POLLIN) != 0;
  }

  // The tasks that arrived, up to the capacity; a bad frame is dropped
  // with a line, and a stalled worker swallows them all. `fault_hit`
  // becomes the id of the task an injected fault falls on, which is not
  // among them (the tasks before it are).
  std::vector<msg::envelope> receive_tasks(std::uint64_t& fault_hit) {
    std::vector<msg::envelope> tasks;
    zmq::message_t frame;
    while (!stop_requested && tasks.size() < o_.capacity && receive_now(frame)) {
      if (stalled_) continue;  // a stalled worker swallows its tasks
      auto task = msg::decode({frame.data<char>(), frame.size()});
      if (!task) {
        fmt::print(stderr, "{}: dropped a bad frame: {}\n", o_.name, task.error().message());
        continue;
      }
      if (fault_.what != fault_plan::kind::none &&
          fault_.what != fault_plan::kind::crash_unanswered &&
          answered_ + static_cast<long>(tasks.size()) >= fault_.after) {
        fault_hit = task->id;  // answer what came before it, then fail
        break;
      }
      tasks.push_back(std::move(*task));
    }
    return tasks;
  }

  // Sends each task's result, correlated with its task.
  void answer(const std::vector<msg::envelope>& tasks, std::vector<msg::envelope>& results) {
    for (std::size_t i = 0; i < results.size() && i < tasks.size(); ++i) {
      results[i].correlation_id = tasks[i].id;
      msg::send_retrying(sock_, zmq::buffer(msg::encode(results[i])), zmq::send_flags::none);
      ++answered_;
    }
  }

  // The injected fault, on the task `task_id`: a crash exits the process
  // here, after flushing the answers already sent; a stall stops
  // heartbeats and answers from now on.
  void inject_fault(std::uint64_t task_id) {
    if (fault_.what == fault_plan::kind::crash) {
      fmt::print(stderr, "{}: injected crash on task {}\n", o_.name, task_id);
      sock_.set(zmq::sockopt::linger, 2000);
      handshakes_.reset();  // its monitor socket would keep ctx.close() waiting
      sock_.close();
      ctx_.close();  // flushes the answers already sent; then die without a goodbye
      std::_Exit(137);
    }
    fmt::print(stderr, "{}: injected stall on task {}\n", o_.name, task_id);
    stalled_ = true;
  }

  // The crash_unanswered fault: true when `n` tasks handled now would
  // pass the count after which this worker dies before answering.
  [[nodiscard]] bool dies_unanswered(std::size_t n) const {
    return fault_.what == fault_plan::kind::crash_unanswered &&
           answered_ + static_cast<long>(n) > fault_.after;
  }

  [[nodiscard]] long answered() const { return answered_; }

 private:
  const worker_options& o_;
  msg::worker_kind kind_;
  fault_plan fault_;
  std::uint32_t pid_ = static_cast<std::uint32_t>(::getpid());
  zmq::context_t ctx_{1};
  zmq::socket_t sock_{ctx_, zmq::socket_type::dealer};
  std::unique_ptr<msg::handshake_watch> handshakes_;
  steady::time_point next_beat_;
  long answered_ = 0;
  bool stalled_ = false;
};

}  // namespace

int run_worker(worker_options o, msg::worker_kind kind, const batch_handler& handle) {
  if (!complete_options(o, kind)) return 2;
  ::umask(077);  // what a worker writes (notification files) is owner-only
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  fault_plan fault = parse_fault(o.fault);

  std::string self = fmt::format("assess-worker-{}", msg::kind_name(kind));
  auto keys = msg::load_client_keys(
      {o.data_dir, o.key_file, o.server_key_file, "worker"}, std::chrono::milliseconds(-1),
      [&](const std::string& line) { fmt::print(stderr, "{}: {}\n", self, line); });
  if (!keys) {
    fmt::print(stderr, "{}: {}\n", self, keys.error().message());
    return 2;
  }
  connection engine(o, kind, *keys, fault);
  while (!stop_requested) {
    if (engine.refused()) {
      fmt::print(stderr, "{}: {}\n", self, msg::refused_key_message(o.tasks_ep, *keys));
      return 3;
    }
    engine.heartbeat_if_due();
    if (!engine.wait_for_tasks()) continue;
    std::uint64_t fault_hit = 0;
    std::vector<msg::envelope> tasks = engine.receive_tasks(fault_hit);
    std::vector<msg::envelope> results;
    if (!tasks.empty()) {
      // Handled on a thread of its own while this one keeps heartbeating: a
      // batch that waits on outside servers (SMTP, robots) takes seconds,
      // and a silent worker would lose its leases.
      auto batch = std::async(std::launch::async, [&] { return handle(tasks); });
      while (batch.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
        engine.heartbeat_if_due(static_cast<std::uint32_t>(tasks.size()));
      results = batch.get();
    }
    if (engine.dies_unanswered(tasks.size())) {
      fmt::print(stderr, "{}: injected crash before answering {} tasks\n", o.name, tasks.size());
      std::_Exit(137);
    }
    engine.answer(tasks, results);
    if (fault_hit) engine.inject_fault(fault_hit);
  }
  fmt::print(stderr, "{}: stopping after {} tasks\n", o.name, engine.answered());
  return 0;
}

}  // namespace af::worker
