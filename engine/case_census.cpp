#include "engine/case_census.h"

namespace af::engine {

std::size_t case_census::slot(const std::string& program, const std::string& state) {
  auto [it, fresh] = slots_.emplace(std::make_pair(program, state), counts_.size());
  if (fresh) counts_.push_back(0);
  return it->second;
}

void case_census::load(const std::map<std::pair<std::string, std::string>, std::int64_t>& counts) {
  slots_.clear();
  counts_.clear();
  for (const auto& [key, n] : counts) counts_[slot(key.first, key.second)] = n;
}

void case_census::opened(unit_of_work& work, const std::string& program, const std::string& state) {
  std::size_t s = slot(program, state);
  ++counts_[s];
  work.on_rollback([this, s] { --counts_[s]; });
}

void case_census::moved(unit_of_work& work, const std::string& program, const std::string& from,
                        const std::string& to) {
  std::size_t a = slot(program, from), b = slot(program, to);
  --counts_[a];
  ++counts_[b];
  work.on_rollback([this, a, b] {
    ++counts_[a];
    --counts_[b];
  });
}

std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> case_census::counts()
    const {
  std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> out;
  out.reserve(slots_.size());
  for (const auto& [key, s] : slots_) out.emplace_back(key, counts_[s]);
  return out;
}

}  // namespace af::engine
