// engine_tasks.cpp: the workers' side: hellos and heartbeats on the tasks
// socket, results applied to their task's case in a savepoint of their own,
// failed tasks offered again after a backoff or dead, and the tasks taken
// from the dispatcher given back if the group rolls back.
#include <fmt/core.h>

#include "engine/engine.h"
#include "engine/engine_internal.h"

namespace af::engine {

namespace {

// The capability a worker of each kind needs.
bool may_lease(const principal& p, msg::worker_kind k) {
  switch (k) {
    case msg::worker_kind::scoring:
      return p.has(capability::worker_scoring);
    case msg::worker_kind::targets:
      return p.has(capability::worker_targets);
    case msg::worker_kind::notify:
      return p.has(capability::worker_notify);
  }
  return false;
}

}  // namespace

void engine::apply_result(const msg::envelope& e, const std::string& worker, const principal& from,
                          std::int64_t now) {
  auto taken = dispatcher_.take({worker, from.name, e.type},
                                static_cast<std::int64_t>(e.correlation_id), steady_ms());
  if (!taken.refused.empty()) {
    refuse(from.name, "tasks", std::string(msg::type_name(e.type)), taken.refused, true);
    return;
  }
  if (!taken.task) return;  // a duplicate: already applied
  auto task = std::move(taken.task);
  std::string at = format_instant(now, cfg_.tz_offset_minutes);
  if (e.type == msg::message_type::notify_result) {
    auto r = msg::unpack<msg::notify_result>(e);
    auto sent = msg::unpack<msg::notify_task>(
        {task->type, task->version ? task->version : msg::current_version(task->type), 0, 0,
         task->body});
    if (r && r->ok && sent &&
        r->notification_id != sent->notification_id) {  // a stale result for a reused task id
      log_line(fmt::format("task {}: result for another notification ignored", task->id));
      dispatcher_.restore(std::move(*task));
      return;
    }
    std::string channel = sent ? sent->channel : "";
    if (r && !r->ok && r->defer_ms > 0) {  // not attempted: no attempt counted
      count_delivery(channel, delivery_counts::deferred);
      dispatcher_.defer(std::move(*task), r->defer_ms, steady_ms());
      return;
    }
    if (!r || !r->ok) {  // a garbled result may come out right next time
      bool again =
          fail_task(std::move(*task), r ? r->error : "result dropped: " + r.error().message(),
                    !r || r->retryable);
      count_delivery(channel, again ? delivery_counts::retried : delivery_counts::failed);
      return;
    }
    std::int64_t id = task->id;
    keep_taken(std::move(*task));
    db_.complete_task(id, at);
    count_delivery(channel, delivery_counts::sent);
    return;
  }
  if (e.type == msg::message_type::targets_result) {
    apply_targets_result(e, std::move(*task), from, now);
    return;
  }
  auto r = msg::unpack<msg::scoring_result>(e);
  if (!r || static_cast<std::int64_t>(r->case_id) != task->case_id) {
    fail_task(
        std::move(*task),
        "result dropped: " + (r ? std::string("it is for another case") : r.error().message()),
        true);
    return;
  }
  if (!r->ok && r->retryable) {
    fail_task(std::move(*task), r->error, true);
    return;
  }
  settle(
      std::move(*task),
      [&](outbox& mine) { return cases_.apply_scoring(*r, now, mine, from.name); }, at);
}

void engine::settle(queued_task task, const std::function<status(outbox&)>& apply,
                    const std::string& at) {
  outbox mine;
  auto& work = db_.work();
  work.savepoint();
  status s;
  try {
    s = apply(mine);
  } catch (const sqlite_error&) {
    work.rollback_to();  // throws transaction_lost when the group is gone
    throw;               // the store's problem: the task stays queued and is offered again
  } catch (
      const std::exception& e) {  // a result that breaks something is that task's failure alone
    s = status::invalid(std::string("result could not be applied: ") + e.what());
  }
  ++group_.messages;
  bool dead = s.code() == status_code::invalid_argument;  // the worker could not compute it
  if (dead)
    work.rollback_to();
  else
    work.release();
  std::int64_t id = task.id;
  int attempts = task.attempts;
  keep_taken(std::move(task));  // from here a rollback offers it again
  if (dead) {
    db_.kill_task(id, attempts, s.message());
    log_line(fmt::format("task {} dead: {}", id, s.message()));
  } else {
    if (!s) log_line(fmt::format("task {}: result not applied: {}", id, s.message()));
    db_.complete_task(id, at);
    group_.out.append(std::move(mine));
  }
}

void engine::count_delivery(const std::string& channel, delivery_counts::outcome o) {
  deliveries_.add(channel, o);
  // A retry or deferral stands if the group rolls back (the task waits in
  // the dispatcher all the same); a task sent or dead is offered again and
  // counted again, so those counts are taken back.
  if (o == delivery_counts::sent || o == delivery_counts::failed)
    db_.work().on_rollback([this, channel, o] { deliveries_.add(channel, o, -1); });
}

bool engine::fail_task(queued_task task, const std::string& error, bool retryable) {
  std::string kind(task_kind_of(task.type));
  std::int64_t held_back = 0;
  bool log =
      task_failures_.let_through(kind, steady_ms(), held_back);  // one line a minute per kind
  std::string more =
      held_back ? fmt::format(" ({} more {} task failures since the last line)", held_back, kind)
                : "";
  if (retryable && !dispatcher_.exhausted(task)) {
    db_.note_task_failure(task.id, task.attempts, error);
    if (log)
      log_line(fmt::format("task {} ({}, attempt {}) failed, offered again after a backoff: {}{}",
                           task.id, kind, task.attempts, error, more));
    dispatcher_.retry_later(std::move(task), steady_ms());
    return true;
  }
  std::int64_t id = task.id;
  int attempts = task.attempts;
  keep_taken(std::move(task));
  db_.kill_task(id, attempts, error);
  if (log)
    log_line(
        fmt::format("task {} ({}) dead after {} attempts: {}{}", id, kind, attempts, error, more));
  return false;
}

void engine::keep_taken(queued_task task) {
  // Settled with the group: if the group rolls back, the task is offered again.
  auto held = std::make_shared<queued_task>(std::move(task));
  db_.work().on_rollback([this, held] { dispatcher_.restore(std::move(*held)); });
}

void engine::apply_targets_result(const msg::envelope& e, queued_task task, const principal& from,
                                  std::int64_t now) {
  auto r = msg::unpack<msg::targets_result>(e);
  if (task.body.empty())
    if (auto body = db_.queued_task_payload(task.id)) task.body = std::move(*body);
  // The body as it was queued: this build's layout, or an older one's.
  std::uint16_t version = task.version ? task.version : msg::current_version(task.type);
  auto input = msg::unpack<msg::targets_task>({task.type, version, 0, 0, task.body});
  if (!r || !input || static_cast<std::int64_t>(r->case_id) != task.case_id) {
    fail_task(
        std::move(task),
        "result dropped: " + (r ? std::string("it does not match the task") : r.error().message()),
        true);
    return;
  }
  if (!r->ok && r->retryable) {
    fail_task(std::move(task), r->error, true);
    return;
  }
  settle(
      std::move(task),
      [&](outbox& mine) { return cases_.apply_targets(*r, *input, now, mine, from.name); },
      format_instant(now, cfg_.tz_offset_minutes));
}

void engine::drain_tasks() {
  if (store_busy()) return;  // results wait in the socket; the tick tries again
  auto batch = receive_batch(tasks_sock_, 1024);
  if (batch.empty()) return;
  std::int64_t now_ms = steady_ms(), now = clock_->now_s();
  try {
    for (auto& r : batch) handle_worker_message(r, now_ms, now);
  } catch (const sqlite_error& err) {
    fail_group(err.what(), err.code);
  }
  close_group(group_.messages >= cfg_.max_batch_messages);
  recheck_all();
}

void engine::handle_worker_message(const request& r, std::int64_t now_ms, std::int64_t now) {
  const std::string& worker = r.route.front();
  const principal* p = caller_of(r, "tasks", true);
  if (!p) return;
  if (!p->is_worker()) {
    refuse(p->name, "tasks", "message", "principal " + p->describe() + " is no worker", true);
    return;
  }
  auto e = msg::decode({r.body.data<char>(), r.body.size()});
  if (!e) {
    refuse(p->name, "tasks", "frame", "frame dropped: " + e.error().message(), true);
    return;
  }
  if (e->type == msg::message_type::worker_hello || e->type == msg::message_type::heartbeat) {
    worker_seen(r, *e, *p, now_ms);
    return;
  }
  if (e->type != msg::message_type::scoring_result && e->type != msg::message_type::notify_result &&
      e->type != msg::message_type::targets_result) {
    refuse(p->name, "tasks", std::string(msg::type_name(e->type)), "not a worker's message", true);
    return;
  }
  apply_in_savepoint(*e, worker, *p, now);
}

void engine::worker_seen(const request& r, const msg::envelope& e, const principal& p,
                         std::int64_t now_ms) {
  const std::string& worker = r.route.front();
  bool hello = e.type == msg::message_type::worker_hello;
  msg::worker_hello h;
  bool busy = false;  // a heartbeat from the middle of a batch
  if (hello) {
    auto body = msg::unpack<msg::worker_hello>(e);
    if (!body) return;
    h = *body;
  } else {
    auto body = msg::unpack<msg::heartbeat>(e);
    if (!body) return;
    h = {body->kind, body->name, body->pid, body->capacity};
    busy = body->in_flight > 0;
  }
  if (!may_lease(p, h.kind)) {
    refuse(p.name, "tasks", hello ? "hello" : "heartbeat",
           "principal " + p.describe() + " may not lease " + std::string(msg::kind_name(h.kind)) +
               " tasks",
           true);
    return;
  }
  if (status s = dispatcher_.seen(worker, p.name, h.kind, h.capacity, h.name, h.pid, now_ms, busy);
      !s) {
    refuse(p.name, "tasks", hello ? "hello" : "heartbeat", s.message(), true);
    return;
  }
  worker_keys_[worker] = r.key;
  if (hello)
    log_line(fmt::format("worker {} ({}, pid {}, capacity {}, principal {}) connected", h.name,
                         msg::kind_name(h.kind), h.pid, h.capacity, p.name));
}

void engine::apply_in_savepoint(const msg::envelope& e, const std::string& worker,
                                const principal& p, std::int64_t now) {
  if (!open_group()) {  // busy after all: the lease expires and the task is offered again
    refuse(p.name, "tasks", std::string(msg::type_name(e.type)),
           "result dropped: the store is busy", true);
    return;
  }
  db_.work().savepoint();
  try {
    apply_result(e, worker, p, now);
    db_.work().release();
  } catch (const std::exception&
               err) {          // never the engine: this message is dropped, the task offered again
    db_.work().rollback_to();  // throws transaction_lost when the group is gone
    refuse(p.name, "tasks", std::string(msg::type_name(e.type)),
           std::string("result dropped: ") + err.what(), true);
  }
}

}  // namespace af::engine
