// notify_sink.h: the durable sink of notifications: one JSON-lines file per
// recipient, DIR/<recipient>.jsonl. deliver() writes a notification at most
// once per id, even when several notify workers share the directory: each
// file is appended under flock(), after reading what others appended since
// this process last looked. Not thread-safe; one sink per process.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "workers/domain/status.h"

namespace af::worker {

struct notification {
  std::string id, recipient_id, kind;
  std::uint64_t case_id = 0;
  std::string body_json;  // one JSON object
};

class notify_sink {
 public:
  explicit notify_sink(std::string dir) : dir_(std::move(dir)) {}

  // true if written now, false if this id was already in the file. With
  // sync = false the write is not yet durable: call sync() before
  // acknowledging it.
  result<bool> deliver(const notification& n, const std::string& delivered_at, bool sync = true);
  // Makes every write since the last sync durable (one fdatasync per file).
  status sync();

  // The file of a recipient (ids are sanitized into file names).
  [[nodiscard]] std::string path_for(const std::string& recipient_id) const;

 private:
  struct file_index {
    std::int64_t offset = 0;  // bytes of the file already indexed
    std::set<std::string> ids;
  };
  status catch_up(int fd, file_index& index);

  std::string dir_;
  std::map<std::string, file_index> index_;
  std::set<std::string> unsynced_;
};

}  // namespace af::worker
