#include "tools/bench/feed_bench.h"

#include <fmt/core.h>

#include <chrono>
#include <fstream>
#include <random>

namespace af::bench {
namespace {

std::string id_of(std::mt19937_64& rng) { return fmt::format("{:016x}{:016x}", rng(), rng()); }

// One shard: mostly sales and inquiries, refunds of its own earlier sales,
// targets and process indicators.
void write_shard(const std::string& path, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::ofstream out(path);
  std::vector<std::string> sales;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned m = static_cast<unsigned>(rng() % 1000), roll = static_cast<unsigned>(rng() % 100),
             day = 1 + rng() % 28;
    std::string head = fmt::format(
        R"("event_id":"{}","manager_id":"M{:06}","occurred_at":"2026-07-{:02}T10:00:00+08:00")",
        id_of(rng), m, day);
    std::string brand = roll % 2 ? "yanghe" : "shuanggou";
    if (roll < 55) {
      out << fmt::format(R"({{"type":"sale",{},"amount_fen":{},"brand":"{}","customer_id":"K{}"}})",
                         head, 1000 + rng() % 100000, brand, rng() % 999)
          << "\n";
      sales.push_back(head.substr(12, 32));
    } else if (roll < 60 && !sales.empty()) {
      out << fmt::format(
                 R"({{"type":"refund",{},"amount_fen":100,"brand":"yanghe","refers_to":"{}"}})",
                 head, sales.back())
          << "\n";
      sales.pop_back();
    } else if (roll < 90) {
      out << fmt::format(R"({{"type":"inquiry",{},"customer_id":"K{}","converted":{}}})", head,
                         rng() % 999, rng() % 50 == 0)
          << "\n";
    } else if (roll < 92) {
      out << fmt::format(
                 R"({{"type":"target_set",{},"period":"2026-07","brand":"{}","target_fen":{}}})",
                 head, brand, rng() % 10000000)
          << "\n";
    } else {
      const char* type = roll < 95   ? "outlet_opened"
                         : roll < 98 ? "display_store_checked"
                                     : "banquet_held";
      out << fmt::format(R"({{"type":"{}",{},"store_id":"S{}"}})", type, head, rng() % 5000)
          << "\n";
    }
  }
}

}  // namespace

void bench_feed(bench_env& env, std::size_t events, int publishers) {
  env.import_org(1000);
  std::vector<std::string> shards;
  for (int p = 0; p < publishers; ++p) {
    shards.push_back(env.data() + fmt::format("/../feed-{}.jsonl", p));
    write_shard(shards.back(), events / static_cast<std::size_t>(publishers),
                1000 + static_cast<std::uint64_t>(p));
  }
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<tools::process>> feeds;
  for (int p = 0; p < publishers; ++p)
    feeds.push_back(std::make_unique<tools::process>(
        env.bin_dir() + "/tools/assess-feed",
        std::vector<std::string>{"--data", env.data(), "--quiet", "--json",
                                 shards[static_cast<std::size_t>(p)]},
        env.data() + fmt::format("/../feed-{}.log", p),
        env.data() + fmt::format("/../feed-{}.json", p)));
  for (auto& f : feeds) f->wait(std::chrono::minutes(10));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  long long accepted = 0, rejected = 0;
  double p99 = 0, p50 = 0;
  for (int p = 0; p < publishers; ++p) {
    std::ifstream in(env.data() + fmt::format("/../feed-{}.json", p));
    json j = json::parse(in, nullptr, false);
    if (!j.is_object()) continue;
    accepted += j["accepted"].get<long long>();
    rejected += j["rejected"].get<long long>();
    p99 = std::max(p99, j["ack_latency_ms"]["p99"].get<double>());
    p50 = std::max(p50, j["ack_latency_ms"]["p50"].get<double>());
  }
  fmt::print(
      "feed: {} publishers, mixed feed of {} events (batches of 500, 8 in flight each): {} "
      "accepted, {} rejected in {:.2f} s = {:.0f} events/s; "
      "ack latency per 500-event message p50 {:.2f} ms, p99 {:.2f} ms (worst publisher)\n",
      publishers, events, accepted, rejected, secs, static_cast<double>(accepted) / secs, p50, p99);
}

}  // namespace af::bench
