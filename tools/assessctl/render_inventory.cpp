// render_inventory.cpp: the inventory (assessctl inventory) as text, a
// block per person and a line per unit item, and as CSV that Excel and
// LibreOffice open with Chinese intact (UTF-8 with a byte-order mark,
// RFC 4180 quoting, CRLF line ends).
#include <fmt/format.h>

#include "tools/assessctl/render.h"

namespace af::tools {
namespace {

std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// "" for null, else the cell's text.
std::string cell(const msg::json& v) { return v.is_null() ? "" : text_of(v); }

std::string movements(const msg::json& person) {
  std::string out;
  for (const auto& m : person["grade_movement"]) out += (out.empty() ? "" : " ") + text_of(m);
  return out;
}

std::string outcome_of(const msg::json& person) {
  const auto& c = person["certification"];
  return c.is_object() ? cell(c["outcome"]) : "";
}

}  // namespace

std::string render_inventory(const msg::json& r) {
  std::string out = fmt::format("inventory {} against {} ({}){}\n", text_of(r["period"]),
                                text_of(r["previous_period"]), text_of(r["program"]),
                                r["unit"].is_null() ? "" : ", unit " + text_of(r["unit"]));
  if (r["people"].empty()) return out + "nobody with a result, a certification or a grade change\n";
  for (const auto& p : r["people"]) {
    out += fmt::format("\n{} {} ({}, grade {})", text_of(p["employee_id"]), text_of(p["name"]),
                       text_of(p["unit"]), text_of(p["grade"]));
    if (!outcome_of(p).empty()) out += "  certification: " + outcome_of(p);
    if (!movements(p).empty()) out += "  grade: " + movements(p);
    out += fmt::format("\n  {:<26} {:>6} {:>8} {:>7} {:>6} {:>8}\n", "item", "score", "before",
                       "change", "gap", "gap was");
    for (const auto& i : p["items"])
      out += fmt::format("  {:<26} {:>6} {:>8} {:>7} {:>6} {:>8}\n", text_of(i["item"]),
                         text_of(i["score"]), text_of(i["previous_score"]), text_of(i["change"]),
                         text_of(i["gap"]), text_of(i["previous_gap"]));
  }
  for (const auto& u : r["units"]) {
    out += fmt::format("\nunit {}: {} people, promoted {}, demoted {}", text_of(u["unit"]),
                       text_of(u["people"]), text_of(u["promoted"]), text_of(u["demoted"]));
    for (const auto& [o, n] : u["certification"].items())
      out += fmt::format(", {} {}", o, n.dump());
    out += fmt::format("\n  {:<26} {:>6} {:>8} {:>6} {:>8}\n", "item", "mean", "before", "gap",
                       "gap was");
    for (const auto& i : u["items"])
      out += fmt::format("  {:<26} {:>6} {:>8} {:>6} {:>8}\n", text_of(i["item"]),
                         text_of(i["mean_score"]), text_of(i["previous_mean_score"]),
                         text_of(i["mean_gap"]), text_of(i["previous_mean_gap"]));
  }
  return out;
}

std::string render_inventory_csv(const msg::json& r) {
  std::string out = "\xEF\xBB\xBF";  // the byte-order mark: Excel then reads UTF-8
  auto row = [&](std::initializer_list<std::string> cells) {
    std::string line;
    for (const auto& c : cells) line += (line.empty() ? "" : ",") + quoted(c);
    out += line + "\r\n";
  };
  row({"period", "unit", "employee_id", "name", "grade", "item", "score", "previous_score",
       "change", "gap", "previous_gap", "certification", "grade_movement"});
  std::string period = text_of(r["period"]);
  for (const auto& p : r["people"])
    for (const auto& i : p["items"])
      row({period, text_of(p["unit"]), text_of(p["employee_id"]), text_of(p["name"]),
           text_of(p["grade"]), text_of(i["item"]), cell(i["score"]), cell(i["previous_score"]),
           cell(i["change"]), cell(i["gap"]), cell(i["previous_gap"]), outcome_of(p),
           movements(p)});
  for (const auto& u : r["units"]) {
    std::string outcomes;
    for (const auto& [o, n] : u["certification"].items())
      outcomes += (outcomes.empty() ? "" : " ") + o + "=" + n.dump();
    std::string moves = "promoted=" + text_of(u["promoted"]) + " demoted=" + text_of(u["demoted"]);
    for (const auto& i : u["items"])
      row({period, text_of(u["unit"]), "(unit)", "", "", text_of(i["item"]), cell(i["mean_score"]),
           cell(i["previous_mean_score"]), "", cell(i["mean_gap"]), cell(i["previous_mean_gap"]),
           outcomes, moves});
  }
  return out;
}

}  // namespace af::tools
