#include "workers/notify/notify_sink.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace af::worker {
namespace {

struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text() { return std::strerror(errno); }

}  // namespace

std::string notify_sink::path_for(const std::string& recipient) const {
  std::string safe;
  for (char c : recipient) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (ok) {
      safe += c;
    } else {
      static const char hex[] = "0123456789abcdef";
      safe += '%';
      safe += hex[static_cast<unsigned char>(c) >> 4];
      safe += hex[static_cast<unsigned char>(c) & 15];
    }
  }
  return dir_ + "/" + safe + ".jsonl";
}

notify_sink::file_index& notify_sink::index_of(const std::string& path) {
  auto [it, fresh] = index_.try_emplace(path);
  if (!fresh) {
    recent_.splice(recent_.begin(), recent_, it->second.recent);
    return it->second;
  }
  recent_.push_front(path);
  it->second.recent = recent_.begin();
  if (index_.size() > max_indexed_files_) {
    index_.erase(recent_.back());
    recent_.pop_back();
  }
  return it->second;
}

status notify_sink::catch_up(int fd, file_index& index) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return status::io_error("stat: " + errno_text());
  if (st.st_size < index.offset) {  // the file was replaced: re-read it
    index.offset = 0;
    index.ids.clear();
  }
  if (st.st_size == index.offset) return status::ok();
  std::string text(static_cast<std::size_t>(st.st_size - index.offset), '\0');
  ssize_t got = ::pread(fd, text.data(), text.size(), index.offset);
  if (got < 0) return status::io_error("read: " + errno_text());
  text.resize(static_cast<std::size_t>(got));
  std::size_t start = 0, consumed = 0;
  while (true) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) break;  // a torn last line is ignored until completed
    auto line = nlohmann::json::parse(text.substr(start, end - start), nullptr, false);
    if (line.is_object() && line.contains("notification_id") && line["notification_id"].is_string())
      index.ids.insert(line["notification_id"].get<std::string>());
    start = consumed = end + 1;
  }
  index.offset += static_cast<std::int64_t>(consumed);
  return status::ok();
}

status notify_sink::sync() {
  if (unsynced_.size() > 8) {
    // Many files: one syncfs() of the file system beats one fdatasync each
    // (a batch of notifications often touches hundreds of recipients).
    fd_guard d{::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd < 0 || ::syncfs(d.fd) != 0)
      return status::io_error("sync " + dir_ + ": " + errno_text());
    unsynced_.clear();
    return status::ok();
  }
  for (const auto& path : unsynced_) {
    fd_guard f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0 || ::fdatasync(f.fd) != 0)
      return status::io_error("sync " + path + ": " + errno_text());
  }
  if (!unsynced_.empty()) {  // a file created in this batch needs its directory entry durable too
    fd_guard d{::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd < 0 || ::fsync(d.fd) != 0)
      return status::io_error("sync " + dir_ + ": " + errno_text());
  }
  unsynced_.clear();
  return status::ok();
}

result<bool> notify_sink::deliver(const notification& n, const std::string& delivered_at,
                                  bool sync) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  std::string path = path_for(n.recipient_id);
  fd_guard f{::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600)};
  if (f.fd < 0) return status::io_error("open " + path + ": " + errno_text());
  if (::flock(f.fd, LOCK_EX) != 0) return status::io_error("lock " + path + ": " + errno_text());
  auto& index = index_of(path);
  if (status s = catch_up(f.fd, index); !s) return s;
  if (index.ids.count(n.id)) return false;
  nlohmann::json line{{"notification_id", n.id},
                      {"recipient", n.recipient_id},
                      {"case", n.case_id},
                      {"kind", n.kind},
                      {"delivered_at", delivered_at}};
  auto body = nlohmann::json::parse(n.body_json, nullptr, false);
  line["body"] = body.is_discarded() ? nlohmann::json(n.body_json) : body;
  std::string text = line.dump() + "\n";
  ssize_t wrote = ::write(f.fd, text.data(), text.size());
  if (wrote != static_cast<ssize_t>(text.size()))
    return status::io_error("write " + path + ": " + errno_text());
  if (!sync)
    unsynced_.insert(path);
  else if (::fdatasync(f.fd) != 0)
    return status::io_error("sync " + path + ": " + errno_text());
  index.ids.insert(n.id);
  index.offset += static_cast<std::int64_t>(text.size());
  return true;
}

}  // namespace af::worker
