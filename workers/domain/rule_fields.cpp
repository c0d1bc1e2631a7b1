#include "workers/domain/rule_fields.h"

#include <cmath>

namespace af::rule_fields {

using json = nlohmann::json;

namespace {

const json& member(const json& parent, const char* key) {
  static const json none;
  return parent.is_object() && parent.contains(key) ? parent[key] : none;
}

}  // namespace

result<int> whole_in(const json& parent, const char* key, int lo, int hi,
                     const std::string& where) {
  const json& v = member(parent, key);
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
    return status::invalid(where + "." + key + ": must be a whole number " + std::to_string(lo) +
                           ".." + std::to_string(hi));
  return v.get<int>();
}

result<std::int64_t> score_in(const json& parent, const char* key, const std::string& where) {
  const json& v = member(parent, key);
  if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 100 ||
      std::fabs(v.get<double>() * 100 - std::round(v.get<double>() * 100)) > 1e-6)
    return status::invalid(where + "." + key +
                           ": must be a number 0..100 with at most two decimals");
  return std::llround(v.get<double>() * 100);
}

}  // namespace af::rule_fields
