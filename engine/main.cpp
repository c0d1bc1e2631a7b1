// assess-engine: the orchestrator (DESIGN.md "Programs and their command lines").
#include <fmt/core.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "engine/engine.h"

#ifndef ASSESSFLOW_SCHEMAS_DIR
#define ASSESSFLOW_SCHEMAS_DIR "schemas"
#endif

int main(int argc, char** argv) {
  using namespace af::engine;
  CLI::App app{
      "assess-engine: the assessflow orchestrator (workflow state machine, store, task dispatch)"};
  engine_config cfg;
  cfg.schemas_dir = ASSESSFLOW_SCHEMAS_DIR;
  std::string tz = "Asia/Shanghai", sync = "full", clock_start;
  double clock_rate = 1.0;
  app.add_option("--data", cfg.data_dir,
                 "Data directory: holds assessflow.db and the default ipc endpoints")
      ->required();
  app.add_option("--ingest", cfg.ingest_ep,
                 "External event endpoint (ROUTER) [ipc://DATA/ingest.sock]");
  app.add_option("--admin", cfg.admin_ep,
                 "Admin request endpoint (ROUTER) [ipc://DATA/admin.sock]");
  app.add_option("--tasks", cfg.tasks_ep, "Worker task endpoint (ROUTER) [ipc://DATA/tasks.sock]");
  app.add_option("--events", cfg.events_ep, "Case event endpoint (PUB) [ipc://DATA/events.sock]");
  app.add_option("--schemas", cfg.schemas_dir,
                 "Directory with migrations/, workflows/, rubrics/, schedules.json and commission/")
      ->capture_default_str();
  app.add_option("--tz", tz, "Company time zone: Asia/Shanghai or a fixed offset like +08:00")
      ->capture_default_str();
  app.add_option("--sync", sync,
                 "full: each commit survives power loss; normal: survives process crashes only")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  app.add_option("--max-message-bytes", cfg.max_message_bytes, "Largest ingest message accepted")
      ->capture_default_str();
  app.add_option("--batch", cfg.max_batch_messages, "Most messages handled per group commit")
      ->capture_default_str();
  long commit_delay_us = cfg.commit_delay.count();
  app.add_option("--commit-delay-us", commit_delay_us,
                 "After a WAL sync, the next group waits at most this long for as many requests as "
                 "that sync answered")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  app.add_option("--wal-rewind-frames", cfg.wal_rewind_frames,
                 "Once the WAL holds this many pages, checkpoint it between two commits so it is "
                 "reused from its start")
      ->check(CLI::Range(16, 1 << 24))
      ->capture_default_str();
  app.add_option(
         "--event-retention-days", cfg.event_retention_days,
         "Case events are kept this many days for subscribers that missed them (case_events.since)")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  app.add_option("--audit-retention-days", cfg.audit_retention_days,
                 "Refused requests are kept this many days")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  std::string schedule = "on";
  app.add_option(
         "--schedule", schedule,
         "on: open cycles at their window start (schemas/schedules.json); off: only by admins")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  app.add_option("--lease-ms", cfg.tasks.lease_ms, "Task lease before redelivery")
      ->capture_default_str();
  app.add_option("--worker-timeout-ms", cfg.tasks.worker_timeout_ms,
                 "Silence after which a worker is gone")
      ->capture_default_str();
  app.add_option("--max-attempts", cfg.tasks.max_attempts, "Deliveries before a task is dead")
      ->capture_default_str();
  app.add_option("--retry-base-ms", cfg.tasks.retry_base_ms,
                 "Wait before offering a failed or expired task again; doubles each attempt (half "
                 "of it random)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3'600'000}));
  app.add_option("--retry-cap-ms", cfg.tasks.retry_cap_ms,
                 "Longest wait before offering a task again")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86'400'000}));
  app.add_flag(
      "--check", cfg.check,
      "PRAGMA quick_check the database before serving (always done after an unclean shutdown)");
#ifdef ASSESSFLOW_FAULT_INJECTION
  app.add_option("--fault-vfs", cfg.fault_vfs,
                 "Test builds: load this fault-injection module (tests/fault_vfs; ASSESS_FAULT "
                 "chooses the fault)");
#endif
  app.add_option("--clock-start", clock_start,
                 "Run on a simulated clock starting at this ISO 8601 instant");
  app.add_option("--clock-rate", clock_rate, "Simulated clock speed (with --clock-start)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  ::umask(077);  // everything the engine writes under DATA/ is owner-only

  auto offset = af::parse_utc_offset(tz);
  if (!offset) {
    fmt::print(stderr,
               "assess-engine: --tz: \"{}\" is not Asia/Shanghai or an offset like +08:00\n", tz);
    return 2;
  }
  cfg.tz_offset_minutes = *offset;
  cfg.full_sync = sync == "full";
  cfg.schedule = schedule == "on";
  cfg.commit_delay = std::chrono::microseconds(commit_delay_us);
  auto default_ep = [&](std::string& ep, const char* name) {
    if (ep.empty()) ep = "ipc://" + cfg.data_dir + "/" + name;
  };
  default_ep(cfg.ingest_ep, "ingest.sock");
  default_ep(cfg.admin_ep, "admin.sock");
  default_ep(cfg.tasks_ep, "tasks.sock");
  default_ep(cfg.events_ep, "events.sock");

  std::unique_ptr<af::engine::clock> clk = std::make_unique<system_clock>();
  if (!clock_start.empty()) {
    auto start = af::parse_instant(clock_start);
    if (!start || clock_rate <= 0) {
      fmt::print(
          stderr,
          "assess-engine: --clock-start must be ISO 8601 with an offset and --clock-rate > 0\n");
      return 2;
    }
    clk = std::make_unique<scaled_clock>(*start * 1000, clock_rate);
  }
  auto e = engine::create(cfg, std::move(clk));
  if (!e) {
    fmt::print(stderr, "assess-engine: {}\n", e.error().message());
    return 1;
  }
  (*e)->run();
  return (*e)->storage_failed() ? 1 : 0;
}
