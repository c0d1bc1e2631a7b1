// notify_sink.h: the durable sink of notifications: one JSON-lines file per
// recipient, DIR/<recipient>.jsonl. deliver() writes a notification at most
// once per id, even when several notify workers share the directory: each
// file is appended under flock(), after reading what others appended since
// this process last looked. Not thread-safe; one sink per process.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <set>
#include <string>

#include "base/status.h"

namespace af::worker {

struct notification {
  std::string id, recipient_id, kind;
  std::uint64_t case_id = 0;
  std::string body_json;  // one JSON object
};

class notify_sink {
 public:
  // At most `max_indexed_files` recipients' ids are kept in memory (the
  // least recently used are forgotten and read from their file again when
  // needed), so memory does not grow with every notification ever sent.
  explicit notify_sink(std::string dir, std::size_t max_indexed_files = 512)
      : dir_(std::move(dir)), max_indexed_files_(max_indexed_files < 1 ? 1 : max_indexed_files) {}

  // true if written now, false if this id was already in the file. With
  // sync = false the write is not yet durable: call sync() before
  // acknowledging it.
  result<bool> deliver(const notification& n, const std::string& delivered_at, bool sync = true);
  // Makes every write since the last sync durable (one fdatasync per file).
  status sync();

  // The file of a recipient (ids are sanitized into file names).
  [[nodiscard]] std::string path_for(const std::string& recipient_id) const;
  [[nodiscard]] std::size_t indexed_files() const { return index_.size(); }

 private:
  struct file_index {
    std::int64_t offset = 0;  // bytes of the file already indexed
    std::set<std::string> ids;
    std::list<std::string>::iterator recent;  // its place in recent_
  };
  status catch_up(int fd, file_index& index);
  // The index of `path`, made the most recently used; forgets the least recently used beyond the
  // cap.
  file_index& index_of(const std::string& path);

  std::string dir_;
  std::size_t max_indexed_files_;
  std::map<std::string, file_index> index_;
  std::list<std::string> recent_;  // most recently used first
  std::set<std::string> unsynced_;
};

}  // namespace af::worker
