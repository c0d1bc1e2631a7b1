// fingerprint_set.h: the set of 128-bit event-id fingerprints that finds
// duplicate events, and the map from fingerprints to a small value that it
// is built on. An open-addressing table with linear probing (the
// fingerprints are already uniformly random, so the low word is the hash):
// one cache miss per lookup, no allocation per element, 16 bytes plus the
// value each at a load of at most 1/2. Single-threaded.
#pragma once

#include <cstdint>
#include <vector>

namespace af::engine {

struct fingerprint {
  std::uint64_t hi = 0, lo = 0;
  friend bool operator==(const fingerprint&, const fingerprint&) = default;
};

template <typename Value>
class fingerprint_map {
 public:
  fingerprint_map() { slots_.resize(1024); }

  [[nodiscard]] const Value* find(fingerprint f) const {
    f = fix(f);
    for (std::size_t i = f.lo & mask(); !empty(slots_[i].fp); i = (i + 1) & mask())
      if (slots_[i].fp == f) return &slots_[i].value;
    return nullptr;
  }

  // false (and nothing changed) if already present.
  bool insert(fingerprint f, const Value& v = {}) {
    f = fix(f);
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = f.lo & mask();
    for (; !empty(slots_[i].fp); i = (i + 1) & mask())
      if (slots_[i].fp == f) return false;
    slots_[i].fp = f;
    slots_[i].value = v;
    ++size_;
    return true;
  }

  // Removes f if present (backward-shift deletion keeps probe chains whole).
  void erase(fingerprint f) {
    f = fix(f);
    std::size_t i = f.lo & mask();
    for (; !empty(slots_[i].fp); i = (i + 1) & mask())
      if (slots_[i].fp == f) break;
    if (empty(slots_[i].fp)) return;
    std::size_t j = i;
    while (true) {
      j = (j + 1) & mask();
      if (empty(slots_[j].fp)) break;
      std::size_t home = slots_[j].fp.lo & mask();
      // Move slots_[j] back into the hole at i unless its home lies in (i, j].
      bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = {};
    --size_;
  }

  // Room for n at a load of 1/2, rehashed once: the old table and the new
  // one are alive together only at this one size (growing there by
  // doubling held 1.5 times the final table: 768 MiB at 10 million events).
  void reserve(std::size_t n) {
    std::size_t target = slots_.size();
    while (n * 2 > target) target *= 2;
    if (target != slots_.size()) rehash(target);
  }
  [[nodiscard]] std::size_t size() const { return size_; }

  // {0, 0} marks an empty slot; a real all-zero fingerprint is stored as {0, 1}.
  static fingerprint fix(fingerprint f) { return (f.hi == 0 && f.lo == 0) ? fingerprint{0, 1} : f; }

 private:
  struct slot {
    fingerprint fp;
    [[no_unique_address]] Value value;
  };
  static bool empty(const fingerprint& f) { return f.hi == 0 && f.lo == 0; }
  [[nodiscard]] std::size_t mask() const { return slots_.size() - 1; }
  void grow() { rehash(slots_.size() * 2); }
  void rehash(std::size_t slots) {
    std::vector<slot> old(slots);
    old.swap(slots_);
    size_ = 0;
    for (const auto& s : old)
      if (!empty(s.fp)) insert(s.fp, s.value);
  }

  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

class fingerprint_set {
 public:
  [[nodiscard]] bool contains(fingerprint f) const { return map_.find(f) != nullptr; }
  bool insert(fingerprint f) { return map_.insert(f); }  // false if already present
  void erase(fingerprint f) { map_.erase(f); }
  void reserve(std::size_t n) { map_.reserve(n); }
  [[nodiscard]] std::size_t size() const { return map_.size(); }

 private:
  struct nothing {};
  fingerprint_map<nothing> map_;  // 16 bytes a slot
};

}  // namespace af::engine
