#include "tools/assessctl/chart.h"

#include <fmt/core.h>

#include <cmath>

#include "base/markup.h"

namespace af::tools {
namespace {

std::string escape(const std::string& s) { return markup_escaped(s); }

constexpr double cx = 400, cy = 390, radius = 230;
constexpr double pi = 3.14159265358979323846;

// The point of axis i (of n) at value v on a 0..max scale.
std::pair<double, double> at(std::size_t i, std::size_t n, double v, int max) {
  double angle = -pi / 2 + 2 * pi * static_cast<double>(i) / static_cast<double>(n);
  double r = radius * v / max;
  return {cx + r * std::cos(angle), cy + r * std::sin(angle)};
}

std::string points(const std::vector<std::pair<double, double>>& pts) {
  std::string out;
  for (const auto& [x, y] : pts)
    out += fmt::format("{}{:.2f},{:.2f}", out.empty() ? "" : " ", x, y);
  return out;
}

// The document's start: a white page with the title and subtitle.
std::string heading(const chart_spec& spec) {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"800\" height=\"800\" "
      "viewBox=\"0 0 800 800\" "
      "font-family=\"sans-serif\">\n"
      "  <title>{}</title>\n"
      "  <rect width=\"800\" height=\"800\" fill=\"white\"/>\n"
      "  <text x=\"400\" y=\"36\" text-anchor=\"middle\" font-size=\"20\" "
      "font-weight=\"bold\">{}</text>\n"
      "  <text x=\"400\" y=\"60\" text-anchor=\"middle\" font-size=\"13\" "
      "fill=\"#555\">{}</text>\n",
      escape(spec.title), escape(spec.title), escape(spec.subtitle));
}

// A ring at every scale step, a spoke per item, and the steps' numbers.
std::string grid(const chart_spec& spec) {
  const std::size_t n = spec.items.size();
  std::string svg = "  <g class=\"grid\" fill=\"none\" stroke=\"#ccc\" stroke-width=\"1\">\n";
  for (int level = 1; level <= spec.scale_max; ++level) {
    std::vector<std::pair<double, double>> ring;
    for (std::size_t i = 0; i < n; ++i) ring.push_back(at(i, n, level, spec.scale_max));
    svg += fmt::format("    <polygon points=\"{}\"/>\n", points(ring));
  }
  for (std::size_t i = 0; i < n; ++i) {
    auto [x, y] = at(i, n, spec.scale_max, spec.scale_max);
    svg += fmt::format("    <line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\"/>\n", cx,
                       cy, x, y);
  }
  svg += "  </g>\n  <g class=\"scale\" font-size=\"10\" fill=\"#999\">\n";
  for (int level = 1; level <= spec.scale_max; ++level) {
    auto [x, y] = at(0, n, level, spec.scale_max);
    svg += fmt::format("    <text x=\"{:.2f}\" y=\"{:.2f}\">{}</text>\n", x + 4, y + 4, level);
  }
  return svg + "  </g>\n";
}

// The standard circle, if there is one, and the actual scores as a filled area.
std::string scores(const chart_spec& spec) {
  const std::size_t n = spec.items.size();
  std::string svg;
  if (spec.standard) {
    svg += fmt::format(
        "  <circle class=\"standard\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{:.2f}\" fill=\"none\" "
        "stroke=\"#d62728\" "
        "stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n",
        cx, cy, radius * *spec.standard / spec.scale_max);
  }
  std::vector<std::pair<double, double>> actual;
  for (std::size_t i = 0; i < n; ++i)
    actual.push_back(at(i, n, std::max(0.0, spec.items[i].score), spec.scale_max));
  svg += fmt::format(
      "  <polygon class=\"actual\" points=\"{}\" fill=\"#1f77b4\" fill-opacity=\"0.35\" "
      "stroke=\"#1f77b4\" "
      "stroke-width=\"2\"/>\n",
      points(actual));
  for (const auto& o : spec.outlines) {
    std::vector<std::pair<double, double>> line;
    for (std::size_t i = 0; i < n; ++i)
      line.push_back(
          at(i, n, std::max(0.0, i < o.values.size() ? o.values[i] : 0.0), spec.scale_max));
    svg += fmt::format(
        "  <polygon class=\"outline\" points=\"{}\" fill=\"none\" stroke=\"{}\" "
        "stroke-width=\"2\"{}/>\n",
        points(line), o.color, o.dashed ? " stroke-dasharray=\"6 4\"" : "");
  }
  return svg;
}

// Each item's label and score beyond the end of its spoke.
std::string labels(const chart_spec& spec) {
  const std::size_t n = spec.items.size();
  std::string svg = "  <g class=\"labels\" font-size=\"12\">\n";
  for (std::size_t i = 0; i < n; ++i) {
    auto [x, y] = at(i, n, spec.scale_max + 0.35, spec.scale_max);
    std::string anchor = std::fabs(x - cx) < 1 ? "middle" : x > cx ? "start" : "end";
    const chart_item& item = spec.items[i];
    std::string value = item.note.empty() ? fmt::format("{:g}", item.score) : item.note;
    svg += fmt::format("    <text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"{}\">{} ({})</text>\n", x,
                       y + 4, anchor, escape(item.label), escape(value));
  }
  return svg + "  </g>\n";
}

// What the filled area and the dashed circle stand for.
std::string legend(const chart_spec& spec) {
  std::string svg =
      "  <g class=\"legend\" font-size=\"12\">\n"
      "    <rect x=\"40\" y=\"740\" width=\"14\" height=\"14\" fill=\"#1f77b4\" "
      "fill-opacity=\"0.35\" stroke=\"#1f77b4\"/>\n"
      "    <text x=\"60\" y=\"752\">" +
      escape(spec.area_label) + "</text>\n";
  double x = 180;  // each further entry: a line sample and its text
  auto entry = [&](const std::string& color, bool dashed, const std::string& text) {
    svg += fmt::format(
        "    <line x1=\"{:.0f}\" y1=\"747\" x2=\"{:.0f}\" y2=\"747\" stroke=\"{}\" "
        "stroke-width=\"2\"{}/>\n    <text x=\"{:.0f}\" y=\"752\">{}</text>\n",
        x, x + 30, color, dashed ? " stroke-dasharray=\"6 4\"" : "", x + 36, escape(text));
    x += 36 + 8 * static_cast<double>(text.size()) + 24;
  };
  if (spec.standard) entry("#d62728", true, "standard (" + std::to_string(*spec.standard) + ")");
  for (const auto& o : spec.outlines) entry(o.color, o.dashed, o.label);
  return svg + "  </g>\n";
}

}  // namespace

std::string radar_svg(const chart_spec& spec) {
  std::string svg = heading(spec);
  if (spec.items.size() < 3)
    return svg +
           "  <text x=\"400\" y=\"400\" text-anchor=\"middle\">fewer than three items: no radar "
           "chart</text>\n</svg>\n";
  return svg + grid(spec) + scores(spec) + labels(spec) + legend(spec) + "</svg>\n";
}

}  // namespace af::tools
