#include "tools/bench/cycle_bench.h"

#include <fmt/core.h>

#include <chrono>
#include <thread>

namespace af::bench {
namespace {

using steady = std::chrono::steady_clock;

double since(steady::time_point t) {
  return std::chrono::duration<double>(steady::now() - t).count();
}

json ratings_for(int i) {
  json r;
  int k = 0;
  for (const char* key : {"language", "market_development", "negotiation", "achievement_motivation",
                          "service_orientation", "initiative"})
    r[key] = 1 + (i + k++) % 5;
  return r;
}

}  // namespace

// Sends one submit per case, `batch` per transaction; returns how many applied.
long submit_all(bench_env& env, const json& cases, bool supervisor, std::size_t batch) {
  long ok = 0;
  json requests = json::array();
  auto flush = [&] {
    if (requests.empty()) return;
    json reply = env.admin({{"cmd", "batch"}, {"requests", requests}});
    for (const auto& r : reply["results"]) ok += r.value("ok", false);
    requests = json::array();
  };
  int i = 0;
  for (const auto& c : cases) {
    json req{{"cmd", "submit"}, {"case", c["id"]}, {"ratings", ratings_for(i)}};
    req["as"] = supervisor ? "supervisor:" + c["supervisor_id"].get<std::string>()
                           : "employee:" + c["employee_id"].get<std::string>();
    if (supervisor) req["exams"] = {{"product_knowledge", 40 + i % 61}};
    requests.push_back(std::move(req));
    ++i;
    if (requests.size() >= batch) flush();
  }
  flush();
  return ok;
}

namespace {

long count_in(const json& stats, const std::string& state) {
  return stats["cases"].contains(state) ? stats["cases"][state].get<long>() : 0;
}

}  // namespace

void bench_cycle(bench_env& env, int n, std::size_t batch) {
  auto t_org = steady::now();
  env.import_org(n);
  fmt::print("cycle: imported {} employees in {:.1f} s\n", n + n / 100 + 11, since(t_org));
  env.start_workers();
  auto t0 = steady::now();
  json opened =
      env.admin({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
  long long cycle = opened["cycle"].get<long long>();
  fmt::print("cycle: opened {} cases in {:.1f} s\n", opened["opened"].dump(), since(t0));
  json cases = json::array();  // a page at a time: one 100,000-case reply would be the engine's
                               // largest allocation
  for (json req{{"cmd", "cases"}, {"cycle", cycle}, {"limit", 10000}};;) {
    json page = env.admin(req);
    for (auto& c : page["cases"]) cases.push_back(std::move(c));
    if (!page.contains("next_after")) break;
    req["after"] = page["next_after"];
  }
  auto t = steady::now();
  long self = submit_all(env, cases, false, batch);
  fmt::print("cycle: {} self reviews in {:.1f} s\n", self, since(t));
  t = steady::now();
  long sup = submit_all(env, cases, true, batch);
  fmt::print("cycle: {} supervisor reviews in {:.1f} s\n", sup, since(t));
  t = steady::now();
  while (count_in(env.admin({{"cmd", "stats"}}), "scoring") > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  fmt::print("cycle: scoring finished {:.1f} s after the last supervisor review\n", since(t));
  t = steady::now();
  for (int u = 0; u < 10; ++u)
    env.admin({{"cmd", "approve"},
               {"as", fmt::format("hrbp:B{}", u)},
               {"state", "hrbp_review"},
               {"cycle", cycle}});
  fmt::print("cycle: HRBP bulk approvals in {:.1f} s\n", since(t));
  t = steady::now();
  for (int u = 0; u < 10; ++u)
    env.admin({{"cmd", "approve"},
               {"as", "hr:H1"},
               {"state", "hr_review"},
               {"unit", fmt::format("U{}", u)},
               {"cycle", cycle}});
  fmt::print("cycle: HR bulk approvals in {:.1f} s\n", since(t));
  json stats = env.admin({{"cmd", "stats"}});
  double to_final = since(t0);
  long finals = count_in(stats, "final");
  fmt::print(
      "cycle: {} of {} cases final {:.1f} s after the cycle opened: {:.0f} transitions/s (6 per "
      "case incl. opening)\n",
      finals, n, to_final, 6.0 * static_cast<double>(finals) / to_final);
  while (true) {
    json s = env.admin({{"cmd", "stats"}});
    if (s["tasks"].value("queued", 0) == 0 && s["tasks"].value("leased", 0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  fmt::print(
      "cycle: all {} notifications delivered {:.1f} s after the cycle opened; engine peak RSS "
      "{:.0f} MiB\n",
      3L * finals, since(t0), env.engine_peak_rss_mib());
}

}  // namespace af::bench
