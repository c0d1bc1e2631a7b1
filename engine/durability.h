// durability.h: group commit with the fsync off the event loop.
//
// With --sync full the store commits with synchronous=NORMAL (no fsync on
// the loop) and this syncer thread fdatasyncs the WAL file; whatever must
// wait for durability (acknowledgements, admin replies, tasks, case
// events) is queued with after_commit() and runs on the loop once a sync
// that began after its commit has finished. While one sync runs, the loop
// keeps committing the next requests, so many commits share one fsync.
// With --sync normal the actions run right after the commit.
//
// A failed fdatasync is final, as PostgreSQL learned: after it the kernel
// may have dropped the dirty pages and a later sync would succeed without
// them. Every action still waiting runs with durable = false, so is every
// later one, and on_fatal() tells the engine, which stops (a restart
// recovers from what the WAL holds).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace af::engine {

// Told the duration of every WAL sync, on the syncer thread.
class sync_observer {
 public:
  virtual ~sync_observer() = default;
  virtual void observe_wal_sync(double seconds) = 0;
};

class durability {
 public:
  // How the WAL is synced: ::fdatasync, or a test build's fault layer's.
  using sync_function = int (*)(int fd);
  durability(boost::asio::io_context& io, std::string wal_path, bool enabled,
             sync_function sync = nullptr);
  ~durability();
  durability(const durability&) = delete;
  durability& operator=(const durability&) = delete;

  // Loop thread: a transaction just committed; `then(true)` runs once it
  // is durable, `then(false)` if the sync failed (nothing is acknowledged).
  void after_commit(std::function<void(bool durable)> then);
  // Loop thread: called once, with the reason, when a sync has failed.
  void on_fatal(std::function<void(const std::string&)> f) { on_fatal_ = std::move(f); }
  [[nodiscard]] bool failed() const { return failed_; }
  // Loop thread, at shutdown: syncs now and runs everything still waiting.
  void flush();
  // Loop thread: a sync is running or requested. The engine holds its next
  // group of requests open meanwhile: they would wait for the next sync anyway.
  [[nodiscard]] bool syncing() const { return enabled_ && committed_ > synced_; }
  // Loop thread: called whenever every commit so far is durable.
  void on_idle(std::function<void()> f) { on_idle_ = std::move(f); }
  [[nodiscard]] std::int64_t syncs() const { return syncs_; }
  // Any thread; the observer must outlive this object (or be cleared first).
  void observe_syncs(sync_observer* o) { observer_.store(o); }
  // Mean duration of one WAL fdatasync so far, in milliseconds.
  [[nodiscard]] double mean_sync_ms() const {
    return syncs_ ? static_cast<double>(sync_us_) / 1000.0 / static_cast<double>(syncs_) : 0;
  }

 private:
  void syncer();
  bool sync_wal(std::string& why);
  void on_synced(std::uint64_t upto);
  void on_sync_failed(const std::string& why);

  boost::asio::io_context& io_;
  std::string wal_path_;
  bool enabled_;
  sync_function sync_;
  bool failed_ = false;  // loop thread: a sync failed; nothing is acknowledged any more
  std::function<void(const std::string&)> on_fatal_;
  int wal_fd_ = -1;  // syncer thread (or the loop after the syncer stopped)
  std::uint64_t committed_ = 0, synced_ = 0;                                 // loop thread
  std::deque<std::pair<std::uint64_t, std::function<void(bool)>>> waiting_;  // loop thread
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t requested_ = 0;  // guarded by mu_
  bool stop_ = false;            // guarded by mu_
  std::atomic<std::int64_t> syncs_{0}, sync_us_{0};
  std::atomic<sync_observer*> observer_{nullptr};
  std::function<void()> on_idle_;
  std::thread thread_;
};

}  // namespace af::engine
