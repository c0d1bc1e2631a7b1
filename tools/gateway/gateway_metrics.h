// gateway_metrics.h: what the gateway counts, in the Prometheus text
// format at GET /metrics (prometheus-cpp's registry and serializer):
//
//   assess_gateway_requests_total{route,status}          counter
//   assess_gateway_request_duration_seconds{route}       histogram, from the
//       request's arrival to its answer (the engine's round trip included)
//   assess_gateway_open_connections                      gauge
//   assess_gateway_engine_requests_in_flight             gauge
//
// `route` is a route's name from routes.h ("case.submit"), or "none" for a
// request that matched no route or was refused before routing (400, 413, 503), so the labels stay a
// small fixed set whatever clients send.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
class Histogram;
template <typename T>
class Family;
class Counter;
class Gauge;
}  // namespace prometheus

namespace af::gateway {

class gateway_metrics {
 public:
  // `open_connections` and `in_flight` are read at each scrape.
  gateway_metrics(std::function<double()> open_connections, std::function<double()> in_flight);
  ~gateway_metrics();
  gateway_metrics(const gateway_metrics&) = delete;
  gateway_metrics& operator=(const gateway_metrics&) = delete;

  void record(std::string_view route, unsigned status, std::chrono::steady_clock::duration took);
  // A request the server refused before routing it (counted as route "none").
  void refused(unsigned status);
  // The exposition text.
  std::string scrape();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* durations_;
  prometheus::Gauge* connections_;
  prometheus::Gauge* in_flight_;
  std::function<double()> open_connections_, engine_in_flight_;
  std::map<std::string, prometheus::Histogram*, std::less<>> by_route_;
};

}  // namespace af::gateway
