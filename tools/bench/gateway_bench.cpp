#include "tools/bench/gateway_bench.h"

#include <fmt/core.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <thread>

#include "messages/bearer_token.h"
#include "messages/curve_keys.h"
#include "tools/assessctl/admin_client.h"
#include "tools/common/http_client.h"

namespace af::bench {
namespace {

using steady = std::chrono::steady_clock;

// Cases opened for the bench: each submit phase moves its own share.
constexpr int managers = 40000;

json self_ratings() {
  return {{"language", 3},
          {"market_development", 4},
          {"negotiation", 2},
          {"achievement_motivation", 5},
          {"service_orientation", 3},
          {"initiative", 4}};
}

struct figures {
  std::vector<double> latency_ms;
  long failed = 0;
  double seconds = 0;
};

// Runs `one(client, i)` (the i-th request of that client; false: failed,
// or nothing left to do) from `clients` threads for at most `seconds`.
figures drive(int clients, double seconds, const std::function<bool(int, long, bool&)>& one) {
  std::vector<figures> per(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  auto t0 = steady::now();
  auto until = t0 + std::chrono::duration<double>(seconds);
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      auto& f = per[static_cast<std::size_t>(c)];
      for (long i = 0; steady::now() < until; ++i) {
        bool done = false;
        auto t = steady::now();
        bool ok = one(c, i, done);
        if (done) break;
        if (!ok) ++f.failed;
        f.latency_ms.push_back(
            std::chrono::duration<double, std::milli>(steady::now() - t).count());
      }
    });
  for (auto& t : threads) t.join();
  figures all;
  all.seconds = std::chrono::duration<double>(steady::now() - t0).count();
  for (auto& f : per) {
    all.latency_ms.insert(all.latency_ms.end(), f.latency_ms.begin(), f.latency_ms.end());
    all.failed += f.failed;
  }
  return all;
}

double report(const char* what, figures f) {
  double n = static_cast<double>(f.latency_ms.size());
  double p50 = percentile(f.latency_ms, 0.5), p99 = percentile(f.latency_ms, 0.99);
  fmt::print(
      "gateway: {:<34} {:>7.0f} requests in {:.1f} s = {:>6.0f}/s, p50 {:.3f} ms, p99 {:.3f} "
      "ms{}\n",
      what, n, f.seconds, n / f.seconds, p50, p99,
      f.failed ? fmt::format(" ({} FAILED)", f.failed) : "");
  return p50;
}

int start_gateway(bench_env& env, std::unique_ptr<tools::process>& proc) {
  std::string log = env.root() + "/gateway.log";
  proc = std::make_unique<tools::process>(
      env.bin_dir() + "/tools/assess-gateway",
      std::vector<std::string>{"--data", env.data(), "--listen", "127.0.0.1:0"}, log);
  std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    std::smatch m;
    std::string s = text.str();
    if (std::regex_search(s, m, listening)) return std::stoi(m[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("the gateway did not start; see " + log);
}

}  // namespace

void bench_gateway(bench_env& env, int clients, double seconds) {
  env.import_org(managers);
  json opened =
      env.admin({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
  std::vector<long long> cases;
  std::vector<std::string> who;  // each case's employee
  for (json req{{"cmd", "cases"}, {"cycle", opened["cycle"]}, {"limit", 10000}};;) {
    json page = env.admin(req);
    for (auto& c : page["cases"]) {
      cases.push_back(c["id"].get<long long>());
      who.push_back(c["employee_id"].get<std::string>());
    }
    if (!page.contains("next_after")) break;
    req["after"] = page["next_after"];
  }
  // A portal principal acts for any employee, as the admin key does over ZeroMQ.
  // (the principals table needs a key; its secret is not kept)
  std::string token = msg::new_bearer_token();
  auto pair = msg::make_key_pair();
  if (!pair) throw std::runtime_error(pair.error().message());
  env.admin({{"cmd", "principals.add"},
             {"name", "bench-portal"},
             {"services", {"portal"}},
             {"public_key", pair->public_key},
             {"token_hash", msg::token_hash(token)}});
  std::unique_ptr<tools::process> gateway;
  int port = start_gateway(env, gateway);
  fmt::print("gateway: {} cases, {} clients, one request in flight each, HTTP/1.1 keep-alive\n",
             cases.size(), clients);

  std::vector<std::unique_ptr<tools::http_connection>> http;
  std::vector<std::unique_ptr<tools::admin_client>> zmq;
  for (int c = 0; c < clients; ++c) {
    http.push_back(std::make_unique<tools::http_connection>(port));
    zmq.push_back(std::make_unique<tools::admin_client>(
        env.endpoint("admin"), msg::key_options{env.data(), "", "", "admin"}, 30000));
  }
  auto case_of = [&](int c, long i) {
    return cases[static_cast<std::size_t>((i * clients + c) % static_cast<long>(cases.size()))];
  };
  auto get_http = [&](int c, long i, bool&) {
    auto r = http[static_cast<std::size_t>(c)]->send(
        "GET", "/v1/cases/" + std::to_string(case_of(c, i)), token);
    return r.status == 200;
  };
  auto get_zmq = [&](int c, long i, bool&) {
    auto r =
        zmq[static_cast<std::size_t>(c)]->call({{"cmd", "case.show"}, {"case", case_of(c, i)}});
    return r && r->value("ok", false);
  };
  // Each submit phase takes half of the cases; a client stops when its share is used.
  std::size_t half = cases.size() / 2;
  auto submit_case = [&](std::size_t base, int c, long i, bool& done) -> long long {
    std::size_t k = base + static_cast<std::size_t>(i * clients + c);
    if (k >= base + half) return done = true, 0;
    return cases[k];
  };
  auto submit_http = [&](int c, long i, bool& done) {
    long long id = submit_case(0, c, i, done);
    if (done) return true;
    json body{{"as", "employee:" + who[static_cast<std::size_t>(i * clients + c)]},
              {"ratings", self_ratings()}};
    auto r = http[static_cast<std::size_t>(c)]->send(
        "POST", "/v1/cases/" + std::to_string(id) + "/submit", token, body.dump());
    return r.status == 200;
  };
  auto submit_zmq = [&](int c, long i, bool& done) {
    long long id = submit_case(half, c, i, done);
    if (done) return true;
    json req{{"cmd", "submit"},
             {"case", id},
             {"as", "employee:" + who[half + static_cast<std::size_t>(i * clients + c)]},
             {"ratings", self_ratings()}};
    auto r = zmq[static_cast<std::size_t>(c)]->call(req);
    return r && r->value("ok", false);
  };

  double http_get = report("GET /v1/cases/ID (HTTP)", drive(clients, seconds, get_http));
  double zmq_get = report("case.show (ZeroMQ)", drive(clients, seconds, get_zmq));
  double http_post =
      report("POST /v1/cases/ID/submit (HTTP)", drive(clients, seconds, submit_http));
  double zmq_post = report("submit (ZeroMQ)", drive(clients, seconds, submit_zmq));
  fmt::print(
      "gateway: adds {:.3f} ms to a read and {:.3f} ms to a write at p50 (target < 0.5 ms)\n",
      http_get - zmq_get, http_post - zmq_post);
  http.clear();
  gateway->signal(SIGTERM);
  gateway->wait();
}

}  // namespace af::bench
