// engine.cpp: the engine's loop: run() until a signal or stop(), the tick
// (leases, audit and case-event retention, the scheduler, the deadlines),
// and its log line. Startup is in engine_startup.cpp, the sockets in
// engine_sockets.cpp, access in engine_access.cpp, the group commit in
// engine_group.cpp, requests in engine_requests.cpp, workers in
// engine_tasks.cpp, what leaves after a commit in engine_events.cpp.
#include "engine/engine.h"

#include <fmt/core.h>
#include <unistd.h>

#include "engine/engine_internal.h"

namespace af::engine {

void log_line(const std::string& text) {
  using namespace std::chrono;
  auto now = duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  fmt::print(stderr, "{} assess-engine: {}\n", format_instant(now, 0), text);
}

void engine::run() {
  ingest_watch_ = std::make_unique<zmq_watch>(io_, ingest_sock_, [this] { drain_ingest(); });
  admin_watch_ = std::make_unique<zmq_watch>(io_, admin_sock_, [this] { drain_admin(); });
  tasks_watch_ = std::make_unique<zmq_watch>(io_, tasks_sock_, [this] { drain_tasks(); });
  zap_.start();
  ingest_watch_->start();
  admin_watch_->start();
  tasks_watch_->start();
  signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log_line(fmt::format("signal {} received: finishing and shutting down", sig));
    stop();
  });
  durable_.on_idle([this] { on_durable(); });
  durable_.on_fatal([this](const std::string& why) { storage_failed(why); });
  on_tick();
  io_.run();
  if (!storage_failed_) close_group(true);
  durable_.flush();  // the last acknowledgements leave before the sockets close
  for (auto* s : {&ingest_sock_, &admin_sock_, &tasks_sock_, &events_sock_}) s->close();
  if (storage_failed_) {
    log_line(
        "stopped after a failed WAL sync; a restart checks the database and recovers what the WAL "
        "holds");
    return;
  }
  if (lock_fd_ >= 0 && ::ftruncate(lock_fd_, 0) != 0)
    log_line("cannot mark the shutdown clean in engine.lock");
  log_line("shutdown complete");
}

void engine::stop() {
  if (stopping_) return;
  stopping_ = true;
  zap_.stop();
  ingest_watch_->stop();
  admin_watch_->stop();
  tasks_watch_->stop();
  tick_timer_.cancel();
  commit_timer_.cancel();
  signals_.cancel();
}

void engine::recheck_all() {
  if (stopping_) return;
  zap_.recheck();
  ingest_watch_->recheck();
  admin_watch_->recheck();
  tasks_watch_->recheck();
}

void engine::purge_audit() {
  std::int64_t now = clock_->now_s();
  if (now - audit_purged_at_ < 3600) return;  // hourly
  try {
    if (!open_group()) return;  // next tick
    audit_purged_at_ = now;
    if (auto n = db_.purge_audit(now - std::int64_t{cfg_.audit_retention_days} * 86400))
      log_line(fmt::format("audit: {} refused requests older than {} days removed", n,
                           cfg_.audit_retention_days));
    std::string cutoff = format_instant(now - std::int64_t{cfg_.event_retention_days} * 86400,
                                        cfg_.tz_offset_minutes);
    for (int batch = 0; batch < 50 && db_.purge_case_events(cutoff, 10'000) > 0; ++batch) {
    }
  } catch (const sqlite_error& e) {
    fail_group(std::string("audit purge: ") + e.what(), e.code);
  }
}

void engine::on_tick() {
  if (stopping_) return;
  for (auto it = worker_keys_.begin();
       it != worker_keys_.end();)  // connections the dispatcher forgot
    it = dispatcher_.has_worker(it->first) ? std::next(it) : worker_keys_.erase(it);
  auto dead = dispatcher_.tick(steady_ms());
  if (!dead.empty()) {
    try {
      if (!open_group()) throw std::runtime_error("busy");
      for (const auto& t : dead)
        db_.kill_task(t.id, t.attempts, "lease expired " + std::to_string(t.attempts) + " times");
      for (const auto& t : dead)
        log_line(
            fmt::format("task {} (case {}) dead after {} attempts", t.id, t.case_id, t.attempts));
    } catch (const std::exception& e) {  // the store failed or is busy: they expire again next tick
      if (group_.open) fail_group(e.what());
      for (auto& t : dead) dispatcher_.restore(std::move(t));
    }
  }
  purge_audit();
  if (!stopping_ && scheduler_->anything_due(clock_->now_s()) && open_group()) {
    try {
      for (const auto& line : scheduler_->run_due(clock_->now_s(), group_.out)) log_line(line);
    } catch (const sqlite_error& e) {
      fail_group(std::string("scheduler: ") + e.what(), e.code);
    }
  }
  if (!stopping_ && timers_.anything_due(clock_->now_s()) && open_group()) {
    try {
      for (const auto& line : timers_.fire_due(clock_->now_s(), group_.out)) log_line(line);
    } catch (const sqlite_error& e) {
      fail_group(std::string("timers: ") + e.what(), e.code);
    }
  }
  close_group(false);
  dispatcher_.pump(steady_ms());
  recheck_all();
  if (metrics_ && std::chrono::steady_clock::now() - metrics_refreshed_ >= std::chrono::seconds(1))
    refresh_metrics();
  tick_timer_.expires_after(std::chrono::milliseconds(100));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) on_tick();
  });
}

}  // namespace af::engine
