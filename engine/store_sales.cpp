// store_sales.cpp: the store's monthly aggregates of the events (sales,
// refunds, inquiries; per brand; process activity) and the sales targets
// with their history (schemas/migrations/001_init.sql and
// 003_targets_and_activity.sql).
#include "base/checked.h"
#include "engine/store.h"

namespace af::engine {

void store::add_monthly(const std::string& manager_id, const std::string& month,
                        const sales_figures& d) {
  stmt(
      "INSERT INTO sales_monthly (manager_id, month, sales_fen, refunds_fen, inquiries, converted) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (manager_id, month) DO UPDATE SET "
      "sales_fen = sales_fen + ?3, refunds_fen = refunds_fen + ?4, inquiries = inquiries + ?5, "
      "converted = converted + ?6")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, d.sales_fen)
      .bind(4, d.refunds_fen)
      .bind(5, d.inquiries)
      .bind(6, d.converted)
      .run();
}

sales_figures store::monthly_sum(const std::string& manager_id, const std::string& from_month,
                                 const std::string& to_month) {
  // Summed here, not by SQLite's sum(), which fails the statement on an
  // overflow (a store error that would fail the whole group).
  auto& s = stmt(
      "SELECT sales_fen, refunds_fen, inquiries, converted FROM sales_monthly "
      "WHERE manager_id = ?1 AND month BETWEEN ?2 AND ?3");
  s.bind(1, manager_id).bind(2, from_month).bind(3, to_month);
  std::string what = "the sales of " + manager_id + " from " + from_month + " to " + to_month;
  checked::sum sales(what), refunds(what), inquiries(what), converted(what);
  try {
    while (s.step()) {
      sales += s.int64(0);
      refunds += s.int64(1);
      inquiries += s.int64(2);
      converted += s.int64(3);
    }
  } catch (...) {
    s.reset();
    throw;
  }
  s.reset();
  return {sales.value(), refunds.value(), inquiries.value(), converted.value()};
}

void store::add_brand_monthly(const std::string& manager_id, const std::string& month,
                              const std::string& brand, std::int64_t sales_fen,
                              std::int64_t refunds_fen) {
  stmt(
      "INSERT INTO brand_monthly (manager_id, month, brand, sales_fen, refunds_fen) VALUES (?1, "
      "?2, ?3, ?4, ?5) "
      "ON CONFLICT (manager_id, month, brand) DO UPDATE SET sales_fen = sales_fen + ?4, "
      "refunds_fen = refunds_fen + ?5")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, brand)
      .bind(4, sales_fen)
      .bind(5, refunds_fen)
      .run();
}

void store::add_activity(const std::string& manager_id, const std::string& month,
                         std::int64_t outlets, std::int64_t display_checked,
                         std::int64_t banquets) {
  stmt(
      "INSERT INTO activity_monthly (manager_id, month, outlets_opened, display_checked, banquets) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (manager_id, month) DO UPDATE SET "
      "outlets_opened = outlets_opened + ?3, display_checked = display_checked + ?4, banquets = "
      "banquets + ?5")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, outlets)
      .bind(4, display_checked)
      .bind(5, banquets)
      .run();
}

store::activity_row store::activity(const std::string& manager_id, const std::string& month) {
  auto& s = stmt(
      "SELECT outlets_opened, display_checked, banquets FROM activity_monthly WHERE manager_id = "
      "?1 AND month = ?2");
  s.bind(1, manager_id).bind(2, month);
  activity_row a;
  if (s.step()) a = {s.int64(0), s.int64(1), s.int64(2)};
  s.reset();
  return a;
}

store::target_change store::apply_target(const std::string& manager_id, const std::string& month,
                                         const std::string& brand, std::int64_t target_fen,
                                         std::int64_t occurred_at, const std::string& event_id) {
  target_change change;
  auto& q = stmt(
      "SELECT target_fen, occurred_at FROM targets WHERE manager_id = ?1 AND month = ?2 AND brand "
      "= ?3");
  q.bind(1, manager_id).bind(2, month).bind(3, brand);
  std::optional<std::int64_t> current_at;
  if (q.step()) {
    change.replaced = q.int64(0);
    current_at = q.int64(1);
  }
  q.reset();
  change.applied = !current_at || occurred_at >= *current_at;
  if (!change.applied) change.replaced.reset();
  if (change.applied)
    stmt(
        "INSERT INTO targets (manager_id, month, brand, target_fen, occurred_at, event_id) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (manager_id, month, brand) DO UPDATE SET target_fen = ?4, occurred_at = ?5, "
        "event_id = ?6")
        .bind(1, manager_id)
        .bind(2, month)
        .bind(3, brand)
        .bind(4, target_fen)
        .bind(5, occurred_at)
        .bind(6, event_id)
        .run();
  stmt(
      "INSERT INTO target_history (manager_id, month, brand, target_fen, occurred_at, event_id, "
      "replaced, applied) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, brand)
      .bind(4, target_fen)
      .bind(5, occurred_at)
      .bind(6, event_id)
      .bind(7, change.replaced)
      .bind(8, change.applied ? 1 : 0)
      .run();
  return change;
}

std::vector<store::brand_month> store::brand_months(const std::string& manager_id,
                                                    const std::string& month) {
  auto& s = stmt(
      "SELECT brand, sum(target_fen), sum(sales_fen), sum(refunds_fen) FROM ("
      " SELECT brand, target_fen, 0 AS sales_fen, 0 AS refunds_fen FROM targets WHERE manager_id = "
      "?1 AND month = ?2"
      " UNION ALL SELECT brand, 0, sales_fen, refunds_fen FROM brand_monthly WHERE manager_id = ?1 "
      "AND month = ?2)"
      " GROUP BY brand ORDER BY brand");
  s.bind(1, manager_id).bind(2, month);
  std::vector<brand_month> out;
  while (s.step()) out.push_back({s.text(0), s.int64(1), s.int64(2), s.int64(3)});
  return out;
}

std::vector<store::target_history_row> store::target_history(const std::string& manager_id) {
  auto& s = stmt(
      "SELECT month, brand, event_id, target_fen, occurred_at, replaced, applied FROM "
      "target_history "
      "WHERE manager_id = ?1 ORDER BY id");
  s.bind(1, manager_id);
  std::vector<target_history_row> out;
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.int64(3), s.int64(4), s.opt_int64(5),
                   s.integer(6) != 0});
  return out;
}

}  // namespace af::engine
