// sample_model.h: what the parts of assess-sample share: the options, the
// sample's fixed shape (units, brands, the as_of day), its pseudo-random
// generator, the people and events it writes, and the competency50 rubric
// whose band edges it exercises.
//
// Byte-identical for the same options on any machine: every choice comes from
// std::mt19937_64 (its sequence is fixed by the standard) mapped with our own
// integer arithmetic, never the std distributions (they differ between
// libraries) nor floating point. Each manager has a stream of its own.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"
#include "workers/domain/rubric.h"

namespace af::sample {

using i64 = std::int64_t;

// The competency50 rubric (schemas/rubrics/competency50.json), which the
// sample's reviews are made to exercise at its band edges.
namespace c50 {

const af::rubric::rubric& rubric();
int years_points(int y);
int sales_points(std::int64_t fen);
int conversion_points(std::int64_t inquiries, std::int64_t converted);
int tier_for_total(int total_hundredths);
inline constexpr std::string_view exam_key = "product_knowledge";
// The rated items, in rubric order.
inline constexpr std::array<std::string_view, 6> rated_keys = {"language",
                                                               "market_development",
                                                               "negotiation",
                                                               "achievement_motivation",
                                                               "service_orientation",
                                                               "initiative"};

}  // namespace c50

inline constexpr int tz_minutes = 8 * 60;
inline constexpr civil_date as_of{2026, 9, 30};
inline constexpr i64 yuan = 100;

inline constexpr std::array<std::string_view, 3> units = {"建机事业部", "环保事业部", "游乐事业部"};
// The seed's brands (DOMAIN.md program 3: 洋河, 双沟, 红酒).
inline constexpr std::array<std::string_view, 3> brands = {"yanghe", "shuanggou", "red_wine"};

class prng {
 public:
  prng(std::uint64_t seed, std::uint64_t stream) : engine_(seed * 0x9E3779B97F4A7C15ULL + stream) {}
  std::uint64_t bits() { return engine_(); }
  i64 below(i64 n) { return static_cast<i64>(engine_() % static_cast<std::uint64_t>(n)); }
  i64 between(i64 lo, i64 hi) { return lo + below(hi - lo + 1); }
  bool chance(int percent) { return below(100) < percent; }

 private:
  std::mt19937_64 engine_;
};

struct options {
  std::string out;
  std::uint64_t seed = 2026;
  int managers = 60;
  i64 inquiries_per_quarter = 2000;
};

struct employee {
  std::string id, name, unit;
  int grade = 0;
  std::string supervisor_id, hrbp_id;
  civil_date joined_on;
  std::string roles;
  [[nodiscard]] bool has_case() const { return !supervisor_id.empty() && roles.empty(); }
};

enum class kind { sale, refund, inquiry };

struct event {
  i64 at = 0;  // Unix seconds
  kind type = kind::sale;
  int manager = 0, brand = 0, customer = 0;
  i64 amount_fen = 0;
  bool converted = false;
  std::string id, refers_to;
};

// What a manager's events add up to, as competency50 scores them.
struct sales_figures {
  i64 net_2025_fen = 0;
  i64 q3_inquiries = 0, q3_converted = 0;
};

// E1001, E1002, ... for manager 0, 1, ...
std::string manager_id(int m);

}  // namespace af::sample
