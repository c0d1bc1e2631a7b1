#include "tools/assessctl/offline_score.h"

#include <cmath>

#include "workers/domain/civil_time.h"
#include "workers/domain/competency50.h"

namespace af::tools {
namespace {

using json = nlohmann::json;

result<civil_date> date_field(const json& j, const std::string& key) {
  if (!j.contains(key) || !j[key].is_string()) return status::invalid(key + ": missing (YYYY-MM-DD)");
  auto d = parse_date(j[key].get<std::string>());
  if (!d) return status::invalid(key + ": \"" + j[key].get<std::string>() + "\" is not a date YYYY-MM-DD");
  return *d;
}

result<std::int64_t> count_field(const json& j, const std::string& key) {
  if (!j.contains(key)) return status::invalid("sales." + key + ": missing");
  if (!j[key].is_number_integer() || j[key].get<std::int64_t>() < 0)
    return status::invalid("sales." + key + ": must be a whole number >= 0");
  return j[key].get<std::int64_t>();
}

}  // namespace

result<nlohmann::ordered_json> score_offline(const json& in) {
  if (!in.is_object()) return status::invalid("input: must be a JSON object");
  std::string program = in.value("program", "");
  if (program != "competency50")
    return status::invalid("program: \"" + program + "\" cannot be scored offline yet (competency50 can)");
  competency50::input c;
  if (!in.contains("employee") || !in["employee"].is_object()) return status::invalid("employee: missing");
  auto joined = date_field(in["employee"], "joined_on");
  if (!joined) return status::invalid("employee." + joined.error().message());
  auto as_of = date_field(in, "as_of");
  if (!as_of) return as_of.error();
  c.joined_on = *joined;
  c.as_of = *as_of;
  for (auto [key, target] : {std::pair{"ratings", &c.ratings}, {"exams", &c.exam_hundredths}}) {
    if (!in.contains(key) || !in[key].is_object()) return status::invalid(std::string(key) + ": missing");
    for (const auto& [item, value] : in[key].items()) {
      std::string where = std::string(key) + "." + item;
      if (std::string(key) == "ratings") {
        if (!value.is_number_integer()) return status::invalid(where + ": must be a whole number 1..5");
        auto v = value.get<std::int64_t>();
        (*target)[item] = v < -1000 ? -1000 : v > 1000 ? 1000 : static_cast<int>(v);
      } else {
        if (!value.is_number()) return status::invalid(where + ": must be a number 0..100");
        double h = value.get<double>() * 100;
        if (!(h >= 0 && h <= 10000)) return status::invalid(where + ": score is out of range 0..100");
        if (std::fabs(h - std::round(h)) > 1e-6) return status::invalid(where + ": at most two decimals");
        (*target)[item] = static_cast<int>(std::lround(h));
      }
    }
  }
  if (!in.contains("sales") || !in["sales"].is_object()) return status::invalid("sales: missing");
  const json& sales = in["sales"];
  if (!sales.contains("last_year_fen") || !sales["last_year_fen"].is_number_integer())
    return status::invalid("sales.last_year_fen: must be a whole number of fen");
  c.sales_last_year_fen = sales["last_year_fen"].get<std::int64_t>();
  auto inquiries = count_field(sales, "quarter_inquiries");
  if (!inquiries) return inquiries.error();
  auto converted = count_field(sales, "quarter_converted");
  if (!converted) return converted.error();
  c.quarter_inquiries = *inquiries;
  c.quarter_converted = *converted;
  auto s = competency50::score_case(c);
  if (!s) return s.error();
  nlohmann::ordered_json out;
  out["program"] = program;
  out["items"] = nlohmann::ordered_json::object();
  for (const auto& item : s->items) out["items"][item.key] = item.points / 100.0;
  out["total"] = s->total / 100.0;
  out["tier"] = s->tier;
  out["flags"] = s->flags;
  return out;
}

}  // namespace af::tools
