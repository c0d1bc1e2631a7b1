// engine_requests.cpp: the ingest and admin socket loops: each drains a
// batch of requests into the open group, answers every request by its
// caller's principal, and closes the group when it is full.
#include "engine/engine.h"
#include "engine/engine_internal.h"

namespace af::engine {

void engine::drain_ingest() {
  drain_requests(ingest_sock_, cfg_.max_batch_messages, group_.ingest_replies, not_applied_ingest,
                 disk_full_ingest,
                 [this](const request& r, std::int64_t now) { return answer_ingest(r, now); });
}

void engine::drain_admin() {
  drain_requests(admin_sock_, 64, group_.admin_replies, not_applied_admin, disk_full_admin,
                 [this](const request& r, std::int64_t now) { return answer_admin(r, now); });
}

void engine::drain_requests(zmq::socket_t& s, std::size_t limit,
                            std::vector<pending_reply>& replies, std::string_view not_applied,
                            std::string_view disk_full, const answer_fn& answer) {
  // Nothing received while the store is busy: the requests wait in the socket and the tick tries
  // again.
  if (!has_message(s) || !open_group()) return;
  auto batch = receive_batch(s, limit);
  if (batch.empty()) return;
  std::int64_t now = clock_->now_s();
  std::size_t next = 0;
  try {
    for (; next < batch.size(); ++next) {
      auto& r = batch[next];
      std::string reply = answer(r, now);
      replies.push_back({std::move(r.route), std::move(reply)});
      ++group_.messages;
    }
  } catch (const sqlite_error& e) {
    fail_group(e.what(), e.code);
    for (; next < batch.size(); ++next)
      reply(s, batch[next].route, is_disk_full(e.code) ? disk_full : not_applied);
  }
  close_group(group_.messages >= cfg_.max_batch_messages);
  recheck_all();
}

std::string engine::answer_ingest(const request& r, std::int64_t now) {
  const principal* p = caller_of(r, "ingest", true);
  if (!p)
    return R"([{"event_id":null,"status":"rejected","error":"this key is revoked or was rotated; nothing applied"}])";
  if (!p->has(capability::ingest) && !p->has(capability::admin)) {
    std::string why =
        "principal " + p->describe() + " may not publish events (needs the ingest capability)";
    refuse(p->name, "ingest", "events", why, true);
    std::string reply = R"([{"event_id":null,"status":"rejected","error":)";
    append_json_string(reply, why);
    reply += "}]";
    return reply;
  }
  return ingest_.handle({r.body.data<char>(), r.body.size()}, now, p->name);
}

std::string engine::answer_admin(const request& r, std::int64_t now) {
  const principal* p = caller_of(r, "admin", true);
  return p ? admin_.handle(*p, {r.body.data<char>(), r.body.size()}, now, group_.out)
           : admin_api::refusal(status::forbidden("this key is revoked or was rotated"));
}

}  // namespace af::engine
