// engine_group.cpp: the group commit: one transaction for every message
// drained until it commits, held for the cohort of clients the last sync
// acknowledged, its replies sent once the commit is durable; a group that
// fails tells each of its clients "not applied"; the WAL rewound between
// groups.
#include <fmt/core.h>

#include "engine/engine.h"
#include "engine/engine_internal.h"

namespace af::engine {

bool engine::open_group() {
  if (group_.open) return true;
  if (store_busy()) return false;
  auto now = std::chrono::steady_clock::now();
  try {
    db_.work().begin();
  } catch (const sqlite_error& e) {
    if ((e.code & 0xff) != SQLITE_BUSY) throw;
    // Another process holds the write lock (busy_timeout is 50 ms): leave
    // the requests queued in their sockets and try again after a tick,
    // so the loop never waits longer than that at a time.
    busy_until_ = now + std::chrono::milliseconds(50);
    if (++busy_waits_ == 1 || busy_waits_ % 100 == 0)
      log_line(
          fmt::format("the database is locked by another process; requests wait ({} times so far)",
                      busy_waits_));
    return false;
  }
  group_.open = true;
  return true;
}

void engine::close_group(bool force) {
  if (!group_.open || (!force && (durable_.syncing() || hold_for_cohort()))) return;
  try {
    ingest_.flush();
    db_.work().commit();
  } catch (const sqlite_error& e) {
    fail_group(std::string("commit failed: ") + e.what(), e.code);
    return;
  }
  ingest_.committed();
  ++hold_;  // a timer holding this group has nothing left to do
  if (group_.principals_changed) principals_changed();
  int frames = db_.wal_frames();
  if (frames < wal_frames_seen_) {  // this commit started the WAL again
    ++wal_rewinds_;
    next_rewind_ = cfg_.wal_rewind_frames;
  }
  wal_frames_seen_ = frames;
  if (frames >= next_rewind_) rewind_wal();
  if (metrics_) metrics_->observe_group(static_cast<std::int64_t>(group_.messages));
  group g = std::move(group_);
  group_ = group{};
  durable_.after_commit([this, g = std::move(g)](bool durable) mutable {
    if (!durable) {  // committed, but perhaps not on disk: never acknowledged
      for (const auto& r : g.ingest_replies) reply(ingest_sock_, r.route, not_durable_ingest);
      for (const auto& r : g.admin_replies) reply(admin_sock_, r.route, not_durable_admin);
      return;
    }
    acked_since_sync_ += g.messages;
    for (const auto& r : g.ingest_replies) reply(ingest_sock_, r.route, r.body);
    for (const auto& r : g.admin_replies) reply(admin_sock_, r.route, r.body);
    after_commit(g.out);
  });
}

void engine::rewind_wal() {
  ++wal_rewind_tries_;
  auto start = std::chrono::steady_clock::now();
  db_.checkpoint();
  auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  wal_rewind_max_ms_ = std::max(wal_rewind_max_ms_, ms);
  // Try again only after as many frames more: if the WAL cannot start
  // again (busy checkpointer, or a reader outside the engine holding an
  // old snapshot), the loop must not checkpoint after every commit.
  next_rewind_ = db_.wal_frames() + cfg_.wal_rewind_frames;
}

void engine::on_durable() {
  ++hold_;
  cohort_ = acked_since_sync_;
  acked_since_sync_ = 0;
  hold_until_ = std::chrono::steady_clock::now() + cfg_.commit_delay;
  close_group(stopping_);
}

bool engine::hold_for_cohort() {
  if (cfg_.commit_delay.count() <= 0 || stopping_ || group_.messages >= cohort_) return false;
  if (std::chrono::steady_clock::now() >= hold_until_) return false;
  if (timer_hold_ != hold_) {  // no timer yet for this hold
    timer_hold_ = hold_;
    commit_timer_.expires_at(hold_until_);  // cancels a wait left from an earlier hold
    commit_timer_.async_wait([this, hold = hold_](const boost::system::error_code& ec) {
      if (ec || hold != hold_) return;  // cancelled, or the group it held has committed since
      close_group(true);
      recheck_all();
    });
  }
  return true;
}

void engine::fail_group(const std::string& why, int sqlite_code) {
  db_.work().rollback();  // and the undos: fingerprints, employees, scheduler periods, tasks taken
  log_line("group transaction rolled back, nothing in it acknowledged: " + why);
  bool full = is_disk_full(sqlite_code);
  for (const auto& r : group_.ingest_replies)
    reply(ingest_sock_, r.route, full ? disk_full_ingest : not_applied_ingest);
  for (const auto& r : group_.admin_replies)
    reply(admin_sock_, r.route, full ? disk_full_admin : not_applied_admin);
  bool changed = group_.principals_changed;
  group_ = group{};
  principals_.mark_stale();  // it may have read principals the rollback removed
  // ... and admitted a key whose registration is gone with it.
  if (changed) principals_changed();
}

void engine::storage_failed(const std::string& why) {
  if (storage_failed_) return;
  storage_failed_ = true;
  log_line("stopping: " + why);
  if (group_.open) fail_group("the engine is stopping after a failed WAL sync");
  stop();
}

}  // namespace af::engine
