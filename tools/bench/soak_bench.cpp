#include "tools/bench/soak_bench.h"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>

#include "tools/bench/cycle_bench.h"

namespace af::bench {
namespace {

using steady = std::chrono::steady_clock;
constexpr int managers = 300;

double since(steady::time_point t) {
  return std::chrono::duration<double>(steady::now() - t).count();
}

// Publishes batches of sales until `stop`, about `rate` events a second;
// reconnects after a silence (the engine was killed). Counts acks.
void stream_events(bench_env& env, const std::atomic<bool>& stop, std::atomic<long>& accepted,
                   int rate) {
  std::mt19937_64 rng(7);
  long n = 0;
  while (!stop) {
    try {
      zmq::context_t ctx(1);
      zmq::socket_t sock(ctx, zmq::socket_type::dealer);
      sock.set(zmq::sockopt::linger, 0);
      sock.set(zmq::sockopt::rcvtimeo, 3000);
      env.secure(sock, "feed");
      sock.connect(env.endpoint("ingest"));
      while (!stop) {
        auto t = steady::now();
        std::string m = "[";
        for (int k = 0; k < 100; ++k, ++n)
          m += fmt::format(
              R"({}{{"type":"sale","event_id":"soak-{}","manager_id":"M{:06}","occurred_at":"2026-07-{:02}T10:00:00+08:00","amount_fen":{},"brand":"yanghe","customer_id":"K1"}})",
              k ? "," : "", n, rng() % managers, 1 + rng() % 28, 1000 + rng() % 100000);
        m += "]";
        sock.send(zmq::str_buffer(""), zmq::send_flags::sndmore);
        sock.send(zmq::buffer(m), zmq::send_flags::none);
        zmq::message_t empty, reply;
        if (!sock.recv(empty) || !sock.recv(reply)) break;  // silence: connect again
        std::string_view r = reply.to_string_view();
        for (auto at = r.find("accepted"); at != std::string_view::npos;
             at = r.find("accepted", at + 1))
          ++accepted;
        std::this_thread::sleep_until(t + std::chrono::milliseconds(100 * 1000 / rate));
      }
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

// One cycle of period `period` to final with reviews and bulk approvals; throws if the engine goes
// away.
void drive_cycle(bench_env& env, const std::string& period) {
  json opened =
      env.admin({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", period}});
  long long cycle = opened["cycle"].get<long long>();
  json cases = env.admin({{"cmd", "cases"}, {"cycle", cycle}, {"limit", 10000}})["cases"];
  submit_all(env, cases, false, 200);
  submit_all(env, cases, true, 200);
  for (int i = 0; i < 600; ++i) {
    json list = env.admin({{"cmd", "cases"}, {"cycle", cycle}, {"state", "scoring"}, {"limit", 1}});
    if (list["cases"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (int u = 0; u < 10; ++u)
    env.admin({{"cmd", "approve"},
               {"as", fmt::format("hrbp:B{}", u)},
               {"state", "hrbp_review"},
               {"cycle", cycle}});
  env.admin({{"cmd", "approve"}, {"as", "hr:H1"}, {"state", "hr_review"}, {"cycle", cycle}});
}

// The engine's resident set, sampled every second, each sample with the run
// of the engine it belongs to (0, then one more after each SIGKILL).
struct rss_log {
  struct sample {
    double t, rss;
    int life;
  };
  std::vector<sample> samples;
  std::mutex mu;
  std::atomic<int> life{0};
};

// Samples the engine's RSS into `log` every second until `stop`.
void sample_rss(bench_env& env, const std::atomic<bool>& stop, steady::time_point t0,
                rss_log& log) {
  while (!stop) {
    double rss = env.engine_rss_mib();
    if (rss > 0) {
      std::lock_guard<std::mutex> lock(log.mu);
      log.samples.push_back({since(t0), rss, log.life.load()});
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

// What the soak's rounds and kills came to.
struct soak_counts {
  int cycles = 0, failed_rounds = 0, worker_kills = 0, engine_kills = 0;
};

// One round: a cycle to final, stats, and the case events since `seq` (advanced).
void soak_round(bench_env& env, int round, long long& seq, soak_counts& n) {
  try {
    drive_cycle(env, fmt::format("{}-Q{}", 1990 + round / 4, 1 + round % 4));
    ++n.cycles;
    env.admin({{"cmd", "stats"}});
    for (int page = 0; page < 20;
         ++page) {  // the case events since the last round, as a subscriber reads them
      json events = env.admin({{"cmd", "case_events.since"}, {"seq", seq}, {"limit", 10000}});
      if (events["events"].empty()) break;
      seq = events["next_seq"].get<long long>();
    }
  } catch (const std::exception& e) {
    ++n.failed_rounds;  // the engine was killed mid-round, or refused a step after a restart
  }
}

// Per run of the engine: RSS after the first two minutes (warm-up), and its lowest and highest
// after.
void print_rss_per_run(const std::vector<rss_log::sample>& samples, int lives) {
  for (int l = 0; l <= lives; ++l) {
    std::vector<rss_log::sample> mine;
    for (const auto& s : samples)
      if (s.life == l) mine.push_back(s);
    if (mine.empty()) continue;
    double start = mine.front().t;
    std::vector<double> warm, first, last;
    for (const auto& s : mine)
      if (s.t - start >= 120) warm.push_back(s.rss);
    if (warm.empty()) {
      fmt::print(
          "soak: engine run {}: {:.0f} s, too short to judge after warm-up (max {:.0f} MiB)\n",
          l + 1, mine.back().t - start,
          std::max_element(mine.begin(), mine.end(), [](auto& a, auto& b) {
            return a.rss < b.rss;
          })->rss);
      continue;
    }
    std::size_t minute = std::min<std::size_t>(60, warm.size());
    double first_max = *std::max_element(warm.begin(), warm.begin() + static_cast<long>(minute));
    double last_max = *std::max_element(warm.end() - static_cast<long>(minute), warm.end());
    fmt::print(
        "soak: engine run {}: {:.0f} s; after warm-up RSS {:.0f}..{:.0f} MiB; highest in its first "
        "minute after "
        "warm-up {:.0f} MiB, in its last {:.0f} MiB\n",
        l + 1, mine.back().t - start, *std::min_element(warm.begin(), warm.end()),
        *std::max_element(warm.begin(), warm.end()), first_max, last_max);
  }
}

}  // namespace

void bench_soak(bench_env& env, double minutes, int engine_kill_every_s) {
  env.import_org(managers);
  env.start_workers();
  std::atomic<bool> stop{false};
  std::atomic<long> accepted{0};
  // 200 events a second: every stored id costs the dedup set 27..54 bytes for good, which is growth
  // by design.
  std::thread feeder([&] { stream_events(env, stop, accepted, 200); });
  rss_log log;
  auto t0 = steady::now();
  std::thread sampler([&] { sample_rss(env, stop, t0, log); });
  std::mt19937 rng(11);
  soak_counts n;
  long long seq = 0;
  auto last_engine_kill = steady::now(), last_worker_kill = steady::now();
  for (int round = 0; since(t0) < minutes * 60; ++round) {
    auto round_start = steady::now();
    soak_round(env, round, seq, n);
    if (since(last_worker_kill) >= 60 && env.workers() > 0) {
      env.kill_worker(rng() % env.workers());
      ++n.worker_kills;
      last_worker_kill = steady::now();
    }
    if (since(last_engine_kill) >= engine_kill_every_s) {
      env.kill_engine();
      ++n.engine_kills;
      ++log.life;
      env.start_engine();
      last_engine_kill = steady::now();
    }
    fmt::print("soak: {:.0f} s: {} cycles to final, {} events accepted, engine RSS {:.0f} MiB\n",
               since(t0), n.cycles, accepted.load(), env.engine_rss_mib());
    std::this_thread::sleep_until(round_start +
                                  std::chrono::seconds(10));  // a cycle of 314 cases every 10 s
  }
  stop = true;
  feeder.join();
  sampler.join();
  fmt::print(
      "soak: {:.1f} minutes: {} cycles to final ({} rounds cut short), {} events accepted, {} "
      "worker and {} engine SIGKILLs\n",
      since(t0) / 60, n.cycles, n.failed_rounds, accepted.load(), n.worker_kills, n.engine_kills);
  print_rss_per_run(log.samples, log.life);
}

}  // namespace af::bench
