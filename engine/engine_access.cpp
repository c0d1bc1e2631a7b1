// engine_access.cpp: who may talk to the engine: the ZAP decision on each
// handshake, the principal behind each message (a key revoked since the
// handshake is refused), refusals logged and audited, and what a change of
// principals undoes (subscribers judged again, revoked workers dropped).
#include <fmt/core.h>

#include "engine/engine.h"
#include "engine/engine_internal.h"

namespace af::engine {

void engine::principals_changed() {
  try {
    principals_.reload(db_);
  } catch (const sqlite_error& e) {
    principals_.mark_stale();
    log_line(std::string("principals not reloaded: ") + e.what());
  }
  rebind_events();
  for (auto it = worker_keys_.begin(); it != worker_keys_.end();) {
    if (!dispatcher_.has_worker(it->first)) {
      it = worker_keys_.erase(it);  // gone since (timed out)
    } else if (!principals_.by_key(it->second)) {
      log_line("worker connection of revoked key " + it->second +
               " dropped; its tasks are queued again");
      dispatcher_.drop_worker(it->first);
      it = worker_keys_.erase(it);
    } else {
      ++it;
    }
  }
}

const principal* engine::caller_of(const request& r, const char* endpoint, bool limited) {
  if (principals_.stale()) principals_.reload(db_);
  if (const principal* p = principals_.by_key(r.key)) return p;
  std::string who = principals_.holder_of(r.key);
  refuse(
      who.empty() ? "unknown key " + r.key : who, endpoint, "message",
      "key " + r.key + " of principal " + (who.empty() ? "?" : who) + " is revoked or was rotated",
      limited);
  return nullptr;
}

void engine::refuse(const std::string& who, const char* endpoint, const std::string& command,
                    const std::string& reason, bool limited) {
  std::int64_t held_back = 0;
  if (limited && !refusals_.let_through(who + "@" + endpoint, steady_ms(), held_back)) return;
  std::string more =
      held_back ? fmt::format(" ({} more refused since the last line)", held_back) : std::string();
  log_line(fmt::format("refused {} on {} ({}): {}{}", who, endpoint, command, reason, more));
  try {
    if (!open_group()) return log_line("audit not written: the store is busy");
    db_.add_audit({0, clock_->now_s(), who, endpoint, command, reason + more});
  } catch (const sqlite_error& e) {
    log_line(std::string("audit not written: ") + e.what());
  }
}

zap_verdict engine::admit(const zap_request& r) {
  try {
    if (principals_.stale()) principals_.reload(db_);
    const principal* p = principals_.by_key(r.public_key);
    if (!p) {
      std::int64_t held_back = 0;
      if (refusals_.let_through("unknown@" + r.domain, steady_ms(), held_back))
        log_line(fmt::format(
            "refused an unknown or revoked key {} from {} on {}{}", r.public_key, r.address,
            r.domain, held_back ? fmt::format(" ({} more since)", held_back) : std::string()));
      return {false, "unknown or revoked key"};
    }
    std::string why;
    if (r.domain == "tasks" && !p->is_worker())
      why = "the tasks endpoint admits worker:* principals only";
    if (r.domain == "events") {
      viewer v{p, {}, false};
      if (p->person)
        if (auto e = db_.find_employee(p->employee_id); e && e->active) v.org_roles = e->roles;
      if (!v.sees_all())
        why = "the events endpoint admits only principals that may read every case";
    }
    if (r.domain != "tasks" && r.domain != "events" && r.domain != "ingest" && r.domain != "admin")
      why = "unknown endpoint";
    if (!why.empty()) {
      refuse(p->name, r.domain.c_str(), "connect", why, true);
      return {false, why};
    }
    return {true, ""};
  } catch (const sqlite_error& e) {
    log_line(std::string("ZAP: store error, key refused: ") + e.what());
    return {false, "the engine cannot check keys now"};
  }
}

}  // namespace af::engine
