// assess-engine: the orchestrator (DESIGN.md "Programs and their command lines").
#include <fmt/core.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "engine/engine.h"

#ifndef ASSESSFLOW_SCHEMAS_DIR
#define ASSESSFLOW_SCHEMAS_DIR "schemas"
#endif

namespace {

using namespace af::engine;

// What the command line gives, before it is checked and turned into the
// engine's configuration.
struct command_line {
  engine_config cfg;
  std::string tz = "Asia/Shanghai", sync = "full", clock_start;
  double clock_rate = 1.0;
  long commit_delay_us = cfg.commit_delay.count();
  std::string schedule = "on";
};

// --data, the four endpoints and --schemas.
void add_endpoint_options(CLI::App& app, command_line& cl) {
  app.add_option("--data", cl.cfg.data_dir,
                 "Data directory: holds assessflow.db and the default ipc endpoints")
      ->required();
  app.add_option("--ingest", cl.cfg.ingest_ep,
                 "External event endpoint (ROUTER) [ipc://DATA/ingest.sock]");
  app.add_option("--admin", cl.cfg.admin_ep,
                 "Admin request endpoint (ROUTER) [ipc://DATA/admin.sock]");
  app.add_option("--tasks", cl.cfg.tasks_ep,
                 "Worker task endpoint (ROUTER) [ipc://DATA/tasks.sock]");
  app.add_option("--events", cl.cfg.events_ep,
                 "Case event endpoint (PUB) [ipc://DATA/events.sock]");
  app.add_option("--schemas", cl.cfg.schemas_dir,
                 "Directory with migrations/, workflows/, rubrics/, schedules.json and commission/")
      ->capture_default_str();
}

// The time zone, durability, group commits, retention and the schedule.
void add_service_options(CLI::App& app, command_line& cl) {
  app.add_option("--tz", cl.tz, "Company time zone: Asia/Shanghai or a fixed offset like +08:00")
      ->capture_default_str();
  app.add_option("--sync", cl.sync,
                 "full: each commit survives power loss; normal: survives process crashes only")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  app.add_option("--max-message-bytes", cl.cfg.max_message_bytes, "Largest ingest message accepted")
      ->capture_default_str();
  app.add_option("--batch", cl.cfg.max_batch_messages, "Most messages handled per group commit")
      ->capture_default_str();
  app.add_option("--commit-delay-us", cl.commit_delay_us,
                 "After a WAL sync, the next group waits at most this long for as many requests as "
                 "that sync answered")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  app.add_option("--wal-rewind-frames", cl.cfg.wal_rewind_frames,
                 "Once the WAL holds this many pages, checkpoint it between two commits so it is "
                 "reused from its start")
      ->check(CLI::Range(16, 1 << 24))
      ->capture_default_str();
  app.add_option(
         "--event-retention-days", cl.cfg.event_retention_days,
         "Case events are kept this many days for subscribers that missed them (case_events.since)")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  app.add_option("--audit-retention-days", cl.cfg.audit_retention_days,
                 "Refused requests are kept this many days")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  app.add_option(
         "--schedule", cl.schedule,
         "on: open cycles at their window start (schemas/schedules.json); off: only by admins")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
}

// Leases and retries of the workers' tasks.
void add_task_options(CLI::App& app, command_line& cl) {
  app.add_option("--lease-ms", cl.cfg.tasks.lease_ms, "Task lease before redelivery")
      ->capture_default_str();
  app.add_option("--worker-timeout-ms", cl.cfg.tasks.worker_timeout_ms,
                 "Silence after which a worker is gone")
      ->capture_default_str();
  app.add_option("--max-attempts", cl.cfg.tasks.max_attempts, "Deliveries before a task is dead")
      ->capture_default_str();
  app.add_option("--retry-base-ms", cl.cfg.tasks.retry_base_ms,
                 "Wait before offering a failed or expired task again; doubles each attempt (half "
                 "of it random)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3'600'000}));
  app.add_option("--retry-cap-ms", cl.cfg.tasks.retry_cap_ms,
                 "Longest wait before offering a task again")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86'400'000}));
}

// How this start runs: checked first, with a fault module (test builds), on
// a simulated clock.
void add_start_options(CLI::App& app, command_line& cl) {
  app.add_flag(
      "--check", cl.cfg.check,
      "PRAGMA quick_check the database before serving (always done after an unclean shutdown)");
#ifdef ASSESSFLOW_FAULT_INJECTION
  app.add_option("--fault-vfs", cl.cfg.fault_vfs,
                 "Test builds: load this fault-injection module (tests/fault_vfs; ASSESS_FAULT "
                 "chooses the fault)");
#endif
  app.add_option("--metrics", cl.cfg.metrics_listen,
                 "Serve GET /metrics (Prometheus text, no authentication) on HOST:PORT, or on "
                 "127.0.0.1:PORT given a port alone");
  app.add_option("--clock-start", cl.clock_start,
                 "Run on a simulated clock starting at this ISO 8601 instant");
  app.add_option("--clock-rate", cl.clock_rate, "Simulated clock speed (with --clock-start)")
      ->capture_default_str();
}

// The checked command line as the engine's configuration, with the default
// endpoints under DATA/; false (and a line on stderr) when --tz is wrong.
bool finish_config(command_line& cl) {
  auto offset = af::parse_utc_offset(cl.tz);
  if (!offset) {
    fmt::print(stderr,
               "assess-engine: --tz: \"{}\" is not Asia/Shanghai or an offset like +08:00\n",
               cl.tz);
    return false;
  }
  cl.cfg.tz_offset_minutes = *offset;
  cl.cfg.full_sync = cl.sync == "full";
  cl.cfg.schedule = cl.schedule == "on";
  cl.cfg.commit_delay = std::chrono::microseconds(cl.commit_delay_us);
  auto default_ep = [&](std::string& ep, const char* name) {
    if (ep.empty()) ep = "ipc://" + cl.cfg.data_dir + "/" + name;
  };
  default_ep(cl.cfg.ingest_ep, "ingest.sock");
  default_ep(cl.cfg.admin_ep, "admin.sock");
  default_ep(cl.cfg.tasks_ep, "tasks.sock");
  default_ep(cl.cfg.events_ep, "events.sock");
  return true;
}

// The system clock, or the simulated one of --clock-start; nullptr (and a
// line on stderr) when those options are wrong.
std::unique_ptr<af::engine::clock> make_clock(const command_line& cl) {
  std::unique_ptr<af::engine::clock> clk = std::make_unique<system_clock>();
  if (!cl.clock_start.empty()) {
    auto start = af::parse_instant(cl.clock_start);
    if (!start || cl.clock_rate <= 0) {
      fmt::print(
          stderr,
          "assess-engine: --clock-start must be ISO 8601 with an offset and --clock-rate > 0\n");
      return nullptr;
    }
    clk = std::make_unique<scaled_clock>(*start * 1000, cl.clock_rate);
  }
  return clk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "assess-engine: the assessflow orchestrator (workflow state machine, store, task dispatch)"};
  command_line cl;
  cl.cfg.schemas_dir = ASSESSFLOW_SCHEMAS_DIR;
  add_endpoint_options(app, cl);
  add_service_options(app, cl);
  add_task_options(app, cl);
  add_start_options(app, cl);
  CLI11_PARSE(app, argc, argv);
  ::umask(077);  // everything the engine writes under DATA/ is owner-only
  if (!finish_config(cl)) return 2;
  auto clk = make_clock(cl);
  if (!clk) return 2;
  auto e = engine::create(cl.cfg, std::move(clk));
  if (!e) {
    fmt::print(stderr, "assess-engine: {}\n", e.error().message());
    return 1;
  }
  (*e)->run();
  return (*e)->storage_failed() ? 1 : 0;
}
