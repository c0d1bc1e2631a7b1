// assess-sample: writes the sample organisation (org.csv), its sales feed
// (events.jsonl, tools/sample/sample_feed.h) and the reviews of one
// competency50 cycle (reviews.jsonl).
//
// Byte-identical for the same options on any machine (see
// tools/sample/sample_model.h).
//
// The data is shaped for the 2026-Q3 cycle (as_of 2026-09-30): 2025 net sales
// and Q3 conversion rates fill every band of DOMAIN.md program 1, and the
// ratings are chosen from each employee's computed points so that the tiers
// cover 1 to 4.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/sample/sample_feed.h"
#include "tools/sample/sample_model.h"

namespace {

using namespace af::sample;
using ratings = std::array<int, 6>;  // in c50::rated_keys order

constexpr std::array<std::string_view, 20> surnames = {"王", "李", "张", "刘", "陈", "杨", "黄",
                                                       "赵", "周", "吴", "徐", "孙", "马", "朱",
                                                       "胡", "郭", "何", "林", "高", "罗"};
constexpr std::array<std::string_view, 24> given_names = {
    "伟",   "芳",   "娜",   "敏",   "静",   "磊",   "军",   "洋",   "勇",   "艳",   "杰",   "涛",
    "秀英", "志强", "建国", "晓东", "海燕", "文博", "子涵", "雨欣", "浩然", "俊杰", "丽华", "国栋"};
// Totals aimed at per tier, in hundredths; the exam rounding adds at most 4.
constexpr std::array<std::array<int, 2>, 4> tier_totals = {
    {{4600, 5000}, {3600, 4590}, {2600, 3590}, {800, 2590}}};

// ---- organisation -------------------------------------------------------------

std::string person_name(prng& r, std::set<std::string>& used) {
  std::string name;
  for (int attempt = 0; attempt < 20; ++attempt) {
    name = std::string(surnames[r.below(surnames.size())]) +
           std::string(given_names[r.below(given_names.size())]);
    if (used.insert(name).second) break;
  }
  return name;
}

af::civil_date joined_before_as_of(prng& r, int max_years) {
  return af::civil_from_days(af::days_from_civil(as_of) - r.below(max_years * 365 + 3));
}

// The first two managers reach their 4th anniversary on as_of and the day after.
af::civil_date manager_joined(prng& r, int m) {
  if (m == 0) return {2022, 9, 30};
  if (m == 1) return {2022, 10, 1};
  return joined_before_as_of(r, 12);
}

std::vector<employee> build_org(std::uint64_t seed, int managers) {
  prng r(seed, 0);
  std::set<std::string> names;
  std::vector<employee> org;
  auto add = [&](std::string id, std::string_view unit, int grade, std::string supervisor,
                 std::string hrbp, af::civil_date joined, std::string roles) {
    org.push_back({std::move(id), person_name(r, names), std::string(unit), grade,
                   std::move(supervisor), std::move(hrbp), joined, std::move(roles)});
  };
  auto hrbp = [](int u) { return fmt::format("B{}", 4001 + u); };
  auto director = [](int u) { return fmt::format("D{}", 3001 + u); };
  auto supervisor = [](int u, int s) { return fmt::format("S{}", 2001 + 2 * u + s); };

  add("C0001", "集团总部", 1, "", "", joined_before_as_of(r, 12), "chairman");
  add("H0001", "人力资源中心", 1, "", "", joined_before_as_of(r, 12), "hr");
  add("A0001", "信息中心", 2, "", "", joined_before_as_of(r, 12), "admin");
  for (int u = 0; u < 3; ++u)
    add(hrbp(u), "人力资源中心", 2, "H0001", "H0001", joined_before_as_of(r, 12), "");
  for (int u = 0; u < 3; ++u)
    add(director(u), units[u], 1, "C0001", hrbp(u), joined_before_as_of(r, 12), "");
  for (int u = 0; u < 3; ++u)
    for (int s = 0; s < 2; ++s)
      add(supervisor(u, s), units[u], static_cast<int>(r.between(1, 2)), director(u), hrbp(u),
          joined_before_as_of(r, 12), "");
  for (int m = 0; m < managers; ++m)
    add(manager_id(m), units[m % 3], static_cast<int>(r.between(2, 4)),
        supervisor(m % 3, (m / 3) % 2), hrbp(m % 3), manager_joined(r, m), "");
  return org;
}

// ---- reviews ------------------------------------------------------------------

ratings spread_ratings(prng& r, int sum) {
  ratings v;
  v.fill(1);
  for (int left = sum - 6; left > 0;) {
    auto k = r.below(6);
    if (v[k] < 5) ++v[k], --left;
  }
  return v;
}

// Mostly within one point of the supervisor (and more often above); an outlier
// item differs by two or three.
ratings self_ratings(prng& r, const ratings& supervisor, bool outlier) {
  ratings self;
  for (std::size_t k = 0; k < self.size(); ++k) {
    i64 d = r.below(20);
    int delta = d < 10 ? 0 : d < 17 ? 1 : -1;
    self[k] = std::clamp(supervisor[k] + delta, 1, 5);
  }
  if (outlier) {
    auto k = r.below(6);
    int s = supervisor[k];
    self[k] = s <= 2 ? s + 2 + static_cast<int>(r.below(2)) : s <= 3 ? s + 2 : s - 2;
  }
  return self;
}

struct review {
  ratings supervisor;
  int exam = 0;
  int total = 0;  // hundredths, with the computed points
};

// Ratings and exam that bring `computed` (hundredths) into the desired tier,
// or the nearest tier the computed points allow.
review plan_review(prng& r, int computed, int tier) {
  int lo = 0, hi = -1;
  while (true) {
    lo = std::max(tier_totals[tier - 1][0], computed + 800);
    hi = std::min(tier_totals[tier - 1][1], computed + 3500);
    if (lo <= hi) break;
    tier += computed + 3500 < tier_totals[tier - 1][0] ? 1 : -1;
  }
  int rest = static_cast<int>(r.between(lo, hi)) - computed;
  int sum = static_cast<int>(
      r.between(std::max(6, (rest - 500 + 99) / 100), std::min(30, (rest - 200) / 100)));
  int exam = (rest - 100 * sum + 4) / 5;
  return {spread_ratings(r, sum), exam, computed + 100 * sum + 5 * exam};
}

nlohmann::ordered_json ratings_json(const ratings& v) {
  nlohmann::ordered_json j;
  for (std::size_t k = 0; k < v.size(); ++k) j[std::string(c50::rated_keys[k])] = v[k];
  return j;
}

// ---- output -------------------------------------------------------------------

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::ofstream open_out(const std::filesystem::path& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw std::runtime_error("cannot write " + path.string());
  return f;
}

void write_org(const std::filesystem::path& path, const std::vector<employee>& org) {
  auto f = open_out(path);
  f << "id,name,unit,grade,supervisor_id,hrbp_id,joined_on,roles\n";
  for (const auto& e : org)
    f << fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(e.id), csv_field(e.name),
                     csv_field(e.unit), e.grade, csv_field(e.supervisor_id), csv_field(e.hrbp_id),
                     af::format_date(e.joined_on), csv_field(e.roles));
}

void write_events(const std::filesystem::path& path, std::vector<event>& events) {
  std::stable_sort(events.begin(), events.end(),
                   [](const event& a, const event& b) { return a.at < b.at; });
  auto f = open_out(path);
  for (const auto& e : events) f << event_line(e) << '\n';
}

int computed_points(const employee& e, const sales_figures& f) {
  return 100 * (c50::years_points(af::whole_years(e.joined_on, as_of)) +
                c50::sales_points(f.net_2025_fen) +
                c50::conversion_points(f.q3_inquiries, f.q3_converted));
}

// Strong computed points aim at tier 1; the others cycle through tiers 1..4.
std::array<int, 5> write_reviews(const std::filesystem::path& path, std::uint64_t seed,
                                 const std::vector<employee>& org,
                                 const std::vector<sales_figures>& figures) {
  prng r(seed, 1);
  std::array<int, 5> tiers{};
  auto f = open_out(path);
  int k = 0;
  for (const auto& e : org) {
    if (!e.has_case()) continue;
    bool manager = e.id[0] == 'E';
    sales_figures fig = manager ? figures[std::stoi(e.id.substr(1)) - 1001] : sales_figures{};
    int computed = computed_points(e, fig);
    review rv = plan_review(r, computed, computed >= 1400 ? 1 : k++ % 4 + 1);
    ++tiers[c50::tier_for_total(rv.total)];
    nlohmann::ordered_json line;
    line["employee_id"] = e.id;
    line["self"]["ratings"] = ratings_json(self_ratings(r, rv.supervisor, r.chance(12)));
    line["supervisor"]["ratings"] = ratings_json(rv.supervisor);
    line["supervisor"]["exams"][std::string(c50::exam_key)] = rv.exam;
    f << line.dump() << '\n';
  }
  return tiers;
}

void print_summary(const std::filesystem::path& dir, const std::vector<employee>& org,
                   const std::vector<event>& events, const std::vector<sales_figures>& figures,
                   const std::array<int, 5>& tiers) {
  std::string per_unit;
  for (std::string_view unit : {"建机事业部", "环保事业部", "游乐事业部", "人力资源中心"})
    per_unit +=
        fmt::format("{} {}, ", unit,
                    std::count_if(org.begin(), org.end(), [&](auto& e) { return e.unit == unit; }));
  std::array<std::size_t, 3> n{};
  for (const auto& e : events) ++n[static_cast<int>(e.type)];
  std::array<int, 6> sales{}, conversion{};
  for (const auto& f : figures)
    ++sales[c50::sales_points(f.net_2025_fen)],
        ++conversion[c50::conversion_points(f.q3_inquiries, f.q3_converted)];
  auto size = [&](const char* name) { return std::filesystem::file_size(dir / name); };
  fmt::print(stderr,
             "assess-sample: wrote {}: org.csv, {} employees ({}2 at head office), {} bytes; "
             "events.jsonl, {} sales, {} refunds, {} inquiries, {} bytes; reviews.jsonl, {} "
             "reviews, {} bytes. Managers per 2025 net-sales points 1..5: {}; per 2026-Q3 "
             "conversion points 0..5: {} (0 = no data: {}). Tiers 1..4 the reviews give: {}.\n",
             dir.string(), org.size(), per_unit, size("org.csv"), n[0], n[1], n[2],
             size("events.jsonl"), tiers[1] + tiers[2] + tiers[3] + tiers[4], size("reviews.jsonl"),
             fmt::join(sales.begin() + 1, sales.end(), "/"), fmt::join(conversion, "/"),
             manager_id(static_cast<int>(figures.size()) - 1),
             fmt::join(tiers.begin() + 1, tiers.end(), "/"));
}

int run(const options& o) {
  std::filesystem::path dir(o.out);
  std::filesystem::create_directories(dir);
  auto org = build_org(o.seed, o.managers);
  write_org(dir / "org.csv", org);
  std::vector<event> events;
  std::vector<sales_figures> figures;
  for (int m = 0; m < o.managers; ++m) figures.push_back(add_manager_events(o, m, events));
  write_events(dir / "events.jsonl", events);
  auto tiers = write_reviews(dir / "reviews.jsonl", o.seed, org, figures);
  print_summary(dir, org, events, figures, tiers);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Writes the deterministic sample organisation, sales feed and reviews."};
  options o;
  app.add_option("--out", o.out,
                 "Directory for org.csv, events.jsonl, reviews.jsonl (created if missing)")
      ->required();
  app.add_option("--seed", o.seed, "Seed of the pseudo-random generator")
      ->check(CLI::Validator(
          [](std::string& v) { return v.find('-') == 0 ? "must not be negative" : ""; }, "UINT"))
      ->capture_default_str();
  app.add_option("--managers", o.managers, "Number of account managers (3..8999)")
      ->check(CLI::Range(3, 8999))
      ->capture_default_str();
  app.add_option("--inquiries-per-quarter", o.inquiries_per_quarter,
                 "Average inquiries per manager in 2026-Q3 (earlier quarters get a tenth)")
      ->check(CLI::Range(i64{1}, i64{1'000'000}))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    fmt::print(stderr, "assess-sample: {}\n", e.what());
    return 2;
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "assess-sample: {}\n", e.what());
    return 1;
  }
}
