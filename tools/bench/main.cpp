// assess-bench: starts a real engine (and workers) in a temp dir and
// prints throughput and latency figures. A tool run on demand, not a test.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "tools/bench/cycle_bench.h"
#include "tools/bench/disk_bench.h"
#include "tools/bench/feed_bench.h"
#include "tools/bench/gateway_bench.h"
#include "tools/bench/ingest_bench.h"
#include "tools/bench/soak_bench.h"
#include "tools/bench/startup_bench.h"
#include "tools/bench/transport_bench.h"

#ifndef ASSESSFLOW_BUILD_DIR
#define ASSESSFLOW_BUILD_DIR "build"
#endif

namespace {

using namespace af::bench;

// The benchmarks' own options; some are shared by several benchmarks.
struct bench_params {
  std::size_t events = 1'000'000, batch = 1000, window = 8;
  int clients = 8, rate = 5000, cases = 100'000;
  double seconds = 10;
  int in_flight = 1;
  int rounds = 2000;
  int publishers = 4;
  std::size_t feed_events = 1'000'000;
  std::size_t stored_events = 10'000'000;
  double soak_minutes = 30;
  int engine_kill_every = 600;
  std::vector<std::string> engine_args;
};

// The benchmarks, one subcommand each.
struct benches {
  CLI::App *ingest_batch, *ingest_single, *transport_floor, *disk_sync, *latency, *cycle, *feed,
      *startup, *soak, *gateway;
};

// ingest-batch, ingest-single, transport-floor, disk-sync and latency.
void add_ingest_benches(CLI::App& app, bench_params& p, benches& b) {
  b.ingest_batch = app.add_subcommand("ingest-batch", "Batches of events with random ids");
  b.ingest_batch->add_option("--events", p.events)->capture_default_str();
  b.ingest_batch->add_option("--batch", p.batch)->capture_default_str();
  b.ingest_batch->add_option("--window", p.window, "Messages in flight")->capture_default_str();
  b.ingest_single =
      app.add_subcommand("ingest-single", "One event per request from concurrent clients");
  b.ingest_single->add_option("--clients", p.clients)->capture_default_str();
  b.ingest_single->add_option("--seconds", p.seconds)->capture_default_str();
  b.ingest_single
      ->add_option("--in-flight", p.in_flight,
                   "One-event requests outstanding per client (1: wait for each ack)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  b.transport_floor = app.add_subcommand(
      "transport-floor",
      "ZeroMQ round trips alone (a bare echo, no engine): the ceiling of ingest-single");
  b.transport_floor->add_option("--clients", p.clients)->capture_default_str();
  b.transport_floor->add_option("--in-flight", p.in_flight)
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  b.transport_floor->add_option("--seconds", p.seconds)->capture_default_str();
  b.disk_sync = app.add_subcommand(
      "disk-sync",
      "fdatasync after an append and after an overwrite (no engine): the floor of a durable ack");
  b.disk_sync->add_option("--rounds", p.rounds)
      ->check(CLI::Range(10, 1000000))
      ->capture_default_str();
  b.latency = app.add_subcommand("latency", "Ack latency at a steady rate");
  b.latency->add_option("--rate", p.rate, "Events per second")->capture_default_str();
  b.latency->add_option("--seconds", p.seconds)->capture_default_str();
}

// cycle, feed, startup and soak.
void add_system_benches(CLI::App& app, bench_options& o, bench_params& p, benches& b) {
  b.cycle = app.add_subcommand("cycle", "A whole cycle driven to final");
  b.cycle->add_option("--cases", p.cases)->capture_default_str();
  b.cycle->add_option("--batch", p.batch, "Admin requests per batch")->capture_default_str();
  b.cycle->add_option("--scoring-workers", o.scoring_workers)->capture_default_str();
  b.feed = app.add_subcommand("feed", "A mixed feed from concurrent assess-feed publishers");
  b.feed->add_option("--events", p.feed_events)->capture_default_str();
  b.feed->add_option("--publishers", p.publishers)->capture_default_str();
  b.gateway = app.add_subcommand(
      "gateway", "case.show and submit over HTTP through assess-gateway beside ZeroMQ");
  b.gateway->add_option("--clients", p.clients)->capture_default_str();
  b.gateway->add_option("--seconds", p.seconds, "Seconds per phase")->capture_default_str();
  b.startup = app.add_subcommand("startup",
                                 "Start-up time and memory with N stored events (the dedup set)");
  b.startup->add_option("--events", p.stored_events)->capture_default_str();
  b.soak = app.add_subcommand(
      "soak", "Ingest, cycles, admin reads and SIGKILLs in a loop; engine RSS every second");
  b.soak->add_option("--minutes", p.soak_minutes)->capture_default_str();
  b.soak
      ->add_option("--engine-kill-every", p.engine_kill_every,
                   "Seconds between SIGKILLs of the engine")
      ->capture_default_str();
}

// Runs the benchmark that was asked for; the exit code.
int run(const bench_options& o, const bench_params& p, const benches& b) {
  bench_env env(o);
  if (*b.disk_sync || *b.transport_floor) {  // no engine
    fmt::print("assess-bench: {} cores\n", std::thread::hardware_concurrency());
    if (*b.disk_sync) bench_disk_sync(env.root(), p.rounds);
    if (*b.transport_floor) bench_transport_floor(env.root(), p.clients, p.in_flight, p.seconds);
    return 0;
  }
  fmt::print("assess-bench: {} cores, engine --sync {}\n", std::thread::hardware_concurrency(),
             o.sync);
  env.start_engine(p.engine_args);
  if (*b.ingest_batch) bench_ingest_batches(env, p.events, p.batch, p.window);
  if (*b.ingest_single) bench_ingest_single(env, p.clients, p.in_flight, p.seconds);
  if (*b.latency) bench_ingest_latency(env, p.rate, p.seconds);
  if (*b.cycle) bench_cycle(env, p.cases, p.batch);
  if (*b.feed) bench_feed(env, p.feed_events, p.publishers);
  if (*b.startup) bench_startup(env, p.stored_events);
  if (*b.soak) bench_soak(env, p.soak_minutes, p.engine_kill_every);
  if (*b.gateway) bench_gateway(env, p.clients, p.seconds);
  env.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
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
  bench_params p;
  benches b{};
  add_ingest_benches(app, p, b);
  add_system_benches(app, o, p, b);
  app.add_option("--engine-arg", p.engine_args,
                 "Pass one more argument to assess-engine (repeatable), e.g. "
                 "--engine-arg=--commit-delay-us=0");
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF,
               0);  // figures appear as they are measured, even into a file
  try {
    return run(o, p, b);
  } catch (const std::exception& e) {
    fmt::print(stderr, "assess-bench: {}\n", e.what());
    return 1;
  }
}
