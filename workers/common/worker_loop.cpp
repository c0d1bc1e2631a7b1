#include "workers/common/worker_loop.h"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <thread>
#include <zmq.hpp>

#include "messages/secure_client.h"

namespace af::worker {
namespace {

std::atomic<bool> stop_requested{false};
extern "C" void on_signal(int) { stop_requested = true; }

struct fault_plan {
  enum class kind { none, crash, stall } what = kind::none;
  long after = 0;
};

fault_plan parse_fault(const std::string& f) {
  auto colon = f.find(':');
  if (f.empty() || colon == std::string::npos) return {};
  long n = std::stol(f.substr(colon + 1));
  if (f.substr(0, colon) == "crash-after") return {fault_plan::kind::crash, n};
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
  app.add_option("--fault", o.fault, "Test only: crash-after:N or stall-after:N")
      ->check([](const std::string& f) {
        return parse_fault(f).what == fault_plan::kind::none
                   ? std::string("expected crash-after:N or stall-after:N")
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

int run_worker(worker_options o, msg::worker_kind kind, const batch_handler& handle) {
  if (o.tasks_ep.empty()) {
    if (o.data_dir.empty()) {
      fmt::print(stderr, "assess-worker-{}: give --tasks EP or --data DIR\n", msg::kind_name(kind));
      return 2;
    }
    o.tasks_ep = "ipc://" + o.data_dir + "/tasks.sock";
  }
  if (o.name.empty()) o.name = fmt::format("{}-{}", msg::kind_name(kind), ::getpid());
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
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::dealer);
  sock.set(zmq::sockopt::linger, 500);
  msg::make_curve_client(sock, *keys);
  auto handshakes = std::make_unique<msg::handshake_watch>(sock);
  sock.connect(o.tasks_ep);
  auto pid = static_cast<std::uint32_t>(::getpid());
  sock.send(zmq::buffer(msg::encode(msg::pack(msg::worker_hello{kind, o.name, pid, o.capacity}))),
            zmq::send_flags::none);
  fmt::print(stderr, "{}: connected to {}\n", o.name, o.tasks_ep);

  using steady = std::chrono::steady_clock;
  auto next_beat = steady::now();
  long answered = 0;
  bool stalled = false;
  while (!stop_requested) {
    if (handshakes->poll(std::chrono::milliseconds(0)) == msg::handshake_watch::outcome::refused) {
      fmt::print(stderr, "{}: {}\n", self, msg::refused_key_message(o.tasks_ep, *keys));
      return 3;
    }
    auto now = steady::now();
    if (now >= next_beat && !stalled) {
      msg::heartbeat hb{kind, 0, o.capacity, o.name, pid};
      sock.send(zmq::buffer(msg::encode(msg::pack(hb))), zmq::send_flags::dontwait);
      next_beat = now + std::chrono::milliseconds(o.heartbeat_ms);
    }
    zmq::pollitem_t items[] = {{sock.handle(), 0, ZMQ_POLLIN, 0}};
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_beat - steady::now());
    zmq::poll(items, 1,
              std::chrono::milliseconds(std::max<long>(1, std::min<long>(wait.count(), 200))));
    if (!(items[0].revents & ZMQ_POLLIN)) continue;
    std::vector<msg::envelope> tasks;
    std::uint64_t fault_hit = 0;
    zmq::message_t frame;
    while (!stop_requested && tasks.size() < o.capacity &&
           sock.recv(frame, zmq::recv_flags::dontwait)) {
      if (stalled) continue;  // a stalled worker swallows its tasks
      auto task = msg::decode({frame.data<char>(), frame.size()});
      if (!task) {
        fmt::print(stderr, "{}: dropped a bad frame: {}\n", o.name, task.error().message());
        continue;
      }
      if (fault.what != fault_plan::kind::none &&
          answered + static_cast<long>(tasks.size()) >= fault.after) {
        fault_hit = task->id;  // answer what came before it, then fail
        break;
      }
      tasks.push_back(std::move(*task));
    }
    std::vector<msg::envelope> results =
        tasks.empty() ? std::vector<msg::envelope>() : handle(tasks);
    for (std::size_t i = 0; i < results.size() && i < tasks.size(); ++i) {
      results[i].correlation_id = tasks[i].id;
      sock.send(zmq::buffer(msg::encode(results[i])), zmq::send_flags::none);
      ++answered;
    }
    if (fault_hit && fault.what == fault_plan::kind::crash) {
      fmt::print(stderr, "{}: injected crash on task {}\n", o.name, fault_hit);
      sock.set(zmq::sockopt::linger, 2000);
      handshakes.reset();  // its monitor socket would keep ctx.close() waiting
      sock.close();
      ctx.close();  // flushes the answers already sent; then die without a goodbye
      std::_Exit(137);
    }
    if (fault_hit) {
      fmt::print(stderr, "{}: injected stall on task {}\n", o.name, fault_hit);
      stalled = true;
    }
  }
  fmt::print(stderr, "{}: stopping after {} tasks\n", o.name, answered);
  return 0;
}

}  // namespace af::worker
