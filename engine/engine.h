// engine.h: the orchestrator process. One io_context drives the four
// ZeroMQ sockets (ingest, admin, tasks: ROUTER; events: PUB), the ZAP
// handler that authenticates them, the lease timer and SIGINT/SIGTERM.
// Every group of messages drained from a socket is handled in one SQLite
// transaction (group commit); replies, tasks and case events leave only
// after that commit.
//
// Every socket is a CURVE server (no switch turns it off). Each message
// carries the public key its connection was admitted with (ZAP User-Id);
// the engine looks up its principal on every message, so a revoked key is
// refused from its next message on, live connections included.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>
#include <zmq.hpp>

#include "engine/admin_api.h"
#include "engine/case_service.h"
#include "engine/checkpointer.h"
#include "engine/clock.h"
#include "engine/delivery_counts.h"
#include "engine/dispatcher.h"
#include "engine/durability.h"
#include "engine/ingest.h"
#include "engine/metrics.h"
#include "engine/principals.h"
#include "engine/refusal_limiter.h"
#include "engine/scheduler.h"
#include "engine/store.h"
#include "engine/timers.h"
#include "engine/zap_handler.h"
#include "messages/curve_keys.h"
#include "messages/zmq_watch.h"

namespace af::engine {

struct engine_config {
  std::string data_dir;
  std::string schemas_dir;
  std::string ingest_ep, admin_ep, tasks_ep, events_ep;
  int tz_offset_minutes = 8 * 60;
  bool full_sync = true;
  std::size_t max_message_bytes = 1u << 20;
  std::size_t max_batch_messages = 1024;  // messages per group commit
  // After a WAL sync ends, how long the next group may wait for as many
  // messages as that sync acknowledged (0: commit at once).
  std::chrono::microseconds commit_delay{150};
  // Once the WAL holds this many frames, the loop checkpoints it between
  // two groups so the next commit rewinds it (see engine::rewind_wal).
  int wal_rewind_frames = 4096;
  bool schedule = true;            // open cycles by schemas/schedules.json
  int audit_retention_days = 365;  // refused requests older than this are removed
  int event_retention_days = 30;   // case events served by case_events.since
  // PRAGMA quick_check before serving even after a clean shutdown (always after an unclean one).
  bool check = false;
  // Test builds only: a fault-injection module (tests/fault_vfs) loaded before the store opens.
  std::string fault_vfs;
  durability::sync_function wal_sync = nullptr;  // set from the fault module; ::fdatasync otherwise
  dispatcher_config tasks;
  // --metrics: where GET /metrics is served ("127.0.0.1:9464"); empty: nowhere.
  std::string metrics_listen;
};

// One engine per data dir (create() locks it). Not thread-safe: every
// handler runs on the thread that calls run(); the checkpointer's and the
// WAL syncer's threads are the engine's own and touch none of its members.
class engine {
 public:
  // Locks the data dir, loads the programs (workflows, rubrics, commission
  // plan, schedules), checks the database after an unclean shutdown (or
  // with cfg.check), opens and migrates the store, makes the keys and
  // first principals, binds the sockets and reloads the stored events and
  // queued tasks, logging "started: ...". Fails with a one-line status and
  // serves nothing (database newer than this build or corrupt, broken
  // definition, endpoint in use, data dir locked by another engine, no
  // CURVE in libzmq). The engine owns `clk`.
  static result<std::unique_ptr<engine>> create(const engine_config& cfg,
                                                std::unique_ptr<clock> clk);
  // Releases the data dir's lock (after run(), a clean shutdown has emptied it).
  ~engine();

  // Runs until SIGINT/SIGTERM or stop(); returns after a clean shutdown
  // (the open group committed, every durable reply sent, engine.lock
  // emptied), or once a WAL sync has failed (storage_failed(): exit
  // non-zero, the lock left naming this engine so the next start checks the
  // database). Call once.
  void run();
  // Asks run() to finish: nothing more is received, the open group commits
  // and run() returns. Idempotent; only while run() runs, on its thread (a
  // handler calls it).
  void stop();
  // A WAL sync failed: nothing after the last good sync was acknowledged.
  [[nodiscard]] bool storage_failed() const { return storage_failed_; }

 private:
  engine(const engine_config& cfg, std::unique_ptr<clock> clk, store db, program_registry programs);
  // After the constructor, in create(): schedules.json read and installed
  // (its programs without a workflow logged and skipped), the rubrics and
  // the commission plan handed to the cases. NotFound or InvalidArgument
  // for schedules.json.
  status install_definitions(rubric::rubric_set rubrics, commission::plan plan);
  // Stored fingerprints, the scheduler's last periods and queued tasks into
  // memory; IOError when the store cannot be read.
  status load_state();
  // With --metrics: the case census loaded, the exposer listening.
  status start_metrics();
  // Copies the engine's counts into the metrics (once a second, on the loop).
  void refresh_metrics();
  // The figures of the admin request `stats` beside the dispatcher's.
  nlohmann::json live_stats();
  // Makes DATA/keys and the first-start principals, tightens DATA's files.
  status prepare_keys();
  // Makes `s` a CURVE server of this engine for ZAP domain `domain`.
  void secure(zmq::socket_t& s, const char* domain);
  static void set_hwm(zmq::socket_t& s, int send, int receive);
  static constexpr int events_hwm = 10'000;  // case events queued per subscriber
  status bind();
  void drain_ingest();
  void drain_admin();
  void drain_tasks();
  void on_tick();
  void after_commit(outbox& out);
  void recheck_all();
  struct request {
    std::vector<std::string> route;  // routing id and any envelope frames
    zmq::message_t body;
    std::string key;  // the connection's public key (ZAP User-Id)
  };
  // The principal behind a request, or nullptr when its key was revoked or
  // rotated away since the connection was admitted (the refusal is logged
  // and audited, at most once a minute per peer on `limited` endpoints).
  const principal* caller_of(const request& r, const char* endpoint, bool limited);
  // Logs and audits a refusal; `limited`: at most once a minute per principal and endpoint.
  void refuse(const std::string& who, const char* endpoint, const std::string& command,
              const std::string& reason, bool limited);
  // The ZAP decision: a registered, unrevoked key, allowed on that endpoint.
  zap_verdict admit(const zap_request& r);
  // Closes and binds the events endpoint again, so every subscriber
  // handshakes anew (a PUB socket cannot refuse one subscriber).
  void rebind_events();
  // After principals or org roles changed: the registry as committed, the
  // events endpoint judged again, and no task offered to a worker
  // connection whose key is no longer admitted.
  void principals_changed();
  struct pending_reply {
    std::vector<std::string> route;
    std::string body;
  };
  // The reply to one request (engine_requests.cpp).
  using answer_fn = std::function<std::string(const request& r, std::int64_t now)>;
  // The loop of the ingest and admin sockets: a batch of at most `limit`
  // requests into the open group, each answered by `answer` into
  // `replies`; when the store fails, every request not answered yet is
  // told `not_applied` (`disk_full` when the disk is full).
  void drain_requests(zmq::socket_t& s, std::size_t limit, std::vector<pending_reply>& replies,
                      std::string_view not_applied, std::string_view disk_full,
                      const answer_fn& answer);
  // An ingest message's reply: its events' results, or a refusal of a
  // revoked key or a principal without `ingest`.
  std::string answer_ingest(const request& r, std::int64_t now);
  // An admin request's reply (admin_api), or the refusal of a revoked key.
  std::string answer_admin(const request& r, std::int64_t now);
  // One message from a worker: a hello or heartbeat, or a result; anything
  // else is refused. Throws sqlite_error on a storage fault outside the
  // result's savepoint, or when the group is lost (the caller fails the group).
  void handle_worker_message(const request& r, std::int64_t now_ms, std::int64_t now);
  // A hello or heartbeat: the worker is seen if its principal may lease its kind.
  void worker_seen(const request& r, const msg::envelope& e, const principal& p,
                   std::int64_t now_ms);
  // A result in a savepoint of its own: one that breaks is dropped (and
  // refused) alone, its task offered again when its lease expires.
  void apply_in_savepoint(const msg::envelope& e, const std::string& worker, const principal& p,
                          std::int64_t now);
  std::vector<request> receive_batch(zmq::socket_t& s, std::size_t limit);
  static bool has_message(zmq::socket_t& s);
  void reply(zmq::socket_t& s, const std::vector<std::string>& route, std::string_view body);

  // The open group transaction: requests from every socket join it; it
  // commits when no sync is running (or it is big), and its replies,
  // tasks and case events leave once that commit is durable.
  struct group {
    bool open = false;
    std::size_t messages = 0;
    std::vector<pending_reply> ingest_replies, admin_replies;
    outbox out;
    bool principals_changed = false;  // the events endpoint is rebound once it commits
  };
  // Begins the group unless one is open; false while another process holds the write lock.
  bool open_group();
  [[nodiscard]] bool store_busy() const { return std::chrono::steady_clock::now() < busy_until_; }
  void close_group(bool force);
  // Every commit so far is durable: the clients of the groups just
  // acknowledged (the cohort) will send again, so the next group waits for
  // as many messages, for at most commit_delay, before it commits. One
  // cohort per sync instead of two: without this, N clients that each wait
  // for their ack split into two halves that take turns, each paying two syncs.
  void on_durable();
  // Whether close_group should leave the open group for the cohort; arms
  // the timer that commits it when the wait is over.
  bool hold_for_cohort();
  // Between groups: checkpoints the rest of a long WAL (the checkpointer
  // thread has copied most of it) so the next commit overwrites the WAL
  // from its start instead of growing it. Under steady load the loop is
  // never outside a group long enough for a background checkpoint to
  // catch up, so without this the WAL grows without bound, and every
  // append's fdatasync also commits the file system journal.
  void rewind_wal();
  // Rolls the group back and tells each of its clients "not applied"
  // ("the disk is full" when `sqlite_code` is SQLITE_FULL).
  void fail_group(const std::string& why, int sqlite_code = 0);
  // A WAL sync failed: nothing more is acknowledged and the engine stops.
  void storage_failed(const std::string& why);
  void apply_result(const msg::envelope& e, const std::string& worker, const principal& from,
                    std::int64_t now);
  void apply_targets_result(const msg::envelope& e, queued_task task, const principal& from,
                            std::int64_t now);
  // Applies a worker's result in its own savepoint: done, or dead when the
  // worker could not compute it; the task is settled with the group.
  void settle(queued_task task, const std::function<status(outbox&)>& apply, const std::string& at);
  // A task whose result the group settles: offered again if the group rolls back.
  void keep_taken(queued_task task);
  // The worker failed the task: offered again after a backoff when the
  // failure may pass and attempts are left, else dead with `error`.
  // Returns true when the task is offered again, false when it is dead.
  bool fail_task(queued_task task, const std::string& error, bool retryable);
  // Counts a notify task's outcome (sent and failed taken back if the group rolls back).
  void count_delivery(const std::string& channel, delivery_counts::outcome o);
  void purge_audit();

  engine_config cfg_;
  std::unique_ptr<clock> clock_;
  store db_;
  checkpointer checkpointer_;
  program_registry programs_;
  boost::asio::io_context io_;
  durability durable_;
  zmq::context_t zctx_;
  principal_registry principals_;
  msg::key_pair engine_key_;
  zap_handler zap_;  // bound before the sockets it authenticates
  refusal_limiter refusals_;
  refusal_limiter task_failures_;  // log lines of failed tasks, per kind
  delivery_counts deliveries_;     // notify tasks by channel and outcome
  std::unordered_map<std::string, std::string>
      worker_keys_;  // task connection -> the key it said hello with
  std::int64_t audit_purged_at_ = 0;
  zmq::socket_t ingest_sock_, admin_sock_, tasks_sock_, events_sock_;
  std::string events_bound_;  // the events endpoint as bound (tcp ports resolved)
  ingest ingest_;
  case_service cases_;
  std::unique_ptr<scheduler> scheduler_;
  timers timers_;
  admin_api admin_;
  dispatcher dispatcher_;
  std::unique_ptr<zmq_watch> ingest_watch_, admin_watch_, tasks_watch_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer commit_timer_;
  // Holds: each sync's end starts one, each commit ends it; the timer
  // commits the held group only if its hold is still the current one.
  std::uint64_t hold_ = 0, timer_hold_ = ~std::uint64_t{0};
  std::size_t acked_since_sync_ = 0, cohort_ = 0;
  std::chrono::steady_clock::time_point hold_until_{};
  int wal_frames_seen_ = 0;
  std::int64_t wal_rewinds_ = 0;       // times the WAL started again from its beginning
  std::int64_t wal_rewind_tries_ = 0;  // checkpoints the loop ran for that
  double wal_rewind_max_ms_ = 0;       // the longest checkpoint the loop waited for
  boost::asio::signal_set signals_;
  int next_rewind_;  // WAL frames at which the loop next checkpoints (--wal-rewind-frames)
  group group_;
  int lock_fd_ = -1;
  bool stopping_ = false;
  bool storage_failed_ = false;
  case_census census_;                       // with --metrics only
  std::unique_ptr<engine_metrics> metrics_;  // observed by durable_ (cleared first at exit)
  std::chrono::steady_clock::time_point metrics_refreshed_{};
  std::chrono::steady_clock::time_point busy_until_{};  // the store was busy: no BEGIN before this
  std::int64_t busy_waits_ = 0;
};

// Logs one line to stderr: "2026-11-22T10:00:00Z assess-engine: <text>".
void log_line(const std::string& text);

}  // namespace af::engine
