#include "tools/sample/sample_model.h"

#include <fmt/format.h>

#include <stdexcept>

namespace af::sample {
namespace c50 {
namespace {

int band(const std::vector<exact::band>& bands, exact::number v) {
  return exact::band_value(bands, v).value_or(0);
}

}  // namespace

const af::rubric::rubric& rubric() {
  static const af::rubric::rubric r = [] {
    auto loaded = af::rubric::load_file(ASSESSFLOW_SCHEMAS_DIR "/rubrics/competency50.json");
    if (!loaded) throw std::runtime_error(loaded.error().message());
    return std::move(loaded).value();
  }();
  return r;
}
int years_points(int y) {
  return band(rubric().find("years_experience")->measure_bands, exact::number::whole(y));
}
int sales_points(std::int64_t fen) {
  return band(rubric().find("sales_last_year")->measure_bands, {fen, 100});
}
int conversion_points(std::int64_t inquiries, std::int64_t converted) {
  if (inquiries == 0) return rubric().find("conversion_rate")->no_data_points.value_or(0);
  return band(rubric().find("conversion_rate")->measure_bands, {converted * 100, inquiries});
}
int tier_for_total(int total_hundredths) { return band(rubric().tiers, {total_hundredths, 100}); }

}  // namespace c50

std::string manager_id(int m) { return fmt::format("E{}", 1001 + m); }

}  // namespace af::sample
