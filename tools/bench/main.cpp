// assess-bench: starts a real engine (and workers) in a temp dir and
// prints throughput and latency figures. A tool run on demand, not a test.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "tools/bench/cycle_bench.h"
#include "tools/bench/disk_bench.h"
#include "tools/bench/feed_bench.h"
#include "tools/bench/ingest_bench.h"
#include "tools/bench/soak_bench.h"
#include "tools/bench/startup_bench.h"
#include "tools/bench/transport_bench.h"

#ifndef ASSESSFLOW_BUILD_DIR
#define ASSESSFLOW_BUILD_DIR "build"
#endif

int main(int argc, char** argv) {
  using namespace af::bench;
  CLI::App app{"assess-bench: throughput and latency of assessflow on this machine"};
  app.require_subcommand(1);
  bench_options o;
  o.bin_dir = ASSESSFLOW_BUILD_DIR;
  app.add_option("--bin", o.bin_dir, "Build directory holding engine/ and workers/")
      ->capture_default_str();
  app.add_option("--ingest-tcp", o.ingest_tcp,
                 "Put the ingest socket on this tcp:// endpoint instead of ipc://");
  app.add_option("--sync", o.sync, "Engine --sync mode")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  std::size_t events = 1'000'000, batch = 1000, window = 8;
  int clients = 8, rate = 5000, cases = 100'000;
  double seconds = 10;
  auto* ib = app.add_subcommand("ingest-batch", "Batches of events with random ids");
  ib->add_option("--events", events)->capture_default_str();
  ib->add_option("--batch", batch)->capture_default_str();
  ib->add_option("--window", window, "Messages in flight")->capture_default_str();
  auto* is = app.add_subcommand("ingest-single", "One event per request from concurrent clients");
  is->add_option("--clients", clients)->capture_default_str();
  is->add_option("--seconds", seconds)->capture_default_str();
  int in_flight = 1;
  is->add_option("--in-flight", in_flight,
                 "One-event requests outstanding per client (1: wait for each ack)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  auto* floor = app.add_subcommand(
      "transport-floor",
      "ZeroMQ round trips alone (a bare echo, no engine): the ceiling of ingest-single");
  floor->add_option("--clients", clients)->capture_default_str();
  floor->add_option("--in-flight", in_flight)->check(CLI::Range(1, 10000))->capture_default_str();
  floor->add_option("--seconds", seconds)->capture_default_str();
  int rounds = 2000;
  auto* disk = app.add_subcommand(
      "disk-sync",
      "fdatasync after an append and after an overwrite (no engine): the floor of a durable ack");
  disk->add_option("--rounds", rounds)->check(CLI::Range(10, 1000000))->capture_default_str();
  auto* lat = app.add_subcommand("latency", "Ack latency at a steady rate");
  lat->add_option("--rate", rate, "Events per second")->capture_default_str();
  lat->add_option("--seconds", seconds)->capture_default_str();
  auto* cyc = app.add_subcommand("cycle", "A whole cycle driven to final");
  cyc->add_option("--cases", cases)->capture_default_str();
  cyc->add_option("--batch", batch, "Admin requests per batch")->capture_default_str();
  cyc->add_option("--scoring-workers", o.scoring_workers)->capture_default_str();
  int publishers = 4;
  std::size_t feed_events = 1'000'000;
  auto* feed = app.add_subcommand("feed", "A mixed feed from concurrent assess-feed publishers");
  feed->add_option("--events", feed_events)->capture_default_str();
  feed->add_option("--publishers", publishers)->capture_default_str();
  std::size_t stored_events = 10'000'000;
  auto* startup = app.add_subcommand(
      "startup", "Start-up time and memory with N stored events (the dedup set)");
  startup->add_option("--events", stored_events)->capture_default_str();
  double soak_minutes = 30;
  int engine_kill_every = 600;
  auto* soak = app.add_subcommand(
      "soak", "Ingest, cycles, admin reads and SIGKILLs in a loop; engine RSS every second");
  soak->add_option("--minutes", soak_minutes)->capture_default_str();
  soak->add_option("--engine-kill-every", engine_kill_every,
                   "Seconds between SIGKILLs of the engine")
      ->capture_default_str();
  std::vector<std::string> engine_args;
  app.add_option("--engine-arg", engine_args,
                 "Pass one more argument to assess-engine (repeatable), e.g. "
                 "--engine-arg=--commit-delay-us=0");
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF,
               0);  // figures appear as they are measured, even into a file
  try {
    bench_env env(o);
    if (*disk || *floor) {  // no engine
      fmt::print("assess-bench: {} cores\n", std::thread::hardware_concurrency());
      if (*disk) bench_disk_sync(env.root(), rounds);
      if (*floor) bench_transport_floor(env.root(), clients, in_flight, seconds);
      return 0;
    }
    fmt::print("assess-bench: {} cores, engine --sync {}\n", std::thread::hardware_concurrency(),
               o.sync);
    env.start_engine(engine_args);
    if (*ib) bench_ingest_batches(env, events, batch, window);
    if (*is) bench_ingest_single(env, clients, in_flight, seconds);
    if (*lat) bench_ingest_latency(env, rate, seconds);
    if (*cyc) bench_cycle(env, cases, batch);
    if (*feed) bench_feed(env, feed_events, publishers);
    if (*startup) bench_startup(env, stored_events);
    if (*soak) bench_soak(env, soak_minutes, engine_kill_every);
    env.stop();
  } catch (const std::exception& e) {
    fmt::print(stderr, "assess-bench: {}\n", e.what());
    return 1;
  }
  return 0;
}
