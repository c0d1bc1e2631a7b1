#include "tools/assessctl/offline_commission.h"

#include "base/civil_time.h"

namespace af::tools {
namespace {

using json = nlohmann::json;

result<std::int64_t> whole(const json& j, const std::string& where, bool required = true) {
  if (!j.is_number_integer()) {
    if (!required && j.is_null()) return std::int64_t{0};
    return status::invalid(where + ": must be a whole number, got " + j.dump());
  }
  if (j.get<std::int64_t>() < 0) return status::invalid(where + ": must be >= 0, got " + j.dump());
  return j.get<std::int64_t>();
}

// "a, b, c".
template <std::size_t n>
std::string joined(const std::string_view (&names)[n]) {
  std::string out;
  for (auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

// A count of the input, at most a million (a month's stores, outlets, banquets).
result<int> count_of(const json& j, const std::string& where, bool required = true) {
  auto v = whole(j, where, required);
  if (!v) return v.error();
  return static_cast<int>(std::min<std::int64_t>(*v, 1'000'000));
}

// "key_townships": {name: stores}.
status read_key_townships(const json& in, commission::month_input& m) {
  if (!in.contains("key_townships")) return status::ok();
  if (!in["key_townships"].is_object())
    return status::invalid("key_townships: must be an object of township: stores");
  for (const auto& [township, n] : in["key_townships"].items()) {
    auto v = count_of(n, "key_townships." + township);
    if (!v) return v.error();
    m.key_township_stores[township] = *v;
  }
  return status::ok();
}

// DESIGN.md's pooled outlets_new / outlets_target, or "outlets":
// {"county": {"opened", "target"}, "township": {...}}.
status read_outlets(const json& in, commission::month_input& m) {
  bool pooled = in.contains("outlets_new") || in.contains("outlets_target");
  if (pooled && in.contains("outlets"))
    return status::invalid("outlets: give outlets_new/outlets_target or outlets, not both");
  if (pooled) {
    auto opened = count_of(in.value("outlets_new", json()), "outlets_new", false);
    if (!opened) return opened.error();
    auto target = count_of(in.value("outlets_target", json()), "outlets_target", false);
    if (!target) return target.error();
    m.outlets.push_back({"all", *opened, *target});
    return status::ok();
  }
  if (!in.contains("outlets")) return status::ok();
  if (!in["outlets"].is_object())
    return status::invalid("outlets: must be {\"county\": {opened, target}, \"township\": ...}");
  for (const auto& [area, a] : in["outlets"].items()) {
    if (area != "county" && area != "township")
      return status::invalid("outlets." + area + ": the areas are county and township");
    if (!a.is_object()) return status::invalid("outlets." + area + ": must be {opened, target}");
    auto opened = count_of(a.value("opened", json()), "outlets." + area + ".opened", false);
    if (!opened) return opened.error();
    auto target = count_of(a.value("target", json()), "outlets." + area + ".target", false);
    if (!target) return target.error();
    m.outlets.push_back({area, *opened, *target});
  }
  return status::ok();
}

// One banquet of the array: its origin, product, and cases or bottles.
status read_banquet(const json& b, const std::string& where, commission::month_input& m) {
  if (!b.is_object())
    return status::invalid(where + ": must be {origin, product, cases | bottles}");
  std::string origin = b.value("origin", json()).is_string() ? b["origin"].get<std::string>() : "";
  if (origin != "personal" && origin != "shop")
    return status::invalid(where + ".origin: must be personal or shop");
  std::string product =
      b.value("product", json()).is_string() ? b["product"].get<std::string>() : "";
  if (!commission::is_banquet_product(product))
    return status::invalid(where + ".product: unknown product \"" + product + "\" (" +
                           joined(commission::banquet_products) + ")");
  if (b.contains("cases") && b.contains("bottles"))
    return status::invalid(where + ": give cases or bottles, not both");
  auto origin_enum =
      origin == "shop" ? commission::banquet_origin::shop : commission::banquet_origin::personal;
  if (origin_enum == commission::banquet_origin::personal && !b.contains("cases") &&
      !b.contains("bottles"))
    return status::invalid(where + ": a personal banquet needs cases or bottles");
  std::int64_t cases = 0, bottles = 0;
  for (auto [key, out] : {std::pair{"cases", &cases}, {"bottles", &bottles}}) {
    if (!b.contains(key)) continue;
    auto v = count_of(b[key], where + "." + key);
    if (!v) return v.error();
    if (*v < 1) return status::invalid(where + "." + key + ": must be at least 1");
    *out = *v;
  }
  for (auto& line : m.banquets)
    if (line.origin == origin_enum && line.product == product) {
      ++line.events;
      line.cases += cases;
      line.bottles += bottles;
      return status::ok();
    }
  m.banquets.push_back({origin_enum, product, 1, cases, bottles});
  return status::ok();
}

status read_banquets(const json& in, commission::month_input& m) {
  if (in.contains("banquets")) {
    if (in["banquets"].is_object())
      return status::invalid(
          "banquets: must be an array of {origin, product, cases | bottles} (the old "
          "{product line: events} object is no longer read)");
    if (!in["banquets"].is_array())
      return status::invalid("banquets: must be an array of {origin, product, cases | bottles}");
    if (in["banquets"].size() > 1'000'000) return status::invalid("banquets: more than 1000000");
    for (std::size_t i = 0; i < in["banquets"].size(); ++i)
      if (status s = read_banquet(in["banquets"][i], "banquets[" + std::to_string(i) + "]", m); !s)
        return s;
  }
  if (in.contains("banquet_target")) {
    auto v = count_of(in["banquet_target"], "banquet_target");
    if (!v) return v.error();
    m.banquet_target = *v;
  }
  return status::ok();
}

// "inspections": {finding: stores found}.
status read_inspections(const json& in, commission::month_input& m) {
  if (!in.contains("inspections")) return status::ok();
  if (!in["inspections"].is_object())
    return status::invalid("inspections: must be an object of finding: stores found");
  for (const auto& [finding, n] : in["inspections"].items()) {
    if (!commission::is_inspection_finding(finding))
      return status::invalid("inspections." + finding + ": unknown finding (" +
                             joined(commission::inspection_findings) + ")");
    auto v = count_of(n, "inspections." + finding);
    if (!v) return v.error();
    m.inspections[finding] = *v;
  }
  return status::ok();
}

}  // namespace

result<commission::month_input> read_commission_input(const json& in) {
  if (!in.is_object()) return status::invalid("input: must be a JSON object");
  commission::month_input m;
  m.period = in.value("period", "");
  auto p = period::parse(m.period);
  if (!p || p->kind != period_kind::month)
    return status::invalid("period: must be a month like \"2026-07\"");
  if (!in.contains("brands") || !in["brands"].is_array() || in["brands"].empty())
    return status::invalid("brands: missing (an array of {brand, target_fen, sales_fen, rate_bp})");
  int i = 0;
  for (const auto& b : in["brands"]) {
    std::string where = "brands[" + std::to_string(i++) + "]";
    if (!b.is_object() || !b.contains("brand") || !b["brand"].is_string() ||
        b["brand"].get<std::string>().empty())
      return status::invalid(where + ".brand: missing");
    commission::brand_input bi;
    bi.brand = b["brand"].get<std::string>();
    where = "brands." + bi.brand;
    for (auto [key, target] :
         {std::pair{"target_fen", &bi.target_fen}, {"sales_fen", &bi.sales_fen}}) {
      auto v = whole(b.value(key, json()), where + "." + key);
      if (!v) return v.error();
      *target = *v;
    }
    auto rate = whole(b.value("rate_bp", json()), where + ".rate_bp");
    if (!rate) return rate.error();
    if (*rate > 10000) return status::invalid(where + ".rate_bp: must be 0..10000 basis points");
    bi.rate_bp = static_cast<int>(*rate);
    m.brands.push_back(bi);
  }
  if (in.contains("previous_months_met")) {
    if (!in["previous_months_met"].is_array())
      return status::invalid("previous_months_met: must be an array of true/false");
    for (const auto& v : in["previous_months_met"]) {
      if (!v.is_boolean())
        return status::invalid("previous_months_met: must be an array of true/false");
      m.previous_months_met.push_back(v.get<bool>());
    }
  }
  auto display = count_of(in.value("display_stores", json()), "display_stores", false);
  if (!display) return display.error();
  m.display_stores = *display;
  for (auto read : {read_key_townships, read_outlets, read_banquets, read_inspections})
    if (status s = read(in, m); !s) return s;
  return m;
}

}  // namespace af::tools
