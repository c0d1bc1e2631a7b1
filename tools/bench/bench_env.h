// bench_env.h: what every benchmark needs: a fresh engine (and workers) in
// a temp dir, admin calls, an organisation, and the engine's peak RSS.
#pragma once

#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "messages/json_text.h"
#include "messages/secure_client.h"
#include "tools/common/process.h"

namespace af::bench {

using msg::json;

struct bench_options {
  std::string bin_dir;  // where assess-engine and the workers are
  std::string sync = "full";
  int scoring_workers = 1;
  std::string ingest_tcp;  // e.g. tcp://127.0.0.1:5599 to measure over TCP instead of ipc://
};

// The value below which a fraction `p` of `v` lies (reorders `v`); 0 when empty.
double percentile(std::vector<double>& v, double p);

class bench_env {
 public:
  explicit bench_env(const bench_options& o);
  ~bench_env();
  [[nodiscard]] std::string data() const { return dir_.path() + "/data"; }
  [[nodiscard]] const std::string& root() const { return dir_.path(); }
  [[nodiscard]] const std::string& bin_dir() const { return o_.bin_dir; }
  [[nodiscard]] std::string endpoint(const std::string& name) const {
    if (name == "ingest" && !o_.ingest_tcp.empty()) return o_.ingest_tcp;
    return "ipc://" + data() + "/" + name + ".sock";
  }
  void start_engine(const std::vector<std::string>& extra = {});
  // Makes `s` a CURVE client with the engine's key `name` (feed, admin, worker).
  void secure(zmq::socket_t& s, const std::string& name = "feed") const;
  void start_workers();
  json admin(const json& request, int timeout_ms = 600000) const;
  // Imports `managers` account managers M000000.. (supervised by S...,
  // HRBPs B0..B9 by unit U0..U9) plus H1 with the hr role.
  void import_org(int managers);
  // Peak resident set of the engine so far, in MiB (VmHWM); its resident set now (VmRSS).
  [[nodiscard]] double engine_peak_rss_mib() const;
  [[nodiscard]] double engine_rss_mib() const;
  // SIGKILLs the engine (it is started again with start_engine), or worker `i` (started again at
  // once).
  void kill_engine();
  void kill_worker(std::size_t i);
  [[nodiscard]] std::size_t workers() const { return workers_.size(); }
  void stop();

 private:
  bench_options o_;
  tools::temp_dir dir_;
  std::unique_ptr<tools::process> engine_;
  std::vector<std::unique_ptr<tools::process>> workers_;
  std::vector<std::pair<std::string, std::vector<std::string>>>
      worker_commands_;  // to start a killed one again
  double status_mib(const char* key) const;
};

}  // namespace af::bench
