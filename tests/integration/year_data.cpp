#include "tests/integration/year_data.h"

#include <fmt/format.h>

#include <fstream>
#include <map>

namespace af::test::year {
namespace {

constexpr long long target_fen = 10'000'000;

struct sale_line {
  std::string customer;
  long long fen;
};

// Who bought what from `e` in the month (see the table in year_data.h).
std::vector<sale_line> sales_of(const std::string& e, int year, int month) {
  const int quarter = (month - 1) / 3 + 1;
  const std::string new_each_month = fmt::format("N{:02}", month);
  const std::string new_each_quarter = fmt::format("Q{}", quarter);
  if (year == 2025) {
    if (e == "E3") return {{"A", 10'000'000}};
    if (e == "E4") return {{"A", 4'000'000}, {"B", 4'000'000}};
    if (e == "E5") return {};
    return {{"A", 5'000'000}, {"B", 5'000'000}};
  }
  if (e == "E1") return {{"A", 5'000'000}, {"B", 5'000'000}, {new_each_month, 2'000'000}};
  if (e == "E2" || e == "E4") return {{"A", 5'000'000}, {"B", 5'000'000}};
  if (e == "E3") return {{"A", 8'000'000}, {new_each_quarter, 1'000'000}};
  if (e == "E5") return {{new_each_quarter, 11'000'000}};
  if (month == 5)  // E6
    return {{"A", 4'250'000}, {"B", 4'250'000}, {"N1", 1'000'000}, {"N2", 1'000'000}};
  return {{"A", 5'250'000}, {"B", 5'250'000}};
}

int complaints_of(const std::string& e, int year, int month) {
  if (year != 2026) return 0;
  if (e == "E2" && month == 5) return 1;
  if (e == "E4" && month == 8) return 2;
  return 0;
}

json event(const std::string& type, const std::string& id, const std::string& e,
           const std::string& at) {
  return {{"type", type}, {"event_id", id}, {"manager_id", e}, {"occurred_at", at}};
}

}  // namespace

std::vector<std::string> rated_items(const std::string& program) {
  std::ifstream in(std::string(ASSESSFLOW_SCHEMAS_DIR) + "/rubrics/" + program + ".json");
  const json rubric = json::parse(in);
  std::vector<std::string> out;
  for (const auto& item : rubric["items"])
    if (item["assessed"] == "rated") out.push_back(item["key"].get<std::string>());
  return out;
}

const std::vector<std::string>& managers() {
  static const std::vector<std::string> all = {"E1", "E2", "E3", "E4", "E5", "E6"};
  return all;
}

std::string org_csv(const std::string& date) {
  std::string csv =
      "id,name,unit,grade,supervisor_id,hrbp_id,joined_on,roles\n"
      "C1,吴建国,集团总部,1,,,2012-03-01,chairman\n"
      "H1,朱静,人力资源中心,1,,,2015-09-11,hr\n"
      "B1,孙秀英,人力资源中心,2,,,2020-12-29,\n"
      "S1,赵勇,华东事业部,1,,,2014-04-01,\n"
      "S2,钱伟,华北事业部,1,,,2016-06-01,\n"
      "E1,李明,华东事业部,3,S1,B1,2019-03-01,\n"
      "E2,王芳,华东事业部,3,S1,B1,2020-06-01,\n"
      "E3,张伟,华东事业部,3,S1,B1,2021-09-01,\n"
      "E4,刘洋,华北事业部,4,S2,B1,2024-03-01,\n";
  if (date >= "2026-01-30") csv += "E5,陈静,华北事业部,3,S2,B1,2026-01-05,\n";
  csv += std::string("E6,杨磊,华北事业部,") + (date >= "2026-07-30" ? "2" : "3") +
         ",S2,B1,2018-05-01,\n";
  return csv;
}

json events_of_month(int year, int month) {
  json out = json::array();
  const std::string ym = fmt::format("{}-{:02}", year, month);
  for (const auto& e : managers()) {
    if (e == "E5" && year == 2025) continue;  // not with the company yet
    const std::string id = e + "-" + ym + "-";
    json t = event("target_set", id + "t", e, ym + "-01T09:00:00+08:00");
    t["period"] = ym;
    t["brand"] = "yanghe";
    t["target_fen"] = target_fen;
    out.push_back(t);
    int n = 0;
    for (const auto& s : sales_of(e, year, month)) {
      ++n;
      json ev = event("sale", id + "s" + std::to_string(n), e,
                      fmt::format("{}-{:02}T10:00:00+08:00", ym, 2 + 3 * n));
      ev["amount_fen"] = s.fen;
      ev["brand"] = "yanghe";
      ev["customer_id"] = e + "-" + s.customer;
      out.push_back(ev);
    }
    for (int c = 1; c <= complaints_of(e, year, month); ++c) {
      json ev = event("complaint", id + "c" + std::to_string(c), e,
                      fmt::format("{}-{:02}T15:00:00+08:00", ym, 10 + c));
      ev["customer_id"] = e + "-A";
      out.push_back(ev);
    }
  }
  return out;
}

json supervisor_appraisal(const std::string& e, const std::string& period) {
  auto three = [](int t, int l, int p) {
    return json{{"teamwork", t}, {"learning", l}, {"professional_ability", p}};
  };
  if (e == "E1") return three(5, 5, 5);
  if (e == "E2") return period == "2026-Q2" ? three(1, 1, 1) : three(4, 4, 4);  // appealed
  if (e == "E3") return three(3, 3, 3);
  if (e == "E6") return three(5, 4, 5);
  return three(4, 4, 4);
}

json competency_model_ratings(const std::string& e, int year) {
  int all = 5;
  std::map<std::string, int> except;
  if (year == 2025) {
    if (e == "E1" || e == "E4") all = 4;
  } else if (e == "E2") {
    except = {{"communication", 4}, {"execution", 4}, {"coordination", 4}};
  } else if (e == "E3") {
    except = {{"communication", 4}, {"execution", 4}, {"coordination", 4}, {"resilience", 4}};
  } else if (e == "E4") {
    except = {{"execution", 2}};
  }
  json out = json::object();
  for (const auto& key : rated_items("competency_model"))
    out[key] = except.count(key) ? except[key] : all;
  return out;
}

json competency_model_exams(const std::string& e, int year) {
  if (year == 2025 && (e == "E1" || e == "E4"))  // 5 points each
    return {{"general_knowledge", 85},
            {"professional_knowledge", 85},
            {"position_knowledge", 85},
            {"position_skills", 85}};
  return {{"general_knowledge", 85},  // 5, 6, 5, 6 points
          {"professional_knowledge", 95},
          {"position_knowledge", 85},
          {"position_skills", 91}};
}

}  // namespace af::test::year
