// case_service.h: what people and workers do to assessment cases: open a
// cycle, act on a case (submit, approve, return, adjust, cancel), apply a
// scoring result, and show a case. It consults the pure state machine and
// persists what it decides: the case row, its history line and its outbox
// entries, all inside the caller's transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "engine/outbox.h"
#include "engine/store.h"
#include "engine/workflow.h"
#include "messages/json_text.h"
#include "messages/types.h"

namespace af::engine {

using json = msg::json;
using program_registry = std::map<std::string, workflow>;

// "supervisor:S2001" split and checked.
struct actor {
  role claimed = role::admin;
  std::string id;
  [[nodiscard]] std::string to_string() const { return std::string(role_name(claimed)) + ":" + id; }
};
result<actor> parse_actor(const std::string& as);

class case_service {
 public:
  case_service(store& db, const program_registry& programs, int tz_offset_minutes)
      : db_(db), programs_(programs), tz_(tz_offset_minutes) {}

  // Opens one case per active employee of the scope who has a supervisor,
  // except holders of hr/chairman/admin; idempotent per (program, period,
  // employee). Reply: {cycle, opened}.
  result<json> open_cycle(const std::string& program, const std::string& period,
                          const std::optional<std::string>& unit, const std::string& by, std::int64_t now,
                          outbox& out);

  // One action on one case by `as`. `request` carries ratings, exams,
  // comment, tier, reason as the admin API names them. Reply: the case.
  result<json> act(std::int64_t case_id, action act, const std::string& as, const json& request,
                   std::int64_t now, outbox& out);

  // A worker's scoring result for a case in `scoring`.
  status apply_scoring(const msg::scoring_result& r, std::int64_t now, outbox& out);

  result<json> show(std::int64_t case_id);
  static json summary(const case_row& c);

  // The sales figures of a manager over a period (DESIGN.md `sales`).
  result<json> sales(const std::string& manager_id, const std::string& period);

 private:
  void transition(case_row& c, const workflow& wf, const transition_def& t, const std::string& actor,
                  const std::string& reason, std::int64_t now, outbox& out);
  msg::scoring_task scoring_input(const case_row& c);
  std::string at(std::int64_t now) const { return format_instant(now, tz_); }

  store& db_;
  const program_registry& programs_;
  int tz_;
};

}  // namespace af::engine
