// dispatcher.h: hands queued tasks to connected workers under leases.
//
// A task is leased to one worker of its kind for `lease_ms`; when the
// lease expires, or the worker misses heartbeats for `worker_timeout_ms`,
// the task goes back to the queue (at-least-once delivery). A result is
// taken only from the connection that holds the task's lease, from the
// principal that connection said hello as, and only of the task's kind;
// anything else is refused and changes nothing. A result for a task that
// is no longer outstanding is a duplicate. After an expired lease, a
// silent worker or a retryable failure the task waits before it is offered
// again: retry_base_ms x 2^(attempts - 1), at most retry_cap_ms, half of it
// random (so a crowd of failed tasks does not come back at once); after
// `max_attempts` deliveries it is dead. No sockets and no SQLite here:
// frames go out through `send`, persistence is the engine's.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "engine/outbox.h"
#include "messages/json_text.h"
#include "messages/types.h"

namespace af::engine {

struct dispatcher_config {
  std::int64_t lease_ms = 10'000;
  std::int64_t worker_timeout_ms = 5'000;
  int max_attempts = 5;
  std::int64_t retry_base_ms = 1'000;  // 0: offered again at once
  std::int64_t retry_cap_ms = 60'000;
  std::uint64_t jitter_seed = 0;  // 0: from std::random_device
  // Task bodies kept in memory; beyond this many queued tasks a body is
  // dropped at enqueue and read back from the store when it is leased, so
  // a 300,000-notification backlog costs ids, not payloads.
  std::size_t max_bodies_in_memory = 20'000;
  // How long a busy worker's heartbeats may keep one lease (seen()).
  std::int64_t busy_lease_cap_ms = 60'000;
};

// Not thread-safe: the engine's loop calls it. Nothing here fails but
// seen() and take(), which say why in their result.
class dispatcher {
 public:
  using send_fn = std::function<void(const std::string& worker, const std::string& frame)>;
  // Reads a task's body back from the store; nullopt if it is gone.
  using load_fn = std::function<std::optional<std::string>(std::int64_t task_id)>;

  dispatcher(dispatcher_config cfg, send_fn send, load_fn load = {});

  // Queues a task behind the others of its kind (its body dropped beyond
  // max_bodies_in_memory when there is a `load`); a task already
  // outstanding (queued, backing off or leased) is ignored.
  void enqueue(queued_task t);
  // A hello or heartbeat from `worker` (its ROUTER routing id) sent by
  // `principal`: the connection is known (or its capacity, name and pid
  // renewed) and alive at `now_ms`. Forbidden when that connection said
  // hello as another principal or another kind, and then nothing changed;
  // the caller checks that the principal may do `kind`'s work.
  // A heartbeat that says the worker is `busy` (handling tasks, e.g. a
  // batch waiting on a mail server) renews the leases it holds to
  // now + lease_ms, each at most busy_lease_cap_ms after it was sent, so a
  // slow but live worker does not see its tasks handed out twice.
  status seen(const std::string& worker, const std::string& principal, msg::worker_kind kind,
              std::uint32_t capacity, const std::string& name, std::uint32_t pid,
              std::int64_t now_ms, bool busy = false);
  // Who sent a result: the connection, its principal, the result's type.
  struct result_source {
    std::string worker, principal;
    msg::message_type type = msg::message_type::scoring_result;
  };
  struct take_result {
    std::optional<queued_task> task;  // apply it
    std::string refused;              // why the result is refused (empty: accepted or a duplicate)
    [[nodiscard]] bool duplicate() const { return !task && refused.empty(); }
  };
  // A result for task `id`: the task when `from` holds its lease and the
  // type answers it (the task is no longer outstanding); a duplicate when
  // the task is not outstanding; else refused, naming why, and the task
  // stays as it was.
  take_result take(const result_source& from, std::int64_t id, std::int64_t now_ms);
  // Puts a taken task back at the front of its queue (its result could not
  // be committed); ignored if it is outstanding again.
  void restore(queued_task t);
  // A taken task whose worker failed in a way that may pass: offered again
  // after its backoff. The caller makes it dead instead when it has had
  // max_attempts deliveries (exhausted()). Ignored if it is outstanding again.
  void retry_later(queued_task t, std::int64_t now_ms);
  // A taken task its worker did not attempt (its own throttle, its time
  // ran out): offered again after `wait_ms` (at most retry_cap_ms), its
  // delivery not counted as an attempt. Ignored if it is outstanding again.
  void defer(queued_task t, std::int64_t wait_ms, std::int64_t now_ms);
  [[nodiscard]] bool exhausted(const queued_task& t) const {
    return t.attempts >= cfg_.max_attempts;
  }
  // How long a task delivered `attempts` times waits before the next delivery.
  std::int64_t backoff_ms(int attempts);
  // Forgets a worker connection (its principal was revoked): its leased
  // tasks go back to the front of their queue, and it is offered nothing
  // more. An unknown connection: no change.
  void drop_worker(const std::string& worker);
  [[nodiscard]] bool has_worker(const std::string& worker) const {
    return workers_.count(worker) != 0;
  }
  // Leases queued tasks to workers of their kind with spare capacity, the
  // least busy first, and sends them. A task whose body is gone from the
  // store (done meanwhile) is forgotten instead.
  void pump(std::int64_t now_ms);
  // Expires leases and silent workers, queues the tasks whose backoff is
  // over; returns the tasks that are now dead.
  std::vector<queued_task> tick(std::int64_t now_ms);

  [[nodiscard]] std::size_t queued() const;
  [[nodiscard]] std::size_t leased() const { return leases_.size(); }
  // Per worker kind: tasks waiting to be leased (backing off included),
  // leased, and workers connected (for the metrics).
  struct kind_figures {
    std::int64_t queued = 0, leased = 0, workers = 0;
  };
  [[nodiscard]] std::map<msg::worker_kind, kind_figures> figures_by_kind() const;
  [[nodiscard]] msg::json stats(std::int64_t now_ms) const;

 private:
  struct lease {
    std::string worker;
    std::int64_t deadline_ms = 0;
    std::int64_t sent_ms = 0;
  };
  struct worker_state {
    msg::worker_kind kind = msg::worker_kind::scoring;
    std::string principal;
    std::string name;
    std::uint32_t pid = 0, capacity = 1;
    std::int64_t last_seen_ms = 0;
    std::set<std::int64_t> in_flight;
  };
  void requeue(std::int64_t id, std::int64_t now_ms, std::vector<queued_task>& dead);

  dispatcher_config cfg_;
  send_fn send_;
  load_fn load_;
  std::unordered_map<std::int64_t, queued_task> tasks_;  // outstanding: queued or leased
  std::map<msg::worker_kind, std::deque<std::int64_t>> queues_;
  std::unordered_map<std::int64_t, lease> leases_;
  std::multimap<std::int64_t, std::int64_t> backing_off_;  // when it may go again -> task id
  std::mt19937_64 jitter_;
  std::map<std::string, worker_state> workers_;
  std::int64_t delivered_ = 0, redelivered_ = 0, duplicates_ = 0;
};

// The worker kind that does a task type (scoring for any type not notify or targets).
msg::worker_kind worker_kind_for(msg::message_type task_type);
// The result type that answers a task type (scoring_task -> scoring_result).
msg::message_type result_type_for(msg::message_type task_type);

}  // namespace af::engine
