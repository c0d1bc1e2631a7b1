// chart.h: the radar (gap) chart of seed 001 as SVG: one axis per item,
// the actual scores as a filled area against the standard circle (5 for
// the competency model), grid rings at every scale step, every item
// labelled. Pure: data in, SVG text out.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace af::tools {

struct chart_item {
  std::string label;
  double score = 0;
};

struct chart_spec {
  std::string title, subtitle;
  std::vector<chart_item> items;
  int scale_max = 6;
  std::optional<int> standard;  // the circle to compare against
};

// A standalone SVG 1.1 document (UTF-8).
std::string radar_svg(const chart_spec& spec);

}  // namespace af::tools
