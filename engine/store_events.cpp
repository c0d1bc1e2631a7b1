// store_events.cpp: the store's external events as ingest accepted them,
// and what ingest reloads from them at start: dedup fingerprints, and the
// sales and refunds of its refund ledger (the events table of
// schemas/migrations/001_init.sql and 007).
#include "engine/store.h"

namespace af::engine {

void store::insert_event(const stored_event& e, std::int64_t received_at) {
  stmt(
      "INSERT INTO events (event_id, fp_hi, fp_lo, type, manager_id, occurred_at, amount_fen, "
      "brand, "
      "customer_id, refers_to, converted, store_id, period, target_fen, received_at, source, area, "
      "store_type, passed, township, origin, product, cases, bottles, tables, finding) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)")
      .bind(1, e.event_id)
      .bind(2, static_cast<std::int64_t>(e.fp_hi))
      .bind(3, static_cast<std::int64_t>(e.fp_lo))
      .bind(4, event_type_name(e.type))
      .bind(5, e.manager_id)
      .bind(6, e.occurred_at)
      .bind(7, e.amount_fen)
      .bind(8, e.brand)
      .bind(9, e.customer_id)
      .bind(10, e.refers_to)
      .bind(11, e.converted)
      .bind(12, e.store_id)
      .bind(13, e.period)
      .bind(14, e.target_fen)
      .bind(15, received_at)
      .bind(16, e.source)
      .bind(17, e.area)
      .bind(18, e.store_type)
      .bind(19, e.passed)
      .bind(20, e.township)
      .bind(21, e.origin)
      .bind(22, e.product)
      .bind(23, e.cases)
      .bind(24, e.bottles)
      .bind(25, e.tables)
      .bind(26, e.finding)
      .run();
}

void store::for_each_fingerprint(const std::function<void(std::uint64_t, std::uint64_t)>& f) {
  auto& s = stmt("SELECT fp_hi, fp_lo FROM events");
  while (s.step())
    f(static_cast<std::uint64_t>(s.int64(0)), static_cast<std::uint64_t>(s.int64(1)));
}

void store::for_each_sale(const std::function<void(const stored_sale&)>& f) {
  auto& s =
      stmt("SELECT fp_hi, fp_lo, manager_id, brand, amount_fen FROM events WHERE type = 'sale'");
  while (s.step())
    f({static_cast<std::uint64_t>(s.int64(0)), static_cast<std::uint64_t>(s.int64(1)), s.text(2),
       s.opt_text(3).value_or(""), s.int64(4)});
}

void store::for_each_refund(
    const std::function<void(const std::string&, const std::string&, std::int64_t)>& f) {
  auto& s = stmt("SELECT source, refers_to, amount_fen FROM events WHERE type = 'refund'");
  while (s.step()) f(s.text(0), s.text(1), s.int64(2));
}

std::int64_t store::event_count() {
  auto& s = stmt("SELECT count(*) FROM events");
  s.step();
  auto n = s.int64(0);
  s.reset();
  return n;
}

}  // namespace af::engine
