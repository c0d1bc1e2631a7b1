// store.h: the engine's SQLite store: employees, cycles, cases, history,
// tasks (the outbox), external events and their monthly aggregates.
//
// Contract: the engine is the only writer and calls the store from its one
// event-loop thread. Methods throw sqlite_error on a database failure
// (class store below says what else each answers); the engine catches it
// at the message's savepoint or the group's transaction on the unit of
// work (engine/unit_of_work.h), rolls back and reports a status, so no
// exception leaves the engine's request handling.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/rows.h"
#include "engine/sqlite.h"
#include "engine/unit_of_work.h"
#include "messages/envelope.h"

namespace af::engine {

// Row readers shared by the store's source files.
case_row read_case(statement& s);
extern const char* const case_columns;

// The store's methods are implemented by table, one concept a file:
// store.cpp (open, the statement cache), store_org.cpp (employees),
// store_cycles.cpp (cycles, schedule runs), store_cases.cpp (cases),
// store_timers.cpp (deadlines, run-window ends), store_history.cpp (history,
// case events), store_tasks.cpp (tasks), store_events.cpp (events),
// store_sales.cpp (monthly aggregates, targets), store_reviews.cpp
// (standard table, raters) and store_principals.cpp (principals, audit).
//
// Failure, for every method but open(): a storage fault (I/O error, disk
// full, busy) or a constraint the arguments break throws sqlite_error, and
// nothing else does unless the method says so (a for_each_* passes on what
// its callback throws, ending the listing); the message's savepoint or
// the group's transaction that the caller opened on work() is rolled back
// by whoever catches it (unit_of_work.h), so a half-done write never
// commits. Nothing missing is an error: a reader answers nullopt, false, an
// empty list or zeros as each says, and a write to a row that does not exist
// changes nothing, unless its comment says otherwise.
//
// Not thread-safe: one event-loop thread calls it (the checkpointer has
// its own connection).
class store {
 public:
  // Opens the SQLite file at `path` (creating it; the engine's is
  // DATA/assessflow.db) in WAL mode and migrates it with the files of
  // `migrations_dir`. `full_sync` chooses synchronous=FULL (every commit
  // survives power loss) or NORMAL (survives any process crash; the last
  // commits may be lost on power loss). Fails with a status: NotFound or
  // InvalidArgument for the migrations directory (load_migrations),
  // Corruption for a database newer than this build, IOError when the
  // file cannot be opened, set up or migrated.
  static result<store> open(const std::string& path, const std::string& migrations_dir,
                            bool full_sync);

  // The group transaction and each message's savepoint (unit_of_work.h),
  // for the life of the store.
  unit_of_work& work() { return work_; }
  // Frames in the WAL after the last commit (database::wal_frames).
  [[nodiscard]] int wal_frames() const { return db_.wal_frames(); }
  // A PASSIVE checkpoint outside any transaction: true when the WAL is
  // wholly in the database file, false when busy (database::checkpoint).
  // Never throws.
  bool checkpoint() { return db_.checkpoint(); }

  // Employees (store_org.cpp).
  // Inserts the employee or updates every column of the one with its id.
  // Throws sqlite_error when a column breaks the table (grade not 1..4).
  void upsert_employee(const employee_row& e);
  // The employee with `id`, active or not; nullopt when there is none.
  std::optional<employee_row> find_employee(const std::string& id);
  // Every employee (of `unit` when given), active or not, by id; empty when none.
  std::vector<employee_row> employees(const std::optional<std::string>& unit);
  // Calls `f` with every employee's id, in no particular order.
  void for_each_employee_id(const std::function<void(const std::string&)>& f);
  // One row at a time (a cycle of 100,000 employees needs no vector of
  // them), as employees() orders them. An exception from `f` ends the
  // listing and propagates.
  void for_each_employee(const std::optional<std::string>& unit,
                         const std::function<void(const employee_row&)>& f);
  // Whether any employee (of `unit` when given) exists, active or not.
  bool has_employees(const std::optional<std::string>& unit = std::nullopt);
  // Whether some employee has `id` as their HRBP.
  bool is_hrbp(const std::string& id);
  // Grades over time (grade_changes): a new employee's first grade (from
  // none) and each change an org import applied, with when and by whom.
  struct grade_change {
    std::string employee_id;
    std::optional<int> from;  // none: the first grade known
    int to = 0;
    std::string at, by;
  };
  void add_grade_change(const grade_change& g);
  // The employee's grade changes, oldest first (every employee's when
  // `employee_id` is none); empty when none.
  std::vector<grade_change> grade_changes(const std::optional<std::string>& employee_id);

  // Cycles and cases (store_cycles.cpp, store_cases.cpp, store_timers.cpp).
  // The id of the cycle of this program and period over `unit` (nullopt:
  // the cycle over all units); nullopt when none was opened.
  std::optional<std::int64_t> find_cycle(const std::string& program, const std::string& period,
                                         const std::optional<std::string>& unit);
  // Records a cycle opened `at` by `by`, its run window ending at `due_at`
  // (Unix seconds); returns its new id. Never refuses a repeat: the caller
  // asks find_cycle first.
  std::int64_t insert_cycle(const std::string& program, const std::string& period,
                            const std::optional<std::string>& unit, const std::string& at,
                            const std::string& by, std::int64_t due_at);
  // The cycle with `id`; nullopt when there is none.
  std::optional<cycle_row> find_cycle_row(std::int64_t id);
  // Cycles whose run window ended by `now` and that were not checked yet,
  // by window end then id; empty when none.
  std::vector<cycle_row> cycles_past_due(std::int64_t now);
  // Every cycle, in id order (store_timers.cpp).
  std::vector<cycle_row> all_cycles();
  // Cases per cycle and state: {cycle id: {state: count}}.
  std::map<std::int64_t, std::map<std::string, std::int64_t>> case_counts_by_cycle();
  // The earliest run-window end of a cycle not checked yet; nullopt when none.
  std::optional<std::int64_t> next_cycle_due();
  // Marks the cycle checked `at` (cycles_past_due no longer lists it).
  void mark_cycle_checked(std::int64_t id, const std::string& at);
  // Inserts unless the employee already has a case of this program and
  // period; returns the new id or nullopt. Throws sqlite_error when
  // `c.cycle_id` names no cycle.
  std::optional<std::int64_t> insert_case(const case_row& c);
  // The case with `id`; nullopt when there is none.
  std::optional<case_row> find_case(std::int64_t id);
  // The employee's case of a program and period (at most one: cycles open
  // each once).
  std::optional<case_row> find_case(const std::string& program, const std::string& period,
                                    const std::string& employee_id);
  // The matching cases in id order, one row at a time (a cycle may hold
  // 100,000). `f` must not list cases itself. An exception from `f` ends
  // the listing and propagates.
  void for_each_case(const case_filter& filter, const std::function<void(const case_row&)>& f);
  // The same cases, ids only; empty when none match.
  std::vector<std::int64_t> case_ids(const case_filter& f);
  // The new state and its deadline (none: both nullopt); clears any
  // overdue mark of the state left and arms the new deadline's timers.
  void set_state(std::int64_t id, const std::string& state, const std::string& at,
                 std::optional<std::int64_t> remind_at = std::nullopt,
                 std::optional<std::int64_t> due_at = std::nullopt);
  // Each replaces one column (or the result's three) of the case.
  void set_self(std::int64_t id, const std::string& json);
  void set_review(std::int64_t id, const std::string& json);
  void set_result(std::int64_t id, const std::string& json, std::int64_t total,
                  std::optional<std::int64_t> tier);
  void set_result_json(std::int64_t id, const std::string& json);
  void set_adjustment(std::int64_t id, std::int64_t tier, const std::string& reason);
  void set_flags(std::int64_t id, const std::string& json_array);
  void set_overdue(std::int64_t id, const std::string& since);

  // Deadlines (the columns set by insert_case and set_state; store_timers.cpp).
  // The earliest reminder or deadline still to fire; nullopt when none.
  std::optional<std::int64_t> next_timer_at();
  // Timers with something due by `now`, earliest first, at most `limit`;
  // empty when none.
  std::vector<case_timer> due_timers(std::int64_t now, std::size_t limit);
  // The case's reminder is sent: its next timer is its deadline.
  void mark_reminded(std::int64_t case_id);
  // The case's deadline has fired: no timer is left in this state.
  void mark_fired(std::int64_t case_id);
  // Cases whose deadline passed by `now`, by unit then deadline; empty when none.
  std::vector<case_row> overdue_cases(std::int64_t now);
  // The active employees holding `org_role` (hr, chairman, admin), by id;
  // empty when none.
  std::vector<employee_row> holders_of(role org_role);
  // The database's identity (migration 013's meta.instance_id), made once
  // when the database was created; read once, then kept.
  const std::string& instance_id();
  // Active employees without an e-mail address or a chat id: their
  // notifications go to the file channel alone.
  std::int64_t employees_without_channel();
  // Cases per state, of the states that have any.
  std::map<std::string, std::int64_t> case_counts_by_state();
  // (program, state) -> cases: the case census's start (engine/case_census.h).
  std::map<std::pair<std::string, std::string>, std::int64_t> case_counts_by_program_state();

  // History and case events (store_history.cpp).
  // Appends a history line and returns its id. `principal` names who sent
  // the request (a principal, or "engine" for timers). `event`: the case
  // event this step publishes (JSON text), kept with the row; the row's id
  // is its seq. An empty `from`, `reason` or `event` is stored as none.
  std::int64_t add_history(std::int64_t case_id, const std::string& at, const std::string& from,
                           const std::string& to, const std::string& action,
                           const std::string& actor, const std::string& reason,
                           const std::string& principal = "engine", const std::string& event = "");
  // Case events kept, seq > `after`, oldest first, at most `limit` (seq,
  // JSON text without it); empty when none.
  std::vector<std::pair<std::int64_t, std::string>> case_events_after(std::int64_t after,
                                                                      std::int64_t limit);
  // Events with seq up to this are no longer kept (or never were: rows
  // written before migration 008).
  std::int64_t events_purged_through();
  // Clears the events of history rows (in id order, at most `batch`)
  // written before `cutoff` (an instant as the rows write it); drops the
  // rows of cycle events. Returns how many history rows it passed (0: none left).
  std::int64_t purge_case_events(const std::string& cutoff, std::int64_t batch);
  // The case's history, oldest first; empty when the case has none or
  // does not exist.
  std::vector<history_row> history(std::int64_t case_id);

  // Tasks, the outbox (store_tasks.cpp).
  // Queues a task of `type` (stored as its kind, task_kind_of in outbox.h;
  // its payload's layout version is the current one of `type`) and returns
  // its id.
  std::int64_t insert_task(msg::message_type type, std::int64_t case_id, const std::string& payload,
                           const std::string& at);
  // Marks a queued task done; false if it was not queued (already applied,
  // dead, or no such task).
  bool complete_task(std::int64_t id, const std::string& at);
  // Marks the task dead, whatever its state, with its attempts and the
  // worker's error (at most 1000 bytes, cut on a character; a placeholder
  // when it is not UTF-8).
  void kill_task(std::int64_t id, int attempts, const std::string& error);
  // A delivery failed and the task stays queued: its attempts and last
  // error (cut as kill_task's). No change unless the task is queued.
  void note_task_failure(std::int64_t id, int attempts, const std::string& error);
  // The task's attempts, whatever its state.
  void set_attempts(std::int64_t id, int attempts);
  // Every queued task, by id; empty when none.
  std::vector<task_row> queued_tasks();
  // Tasks for `assessctl tasks`: id order after `after`, of one state or
  // all, at most `limit`; empty when none.
  struct task_listing {
    std::int64_t id = 0;
    std::string kind, state;
    std::int64_t case_id = 0;
    int attempts = 0;
    std::string created_at;
    std::optional<std::string> done_at, error;
  };
  std::vector<task_listing> list_tasks(const std::optional<std::string>& state, std::int64_t after,
                                       std::int64_t limit);
  // A dead task queued again with its attempts reset; nullopt if it is not
  // dead (or does not exist), and then nothing changed.
  std::optional<task_row> revive_task(std::int64_t id);
  // Every dead task's id, in order; empty when none.
  std::vector<std::int64_t> dead_task_ids();
  // A queued task's payload; nullopt when the task is not queued or does not exist.
  std::optional<std::string> queued_task_payload(std::int64_t id);
  // Tasks per state: always "queued", "done" and "dead", 0 when none.
  std::map<std::string, std::int64_t> task_counts_by_state();
  // kind -> dead tasks (the partial index tasks_dead): for the metrics.
  std::map<std::string, std::int64_t> dead_tasks_by_kind();

  // Events and aggregates (store_events.cpp, store_sales.cpp).
  // Appends an accepted event. Refuses no repeat: ingest's fingerprints do.
  void insert_event(const stored_event& e, std::int64_t received_at);
  // Every stored event's dedup fingerprint (of its source and event id).
  void for_each_fingerprint(const std::function<void(std::uint64_t, std::uint64_t)>& f);
  // Adds `delta` to the manager's month (a month without a row starts at 0).
  void add_monthly(const std::string& manager_id, const std::string& month,
                   const sales_figures& delta);
  // The manager's figures summed over the months from..to (both included);
  // zeros when there are none. Throws checked::overflow (base/checked.h)
  // naming the sum when one does not fit in 64 bits.
  sales_figures monthly_sum(const std::string& manager_id, const std::string& from_month,
                            const std::string& to_month);
  // How many events are stored.
  std::int64_t event_count();
  // Every stored sale, and (source, refers_to, amount) of every stored refund.
  void for_each_sale(const std::function<void(const stored_sale&)>& f);
  void for_each_refund(
      const std::function<void(const std::string&, const std::string&, std::int64_t)>& f);
  // Adds to the manager's sales and refunds of one brand in the month.
  void add_brand_monthly(const std::string& manager_id, const std::string& month,
                         const std::string& brand, std::int64_t sales_fen,
                         std::int64_t refunds_fen);
  // A month's process activity counts (activity_monthly), as added and
  // as read: outlets is every new outlet, county and township those that
  // named the area; display_checked every check event; banquets every
  // banquet event; found the stores an inspection found, by finding in
  // inspection_findings order (workers/domain/commission.h).
  struct activity_counts {
    std::int64_t outlets = 0, outlets_county = 0, outlets_township = 0;
    std::int64_t display_checked = 0, banquets = 0, complaints = 0;
    std::array<std::int64_t, 4> found{};
  };
  // Adds `delta` to the manager's counts of the month.
  void add_activity(const std::string& manager_id, const std::string& month,
                    const activity_counts& delta);
  // A store with a passed display check in the month (kept once; the
  // township of its first check).
  void add_display_store(const std::string& manager_id, const std::string& month,
                         const std::string& store_id, const std::string& township);
  struct display_month {
    std::int64_t stores = 0;                          // distinct stores
    std::map<std::string, std::int64_t> by_township;  // of them, per named township
  };
  display_month display_stores(const std::string& manager_id, const std::string& month);
  // Banquets of one origin and product ('' and '' when the events named
  // neither) in the month.
  struct banquet_month {
    std::string origin, product;
    std::int64_t events = 0, cases = 0, bottles = 0;
  };
  void add_banquets(const std::string& manager_id, const std::string& month,
                    const banquet_month& delta);
  // The month's banquets by origin and product, in that order; empty when none.
  std::vector<banquet_month> banquets(const std::string& manager_id, const std::string& month);
  // A customer bought from the manager in the month (kept once).
  void add_customer_month(const std::string& manager_id, const std::string& customer_id,
                          const std::string& month);
  // The manager's customers of the months from..to (both included): how
  // many bought, how many of them first bought from this manager in those
  // months, and how many had bought from them before `from`.
  struct customer_counts {
    std::int64_t customers = 0, new_customers = 0, repeat_customers = 0;
  };
  customer_counts customers(const std::string& manager_id, const std::string& from_month,
                            const std::string& to_month);

  // Learning activities a manager completed (store_learning.cpp), oldest
  // first; recording one twice keeps the first (false).
  struct learning_record {
    std::string activity_id, at, by, principal;
  };
  std::vector<learning_record> learning_done(const std::string& employee_id);
  bool add_learning_done(const std::string& employee_id, const learning_record& r);
  // The employee's case of `program` in `state` with the latest as_of.
  std::optional<case_row> latest_case(const std::string& program, const std::string& employee_id,
                                      const std::string& state);
  struct target_change {
    bool applied = false;                  // false: an older target_set arrived late
    std::optional<std::int64_t> replaced;  // the target it replaced
  };
  // Records a target_set in the history and makes it the target in force
  // unless a later-occurring one is already there; says which it did.
  target_change apply_target(const std::string& manager_id, const std::string& month,
                             const std::string& brand, std::int64_t target_fen,
                             std::int64_t occurred_at, const std::string& event_id);
  struct brand_month {
    std::string brand;
    std::int64_t target_fen = 0, sales_fen = 0, refunds_fen = 0;
  };
  // Every brand with a target or sales for the manager in the month, by
  // brand; empty when none.
  std::vector<brand_month> brand_months(const std::string& manager_id, const std::string& month);
  // The manager's activity counts of the month; zeros when none.
  activity_counts activity(const std::string& manager_id, const std::string& month);
  struct target_history_row {
    std::string month, brand, event_id;
    std::int64_t target_fen = 0, occurred_at = 0;
    std::optional<std::int64_t> replaced;
    bool applied = false;
  };
  // Every target_set of the manager in arrival order; empty when none.
  std::vector<target_history_row> target_history(const std::string& manager_id);

  // The competency model's standard table (migration 006, store_reviews.cpp).
  struct standard_change {
    std::string item;
    int grade = 0;
    std::string proposals_json;
    std::int64_t mean = 0;  // hundredths
    int before = 0, after = 0;
    std::string by, at;
    int business_year = 0;
  };
  // (item, grade) -> level, where adjusted; empty when nothing is.
  std::map<std::pair<std::string, int>, int> standard_levels(const std::string& program);
  // Sets (or replaces) the level of the item for the grade.
  void set_standard_level(const std::string& program, const std::string& item, int grade,
                          int level);
  // Appends an adjustment to the program's record.
  void add_standard_change(const std::string& program, const standard_change& c);
  // The program's adjustments, oldest first; empty when none.
  std::vector<standard_change> standard_changes(const std::string& program);

  // Raters of a case besides its supervisor, and every rater's ratings
  // (store_reviews.cpp). The case is not checked: the caller found it.
  struct rater_row {
    std::string rater, name, added_by, added_at;
  };
  bool add_rater(std::int64_t case_id, const rater_row& r);  // false: already a rater
  // The case's raters, in the order they were added; empty when none.
  std::vector<rater_row> raters(std::int64_t case_id);
  struct rating_row {
    std::string rater, ratings_json, at;
    std::optional<std::string> comment;
  };
  // Records the rater's ratings, replacing any earlier ones of theirs.
  void set_rating(std::int64_t case_id, const rating_row& r);
  // Every rater's ratings of the case, by rater; empty when none.
  std::vector<rating_row> ratings(std::int64_t case_id);

  // The scheduler's record of opened cycles (store_cycles.cpp).
  struct schedule_run {
    std::string program, period, window_start, window_end, opened_at;
    std::optional<std::int64_t> cycle_id;
    std::int64_t opened = 0;
    bool late = false;
  };
  // Records a run; a second one of the same program and period is ignored.
  void add_schedule_run(const schedule_run& r);
  // The program's runs, oldest window first; empty when none.
  std::vector<schedule_run> schedule_runs(const std::string& program);

  // Principals (engine/store_principals.cpp, migration 007).
  std::vector<principal_row> principals();  // by name, revoked ones included
  // The principal named `name`, revoked or not; nullopt when there is none.
  std::optional<principal_row> find_principal(const std::string& name);
  // The principal a key belongs to, current or retired; nullopt when no
  // principal ever had it.
  std::optional<std::string> principal_of_key(const std::string& public_key);
  // Registers a principal. Throws sqlite_error when its name or key is
  // taken, or its kind is neither person nor service.
  void insert_principal(const principal_row& p);
  // Marks the principal revoked `at`; no change when it already is.
  void revoke_principal(const std::string& name, const std::string& at);
  // The old key moves to principal_keys_retired; `public_key` is in use
  // from now on. Throws sqlite_error when `public_key` is another's.
  void replace_principal_key(const std::string& name, const std::string& public_key,
                             const std::string& at);
  // The principal's bearer token is now the one hashed so (migration 014);
  // the old token stops working. Throws sqlite_error when another holds it.
  void replace_principal_token(const std::string& name, const std::string& token_hash);
  // Whether any principal, revoked or not, holds this token hash.
  bool token_hash_taken(const std::string& token_hash);
  // Calls `f` with every retired key and the principal it belonged to.
  void for_each_retired_key(
      const std::function<void(const std::string& key, const std::string& principal)>& f);

  // The audit of refused requests (store_principals.cpp).
  void add_audit(const audit_row& r);  // appends; r.id is ignored
  // Newest last; rows at or after `since`, of `principal` when given, at
  // most `limit` (the newest ones); empty when none.
  std::vector<audit_row> audit(std::int64_t since, const std::optional<std::string>& principal,
                               std::int64_t limit);
  std::int64_t purge_audit(std::int64_t before);  // removes rows before it; how many

 private:
  explicit store(database db) : db_(std::move(db)), work_(db_.handle()) {}
  // Prepared once per SQL literal, reused for the life of the store.
  statement& stmt(const char* sql);
  database db_;
  unit_of_work work_;
  std::map<const char*, statement> cache_;
  std::string instance_id_;
};

}  // namespace af::engine
