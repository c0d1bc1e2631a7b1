#include "engine/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <stdexcept>

#include "engine/event_type.h"

namespace af::engine {

namespace {

using prometheus::Counter;

// A counter brought up to a total the engine keeps (never down: a count
// taken back by a rollback shows as no increase).
void advance(Counter& c, std::int64_t total) {
  double d = static_cast<double>(total) - c.Value();
  if (d > 0) c.Increment(d);
}

prometheus::Family<Counter>& counter(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r);
}
prometheus::Family<prometheus::Gauge>& gauges(prometheus::Registry& r, const char* name,
                                              const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

constexpr std::array<const char*, 3> event_outcomes{"accepted", "duplicate", "rejected"};
constexpr std::array<const char*, 3> firing_outcomes{"reminder_sent", "deadline_passed",
                                                     "could_not_fire"};
constexpr std::array<const char*, 4> delivery_outcomes{"sent", "retried", "failed", "deferred"};

}  // namespace

std::string metrics_address(const std::string& flag) {
  return flag.find(':') == std::string::npos ? "127.0.0.1:" + flag : flag;
}

engine_metrics::engine_metrics(const std::string& listen)
    : registry_(std::make_shared<prometheus::Registry>()) {
  auto& r = *registry_;
  events_ = &counter(r, "assess_events_total", "Events answered, by type and outcome");
  messages_ = &counter(r, "assess_ingest_messages_total", "Messages received on the ingest socket");
  admin_ =
      &counter(r, "assess_admin_requests_total", "Admin requests answered, by command and outcome");
  firings_ = &counter(r, "assess_deadline_firings_total", "Case timers fired, by outcome");
  notifications_ =
      &counter(r, "assess_notifications_total", "Notify task results, by channel and outcome");
  handshakes_ =
      &counter(r, "assess_handshakes_total", "CURVE handshakes judged by the ZAP handler");
  cases_ = &gauges(r, "assess_cases", "Cases by program and state");
  tasks_ = &gauges(r, "assess_tasks", "Outstanding tasks by worker kind and state");
  dead_ = &gauges(r, "assess_dead_tasks", "Dead tasks (the dead-letter queue) by worker kind");
  workers_ = &gauges(r, "assess_workers_connected", "Workers connected, by kind");
  group_ = &prometheus::BuildHistogram()
                .Name("assess_group_commit_messages")
                .Help("Messages committed per group commit (its count: the commits)")
                .Register(r)
                .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256,
                                                                 512, 1024, 4096});
  wal_sync_ = &prometheus::BuildHistogram()
                   .Name("assess_wal_sync_duration_seconds")
                   .Help("Time of one fdatasync of the WAL")
                   .Register(r)
                   .Add({}, prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001,
                                                                    0.0025, 0.005, 0.01, 0.025,
                                                                    0.05, 0.1, 0.25, 1});
  for (std::size_t t = 0; t <= ingest_counts::unknown_type; ++t) {
    std::string type = t == ingest_counts::unknown_type
                           ? "unknown"
                           : std::string(event_type_name(static_cast<event_type>(t)));
    for (const char* o : event_outcomes) events_->Add({{"type", type}, {"outcome", o}});
  }
  for (const char* o : firing_outcomes) firings_->Add({{"outcome", o}});
  for (const char* o : {"admitted", "refused"}) handshakes_->Add({{"outcome", o}});
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(listen, 1);
  } catch (const std::exception& e) {
    throw std::runtime_error("--metrics " + listen + ": cannot listen there (" + e.what() + ")");
  }
  exposer_->RegisterCollectable(registry_);
  auto ports = exposer_->GetListeningPorts();
  address_ = listen.substr(0, listen.rfind(':') + 1) +
             (ports.empty() ? listen.substr(listen.rfind(':') + 1) : std::to_string(ports.front()));
}

engine_metrics::~engine_metrics() = default;

void engine_metrics::observe_wal_sync(double seconds) { wal_sync_->Observe(seconds); }

void engine_metrics::observe_group(std::int64_t messages) {
  group_->Observe(static_cast<double>(messages));
}

void engine_metrics::admin_answered(std::string_view command, std::string_view outcome) {
  admin_->Add({{"command", std::string(command)}, {"outcome", std::string(outcome)}}).Increment();
}

prometheus::Gauge& engine_metrics::gauge(prometheus::Family<prometheus::Gauge>& f,
                                         const std::map<std::string, std::string>& labels) {
  return f.Add(labels);
}

void engine_metrics::refresh(const metrics_view& v) {
  if (v.ingest) {
    advance(messages_->Add({}), v.ingest->messages);
    for (std::size_t t = 0; t <= ingest_counts::unknown_type; ++t) {
      std::string type = t == ingest_counts::unknown_type
                             ? "unknown"
                             : std::string(event_type_name(static_cast<event_type>(t)));
      for (std::size_t o = 0; o < 3; ++o)
        advance(events_->Add({{"type", type}, {"outcome", event_outcomes[o]}}),
                v.ingest->by_type[t][o]);
    }
  }
  for (const auto& [key, n] : v.cases)
    gauge(*cases_, {{"program", key.first}, {"state", key.second}}).Set(static_cast<double>(n));
  for (const auto& [kind, f] : v.tasks) {
    std::string k(msg::kind_name(kind));
    gauge(*tasks_, {{"kind", k}, {"state", "queued"}}).Set(static_cast<double>(f.queued));
    gauge(*tasks_, {{"kind", k}, {"state", "leased"}}).Set(static_cast<double>(f.leased));
    gauge(*workers_, {{"kind", k}}).Set(static_cast<double>(f.workers));
    auto dead = v.dead_tasks.find(k);
    gauge(*dead_, {{"kind", k}})
        .Set(dead == v.dead_tasks.end() ? 0.0 : static_cast<double>(dead->second));
  }
  for (std::size_t o = 0; o < firing_outcomes.size(); ++o)
    advance(firings_->Add({{"outcome", firing_outcomes[o]}}), v.deadline_firings[o]);
  if (v.deliveries)  // channels are the engine's own names (file, smtp, wecom, dingtalk)
    for (const auto& [channel, counts] : v.deliveries->all())
      for (std::size_t o = 0; o < delivery_outcomes.size(); ++o)
        advance(notifications_->Add({{"channel", channel}, {"outcome", delivery_outcomes[o]}}),
                counts[o]);
  advance(handshakes_->Add({{"outcome", "admitted"}}), v.handshakes_admitted);
  advance(handshakes_->Add({{"outcome", "refused"}}), v.handshakes_refused);
}

std::string engine_metrics::scrape() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace af::engine
