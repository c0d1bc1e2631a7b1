// chart.h: the radar (gap) chart of seed 001 as SVG: one axis per item,
// the actual scores as a filled area against the standard circle (5 for
// the competency model), grid rings at every scale step, every item
// labelled; optionally outlines over the area (the standard table before
// and after an adjustment, in proficiency levels). Pure: data in, SVG
// text out.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace af::tools {

struct chart_item {
  std::string label;
  double score = 0;
  std::string note;  // shown after the label instead of the score, when set
};

// A closed line over the area, one value per item.
struct chart_outline {
  std::string label, color;
  std::vector<double> values;  // as many as the items
  bool dashed = false;
};

struct chart_spec {
  std::string title, subtitle;
  std::vector<chart_item> items;
  int scale_max = 6;
  std::optional<int> standard;  // the circle to compare against
  std::vector<chart_outline> outlines;
  std::string area_label = "actual score";
};

// A standalone SVG 1.1 document (UTF-8).
std::string radar_svg(const chart_spec& spec);

}  // namespace af::tools
