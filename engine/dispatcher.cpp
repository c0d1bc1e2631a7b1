#include "engine/dispatcher.h"

#include <algorithm>

namespace af::engine {

msg::worker_kind worker_kind_for(msg::message_type t) {
  if (t == msg::message_type::notify_task) return msg::worker_kind::notify;
  if (t == msg::message_type::targets_task) return msg::worker_kind::targets;
  return msg::worker_kind::scoring;
}

msg::message_type result_type_for(msg::message_type t) {
  if (t == msg::message_type::notify_task) return msg::message_type::notify_result;
  if (t == msg::message_type::targets_task) return msg::message_type::targets_result;
  return msg::message_type::scoring_result;
}

std::string_view task_kind_of(msg::message_type t) {
  if (t == msg::message_type::notify_task) return "notify";
  if (t == msg::message_type::targets_task) return "targets";
  return "scoring";
}

std::optional<msg::message_type> task_type_of(std::string_view kind) {
  if (kind == "scoring") return msg::message_type::scoring_task;
  if (kind == "notify") return msg::message_type::notify_task;
  if (kind == "targets") return msg::message_type::targets_task;
  return std::nullopt;
}

dispatcher::dispatcher(dispatcher_config cfg, send_fn send, load_fn load)
    : cfg_(cfg),
      send_(std::move(send)),
      load_(std::move(load)),
      jitter_(cfg.jitter_seed ? cfg.jitter_seed : std::random_device{}()) {}

std::int64_t dispatcher::backoff_ms(int attempts) {
  std::int64_t d = cfg_.retry_base_ms;
  if (d <= 0) return 0;
  for (int i = 1; i < attempts && d < cfg_.retry_cap_ms; ++i) d *= 2;
  d = std::min(d, cfg_.retry_cap_ms);
  if (d <= 1) return d;
  return d / 2 + static_cast<std::int64_t>(jitter_() % static_cast<std::uint64_t>(d - d / 2 + 1));
}

void dispatcher::retry_later(queued_task t, std::int64_t now) {
  auto id = t.id;
  int attempts = t.attempts;
  auto kind = worker_kind_for(t.type);
  if (!tasks_.emplace(id, std::move(t)).second) return;
  if (std::int64_t wait = backoff_ms(attempts); wait > 0)
    backing_off_.emplace(now + wait, id);
  else
    queues_[kind].push_back(id);
}

void dispatcher::defer(queued_task t, std::int64_t wait_ms, std::int64_t now) {
  auto id = t.id;
  if (t.attempts > 0) --t.attempts;
  wait_ms = std::clamp<std::int64_t>(wait_ms, 1, std::max<std::int64_t>(cfg_.retry_cap_ms, 1));
  if (!tasks_.emplace(id, std::move(t)).second) return;
  backing_off_.emplace(now + wait_ms, id);
}

void dispatcher::enqueue(queued_task t) {
  auto id = t.id;
  auto kind = worker_kind_for(t.type);
  if (load_ && queued() >= cfg_.max_bodies_in_memory) std::string().swap(t.body);
  if (!tasks_.emplace(id, std::move(t)).second) return;
  queues_[kind].push_back(id);
}

void dispatcher::restore(queued_task t) {
  auto kind = worker_kind_for(t.type);
  auto id = t.id;
  if (!tasks_.emplace(id, std::move(t)).second) return;
  queues_[kind].push_front(id);
}

void dispatcher::drop_worker(const std::string& worker) {
  auto w = workers_.find(worker);
  if (w == workers_.end()) return;
  for (auto id : w->second.in_flight) {
    leases_.erase(id);
    auto t = tasks_.find(id);
    if (t != tasks_.end()) queues_[worker_kind_for(t->second.type)].push_front(id);
  }
  workers_.erase(w);
}

status dispatcher::seen(const std::string& worker, const std::string& principal,
                        msg::worker_kind kind, std::uint32_t capacity, const std::string& name,
                        std::uint32_t pid, std::int64_t now, bool busy) {
  auto [it, fresh] = workers_.try_emplace(worker);
  auto& w = it->second;
  if (!fresh && w.principal != principal)
    return status::forbidden("connection said hello as principal " + w.principal + ", not " +
                             principal);
  if (!fresh && w.kind != kind)  // its leases are of the kind it said hello as
    return status::forbidden("connection said hello as a " + std::string(msg::kind_name(w.kind)) +
                             " worker");
  w.principal = principal;
  w.kind = kind;
  w.capacity = capacity == 0 ? 1 : capacity;
  w.name = name;
  w.pid = pid;
  w.last_seen_ms = now;
  if (busy)
    for (auto id : w.in_flight)
      if (auto l = leases_.find(id); l != leases_.end())
        l->second.deadline_ms =
            std::max(l->second.deadline_ms,
                     std::min(now + cfg_.lease_ms, l->second.sent_ms + cfg_.busy_lease_cap_ms));
  return status::ok();
}

dispatcher::take_result dispatcher::take(const result_source& from, std::int64_t id,
                                         std::int64_t now) {
  take_result out;
  auto w = workers_.find(from.worker);
  if (w == workers_.end()) {
    out.refused = "result for task " + std::to_string(id) + " from a connection that said no hello";
    return out;
  }
  if (w->second.principal != from.principal) {
    out.refused =
        "result from principal " + from.principal + " on a connection of " + w->second.principal;
    return out;
  }
  w->second.last_seen_ms = now;
  auto it = tasks_.find(id);
  if (it == tasks_.end()) {
    ++duplicates_;
    return out;
  }
  auto l = leases_.find(id);
  if (l == leases_.end() || l->second.worker != from.worker) {
    out.refused = "task " + std::to_string(id) + " is not leased to this connection";
    return out;
  }
  if (result_type_for(it->second.type) != from.type) {
    out.refused = "task " + std::to_string(id) + " is a " +
                  std::string(msg::type_name(it->second.type)) + "; a " +
                  std::string(msg::type_name(from.type)) + " does not answer it";
    return out;
  }
  w->second.in_flight.erase(id);
  leases_.erase(l);
  out.task = std::move(it->second);
  tasks_.erase(it);
  return out;
}

void dispatcher::pump(std::int64_t now) {
  for (auto& [kind, queue] : queues_) {
    while (!queue.empty()) {
      worker_state* best = nullptr;
      const std::string* best_id = nullptr;
      for (auto& [id, w] : workers_)
        if (w.kind == kind && w.in_flight.size() < w.capacity &&
            (!best || w.in_flight.size() < best->in_flight.size())) {
          best = &w;
          best_id = &id;
        }
      if (!best) break;
      std::int64_t task_id = queue.front();
      queue.pop_front();
      auto& t = tasks_.at(task_id);
      if (t.body.empty() && load_) {
        auto body = load_(task_id);
        if (!body) {  // completed or removed meanwhile: nothing to deliver
          tasks_.erase(task_id);
          continue;
        }
        t.body = std::move(*body);
      }
      if (t.attempts > 0) ++redelivered_;
      ++t.attempts;
      ++delivered_;
      best->in_flight.insert(task_id);
      leases_[task_id] = {*best_id, now + cfg_.lease_ms, now};
      msg::envelope e{t.type, t.version ? t.version : msg::current_version(t.type),
                      static_cast<std::uint64_t>(task_id), 0, t.body};
      send_(*best_id, msg::encode(e));
    }
  }
}

void dispatcher::requeue(std::int64_t id, std::int64_t now, std::vector<queued_task>& dead) {
  leases_.erase(id);
  auto& t = tasks_.at(id);
  if (exhausted(t)) {
    dead.push_back(std::move(t));
    tasks_.erase(id);
    return;
  }
  if (std::int64_t wait = backoff_ms(t.attempts); wait > 0)
    backing_off_.emplace(now + wait, id);
  else
    queues_[worker_kind_for(t.type)].push_front(id);
}

std::vector<queued_task> dispatcher::tick(std::int64_t now) {
  std::vector<queued_task> dead;
  for (auto w = workers_.begin(); w != workers_.end();) {
    if (now - w->second.last_seen_ms > cfg_.worker_timeout_ms) {
      for (auto id : w->second.in_flight) requeue(id, now, dead);
      w = workers_.erase(w);
    } else {
      ++w;
    }
  }
  std::vector<std::int64_t> expired;
  for (const auto& [id, l] : leases_)
    if (l.deadline_ms <= now) expired.push_back(id);
  for (auto id : expired) {
    if (auto w = workers_.find(leases_[id].worker); w != workers_.end())
      w->second.in_flight.erase(id);
    requeue(id, now, dead);
  }
  while (!backing_off_.empty() && backing_off_.begin()->first <= now) {
    auto id = backing_off_.begin()->second;
    backing_off_.erase(backing_off_.begin());
    if (auto t = tasks_.find(id); t != tasks_.end() && !leases_.count(id))
      queues_[worker_kind_for(t->second.type)].push_back(id);
  }
  return dead;
}

std::size_t dispatcher::queued() const {
  std::size_t n = 0;
  for (const auto& [kind, q] : queues_) n += q.size();
  return n + backing_off_.size();
}

std::map<msg::worker_kind, dispatcher::kind_figures> dispatcher::figures_by_kind() const {
  std::map<msg::worker_kind, kind_figures> out;
  for (auto k : {msg::worker_kind::scoring, msg::worker_kind::targets, msg::worker_kind::notify})
    out[k] = {};
  for (const auto& [kind, q] : queues_) out[kind].queued += static_cast<std::int64_t>(q.size());
  for (const auto& [when, id] : backing_off_)
    if (auto it = tasks_.find(id); it != tasks_.end())
      ++out[worker_kind_for(it->second.type)].queued;
  for (const auto& [id, w] : workers_) {
    ++out[w.kind].workers;
    out[w.kind].leased += static_cast<std::int64_t>(w.in_flight.size());
  }
  return out;
}

msg::json dispatcher::stats(std::int64_t now) const {
  msg::json workers = msg::json::array();
  for (const auto& [id, w] : workers_)
    workers.push_back({{"kind", std::string(msg::kind_name(w.kind))},
                       {"name", w.name},
                       {"principal", w.principal},
                       {"pid", w.pid},
                       {"capacity", w.capacity},
                       {"in_flight", w.in_flight.size()},
                       {"last_seen_ms_ago", now - w.last_seen_ms}});
  return {
      {"tasks", {{"queued", queued()}, {"leased", leased()}, {"backing_off", backing_off_.size()}}},
      {"deliveries",
       {{"sent", delivered_}, {"redelivered", redelivered_}, {"duplicate_results", duplicates_}}},
      {"workers", workers}};
}

}  // namespace af::engine
