#include "engine/ingest.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "base/checked.h"
#include "base/civil_time.h"
#include "engine/event_validation.h"
#include "messages/json_text.h"
#include "workers/domain/commission.h"

namespace af::engine {
namespace {

void append_result(std::string& out, const std::string& event_id, std::string_view status_word,
                   std::string_view error = {}) {
  if (out.size() > 1) out += ',';
  out += "{\"event_id\":";
  if (event_id.empty())
    out += "null";
  else
    append_json_string(out, event_id);
  out += ",\"status\":\"";
  out += status_word;
  out += '"';
  if (!error.empty()) {
    out += ",\"error\":";
    append_json_string(out, error);
  }
  out += '}';
}

std::string month_text(int yyyymm) {
  char month[16];
  std::snprintf(month, sizeof month, "%04d-%02d", yyyymm / 100, yyyymm % 100);
  return month;
}

std::string single_rejection(std::string_view error) {
  std::string out = "[";
  append_result(out, "", "rejected", error);
  return out + "]";
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  out += '"';
}

ingest::ingest(store& db, int tz, std::size_t max_bytes)
    : db_(db), tz_offset_minutes_(tz), max_message_bytes_(max_bytes) {
  // An event is an object in an array at most: 64 levels is far beyond any
  // real event, and the parser refuses deeper documents itself.
  if (auto err = parser_.allocate(std::min<std::size_t>(max_bytes, 1u << 20), msg::max_json_depth))
    throw std::runtime_error(std::string("cannot allocate the ingest parser: ") +
                             simdjson::error_message(err));
}

std::uint32_t ingest::owner_hash(std::string_view text) {
  return static_cast<std::uint32_t>(XXH3_64bits(text.data(), text.size()));
}

fingerprint ingest::fingerprint_of(std::string_view source, std::string_view id) {
  if (source == "feed") {
    XXH128_hash_t h = XXH3_128bits(id.data(), id.size());
    return {h.high64, h.low64};
  }
  // source, a NUL (never in a principal name), the id.
  thread_local std::string key;
  key.assign(source);
  key.push_back('\0');
  key.append(id);
  XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  return {h.high64, h.low64};
}

void ingest::load() {
  seen_.reserve(static_cast<std::size_t>(db_.event_count()) + 1024);
  db_.for_each_fingerprint([this](std::uint64_t hi, std::uint64_t lo) { seen_.insert({hi, lo}); });
  db_.for_each_sale([this](const stored_sale& s) {
    sales_.insert({s.fp_hi, s.fp_lo},
                  {s.amount_fen, owner_hash(s.manager_id), owner_hash(s.brand)});
  });
  db_.for_each_refund(
      [this](const std::string& source, const std::string& refers_to, std::int64_t amount) {
        fingerprint sale = fingerprint_of(source, refers_to);
        if (sales_.find(sale)) sales_.add_refund(sale, amount);
      });
  over_refunded_ = sales_.over_refunded();
  db_.for_each_employee_id([this](const std::string& id) { employees_.insert(id); });
}

static_assert(static_cast<std::size_t>(event_type::complaint) + 1 == ingest_counts::unknown_type,
              "ingest_counts::by_type has a row per event type and one for unknown types");

// The row of ingest_counts::by_type for an event's "type" (unknown_type
// when it is missing or not a type of DESIGN.md).
std::size_t ingest::type_index(simdjson::dom::element event) {
  std::string_view name;
  if (event["type"].get(name)) return ingest_counts::unknown_type;
  auto t = parse_event_type(name);
  return t ? static_cast<std::size_t>(*t) : ingest_counts::unknown_type;
}

std::string ingest::handle(std::string_view message, std::int64_t now, const std::string& source) {
  ++pending_counts_.messages;
  if (message.size() > max_message_bytes_) {
    pending_counts_.count(ingest_counts::unknown_type, ingest_counts::rejected_events);
    return single_rejection("message of " + std::to_string(message.size()) +
                            " bytes exceeds the limit of " + std::to_string(max_message_bytes_) +
                            " bytes");
  }
  simdjson::dom::element root;
  if (auto err = parser_.parse(message.data(), message.size()).get(root)) {
    pending_counts_.count(ingest_counts::unknown_type, ingest_counts::rejected_events);
    std::string why = std::string("message is not valid JSON: ") + simdjson::error_message(err);
    if (err == simdjson::UTF8_ERROR)
      if (auto fault = msg::json_fault_of(message)) why = msg::describe(*fault, "message", why);
    return single_rejection(why);
  }
  return handle_events(root, now, source);
}

std::string ingest::handle_events(simdjson::dom::element root, std::int64_t now,
                                  const std::string& source) {
  std::vector<simdjson::dom::element> events;
  simdjson::dom::array arr;
  if (!root.get(arr)) {
    for (auto e : arr) events.push_back(e);
  } else {
    events.push_back(root);
  }
  message_work m;
  auto& work = db_.work();
  if (!undo_registered_) {
    work.on_rollback([this] { rolled_back(); });
    undo_registered_ = true;
  }
  work.savepoint();
  try {
    for (auto element : events) handle_event(element, now, source, m);
    work.release();
  } catch (const std::exception& e) {  // the store, or a bug: this message alone is not applied
    undo(m.mine);
    work.rollback_to();  // throws transaction_lost when the whole group is gone
    for (auto element : events)
      pending_counts_.count(type_index(element), ingest_counts::rejected_events);
    const auto* store = dynamic_cast<const sqlite_error*>(&e);
    std::string why =
        store && (store->code & 0xff) == SQLITE_FULL
            ? std::string("not applied: the disk is full; retry once space is freed")
            : std::string(store ? "store error" : "error") + ", nothing applied: " + e.what();
    std::string failed = "[";
    for (std::size_t i = 0; i < events.size(); ++i) append_result(failed, "", "rejected", why);
    return failed + "]";
  }
  pending_.seen.insert(pending_.seen.end(), m.mine.seen.begin(), m.mine.seen.end());
  pending_.sales.insert(pending_.sales.end(), m.mine.sales.begin(), m.mine.sales.end());
  pending_.refunded.insert(pending_.refunded.end(), m.mine.refunded.begin(), m.mine.refunded.end());
  pending_deltas_.merge(m.d);
  pending_counts_.add(m.counts);
  return m.reply + "]";
}

void ingest::handle_event(simdjson::dom::element element, std::int64_t now,
                          const std::string& source, message_work& m) {
  auto known = [this](std::string_view id) { return employees_.find(id) != employees_.end(); };
  stored_event ev;
  std::string id;
  if (status s = validate_event(element, known, ev, id); !s) {
    append_result(m.reply, id, "rejected", s.message());
    m.counts.count(type_index(element), ingest_counts::rejected_events);
    return;
  }
  auto type = static_cast<std::size_t>(ev.type);
  ev.source = source;
  fingerprint fp = fingerprint_of(source, ev.event_id);
  if (!seen_.insert(fp)) {  // one probe finds a repeat and claims a new id
    append_result(m.reply, id, "duplicate");
    m.counts.count(type, ingest_counts::duplicate_events);
    return;
  }
  m.mine.seen.push_back(fp);
  if (std::string why = amount_error(ev, m.d); !why.empty()) {
    seen_.erase(fp);
    m.mine.seen.pop_back();
    append_result(m.reply, id, "rejected", why);
    m.counts.count(type, ingest_counts::rejected_events);
    return;
  }
  apply_event(ev, fp, now, m.mine);
  count(ev, m.d);
  append_result(m.reply, id, "accepted");
  m.counts.count(type, ingest_counts::accepted_events);
}

std::string ingest::amount_error(const stored_event& ev, const deltas& mine) {
  if (ev.type == event_type::refund)
    if (std::string why = refund_error(ev); !why.empty()) return why;
  if (ev.type == event_type::sale || ev.type == event_type::refund) return total_error(ev, mine);
  return {};
}

void ingest::apply_event(stored_event& ev, fingerprint fp, std::int64_t now, added& mine) {
  if (ev.type == event_type::refund) {
    fingerprint sale = fingerprint_of(ev.source, *ev.refers_to);
    sales_.add_refund(sale, *ev.amount_fen);
    mine.refunded.emplace_back(sale, *ev.amount_fen);
  }
  ev.fp_hi = fp.hi;
  ev.fp_lo = fp.lo;
  db_.insert_event(ev, now);
  if (ev.type == event_type::sale) {
    sales_.insert(fp, {*ev.amount_fen, owner_hash(ev.manager_id), owner_hash(*ev.brand)});
    mine.sales.push_back(fp);
  }
  if (ev.type == event_type::target_set) {
    auto p = period::parse(*ev.period);
    db_.apply_target(ev.manager_id, p->to_string(), *ev.brand, *ev.target_fen, ev.occurred_at,
                     ev.event_id);
  }
}

std::string ingest::refund_error(const stored_event& ev) const {
  fingerprint fp = fingerprint_of(ev.source, *ev.refers_to);
  const sale_ledger::sale* sale = sales_.find(fp);
  if (!sale) return "refers_to: no sale \"" + *ev.refers_to + "\" is known";
  if (sale->manager != owner_hash(ev.manager_id))
    return "refers_to: sale \"" + *ev.refers_to + "\" is not a sale of manager " + ev.manager_id;
  if (sale->brand != owner_hash(*ev.brand))
    return "refers_to: sale \"" + *ev.refers_to + "\" is not a sale of brand " + *ev.brand;
  // Amounts are at most 10^12 fen (event_validation.h): no sum here can overflow.
  std::int64_t refunded = sales_.refunded(fp);
  std::int64_t left = std::max<std::int64_t>(0, sale->amount - refunded);
  if (*ev.amount_fen > left)
    return "amount_fen: sale \"" + *ev.refers_to + "\" has " + std::to_string(left) +
           " fen left to refund (" + std::to_string(sale->amount) + " sold, " +
           std::to_string(refunded) + " refunded), not " + std::to_string(*ev.amount_fen);
  return {};
}

int ingest::month_of(const stored_event& ev) const {
  civil_date day = local_date(ev.occurred_at, tz_offset_minutes_);
  return day.year * 100 + day.month;
}

std::string ingest::total_error(const stored_event& ev, const deltas& mine) {
  month_key key{ev.manager_id, month_of(ev)};
  auto it = month_totals_.find(key);
  if (it == month_totals_.end()) {
    std::string month = month_text(key.second);
    sales_figures f = db_.monthly_sum(key.first, month, month);
    it = month_totals_.emplace(key, std::make_pair(f.sales_fen, f.refunds_fen)).first;
  }
  bool sale = ev.type == event_type::sale;
  std::optional<std::int64_t> total = sale ? it->second.first : it->second.second;
  for (const deltas* d : {static_cast<const deltas*>(&pending_deltas_), &mine})
    if (auto m = d->monthly.find(key); m != d->monthly.end() && total)
      total = checked::add(*total, sale ? m->second.sales_fen : m->second.refunds_fen);
  if (total) total = checked::add(*total, *ev.amount_fen);
  if (total) return {};
  return "amount_fen: the " + std::string(sale ? "sales" : "refunds") + " of " + ev.manager_id +
         " in " + month_text(key.second) + " would exceed 9223372036854775807 fen; not applied";
}

void ingest::count(const stored_event& ev, deltas& d) const {
  month_key key{ev.manager_id, month_of(ev)};
  switch (ev.type) {
    case event_type::sale:
      d.monthly[key].sales_fen += *ev.amount_fen;
      d.brand[{key.first, key.second, *ev.brand}].first += *ev.amount_fen;
      d.customer_months.insert({key.first, key.second, *ev.customer_id});
      break;
    case event_type::refund:
      d.monthly[key].refunds_fen += *ev.amount_fen;
      d.brand[{key.first, key.second, *ev.brand}].second += *ev.amount_fen;
      break;
    case event_type::inquiry:
      d.monthly[key].inquiries += 1;
      d.monthly[key].converted += *ev.converted;
      break;
    case event_type::outlet_opened: {
      auto& a = d.activity_monthly[key];
      a.outlets += 1;
      if (ev.area == "county") a.outlets_county += 1;
      if (ev.area == "township") a.outlets_township += 1;
      break;
    }
    case event_type::display_store_checked:
      d.activity_monthly[key].display_checked += 1;
      if (ev.passed.value_or(1))
        d.display_stores.try_emplace({key.first, key.second, *ev.store_id},
                                     ev.township.value_or(""));
      break;
    case event_type::banquet_held: {
      d.activity_monthly[key].banquets += 1;
      std::string origin = ev.origin.value_or(""), product = ev.product.value_or("");
      auto& b = d.banquets[{key.first, key.second, origin + "/" + product}];
      b.origin = origin;
      b.product = product;
      b.events += 1;
      b.cases += ev.cases.value_or(0);
      b.bottles += ev.bottles.value_or(0);
      break;
    }
    case event_type::inspection_failed: {
      const auto& findings = commission::inspection_findings;
      auto at = std::find(std::begin(findings), std::end(findings), *ev.finding);
      d.activity_monthly[key].found[static_cast<std::size_t>(at - std::begin(findings))] += 1;
      break;
    }
    case event_type::complaint:
      d.activity_monthly[key].complaints += 1;
      break;
    case event_type::target_set:
      break;  // applied to the targets table by apply_event
  }
}

void ingest::deltas::merge(const deltas& o) {
  for (const auto& [k, v] : o.monthly) {
    auto& t = monthly[k];
    t.sales_fen += v.sales_fen;
    t.refunds_fen += v.refunds_fen;
    t.inquiries += v.inquiries;
    t.converted += v.converted;
  }
  for (const auto& [k, v] : o.brand) {
    brand[k].first += v.first;
    brand[k].second += v.second;
  }
  for (const auto& [k, v] : o.activity_monthly) {
    auto& t = activity_monthly[k];
    t.outlets += v.outlets;
    t.outlets_county += v.outlets_county;
    t.outlets_township += v.outlets_township;
    t.display_checked += v.display_checked;
    t.banquets += v.banquets;
    t.complaints += v.complaints;
    for (std::size_t i = 0; i < t.found.size(); ++i) t.found[i] += v.found[i];
  }
  for (const auto& [k, township] : o.display_stores) display_stores.try_emplace(k, township);
  customer_months.insert(o.customer_months.begin(), o.customer_months.end());
  for (const auto& [k, v] : o.banquets) {
    auto& t = banquets[k];
    t.origin = v.origin;
    t.product = v.product;
    t.events += v.events;
    t.cases += v.cases;
    t.bottles += v.bottles;
  }
}

void ingest::undo(const added& a) {
  for (const auto& fp : a.seen) seen_.erase(fp);
  for (auto it = a.refunded.rbegin(); it != a.refunded.rend(); ++it)
    sales_.add_refund(it->first, -it->second);
  for (const auto& fp : a.sales) sales_.erase(fp);
}

namespace {
// The entries of a hashed map in key order (the tables' primary-key order).
template <typename Map>
std::vector<const typename Map::value_type*> sorted(const Map& m) {
  std::vector<const typename Map::value_type*> out;
  out.reserve(m.size());
  for (const auto& e : m) out.push_back(&e);
  std::sort(out.begin(), out.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  return out;
}
}  // namespace

void ingest::flush() {
  for (const auto* e : sorted(pending_deltas_.monthly)) {
    const auto& [key, d] = *e;
    if (d.sales_fen || d.refunds_fen || d.inquiries)
      db_.add_monthly(key.first, month_text(key.second), d);
  }
  flushed_ = std::move(pending_deltas_.monthly);
  for (const auto* e : sorted(pending_deltas_.brand)) {
    const auto& [key, v] = *e;
    db_.add_brand_monthly(std::get<0>(key), month_text(std::get<1>(key)), std::get<2>(key), v.first,
                          v.second);
  }
  for (const auto* e : sorted(pending_deltas_.activity_monthly)) {
    const auto& [key, a] = *e;
    db_.add_activity(key.first, month_text(key.second), a);
  }
  for (const auto* e : sorted(pending_deltas_.display_stores)) {
    const auto& [key, township] = *e;
    db_.add_display_store(std::get<0>(key), month_text(std::get<1>(key)), std::get<2>(key),
                          township);
  }
  for (const auto* e : sorted(pending_deltas_.banquets)) {
    const auto& [key, b] = *e;
    db_.add_banquets(std::get<0>(key), month_text(std::get<1>(key)), b);
  }
  std::vector<const brand_key*> customers;
  customers.reserve(pending_deltas_.customer_months.size());
  for (const auto& k : pending_deltas_.customer_months) customers.push_back(&k);
  std::sort(customers.begin(), customers.end(),  // by manager, customer, month: the table's order
            [](const brand_key* a, const brand_key* b) {
              return std::tie(std::get<0>(*a), std::get<2>(*a), std::get<1>(*a)) <
                     std::tie(std::get<0>(*b), std::get<2>(*b), std::get<1>(*b));
            });
  for (const auto* k : customers)
    db_.add_customer_month(std::get<0>(*k), std::get<2>(*k), month_text(std::get<1>(*k)));
  pending_deltas_ = {};
}

void ingest::committed() {
  for (const auto& [key, d] : flushed_)  // a total not read yet is read with these in it
    if (auto it = month_totals_.find(key); it != month_totals_.end()) {
      it->second.first += d.sales_fen;  // checked when each event was accepted
      it->second.second += d.refunds_fen;
    }
  flushed_.clear();
  pending_ = {};
  undo_registered_ = false;
  ++counts_.commits;
  counts_.add(pending_counts_);
  pending_counts_ = {};
}

void ingest::rolled_back() {
  undo_registered_ = false;
  flushed_.clear();
  undo(pending_);
  pending_ = {};
  pending_deltas_ = {};
  pending_counts_ = {};
}

}  // namespace af::engine
