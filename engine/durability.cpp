#include "engine/durability.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>

namespace af::engine {

void log_line(const std::string& text);  // engine.cpp

durability::durability(boost::asio::io_context& io, std::string wal_path, bool enabled,
                       sync_function sync)
    : io_(io),
      wal_path_(std::move(wal_path)),
      enabled_(enabled),
      sync_(sync ? sync : &::fdatasync) {
  if (enabled_) thread_ = std::thread([this] { syncer(); });
}

durability::~durability() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

void durability::after_commit(std::function<void(bool)> then) {
  ++committed_;
  if (!enabled_ || failed_) {
    then(!failed_);
    return;
  }
  waiting_.emplace_back(committed_, std::move(then));
  {
    std::lock_guard<std::mutex> lock(mu_);
    requested_ = committed_;
  }
  cv_.notify_one();
}

bool durability::sync_wal(std::string& why) {
  if (wal_fd_ < 0) wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  auto start = std::chrono::steady_clock::now();
  if (wal_fd_ < 0) {
    why = "cannot open " + wal_path_ + ": " + std::strerror(errno);
    return false;
  }
  if (sync_(wal_fd_) != 0) {
    why = "fdatasync of " + wal_path_ + " failed: " + std::strerror(errno);
    return false;
  }
  auto took = std::chrono::steady_clock::now() - start;
  sync_us_ += std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  ++syncs_;
  if (auto* o = observer_.load()) o->observe_wal_sync(std::chrono::duration<double>(took).count());
  return true;
}

void durability::syncer() {
  std::uint64_t done = 0;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || requested_ > done; });
    if (stop_) return;
    std::uint64_t target = requested_;  // every commit up to here has been written
    lock.unlock();
    std::string why;
    if (!sync_wal(why)) {  // final: never sync again and trust it
      boost::asio::post(io_, [this, why] { on_sync_failed(why); });
      return;
    }
    done = target;
    boost::asio::post(io_, [this, target] { on_synced(target); });
    lock.lock();
  }
}

void durability::on_synced(std::uint64_t upto) {
  if (failed_) return;
  synced_ = std::max(synced_, upto);
  while (!waiting_.empty() && waiting_.front().first <= synced_) {
    auto then = std::move(waiting_.front().second);
    waiting_.pop_front();
    then(true);
  }
  if (synced_ == committed_ && on_idle_) on_idle_();
}

void durability::on_sync_failed(const std::string& why) {
  if (failed_) return;
  failed_ = true;
  log_line(why + "; nothing more is acknowledged");
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& [n, then] : waiting) then(false);
  if (on_fatal_) on_fatal_(why);
}

void durability::flush() {
  if (!enabled_) return;
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  if (failed_ || waiting_.empty()) return;
  std::string why;
  if (sync_wal(why))
    on_synced(committed_);
  else
    on_sync_failed(why);
}

}  // namespace af::engine
