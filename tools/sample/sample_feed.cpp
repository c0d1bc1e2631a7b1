#include "tools/sample/sample_feed.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <utility>

namespace af::sample {
namespace {

// Quarters before 2026-Q3 get 1/history_share of the inquiry rate: at the full
// rate the seven quarters would make a ~150 MB feed; the scored quarter keeps it.
constexpr i64 history_share = 10;

// 2025 net sales per band of program 1, in CNY (band 3 reaches 2,000,000 inclusive).
constexpr std::array<i64, 5> band_low = {200'000, 520'000, 1'020'000, 1'520'000, 2'050'000};
constexpr std::array<i64, 5> band_high = {480'000, 980'000, 1'480'000, 1'980'000, 3'200'000};

std::string event_id(prng& r) {
  std::uint64_t hi = (r.bits() & ~0xF000ULL) | 0x4000ULL;        // version 4
  std::uint64_t lo = (r.bits() & ~(3ULL << 62)) | (2ULL << 62);  // RFC 4122 variant
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

i64 local_instant(i64 day, i64 seconds_of_day) {
  return day * 86400 + seconds_of_day - tz_minutes * 60;
}

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

}  // namespace

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

}  // namespace af::sample
