// metrics.h: the engine's Prometheus metrics (DESIGN.md "HTTP gateway and
// metrics"), served by `assess-engine --metrics HOST:PORT` at GET /metrics
// (prometheus-cpp: its registry and text format, and its Exposer, whose own
// thread answers scrapes without touching the engine's state).
//
//   assess_events_total{type,outcome}           counter  accepted, duplicate, rejected
//   assess_ingest_messages_total                counter
//   assess_group_commit_messages                histogram messages per group commit
//                                                          (_count: the commits)
//   assess_wal_sync_duration_seconds            histogram one fdatasync of the WAL
//   assess_admin_requests_total{command,outcome} counter outcome: ok or the error code
//   assess_cases{program,state}                 gauge    from the case census
//   assess_tasks{kind,state}                    gauge    state: queued, leased
//   assess_dead_tasks{kind}                     gauge
//   assess_workers_connected{kind}              gauge
//   assess_deadline_firings_total{outcome}      counter  reminder_sent, deadline_passed,
//                                                          could_not_fire
//   assess_notifications_total{channel,outcome} counter  sent, retried, failed, deferred
//   assess_handshakes_total{outcome}            counter  admitted, refused
//
// Counts the engine already keeps (ingest, deliveries, timers, the census)
// are copied in by refresh() on the engine's loop once a second; the WAL
// sync and group sizes are observed as they happen. Labels take only
// values from fixed sets (event types, commands, states), never a client's
// text.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/delivery_counts.h"
#include "engine/dispatcher.h"
#include "engine/durability.h"
#include "engine/ingest.h"

namespace prometheus {
class Registry;
class Exposer;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace af::engine {

// What refresh() copies from the engine.
struct metrics_view {
  const ingest_counts* ingest = nullptr;
  std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> cases;
  std::map<msg::worker_kind, dispatcher::kind_figures> tasks;
  std::map<std::string, std::int64_t> dead_tasks;  // kind -> dead tasks
  std::array<std::int64_t, 3> deadline_firings{};  // timers::outcome order
  const delivery_counts* deliveries = nullptr;
  std::int64_t handshakes_admitted = 0, handshakes_refused = 0;
};

class engine_metrics : public sync_observer {
 public:
  // Listens on `listen` ("127.0.0.1:9464"); throws std::runtime_error with
  // a line naming the address when it cannot.
  explicit engine_metrics(const std::string& listen);
  ~engine_metrics() override;
  engine_metrics(const engine_metrics&) = delete;
  engine_metrics& operator=(const engine_metrics&) = delete;

  // Any thread.
  void observe_wal_sync(double seconds) override;
  void observe_group(std::int64_t messages);
  void admin_answered(std::string_view command, std::string_view outcome);
  // The engine's loop.
  void refresh(const metrics_view& v);
  // The exposition text, as a scrape gets it (for tests).
  std::string scrape() const;
  // "127.0.0.1:9464", with the port bound (the flag may ask for port 0).
  [[nodiscard]] std::string address() const { return address_; }

 private:
  prometheus::Gauge& gauge(prometheus::Family<prometheus::Gauge>& f,
                           const std::map<std::string, std::string>& labels);
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>*events_, *messages_, *admin_, *firings_, *notifications_,
      *handshakes_;
  prometheus::Family<prometheus::Gauge>*cases_, *tasks_, *dead_, *workers_;
  prometheus::Histogram *group_, *wal_sync_;
  std::string address_;
};

// "9464" -> "127.0.0.1:9464"; "HOST:PORT" as given.
std::string metrics_address(const std::string& flag);

}  // namespace af::engine
