// assess-sample: writes the sample organisation (org.csv), its sales feed
// (events.jsonl) and the reviews of one competency50 cycle (reviews.jsonl).
//
// Byte-identical for the same options on any machine: every choice comes from
// std::mt19937_64 (its sequence is fixed by the standard) mapped with our own
// integer arithmetic, never the std distributions (they differ between
// libraries) nor floating point. Each manager has a stream of its own.
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
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "workers/domain/rubric.h"

namespace {

// The competency50 rubric (schemas/rubrics/competency50.json), which the
// sample's reviews are made to exercise at its band edges.
namespace c50 {

const af::rubric::rubric& rubric() {
  static const af::rubric::rubric r = [] {
    auto loaded = af::rubric::load_file(ASSESSFLOW_SCHEMAS_DIR "/rubrics/competency50.json");
    if (!loaded) throw std::runtime_error(loaded.error().message());
    return std::move(loaded).value();
  }();
  return r;
}
int band(const std::vector<af::exact::band>& bands, af::exact::number v) {
  return af::exact::band_value(bands, v).value_or(0);
}
int years_points(int y) {
  return band(rubric().find("years_experience")->measure_bands, af::exact::number::whole(y));
}
int sales_points(std::int64_t fen) {
  return band(rubric().find("sales_last_year")->measure_bands, {fen, 100});
}
int conversion_points(std::int64_t inquiries, std::int64_t converted) {
  if (inquiries == 0) return rubric().find("conversion_rate")->no_data_points.value_or(0);
  return band(rubric().find("conversion_rate")->measure_bands, {converted * 100, inquiries});
}
int tier_for_total(int total_hundredths) { return band(rubric().tiers, {total_hundredths, 100}); }
inline constexpr std::string_view exam_key = "product_knowledge";
// The rated items, in rubric order.
const std::array<std::string_view, 6> rated_keys = {"language",
                                                    "market_development",
                                                    "negotiation",
                                                    "achievement_motivation",
                                                    "service_orientation",
                                                    "initiative"};

}  // namespace c50
using i64 = std::int64_t;
using ratings = std::array<int, 6>;  // in c50::rated_keys order

constexpr int tz_minutes = 8 * 60;
constexpr af::civil_date as_of{2026, 9, 30};
constexpr i64 yuan = 100;
// Quarters before 2026-Q3 get 1/history_share of the inquiry rate: at the full
// rate the seven quarters would make a ~150 MB feed; the scored quarter keeps it.
constexpr i64 history_share = 10;

constexpr std::array<std::string_view, 3> units = {"建机事业部", "环保事业部", "游乐事业部"};
constexpr std::array<std::string_view, 5> brands = {"yanghe", "moutai", "wuliangye",
                                                    "luzhoulaojiao", "fenjiu"};
constexpr std::array<std::string_view, 20> surnames = {"王", "李", "张", "刘", "陈", "杨", "黄",
                                                       "赵", "周", "吴", "徐", "孙", "马", "朱",
                                                       "胡", "郭", "何", "林", "高", "罗"};
constexpr std::array<std::string_view, 24> given_names = {
    "伟",   "芳",   "娜",   "敏",   "静",   "磊",   "军",   "洋",   "勇",   "艳",   "杰",   "涛",
    "秀英", "志强", "建国", "晓东", "海燕", "文博", "子涵", "雨欣", "浩然", "俊杰", "丽华", "国栋"};

// 2025 net sales per band of program 1, in CNY (band 3 reaches 2,000,000 inclusive).
constexpr std::array<i64, 5> band_low = {200'000, 520'000, 1'020'000, 1'520'000, 2'050'000};
constexpr std::array<i64, 5> band_high = {480'000, 980'000, 1'480'000, 1'980'000, 3'200'000};
// Totals aimed at per tier, in hundredths; the exam rounding adds at most 4.
constexpr std::array<std::array<int, 2>, 4> tier_totals = {
    {{4600, 5000}, {3600, 4590}, {2600, 3590}, {800, 2590}}};

class prng {
 public:
  prng(std::uint64_t seed, std::uint64_t stream) : engine_(seed * 0x9E3779B97F4A7C15ULL + stream) {}
  std::uint64_t bits() { return engine_(); }
  i64 below(i64 n) { return static_cast<i64>(engine_() % static_cast<std::uint64_t>(n)); }
  i64 between(i64 lo, i64 hi) { return lo + below(hi - lo + 1); }
  bool chance(int percent) { return below(100) < percent; }

 private:
  std::mt19937_64 engine_;
};

struct options {
  std::string out;
  std::uint64_t seed = 2026;
  int managers = 60;
  i64 inquiries_per_quarter = 2000;
};

struct employee {
  std::string id, name, unit;
  int grade = 0;
  std::string supervisor_id, hrbp_id;
  af::civil_date joined_on;
  std::string roles;
  [[nodiscard]] bool has_case() const { return !supervisor_id.empty() && roles.empty(); }
};

enum class kind { sale, refund, inquiry };

struct event {
  i64 at = 0;  // Unix seconds
  kind type = kind::sale;
  int manager = 0, brand = 0, customer = 0;
  i64 amount_fen = 0;
  bool converted = false;
  std::string id, refers_to;
};

struct sales_figures {
  i64 net_2025_fen = 0;
  i64 q3_inquiries = 0, q3_converted = 0;
};

std::string manager_id(int m) { return fmt::format("E{}", 1001 + m); }

std::string event_id(prng& r) {
  std::uint64_t hi = (r.bits() & ~0xF000ULL) | 0x4000ULL;        // version 4
  std::uint64_t lo = (r.bits() & ~(3ULL << 62)) | (2ULL << 62);  // RFC 4122 variant
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

i64 local_instant(i64 day, i64 seconds_of_day) {
  return day * 86400 + seconds_of_day - tz_minutes * 60;
}

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

// ---- sales feed ---------------------------------------------------------------

// The first managers hold the band edges: exactly 1,000,000 and 2,000,000 CNY.
i64 net_2025_target(prng& r, int m, int band) {
  if (m == 3) return 1'000'000 * yuan;
  if (m == 4) return 2'000'000 * yuan;
  return r.between(band_low[band] * yuan, band_high[band] * yuan);
}

// `count` sales over [first, last] whose net (after refunds) is exactly `net_fen`.
// A refund falls later in the same month as its sale, so every period agrees.
void add_sales(prng& r, int m, af::civil_date first, af::civil_date last, int count, i64 net_fen,
               std::vector<event>& out) {
  i64 first_day = af::days_from_civil(first), span = af::days_from_civil(last) - first_day + 1;
  std::vector<event> sales(count);
  std::vector<i64> weight(count), refund_pct(count, 0);
  i64 denominator = 0;
  for (int j = 0; j < count; ++j) {
    i64 day = first_day + r.below(span);
    af::civil_date date = af::civil_from_days(day);
    sales[j].at = local_instant(day, 9 * 3600 + r.below(11 * 60) * 60);
    sales[j].manager = m;
    sales[j].brand = static_cast<int>(r.below(brands.size()));
    sales[j].customer = static_cast<int>(m * 1000 + r.below(200));
    weight[j] = r.between(50, 150);
    if (j > 0 && date.day <= 24 && r.chance(8)) refund_pct[j] = r.between(10, 100);
    denominator += weight[j] * (100 - refund_pct[j]);
  }
  i64 net = 0;
  for (int j = 0; j < count; ++j) {
    sales[j].amount_fen = net_fen * weight[j] * 100 / denominator;
    net += sales[j].amount_fen - sales[j].amount_fen * refund_pct[j] / 100;
  }
  sales[0].amount_fen += net_fen - net;
  for (int j = 0; j < count; ++j) {
    sales[j].id = event_id(r);
    out.push_back(sales[j]);
    if (refund_pct[j] == 0) continue;
    af::civil_date date = af::local_date(sales[j].at, tz_minutes);
    i64 days_later = r.between(1, af::days_in_month(date.year, date.month) - date.day);
    out.push_back({sales[j].at + days_later * 86400 + r.below(120) * 60, kind::refund, m,
                   sales[j].brand, 0, sales[j].amount_fen * refund_pct[j] / 100, false, event_id(r),
                   sales[j].id});
  }
}

// An inquiry count in [lo, hi] (tried from `start` on) and a converted count
// whose rate lands in `band` (0..4, the conversion points minus one).
std::pair<i64, i64> plan_conversion(prng& r, i64 lo, i64 hi, i64 start, int band) {
  for (i64 k = 0; k <= hi - lo; ++k) {
    i64 n = lo + (start - lo + k) % (hi - lo + 1);
    std::vector<i64> fits;
    for (i64 c = 0; c <= std::min(n, n / 1000 + 4); ++c)
      if (c50::conversion_points(n, c) == band + 1) fits.push_back(c);
    if (!fits.empty()) return {n, fits[r.below(static_cast<i64>(fits.size()))]};
  }
  return {start, band >= 2 ? std::min(start, start / 1000 + 1) : 0};
}

std::pair<i64, i64> add_inquiries(prng& r, int m, af::period quarter, i64 per_quarter, int band,
                                  std::vector<event>& out) {
  i64 lo = per_quarter / 2, hi = lo + per_quarter;
  auto [n, converted] = plan_conversion(r, lo, hi, r.between(lo, hi), band);
  i64 first_day = af::days_from_civil(quarter.first_day());
  i64 span = af::days_from_civil(quarter.last_day()) - first_day + 1;
  for (i64 j = 0; j < n; ++j) {
    i64 at = local_instant(first_day + r.below(span), 8 * 3600 + r.below(13 * 60) * 60);
    out.push_back({at, kind::inquiry, m, 0, static_cast<int>(m * 1000 + r.below(1000)), 0,
                   j < converted, event_id(r), ""});
  }
  return {n, converted};
}

// The 2025 net-sales band and the 2026-Q3 conversion band both run through
// 0..4, the second shifted by one every five managers so that the pairs vary.
// Manager 0 tops both; the last manager has no inquiries in 2026-Q3.
sales_figures add_manager_events(const options& o, int m, std::vector<event>& out) {
  prng r(o.seed, 1000 + static_cast<std::uint64_t>(m));
  int sales_band = (m + 4) % 5, conversion_band = (m + m / 5 + 4) % 5;
  sales_figures f;
  f.net_2025_fen = net_2025_target(r, m, sales_band);
  int count = static_cast<int>(r.between(24, 60));
  add_sales(r, m, {2025, 1, 1}, {2025, 12, 31}, count, f.net_2025_fen, out);
  add_sales(r, m, {2026, 1, 1}, as_of, count * 3 / 4, f.net_2025_fen * r.between(55, 95) / 100,
            out);
  af::period scored = af::period::quarter_of(as_of);
  for (af::period q{af::period_kind::quarter, 2025, 1}; !(q == scored); q = q.next())
    add_inquiries(r, m, q, std::max<i64>(1, o.inquiries_per_quarter / history_share),
                  static_cast<int>(r.below(5)), out);
  if (m + 1 < o.managers)
    std::tie(f.q3_inquiries, f.q3_converted) =
        add_inquiries(r, m, scored, o.inquiries_per_quarter, conversion_band, out);
  return f;
}

std::string event_line(const event& e) {
  constexpr std::array<std::string_view, 3> types = {"sale", "refund", "inquiry"};
  auto head = fmt::format(R"({{"type":"{}","event_id":"{}","manager_id":"{}","occurred_at":"{}",)",
                          types[static_cast<int>(e.type)], e.id, manager_id(e.manager),
                          af::format_instant(e.at, tz_minutes));
  if (e.type == kind::sale)
    return head + fmt::format(R"("amount_fen":{},"brand":"{}","customer_id":"CU{:07d}"}})",
                              e.amount_fen, brands[e.brand], e.customer);
  if (e.type == kind::refund)
    return head + fmt::format(R"("amount_fen":{},"brand":"{}","refers_to":"{}"}})", e.amount_fen,
                              brands[e.brand], e.refers_to);
  return head +
         fmt::format(R"("customer_id":"CU{:07d}","converted":{}}})", e.customer, e.converted);
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
