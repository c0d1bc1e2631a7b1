// sale_ledger.h: every stored sale, by its fingerprint, with what a refund
// of it is checked against: its amount, its manager and brand (as 32-bit
// hashes), and the fen refunded so far. The sales are a fingerprint_map
// (32 bytes a slot, no allocation per sale); refunded amounts live apart,
// for the few sales that have refunds. Single-threaded.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "engine/fingerprint_set.h"

namespace af::engine {

class sale_ledger {
 public:
  struct sale {
    std::int64_t amount = 0;
    std::uint32_t manager = 0, brand = 0;  // hashes
  };

  [[nodiscard]] const sale* find(fingerprint f) const { return sales_.find(f); }  // null: unknown
  bool insert(fingerprint f, sale s) { return sales_.insert(f, s); }  // false if already present
  void erase(fingerprint f) {
    sales_.erase(f);
    refunded_.erase(fingerprint_map<sale>::fix(f));
  }
  // Fen refunded of the sale so far; 0 when none (or no such sale).
  [[nodiscard]] std::int64_t refunded(fingerprint f) const {
    auto it = refunded_.find(fingerprint_map<sale>::fix(f));
    return it == refunded_.end() ? 0 : it->second;
  }
  void add_refund(fingerprint f, std::int64_t amount) {
    f = fingerprint_map<sale>::fix(f);
    if ((refunded_[f] += amount) == 0) refunded_.erase(f);
  }
  // Sales whose refunds exceed them.
  [[nodiscard]] std::int64_t over_refunded() const {
    std::int64_t n = 0;
    for (const auto& [f, amount] : refunded_)
      if (const sale* s = find(f); s && amount > s->amount) ++n;
    return n;
  }
  void reserve(std::size_t n) { sales_.reserve(n); }
  [[nodiscard]] std::size_t size() const { return sales_.size(); }

 private:
  struct fp_hash {
    std::size_t operator()(const fingerprint& f) const { return static_cast<std::size_t>(f.lo); }
  };
  fingerprint_map<sale> sales_;  // 32 bytes a slot
  std::unordered_map<fingerprint, std::int64_t, fp_hash> refunded_;
};

}  // namespace af::engine
