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
                         const activity_counts& d) {
  stmt(
      "INSERT INTO activity_monthly (manager_id, month, outlets_opened, outlets_county, "
      "outlets_township, display_checked, banquets, complaints, found_display_count, "
      "found_not_restocked, found_labels_missing, found_policy_unknown) VALUES (?1, ?2, ?3, ?4, "
      "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (manager_id, month) DO UPDATE SET "
      "outlets_opened = outlets_opened + ?3, outlets_county = outlets_county + ?4, "
      "outlets_township = outlets_township + ?5, display_checked = display_checked + ?6, "
      "banquets = banquets + ?7, complaints = complaints + ?8, found_display_count = "
      "found_display_count + ?9, found_not_restocked = found_not_restocked + ?10, "
      "found_labels_missing = found_labels_missing + ?11, found_policy_unknown = "
      "found_policy_unknown + ?12")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, d.outlets)
      .bind(4, d.outlets_county)
      .bind(5, d.outlets_township)
      .bind(6, d.display_checked)
      .bind(7, d.banquets)
      .bind(8, d.complaints)
      .bind(9, d.found[0])
      .bind(10, d.found[1])
      .bind(11, d.found[2])
      .bind(12, d.found[3])
      .run();
}

store::activity_counts store::activity(const std::string& manager_id, const std::string& month) {
  auto& s = stmt(
      "SELECT outlets_opened, outlets_county, outlets_township, display_checked, banquets, "
      "complaints, found_display_count, found_not_restocked, found_labels_missing, "
      "found_policy_unknown FROM activity_monthly WHERE manager_id = ?1 AND month = ?2");
  s.bind(1, manager_id).bind(2, month);
  activity_counts a;
  if (s.step())
    a = {s.int64(0),
         s.int64(1),
         s.int64(2),
         s.int64(3),
         s.int64(4),
         s.int64(5),
         {s.int64(6), s.int64(7), s.int64(8), s.int64(9)}};
  s.reset();
  return a;
}

void store::add_display_store(const std::string& manager_id, const std::string& month,
                              const std::string& store_id, const std::string& township) {
  stmt(
      "INSERT OR IGNORE INTO display_stores_monthly (manager_id, month, store_id, township) "
      "VALUES (?1, ?2, ?3, ?4)")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, store_id)
      .bind(4, township)
      .run();
}

store::display_month store::display_stores(const std::string& manager_id,
                                           const std::string& month) {
  auto& s = stmt(
      "SELECT township, count(*) FROM display_stores_monthly WHERE manager_id = ?1 AND month = ?2 "
      "GROUP BY township");
  s.bind(1, manager_id).bind(2, month);
  display_month out;
  while (s.step()) {
    out.stores += s.int64(1);
    if (!s.text(0).empty()) out.by_township[s.text(0)] = s.int64(1);
  }
  return out;
}

void store::add_banquets(const std::string& manager_id, const std::string& month,
                         const banquet_month& d) {
  stmt(
      "INSERT INTO banquets_monthly (manager_id, month, origin, product, events, cases, bottles) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (manager_id, month, origin, product) DO "
      "UPDATE SET events = events + ?5, cases = cases + ?6, bottles = bottles + ?7")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, d.origin)
      .bind(4, d.product)
      .bind(5, d.events)
      .bind(6, d.cases)
      .bind(7, d.bottles)
      .run();
}

std::vector<store::banquet_month> store::banquets(const std::string& manager_id,
                                                  const std::string& month) {
  auto& s = stmt(
      "SELECT origin, product, events, cases, bottles FROM banquets_monthly WHERE manager_id = ?1 "
      "AND month = ?2 ORDER BY origin, product");
  s.bind(1, manager_id).bind(2, month);
  std::vector<banquet_month> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.int64(2), s.int64(3), s.int64(4)});
  return out;
}

void store::add_customer_month(const std::string& manager_id, const std::string& customer_id,
                               const std::string& month) {
  stmt(
      "INSERT OR IGNORE INTO customer_months (manager_id, customer_id, month) VALUES (?1, ?2, "
      "?3)")
      .bind(1, manager_id)
      .bind(2, customer_id)
      .bind(3, month)
      .run();
}

store::customer_counts store::customers(const std::string& manager_id,
                                        const std::string& from_month,
                                        const std::string& to_month) {
  // Per customer of the manager: the first month, and whether one falls in the range.
  auto& s = stmt(
      "SELECT count(*), coalesce(sum(first >= ?2), 0), coalesce(sum(first < ?2), 0) FROM (SELECT "
      "min(month) AS first, max(month BETWEEN ?2 AND ?3) AS bought FROM customer_months WHERE "
      "manager_id = ?1 AND month <= ?3 GROUP BY customer_id) WHERE bought");
  s.bind(1, manager_id).bind(2, from_month).bind(3, to_month);
  customer_counts out;
  if (s.step()) out = {s.int64(0), s.int64(1), s.int64(2)};
  s.reset();
  return out;
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
