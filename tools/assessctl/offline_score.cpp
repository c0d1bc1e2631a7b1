#include "tools/assessctl/offline_score.h"

#include "base/civil_time.h"
#include "workers/domain/appraisal.h"

namespace af::tools {
namespace {

using json = nlohmann::json;

result<civil_date> date_field(const json& j, const std::string& key) {
  if (!j.contains(key) || !j[key].is_string())
    return status::invalid(key + ": missing (YYYY-MM-DD)");
  auto d = parse_date(j[key].get<std::string>());
  if (!d)
    return status::invalid(key + ": \"" + j[key].get<std::string>() +
                           "\" is not a date YYYY-MM-DD");
  return *d;
}

result<std::int64_t> count_field(const json& j, const std::string& key) {
  if (!j.contains(key)) return status::invalid("sales." + key + ": missing");
  if (!j[key].is_number_integer() || j[key].get<std::int64_t>() < 0)
    return status::invalid("sales." + key + ": must be a whole number >= 0");
  return j[key].get<std::int64_t>();
}

result<std::map<std::string, int>> ratings_of(const json& j, const std::string& where,
                                              const rubric::rubric& r) {
  if (!j.is_object()) return status::invalid(where + ": must be an object of item: rating");
  std::map<std::string, int> out;
  for (const auto& [item, value] : j.items()) {
    if (!value.is_number_integer())
      return status::invalid(where + "." + item + ": must be a whole number " +
                             std::to_string(r.scale_min) + ".." + std::to_string(r.scale_max));
    auto v = value.get<std::int64_t>();
    out[item] = v < -1000 ? -1000 : v > 1000 ? 1000 : static_cast<int>(v);
  }
  return out;
}

bool uses(const rubric::rubric& r, rubric::assessed how) {
  for (const auto& i : r.items)
    if (i.how == how) return true;
  return false;
}

// The ratings: one rater's "ratings", or "raters": {rater: ratings} for a
// program with many raters.
status read_ratings(const json& in, const rubric::rubric& r, rubric::input& out) {
  if (r.many_raters) {
    if (in.contains("ratings"))
      return status::invalid("ratings: " + r.program +
                             " has many raters; give \"raters\": {rater: ratings}");
    if (!in.contains("raters") || !in["raters"].is_object() || in["raters"].empty())
      return status::invalid("raters: missing (an object of rater: {item: rating})");
    for (const auto& [rater, ratings] : in["raters"].items()) {
      auto got = ratings_of(ratings, "raters." + rater, r);
      if (!got) return got.error();
      auto kind = rubric::rater_kind(rater);
      if (kind != "supervisor" && kind != "peer" && kind != "customer")
        return status::invalid("raters." + rater +
                               ": a rater is supervisor:ID, peer:ID or customer:ID");
      if (status s = rubric::validate_ratings(r, *got, kind); !s)
        return status::invalid("raters." + rater + ": " + s.message());
      out.ratings[rater] = std::move(got).value();
    }
  } else {
    if (!in.contains("ratings")) return status::invalid("ratings: missing");
    auto got = ratings_of(in["ratings"], "ratings", r);
    if (!got) return got.error();
    out.ratings["supervisor"] = std::move(got).value();
  }
  return status::ok();
}

// The exams, which a program with exam items needs and any other refuses.
status read_exams(const json& in, const rubric::rubric& r, rubric::input& out) {
  if (uses(r, rubric::assessed::exam)) {
    if (!in.contains("exams") || !in["exams"].is_object()) return status::invalid("exams: missing");
    auto exams = rubric::read_exams(in["exams"]);
    if (!exams) return exams.error();
    out.exams = std::move(exams).value();
  } else if (in.contains("exams") && !in["exams"].empty()) {
    return status::invalid("exams: " + r.program + " has no exams");
  }
  return status::ok();
}

// An appraisal's period figures ("appraisal": {"net_sales_fen", "target_fen",
// "net_sales_year_before_fen", "customers", "new_customers",
// "repeat_customers", "complaints"}) and the measures they give.
status read_appraisal(const json& in, rubric::input& out) {
  if (!in.contains("appraisal") || !in["appraisal"].is_object())
    return status::invalid("appraisal: missing (the period's figures)");
  const json& a = in["appraisal"];
  auto fen = [&](const char* key) -> result<std::int64_t> {
    if (!a.contains(key) || !a[key].is_number_integer())
      return status::invalid(std::string("appraisal.") + key + ": must be a whole number of fen");
    return a[key].get<std::int64_t>();
  };
  auto count = [&](const char* key) -> result<std::int64_t> {
    if (!a.contains(key) || !a[key].is_number_integer() || a[key].get<std::int64_t>() < 0)
      return status::invalid(std::string("appraisal.") + key + ": must be a whole number >= 0");
    return a[key].get<std::int64_t>();
  };
  appraisal::period_figures f;
  std::pair<const char*, std::int64_t*> amounts[] = {
      {"net_sales_fen", &f.net_sales_fen},
      {"target_fen", &f.target_fen},
      {"net_sales_year_before_fen", &f.net_sales_year_before_fen}};
  for (auto [key, field] : amounts) {
    auto v = fen(key);
    if (!v) return v.error();
    if (*v < -1000000000000000 || *v > 1000000000000000)
      return status::invalid(std::string("appraisal.") + key + ": out of range");
    *field = *v;
  }
  std::pair<const char*, std::int64_t*> counts[] = {{"customers", &f.customers},
                                                    {"new_customers", &f.new_customers},
                                                    {"repeat_customers", &f.repeat_customers},
                                                    {"complaints", &f.complaints}};
  for (auto [key, field] : counts) {
    auto v = count(key);
    if (!v) return v.error();
    if (*v > 100000000) return status::invalid(std::string("appraisal.") + key + ": out of range");
    *field = *v;
  }
  if (f.new_customers + f.repeat_customers > f.customers)
    return status::invalid(
        "appraisal: new and repeat customers are more than the period's customers");
  auto m = appraisal::measures(f);
  out.measures.insert(m.begin(), m.end());
  return status::ok();
}

// The measures of computed items: years since employee.joined_on at as_of,
// and the sales figures; for an appraisal its period's figures.
status read_measures(const json& in, const json& employee, const rubric::rubric& r,
                     rubric::input& out) {
  if (!uses(r, rubric::assessed::computed)) return status::ok();
  if (r.uses_appraisal_measures()) return read_appraisal(in, out);
  if (!employee.is_object()) return status::invalid("employee: missing");
  auto joined = date_field(employee, "joined_on");
  if (!joined) return status::invalid("employee." + joined.error().message());
  auto as_of = date_field(in, "as_of");
  if (!as_of) return as_of.error();
  if (!in.contains("sales") || !in["sales"].is_object()) return status::invalid("sales: missing");
  const json& sales = in["sales"];
  if (!sales.contains("last_year_fen") || !sales["last_year_fen"].is_number_integer())
    return status::invalid("sales.last_year_fen: must be a whole number of fen");
  auto inquiries = count_field(sales, "quarter_inquiries");
  if (!inquiries) return inquiries.error();
  auto converted = count_field(sales, "quarter_converted");
  if (!converted) return converted.error();
  auto measures = rubric::standard_measures(
      *joined, *as_of, sales["last_year_fen"].get<std::int64_t>(), *inquiries, *converted);
  if (!measures) return measures.error();
  out.measures = std::move(measures).value();
  return status::ok();
}

// The required levels of a program with a standard: "required_levels", or
// the standard table's row for employee.grade.
status read_required_levels(const json& in, const json& employee, const rubric::rubric& r,
                            rubric::input& out) {
  if (!r.standard_score) return status::ok();
  if (!in.contains("required_levels")) {
    if (!employee.is_object() || !employee.contains("grade") ||
        !employee["grade"].is_number_integer() || employee["grade"].get<int>() < 1 ||
        employee["grade"].get<int>() > 4)
      return status::invalid("employee.grade: must be 1..4 (it selects the required levels)");
    out.required_levels = rubric::default_required_levels(r, employee["grade"].get<int>());
    return status::ok();
  }
  if (!in["required_levels"].is_object())
    return status::invalid("required_levels: must be an object of item: level");
  for (const auto& [item, level] : in["required_levels"].items()) {
    if (!r.find(item)) return status::invalid("required_levels." + item + ": unknown item");
    if (!level.is_number_integer() || !r.levels.count(level.get<int>()))
      return status::invalid("required_levels." + item + ": must be a level " +
                             std::to_string(r.levels.begin()->first) + ".." +
                             std::to_string(r.levels.rbegin()->first));
    out.required_levels[item] = level.get<int>();
  }
  return status::ok();
}

}  // namespace

result<rubric::input> read_case_file(const json& in, const rubric::rubric& r) {
  rubric::input out;
  if (status s = read_ratings(in, r, out); !s) return s;
  if (status s = read_exams(in, r, out); !s) return s;
  const json& employee = in.value("employee", json());
  if (status s = read_measures(in, employee, r, out); !s) return s;
  if (status s = read_required_levels(in, employee, r, out); !s) return s;
  return out;
}

result<nlohmann::ordered_json> score_offline(const json& in, const rubric::rubric_set& rubrics) {
  if (!in.is_object()) return status::invalid("input: must be a JSON object");
  if (!in.contains("program") || !in["program"].is_string())
    return status::invalid("program: missing");
  std::string program = in["program"].get<std::string>();
  auto r = rubrics.find(program);
  if (r == rubrics.end()) {
    std::string known;
    for (const auto& [name, _] : rubrics) known += (known.empty() ? "" : ", ") + name;
    return status::invalid("program: unknown program \"" + program + "\" (" + known + ")");
  }
  auto input = read_case_file(in, r->second);
  if (!input) return input.error();
  auto s = rubric::score_case(r->second, *input);
  if (!s) return s.error();
  return rubric::to_json(r->second, *s);
}

}  // namespace af::tools
