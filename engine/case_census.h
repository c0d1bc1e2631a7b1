// case_census.h: how many cases each program has in each state, kept in
// memory as cases open and move (case_service), so metrics need no query.
// Loaded once from the store at start; every change is undone if its
// savepoint or group rolls back (unit_of_work::on_rollback), so the
// census always equals what is committed plus the open group's changes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/unit_of_work.h"

namespace af::engine {

class case_census {
 public:
  // (program, state) -> cases, as counted by the store at start.
  void load(const std::map<std::pair<std::string, std::string>, std::int64_t>& counts);
  void opened(unit_of_work& work, const std::string& program, const std::string& state);
  void moved(unit_of_work& work, const std::string& program, const std::string& from,
             const std::string& to);
  // Every (program, state) seen, with its count (zero ones included).
  [[nodiscard]] std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> counts()
      const;

 private:
  std::size_t slot(const std::string& program, const std::string& state);
  std::map<std::pair<std::string, std::string>, std::size_t> slots_;
  std::vector<std::int64_t> counts_;  // by slot
};

}  // namespace af::engine
