// ingest.h: the external event path. Validates each event, drops repeats
// of (source, event_id) (the source is the publishing principal), appends accepted events and their
// monthly aggregates to the store, and builds the JSON reply of each message.
//
// Contract: handle() is called inside a group transaction opened by the
// caller on the store's unit_of_work (so many messages share one commit:
// group commit), outside any savepoint. Each message is its own savepoint:
// all its accepted events land or none do. The caller calls flush() before
// the commit, sends the replies only after it, then calls committed(); a
// rollback of the group undoes what this transaction added in memory (an
// undo registered with the unit of work calls rolled_back()).
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/fingerprint_set.h"
#include "engine/sale_ledger.h"
#include "engine/store.h"

namespace af::engine {

struct ingest_counts {
  std::int64_t messages = 0, accepted = 0, duplicate = 0, rejected = 0;
  std::int64_t commits = 0;  // messages / commits is the group-commit factor
  // Events per type (the last row: a type that is missing or unknown) and
  // outcome (accepted, duplicate, rejected), for the metrics.
  static constexpr std::size_t unknown_type = 9;
  enum outcome { accepted_events, duplicate_events, rejected_events };
  std::array<std::array<std::int64_t, 3>, unknown_type + 1> by_type{};

  void count(std::size_t type, outcome o, std::int64_t n = 1) {
    by_type[type][o] += n;
    (o == accepted_events ? accepted : o == duplicate_events ? duplicate : rejected) += n;
  }
  void add(const ingest_counts& o) {
    messages += o.messages;
    accepted += o.accepted;
    duplicate += o.duplicate;
    rejected += o.rejected;
    for (std::size_t t = 0; t < by_type.size(); ++t)
      for (std::size_t k = 0; k < 3; ++k) by_type[t][k] += o.by_type[t][k];
  }
};

class ingest {
 public:
  // Throws std::runtime_error when the JSON parser cannot be allocated.
  ingest(store& db, int tz_offset_minutes, std::size_t max_message_bytes);

  // Loads every stored fingerprint, the stored sales and refunds of the
  // refund ledger and the known employee ids (call once, at start). Throws
  // sqlite_error on a storage fault.
  void load();
  // Whether `id` was new (an org.import adding it undoes that on rollback).
  bool add_employee(const std::string& id) { return employees_.insert(id).second; }
  void remove_employee(const std::string& id) { employees_.erase(id); }

  // Handles one message published by principal `source`; returns its
  // reply (a JSON array). A wrong, repeated or over-refunding event is a
  // result in the reply, never an error; a message too large or not JSON
  // gets one rejected result. A store fault inside the message rolls its
  // savepoint back and every event of it is rejected, saying so. Throws
  // transaction_lost (a sqlite_error) only when the whole group is gone.
  std::string handle(std::string_view message, std::int64_t now_unix,
                     const std::string& source = "feed");
  // Writes this transaction's aggregates; call once before the commit.
  // Throws sqlite_error on a storage fault (the caller fails the group).
  void flush();
  // The group committed: its counts and monthly totals become the
  // committed ones.
  void committed();
  // The group rolled back (the undo handle() registered calls it): what it
  // added in memory, fingerprints and ledger entries, is undone.
  void rolled_back();

  [[nodiscard]] const ingest_counts& counts() const { return counts_; }
  [[nodiscard]] std::size_t fingerprints() const { return seen_.size(); }
  // Sales whose stored refunds exceed them: an older engine accepted those; counted at load.
  [[nodiscard]] std::int64_t over_refunded_sales() const { return over_refunded_; }

  // The dedup key of an event id from `source`. Source `feed`, which owns
  // every event stored before sources existed, hashes the id alone, so
  // those fingerprints stay what they were.
  static fingerprint fingerprint_of(std::string_view source, std::string_view event_id);
  static std::uint32_t owner_hash(std::string_view text);

 private:
  // Whether `id` is a known employee, without building a std::string.
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using id_set = std::unordered_set<std::string, string_hash, std::equal_to<>>;
  // This transaction's aggregate deltas, keyed by manager and yyyymm.
  using activity = store::activity_counts;
  // Hashed, not ordered: a batch of 1,000 events looks these up 1,000
  // times; flush() sorts the few hundred keys once, for B-tree order.
  struct key_hash {
    std::size_t operator()(const std::pair<std::string, int>& k) const {
      return std::hash<std::string>{}(k.first) * 31 + static_cast<std::size_t>(k.second);
    }
    std::size_t operator()(const std::tuple<std::string, int, std::string>& k) const {
      return (std::hash<std::string>{}(std::get<0>(k)) * 31 +
              static_cast<std::size_t>(std::get<1>(k))) *
                 31 +
             std::hash<std::string>{}(std::get<2>(k));
    }
  };
  using month_key = std::pair<std::string, int>;                // manager, yyyymm
  using brand_key = std::tuple<std::string, int, std::string>;  // manager, yyyymm, brand
  struct deltas {
    std::unordered_map<month_key, sales_figures, key_hash> monthly;
    std::unordered_map<brand_key, std::pair<std::int64_t, std::int64_t>, key_hash>
        brand;  // sales, refunds
    std::unordered_map<month_key, activity, key_hash> activity_monthly;
    // Stores with a passed display check (manager, yyyymm, store) ->
    // township; the first one named is kept.
    std::unordered_map<brand_key, std::string, key_hash> display_stores;
    // Banquets (manager, yyyymm, "origin/product") -> counts.
    std::unordered_map<brand_key, store::banquet_month, key_hash> banquets;
    // Customers who bought (manager, yyyymm, customer).
    std::unordered_set<brand_key, key_hash> customer_months;
    void merge(const deltas& o);
  };
  // Checks a refund against the sales seen so far: the error, or empty.
  std::string refund_error(const stored_event& ev) const;
  // Whether a sale or refund still fits its manager's monthly total
  // (stored, this transaction's and this message's `mine`): the error, or empty.
  std::string total_error(const stored_event& ev, const deltas& mine);
  int month_of(const stored_event& ev) const;
  void count(const stored_event& ev, deltas& d) const;

  std::string handle_events(simdjson::dom::element root, std::int64_t now_unix,
                            const std::string& source);

  store& db_;
  int tz_offset_minutes_;
  std::size_t max_message_bytes_;
  simdjson::dom::parser parser_;
  fingerprint_set seen_;  // every event id, committed and this transaction's
  sale_ledger sales_;     // every sale: what a refund of it is checked against
  std::int64_t over_refunded_ =
      0;          // sales stored with more refunded than sold (before partial refunds were checked)
  struct added {  // what one message added, undone if it is rolled back
    std::vector<fingerprint> seen, sales;
    std::vector<std::pair<fingerprint, std::int64_t>> refunded;  // sale, amount
  };
  void undo(const added& a);
  // What one message adds, apart from the transaction's until its
  // savepoint is released.
  static std::size_t type_index(simdjson::dom::element event);
  struct message_work {
    std::string reply = "[";  // its results so far
    deltas d;
    added mine;
    ingest_counts counts;
  };
  // One event of the message: validated, dropped as a repeat, checked
  // against the refund ledger and the monthly totals, then stored; its
  // result is appended to m.reply. Throws what the store throws.
  void handle_event(simdjson::dom::element element, std::int64_t now_unix,
                    const std::string& source, message_work& m);
  // A refund's error against its sale, else a sale's or refund's against
  // the monthly total (total_error); empty when the amount fits.
  std::string amount_error(const stored_event& ev, const deltas& mine);
  // Stores an accepted event (fingerprint `fp`) and records it in the
  // ledgers; what it adds in memory goes into `mine`.
  void apply_event(stored_event& ev, fingerprint fp, std::int64_t now_unix, added& mine);
  added pending_;                 // this transaction's, undone on rollback
  bool undo_registered_ = false;  // this transaction's rollback calls rolled_back()
  deltas pending_deltas_;
  // Committed monthly sales and refunds of each manager and month met so
  // far, read from the store the first time; sums are checked against them.
  std::unordered_map<month_key, std::pair<std::int64_t, std::int64_t>, key_hash> month_totals_;
  std::unordered_map<month_key, sales_figures, key_hash>
      flushed_;  // written by flush(), counted at committed()
  id_set employees_;
  ingest_counts counts_, pending_counts_;
};

// Appends `s` to `out` as a JSON string literal.
void append_json_string(std::string& out, std::string_view s);

}  // namespace af::engine
