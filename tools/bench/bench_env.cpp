#include "tools/bench/bench_env.h"

#include <fmt/core.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tools/assessctl/admin_client.h"

namespace af::bench {

bench_env::bench_env(const bench_options& o) : o_(o) {}
bench_env::~bench_env() { stop(); }

void bench_env::start_engine(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--data", data(), "--sync", o_.sync, "--schedule", "off"};
  if (!o_.ingest_tcp.empty()) args.insert(args.end(), {"--ingest", o_.ingest_tcp});
  args.insert(args.end(), extra.begin(), extra.end());
  engine_ = std::make_unique<tools::process>(o_.bin_dir + "/engine/assess-engine", args,
                                             dir_.path() + "/engine.log");
  for (int i = 0; i < 200; ++i) {
    tools::admin_client c(endpoint("admin"), {data(), "", "", "admin"}, 200);
    if (auto r = c.call({{"cmd", "stats"}}); r && r->value("ok", false)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("the engine did not start; see " + dir_.path() + "/engine.log");
}

void bench_env::secure(zmq::socket_t& s, const std::string& name) const {
  auto keys = msg::load_client_keys({data(), "", "", name}, std::chrono::seconds(10));
  if (!keys) throw std::runtime_error(keys.error().message());
  msg::make_curve_client(s, *keys);
}

void bench_env::start_workers() {
  for (int i = 0; i < o_.scoring_workers; ++i)
    worker_commands_.push_back({"assess-worker-scoring", {"--data", data(), "--capacity", "256"}});
  worker_commands_.push_back({"assess-worker-notify", {"--data", data(), "--capacity", "512"}});
  for (const auto& [name, args] : worker_commands_)
    workers_.push_back(std::make_unique<tools::process>(o_.bin_dir + "/workers/" + name, args,
                                                        dir_.path() + "/" + name + ".log"));
}

void bench_env::kill_engine() {
  if (!engine_) return;
  engine_->signal(SIGKILL);
  engine_->wait();
  engine_.reset();
}

void bench_env::kill_worker(std::size_t i) {
  if (i >= workers_.size()) return;
  workers_[i]->signal(SIGKILL);
  workers_[i]->wait();
  const auto& [name, args] = worker_commands_[i];
  workers_[i] = std::make_unique<tools::process>(o_.bin_dir + "/workers/" + name, args,
                                                 dir_.path() + "/" + name + ".log");
}

json bench_env::admin(const json& request, int timeout_ms) const {
  tools::admin_client c(endpoint("admin"), {data(), "", "", "admin"}, timeout_ms);
  auto r = c.call(request);
  if (!r) throw std::runtime_error(r.error().message());
  if (!r->value("ok", false)) throw std::runtime_error(r->value("error", std::string("refused")));
  return *r;
}

void bench_env::import_org(int managers) {
  json rows = json::array();
  auto flush = [&] {
    if (rows.empty()) return;
    admin({{"cmd", "org.import"}, {"rows", rows}});
    rows = json::array();
  };
  rows.push_back({{"id", "H1"},
                  {"name", "HR"},
                  {"unit", "HR"},
                  {"grade", 1},
                  {"joined_on", "2010-01-01"},
                  {"roles", "hr"}});
  for (int u = 0; u < 10; ++u)
    rows.push_back({{"id", fmt::format("B{}", u)},
                    {"name", "HRBP"},
                    {"unit", "HR"},
                    {"grade", 2},
                    {"joined_on", "2012-01-01"}});
  int supervisors = std::max(1, managers / 100);
  for (int s = 0; s < supervisors; ++s)
    rows.push_back({{"id", fmt::format("S{:05}", s)},
                    {"name", "Sup"},
                    {"unit", fmt::format("U{}", s % 10)},
                    {"grade", 1},
                    {"joined_on", "2015-01-01"}});
  flush();
  for (int m = 0; m < managers; ++m) {
    int s = m % supervisors;
    rows.push_back({{"id", fmt::format("M{:06}", m)},
                    {"name", "Mgr"},
                    {"unit", fmt::format("U{}", s % 10)},
                    {"grade", 2 + m % 3},
                    {"supervisor_id", fmt::format("S{:05}", s)},
                    {"hrbp_id", fmt::format("B{}", s % 10)},
                    {"joined_on", fmt::format("{}-0{}-15", 2014 + m % 12, 1 + m % 9)}});
    if (rows.size() >= 20000) flush();
  }
  flush();
}

double bench_env::status_mib(const char* wanted) const {
  if (!engine_) return 0;
  std::ifstream in("/proc/" + std::to_string(engine_->pid()) + "/status");
  std::string key;
  while (in >> key) {
    if (key == wanted) {
      double kb = 0;
      in >> kb;
      return kb / 1024.0;
    }
    std::getline(in, key);
  }
  return 0;
}

double bench_env::engine_peak_rss_mib() const { return status_mib("VmHWM:"); }
double bench_env::engine_rss_mib() const { return status_mib("VmRSS:"); }

void bench_env::stop() {
  for (auto& w : workers_) w->signal(SIGTERM);
  for (auto& w : workers_) w->wait();
  workers_.clear();
  if (engine_) {
    engine_->signal(SIGTERM);
    engine_->wait(std::chrono::seconds(60));
    engine_.reset();
  }
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::size_t i =
      std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return v[i];
}

}  // namespace af::bench
