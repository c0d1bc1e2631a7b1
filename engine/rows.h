// rows.h: the rows the store reads and writes (engine/store.h), as the
// engine's types: an employee, a cycle, a case and its deadline, history,
// principals and audit, tasks, external events and their monthly sums.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/event_type.h"
#include "engine/role.h"

namespace af::engine {

struct employee_row {
  std::string id, name, unit;
  int grade = 4;
  std::string supervisor_id, hrbp_id, joined_on;
  std::set<role> roles;  // org roles (hr, chairman, admin); stored as "hr;admin"
  bool active = true;
  // How notifications reach them besides the file channel (engine/contacts.h); "" = none.
  std::string email, chat_id;
};

struct case_row {
  std::int64_t id = 0, cycle_id = 0;
  std::string program, period, employee_id, unit, supervisor_id, hrbp_id, as_of, state;
  std::optional<std::string> self_json, review_json, result_json;
  std::optional<std::int64_t> total, tier, adjusted_tier;
  std::optional<std::string> adjust_reason;
  std::string updated_at;
  std::optional<std::string> flags;          // JSON array set by the workflow
  std::optional<std::string> overdue_since;  // an escalated deadline passed in this state
  // The deadline of the state the case is in (Unix seconds).
  std::optional<std::int64_t> remind_at, due_at;
  int deadline_stage = 0;  // 0 armed, 1 reminded, 2 passed
  // The employee's grade when the case opened; none for a case opened
  // before migration 009.
  std::optional<int> grade;
};

struct cycle_row {
  std::int64_t id = 0;
  std::string program, period;
  std::optional<std::string> unit;
  std::string opened_at;
  std::optional<std::int64_t> due_at;          // Unix seconds: the run window's end
  std::optional<std::string> closed_check_at;  // when HR was told what was still open
};

// A case's deadline with something still to fire (engine/timers.h).
struct case_timer {
  std::int64_t case_id = 0;
  std::string state;
  std::optional<std::int64_t> remind_at;
  std::int64_t due_at = 0;
  bool reminded = false;
};

struct history_row {
  std::int64_t id = 0;
  std::string at, from_state, to_state, action, actor, reason;
  std::string principal;  // who sent it; empty for lines written before principals existed
};

// A key holder (migration 007); capabilities are ','-separated names.
struct principal_row {
  std::string name, kind;  // kind: person | service
  std::string employee_id, capabilities, public_key, created_at, created_by;
  std::optional<std::string> revoked_at;
  std::optional<std::string> token_hash;  // migration 014: SHA-256 of its bearer token, if any
};

// One refused request.
struct audit_row {
  std::int64_t id = 0, at = 0;  // at: Unix seconds
  std::string principal, endpoint, command, reason;
};

struct case_filter {
  std::optional<std::int64_t> cycle_id;
  std::optional<std::string> state, unit, program, period;
  std::optional<std::string> party_id;  // cases where this id is supervisor or hrbp
  // Cases an employee may see as a party: their own, those they supervise
  // or are HRBP of, and those they were named a rater (peer) of.
  std::optional<std::string> visible_to;
  std::optional<std::int64_t> after_id;  // only ids above this one (paging)
  std::optional<std::int64_t> limit;     // at most this many
};

struct task_row {
  std::int64_t id = 0;
  std::string kind;
  std::int64_t case_id = 0;
  int attempts = 0;
  std::string payload;
  std::uint16_t version = 1;  // of the payload's layout
};

// Sums over whole months (company zone), fen and counts.
struct sales_figures {
  std::int64_t sales_fen = 0, refunds_fen = 0, inquiries = 0, converted = 0;
  [[nodiscard]] std::int64_t net_fen() const { return sales_fen - refunds_fen; }
};

struct stored_event {
  std::string event_id;
  std::string source = "feed";  // the publishing principal
  std::uint64_t fp_hi = 0, fp_lo = 0;
  event_type type = event_type::sale;
  std::string manager_id;
  std::int64_t occurred_at = 0;
  std::optional<std::int64_t> amount_fen, converted, target_fen;
  std::optional<std::string> brand, customer_id, refers_to, store_id, period;
  // Process indicators (DESIGN.md "External events"): outlet area and
  // type; display check outcome and township; banquet origin, product and
  // size; inspection finding. Absent when the event does not say.
  std::optional<std::string> area, store_type, township, origin, product, finding;
  std::optional<std::int64_t> passed, cases, bottles, tables;
};

// What a refund is checked against.
struct stored_sale {
  std::uint64_t fp_hi = 0, fp_lo = 0;
  std::string manager_id, brand;
  std::int64_t amount_fen = 0;
};

}  // namespace af::engine
