#include "tools/gateway/gateway_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace af::gateway {

namespace {

// Seconds: from a local engine's sub-millisecond answer to the timeout.
const prometheus::Histogram::BucketBoundaries latency_buckets{
    0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

}  // namespace

gateway_metrics::gateway_metrics(std::function<double()> open_connections,
                                 std::function<double()> in_flight)
    : registry_(std::make_shared<prometheus::Registry>()),
      open_connections_(std::move(open_connections)),
      engine_in_flight_(std::move(in_flight)) {
  requests_ = &prometheus::BuildCounter()
                   .Name("assess_gateway_requests_total")
                   .Help("HTTP requests answered, by route and status code")
                   .Register(*registry_);
  durations_ = &prometheus::BuildHistogram()
                    .Name("assess_gateway_request_duration_seconds")
                    .Help("Time from a request's arrival to its answer, by route")
                    .Register(*registry_);
  connections_ = &prometheus::BuildGauge()
                      .Name("assess_gateway_open_connections")
                      .Help("HTTP connections open now")
                      .Register(*registry_)
                      .Add({});
  in_flight_ = &prometheus::BuildGauge()
                    .Name("assess_gateway_engine_requests_in_flight")
                    .Help("Admin requests sent to the engine and not yet answered")
                    .Register(*registry_)
                    .Add({});
}

gateway_metrics::~gateway_metrics() = default;

void gateway_metrics::record(std::string_view route, unsigned status,
                             std::chrono::steady_clock::duration took) {
  requests_->Add({{"route", std::string(route)}, {"status", std::to_string(status)}}).Increment();
  auto it = by_route_.find(route);
  if (it == by_route_.end())
    it = by_route_
             .emplace(std::string(route),
                      &durations_->Add({{"route", std::string(route)}}, latency_buckets))
             .first;
  it->second->Observe(std::chrono::duration<double>(took).count());
}

void gateway_metrics::refused(unsigned status) {
  requests_->Add({{"route", "none"}, {"status", std::to_string(status)}}).Increment();
}

std::string gateway_metrics::scrape() {
  if (open_connections_) connections_->Set(open_connections_());
  if (engine_in_flight_) in_flight_->Set(engine_in_flight_());
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace af::gateway
