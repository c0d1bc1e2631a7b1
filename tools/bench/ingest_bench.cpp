#include "tools/bench/ingest_bench.h"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <random>
#include <thread>
#include <zmq.hpp>

namespace af::bench {
namespace {

using steady = std::chrono::steady_clock;
constexpr int managers = 1000;

std::string uuid_like(std::mt19937_64& rng) {
  std::uint64_t a = rng(), b = rng();
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff,
                     b >> 48, b & 0xffffffffffffULL);
}

std::string sale(std::mt19937_64& rng) {
  return fmt::format(
      R"({{"type":"sale","event_id":"{}","manager_id":"M{:06}","occurred_at":"2026-07-{:02}T10:{:02}:00+08:00","amount_fen":{},"brand":"yanghe","customer_id":"K{}"}})",
      uuid_like(rng), rng() % managers, 1 + rng() % 28, rng() % 60, 1000 + rng() % 1000000,
      rng() % 5000);
}

void print_durability(const char* what, const json& d) {
  fmt::print(
      "{}: {} WAL syncs, mean {:.3f} ms each; WAL rewound {} times, longest rewind {:.1f} ms\n",
      what, d["wal_syncs"].dump(), d["mean_sync_ms"].get<double>(), d["wal_rewinds"].dump(),
      d["wal_rewind_max_ms"].get<double>());
}

}  // namespace

void bench_ingest_batches(bench_env& env, std::size_t events, std::size_t batch,
                          std::size_t window) {
  env.import_org(managers);
  std::mt19937_64 rng(42);
  std::vector<std::string> messages;
  for (std::size_t i = 0; i < events; i += batch) {
    std::string m = "[";
    for (std::size_t k = i; k < std::min(events, i + batch); ++k)
      (m += (k == i ? "" : ",")) += sale(rng);
    messages.push_back(m + "]");
  }
  zmq::context_t ctx(1);
  zmq::socket_t s(ctx, zmq::socket_type::dealer);
  s.set(zmq::sockopt::linger, 0);
  env.secure(s);
  s.connect(env.endpoint("ingest"));
  auto t0 = steady::now();
  std::size_t sent = 0, acked = 0, accepted = 0;
  while (acked < messages.size()) {
    while (sent < messages.size() && sent - acked < window)
      s.send(zmq::buffer(messages[sent++]), zmq::send_flags::none);
    zmq::message_t reply;
    if (!s.recv(reply)) break;
    ++acked;
    std::string_view text = reply.to_string_view();
    for (std::size_t pos = 0; (pos = text.find("\"accepted\"", pos)) != std::string_view::npos;
         ++pos)
      ++accepted;
  }
  double secs = std::chrono::duration<double>(steady::now() - t0).count();
  fmt::print(
      "ingest-batch: {} events in batches of {} ({} in flight): {} accepted in {:.2f} s = {:.0f} "
      "events/s; engine peak RSS {:.0f} MiB\n",
      events, batch, window, accepted, secs, static_cast<double>(accepted) / secs,
      env.engine_peak_rss_mib());
}

void bench_ingest_single(bench_env& env, int clients, int in_flight, double seconds) {
  env.import_org(managers);
  std::atomic<long> accepted{0};
  std::atomic<bool> stop{false};
  zmq::context_t ctx(1);
  std::vector<std::thread> threads;
  std::vector<std::vector<double>> latency_ms(static_cast<std::size_t>(clients));
  auto t0 = steady::now();
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      std::mt19937_64 rng(100 + c);
      zmq::socket_t s(ctx, zmq::socket_type::dealer);
      s.set(zmq::sockopt::linger, 0);
      s.set(zmq::sockopt::rcvtimeo, 10000);
      env.secure(s);
      s.connect(env.endpoint("ingest"));
      std::deque<steady::time_point> sent_at;  // replies come back in order
      auto& lat = latency_ms[static_cast<std::size_t>(c)];
      while (!stop || !sent_at.empty()) {
        while (!stop && sent_at.size() < static_cast<std::size_t>(in_flight)) {
          std::string ev = sale(rng);
          sent_at.push_back(steady::now());
          s.send(zmq::buffer(ev), zmq::send_flags::none);
        }
        zmq::message_t reply;
        if (!s.recv(reply)) return;
        lat.push_back(
            std::chrono::duration<double, std::milli>(steady::now() - sent_at.front()).count());
        sent_at.pop_front();
        if (reply.to_string_view().find("\"accepted\"") != std::string_view::npos) ++accepted;
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(steady::now() - t0).count();
  std::vector<double> all;
  for (auto& l : latency_ms) all.insert(all.end(), l.begin(), l.end());
  json stats = env.admin({{"cmd", "stats"}});
  json ingest = stats["ingest"];
  if (stats.contains("durability")) print_durability("ingest-single", stats["durability"]);
  fmt::print(
      "ingest-single: {} clients, one event per request, {} in flight per client, {:.1f} s: {} "
      "accepted = {:.0f} events/s "
      "({:.1f} events per commit); ack latency p50 {:.2f} ms, p99 {:.2f} ms\n",
      clients, in_flight, secs, accepted.load(), static_cast<double>(accepted) / secs,
      ingest["messages"].get<double>() / std::max(1.0, ingest["commits"].get<double>()),
      percentile(all, 0.5), percentile(all, 0.99));
}

void bench_ingest_latency(bench_env& env, int rate, double seconds) {
  env.import_org(managers);
  std::mt19937_64 rng(7);
  std::size_t total = static_cast<std::size_t>(rate * seconds);
  std::vector<std::string> events;
  for (std::size_t i = 0; i < total; ++i) events.push_back(sale(rng));
  zmq::context_t ctx(1);
  zmq::socket_t s(ctx, zmq::socket_type::dealer);
  s.set(zmq::sockopt::linger, 0);
  env.secure(s);
  s.connect(env.endpoint("ingest"));
  std::vector<steady::time_point> due(total);
  std::vector<double> latency_ms;
  latency_ms.reserve(total);
  auto t0 = steady::now() + std::chrono::milliseconds(100);
  for (std::size_t i = 0; i < total; ++i)
    due[i] =
        t0 + std::chrono::nanoseconds(static_cast<long long>(1e9 * static_cast<double>(i) / rate));
  // Sends what is due, then sleeps in poll until the next event is due (at
  // least 1 ms: zmq_poll's resolution) so the client does not spin on a
  // core the engine needs. Latency runs from each event's actual send.
  std::vector<steady::time_point> sent_at(total);
  std::size_t sent = 0, acked = 0;
  while (acked < total) {
    auto now = steady::now();
    while (sent < total && due[sent] <= now) {
      sent_at[sent] = steady::now();
      s.send(zmq::buffer(events[sent++]), zmq::send_flags::none);
    }
    auto wait =
        sent < total
            ? std::chrono::duration_cast<std::chrono::microseconds>(due[sent] - steady::now())
            : std::chrono::microseconds(1000000);
    zmq::pollitem_t items[] = {{s.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::milliseconds(std::max<long>(1, (wait.count() + 999) / 1000)));
    zmq::message_t reply;
    while (s.recv(reply, zmq::recv_flags::dontwait)) {  // replies come back in order
      latency_ms.push_back(
          std::chrono::duration<double, std::milli>(steady::now() - sent_at[acked]).count());
      ++acked;
    }
  }
  double mx = *std::max_element(latency_ms.begin(), latency_ms.end());
  print_durability("latency", env.admin({{"cmd", "stats"}})["durability"]);
  fmt::print(
      "latency: {} events at {}/s: ack latency p50 {:.2f} ms, p99 {:.2f} ms, p99.9 {:.2f} ms, max "
      "{:.2f} ms\n",
      total, rate, percentile(latency_ms, 0.5), percentile(latency_ms, 0.99),
      percentile(latency_ms, 0.999), mx);
}

}  // namespace af::bench
