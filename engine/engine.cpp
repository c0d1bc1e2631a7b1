#include "engine/engine.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/keyring.h"

namespace af::engine {
namespace {
// What every client of a group that could not commit is told.
constexpr std::string_view not_applied_ingest =
    R"([{"event_id":null,"status":"rejected","error":"not applied: the store could not commit; retry"}])";
constexpr std::string_view not_applied_admin =
    R"({"ok":false,"error":"not applied: the store could not commit; retry","code":"unavailable"})";
constexpr std::string_view disk_full_ingest =
    R"([{"event_id":null,"status":"rejected","error":"not applied: the disk is full; retry once space is freed"}])";
constexpr std::string_view disk_full_admin =
    R"({"ok":false,"error":"not applied: the disk is full; retry once space is freed","code":"unavailable"})";
bool is_disk_full(int sqlite_code) { return (sqlite_code & 0xff) == SQLITE_FULL; }
// ... and of a group committed when a WAL sync failed: it may or may not be on disk.
constexpr std::string_view not_durable_ingest =
    R"json([{"event_id":null,"status":"rejected","error":"not acknowledged: the WAL could not be synced and the engine is stopping; retry once it is back (a repeat is a duplicate)"}])json";
constexpr std::string_view not_durable_admin =
    R"({"ok":false,"error":"not acknowledged: the WAL could not be synced and the engine is stopping; check and retry once it is back","code":"unavailable"})";
}  // namespace
namespace {

namespace fs = std::filesystem;

result<program_registry> load_programs(const std::string& dir) {
  program_registry out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return status::not_found("workflow directory " + dir + " not found");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto wf = load_workflow_file(f.string());
    if (!wf) return wf.error();
    std::string name = wf->program();
    if (out.count(name))
      return status::invalid(f.string() + ": program " + name + " is defined twice");
    out.emplace(name, std::move(wf).value());
  }
  if (out.empty()) return status::not_found("no workflow definitions in " + dir);
  return out;
}

struct data_lock {
  int fd = -1;
  bool unclean = false;  // the file still named the last engine: it did not shut down cleanly
};

// DATA/engine.lock, held with flock while the engine runs; it holds the
// pid until a clean shutdown empties it.
result<data_lock> lock_data_dir(const std::string& dir) {
  std::string path = dir + "/engine.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return status::io_error("cannot open " + path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return status::conflict("data dir " + dir + " is in use by another assess-engine");
  }
  char previous[32];
  bool unclean = ::pread(fd, previous, sizeof previous, 0) > 0;
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
  }
  return data_lock{fd, unclean};
}

// PRAGMA quick_check on a read-only connection: a corrupt database stops
// the engine before it writes anything.
status quick_check(const std::string& path) {
  if (!fs::exists(path)) return status::ok();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::vector<std::string> problems;
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* stmt = nullptr;
    rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(5)", -1, &stmt, nullptr);
    while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::string line = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      if (line != "ok") problems.push_back(line);
      rc = SQLITE_OK;
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_finalize(stmt);
  }
  std::string err = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  sqlite3_close(db);
  if (rc != SQLITE_OK) problems.push_back(err);
  if (problems.empty()) return status::ok();
  return status::corruption(path + " is corrupt (quick_check: " + problems.front() +
                            "); not serving and nothing written: restore it from a backup");
}

// Loads a test build's fault-injection module: it installs its VFS as the
// default and gives the syncer its fdatasync.
result<durability::sync_function> load_fault_module(const std::string& path) {
#ifdef ASSESSFLOW_FAULT_INJECTION
  void* lib = ::dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!lib) return status::invalid(std::string("--fault-vfs: ") + ::dlerror());
  auto install = reinterpret_cast<int (*)()>(::dlsym(lib, "assess_fault_install"));
  auto sync = reinterpret_cast<durability::sync_function>(::dlsym(lib, "assess_fault_fdatasync"));
  if (!install || !sync) return status::invalid("--fault-vfs: " + path + " is not a fault module");
  if (int rc = install(); rc != 0)
    return status::invalid("--fault-vfs: " + path + " refused ASSESS_FAULT (error " +
                           std::to_string(rc) + ")");
  return sync;
#else
  return status::invalid("--fault-vfs " + path +
                         ": this build has no fault injection (configure with tests on)");
#endif
}

// Leases, heartbeats and worker liveness are about processes, so they run
// on real monotonic time, never on the business clock (which a simulated
// --clock-rate may run thousands of times faster).
std::int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void log_line(const std::string& text) {
  using namespace std::chrono;
  auto now = duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  fmt::print(stderr, "{} assess-engine: {}\n", format_instant(now, 0), text);
}

result<std::unique_ptr<engine>> engine::create(const engine_config& cfg,
                                               std::unique_ptr<clock> clk) {
  std::error_code ec;
  if (!msg::curve_available())
    return status::io_error(
        "refusing to run: this libzmq has no CURVE (zmq_has(\"curve\") is false), and every "
        "endpoint must authenticate its clients; install a libzmq built with libsodium");
  fs::create_directories(cfg.data_dir, ec);
  if (ec) return status::io_error("cannot create data dir " + cfg.data_dir + ": " + ec.message());
  auto lock = lock_data_dir(cfg.data_dir);
  if (!lock) return lock.error();
  auto programs = load_programs(cfg.schemas_dir + "/workflows");
  if (!programs) {
    ::close(lock->fd);
    return programs.error();
  }
  auto rubrics = rubric::load_dir(cfg.schemas_dir + "/rubrics");
  for (const auto& [name, wf] : programs ? *programs : program_registry{})
    if (rubrics && !rubrics->count(name))
      rubrics = status::invalid("workflow " + name + " has no rubric " + cfg.schemas_dir +
                                "/rubrics/" + name + ".json");
  if (!rubrics) {
    ::close(lock->fd);
    return rubrics.error();
  }
  // The store never fsyncs on commit: with --sync full, engine/durability.h
  // syncs the WAL off the loop before anything is acknowledged.
  durability::sync_function sync = nullptr;
  if (!cfg.fault_vfs.empty()) {
    auto loaded = load_fault_module(cfg.fault_vfs);
    if (!loaded) {
      ::close(lock->fd);
      return loaded.error();
    }
    sync = *loaded;
    log_line("fault injection: " + cfg.fault_vfs + " loaded (ASSESS_FAULT=" +
             (std::getenv("ASSESS_FAULT") ? std::getenv("ASSESS_FAULT") : "") + ")");
  }
  std::string db_path = cfg.data_dir + "/assessflow.db";
  if (lock->unclean || cfg.check) {
    if (lock->unclean)
      log_line("the last engine did not shut down cleanly: checking " + db_path +
               " before serving");
    if (status s = quick_check(db_path); !s) {
      ::close(lock->fd);
      return s;
    }
  }
  auto db = store::open(db_path, cfg.schemas_dir + "/migrations", false);
  std::string plan_path = cfg.schemas_dir + "/commission/plan.json";
  std::ifstream plan_file(plan_path);
  std::stringstream plan_text;
  plan_text << plan_file.rdbuf();
  auto plan = commission::parse_plan(plan_text.str(), plan_path);
  if (!plan_file || !plan) {
    ::close(lock->fd);
    return plan_file ? plan.error() : status::not_found("cannot read " + plan_path);
  }
  std::string rule_path = cfg.schemas_dir + "/commission/grade_rule.json";
  std::ifstream rule_file(rule_path);
  std::stringstream rule_text;
  rule_text << rule_file.rdbuf();
  auto rule = commission::parse_grade_rule(rule_text.str(), rule_path);
  if (!rule_file || !rule) {
    ::close(lock->fd);
    return rule_file ? rule.error() : status::not_found("cannot read " + rule_path);
  }
  plan->grades = *rule;
  if (!db) {
    ::close(lock->fd);
    return db.error();
  }
  engine_config with_sync = cfg;
  with_sync.wal_sync = sync;
  std::unique_ptr<engine> e(
      new engine(with_sync, std::move(clk), std::move(db).value(), std::move(programs).value()));
  e->lock_fd_ = lock->fd;
  std::string sched_path = cfg.schemas_dir + "/schedules.json";
  std::ifstream sched_file(sched_path);
  std::stringstream sched_text;
  sched_text << sched_file.rdbuf();
  auto defs = schedule::parse(sched_text.str(), sched_path);
  if (!sched_file || !defs)
    return sched_file ? defs.error() : status::not_found("cannot read " + sched_path);
  e->cases_.set_schedules(*defs);
  e->cases_.set_rubrics(std::move(rubrics).value());
  std::vector<schedule::definition> installed;
  for (const auto& d : *defs) {
    if (!cfg.schedule) break;
    if (e->programs_.count(d.program))
      installed.push_back(d);
    else
      log_line("schedules.json: " + d.program + " has no workflow definition; not scheduled");
  }
  e->scheduler_ = std::make_unique<scheduler>(e->db_, e->cases_, installed, cfg.tz_offset_minutes);
  e->admin_.on_schedule([raw = e.get()](std::int64_t now) { return raw->scheduler_->status(now); });
  e->admin_.set_event_retention_days(cfg.event_retention_days);
  e->admin_.on_principals_changed([raw = e.get()] { raw->group_.principals_changed = true; });
  e->cases_.set_plan(std::move(plan).value());
  if (status s = e->prepare_keys(); !s) return s;
  if (status s = e->bind(); !s) return s;
  try {
    e->ingest_.load();
    e->scheduler_->load();
    for (auto& t : e->db_.queued_tasks()) {
      auto type = task_type_of(t.kind);
      if (!type) continue;
      e->dispatcher_.enqueue({t.id, *type, t.case_id, t.attempts, std::move(t.payload), t.version});
    }
  } catch (const sqlite_error& err) {
    return status::io_error(std::string("cannot load state: ") + err.what());
  }
  log_line(fmt::format(
      "started: data {}, {} programs, {} stored events, {} tasks queued, {} principals; "
      "CURVE on ingest {}, admin {}, tasks {}, events {}",
      cfg.data_dir, e->programs_.size(), e->ingest_.fingerprints(), e->dispatcher_.queued(),
      e->principals_.size(), cfg.ingest_ep, cfg.admin_ep, cfg.tasks_ep, cfg.events_ep));
  return e;
}

engine::engine(const engine_config& cfg, std::unique_ptr<clock> clk, store db,
               program_registry programs)
    : cfg_(cfg),
      clock_(std::move(clk)),
      db_(std::move(db)),
      checkpointer_(cfg.data_dir + "/assessflow.db", std::chrono::milliseconds(200)),
      programs_(std::move(programs)),
      durable_(io_, cfg.data_dir + "/assessflow.db-wal", cfg.full_sync, cfg.wal_sync),
      zctx_(1),
      zap_(io_, zctx_, [this](const zap_request& r) { return admit(r); }),
      ingest_sock_(zctx_, zmq::socket_type::router),
      admin_sock_(zctx_, zmq::socket_type::router),
      tasks_sock_(zctx_, zmq::socket_type::router),
      events_sock_(zctx_, zmq::socket_type::pub),
      ingest_(db_, cfg.tz_offset_minutes, cfg.max_message_bytes),
      cases_(db_, programs_, cfg.tz_offset_minutes),
      timers_(db_, cases_),
      admin_(
          db_, cases_, principals_,
          [this] {
            auto s = dispatcher_.stats(steady_ms());
            const auto& c = ingest_.counts();
            s["ingest"] = {{"messages", c.messages},
                           {"accepted", c.accepted},
                           {"duplicate", c.duplicate},
                           {"rejected", c.rejected},
                           {"events_stored", ingest_.fingerprints()},
                           {"over_refunded_sales", ingest_.over_refunded_sales()},
                           {"commits", c.commits}};
            s["durability"] = {{"wal_syncs", durable_.syncs()},
                               {"mean_sync_ms", durable_.mean_sync_ms()},
                               {"wal_rewinds", wal_rewinds_},
                               {"wal_rewind_tries", wal_rewind_tries_},
                               {"wal_rewind_max_ms", wal_rewind_max_ms_},
                               {"wal_frames", db_.wal_frames()}};
            s["clock"] = format_instant(clock_->now_s(), cfg_.tz_offset_minutes);
            s["access"] = {{"principals", principals_.size()},
                           {"handshakes_admitted", zap_.admitted()},
                           {"handshakes_refused", zap_.refused()}};
            return s;
          },
          [this](const std::string& id) {
            if (ingest_.add_employee(id))
              db_.work().on_rollback([this, id] { ingest_.remove_employee(id); });
          }),
      dispatcher_(
          cfg.tasks,
          [this](const std::string& worker, const std::string& frame) {
            tasks_sock_.send(zmq::buffer(worker),
                             zmq::send_flags::sndmore | zmq::send_flags::dontwait);
            tasks_sock_.send(zmq::buffer(frame), zmq::send_flags::dontwait);
          },
          [this](std::int64_t id) { return db_.queued_task_payload(id); }),
      tick_timer_(io_),
      commit_timer_(io_),
      signals_(io_, SIGINT, SIGTERM),
      next_rewind_(cfg.wal_rewind_frames) {}

engine::~engine() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

status engine::prepare_keys() {
  std::vector<std::string> lines;
  auto key = ensure_keys(cfg_.data_dir, lines);
  if (!key) return key.error();
  engine_key_ = *key;
  try {
    db_.work().begin();
    register_default_principals(db_, cfg_.data_dir, format_instant(clock_->now_s(), 0), lines);
    db_.work().commit();
    principals_.reload(db_);
  } catch (const sqlite_error& err) {
    db_.work().rollback();
    return status::io_error(std::string("cannot register principals: ") + err.what());
  }
  for (const auto& l : lines) log_line(l);
  if (int n = tighten_permissions(cfg_.data_dir))
    log_line(fmt::format("made {} files and directories under {} owner-only (0600/0700)", n,
                         cfg_.data_dir));
  return status::ok();
}

void engine::set_hwm(zmq::socket_t& s, int send, int receive) {
  s.set(zmq::sockopt::sndhwm, send);
  s.set(zmq::sockopt::rcvhwm, receive);
}

void engine::secure(zmq::socket_t& s, const char* domain) {
  s.set(zmq::sockopt::curve_server, true);
  s.set(zmq::sockopt::curve_secretkey, engine_key_.secret_key);
  s.set(zmq::sockopt::zap_domain, domain);
}

status engine::bind() {
  if (status s = zap_.bind(); !s) return s;  // before any CURVE socket, or libzmq admits everyone
  for (auto* s : {&ingest_sock_, &admin_sock_, &tasks_sock_, &events_sock_})
    s->set(zmq::sockopt::linger, 1000);
  // High-water marks, per peer (ZeroMQ counts messages): what a slow or
  // silent peer can make the engine hold. Replies to a peer that does not
  // read them are dropped past the mark; requests past it wait in the
  // peer's kernel buffers. README "Bounded memory" gives the bytes.
  set_hwm(ingest_sock_, 10'000,
          256);  // replies ~100 B; events up to 2 x 1 MiB each, typically under 1 KiB
  set_hwm(admin_sock_, 64, 16);        // replies up to a 10,000-row page; requests up to 2 x 16 MiB
  set_hwm(tasks_sock_, 1'000, 1'000);  // tasks and results; a worker holds at most its capacity
  set_hwm(
      events_sock_, events_hwm,
      16);  // case events ~300 B; a subscriber that falls behind catches up with case_events.since
  // Twice each endpoint's own limit: a message a little over it still
  // arrives and gets its one-line refusal; only a grossly oversized one
  // costs its sender the connection (ZeroMQ drops it unread).
  ingest_sock_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(2 * cfg_.max_message_bytes));
  admin_sock_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(2 * max_admin_message_bytes));
  tasks_sock_.set(zmq::sockopt::maxmsgsize,
                  static_cast<std::int64_t>(2 * (msg::max_body_size + msg::header_size)));
  events_sock_.set(zmq::sockopt::maxmsgsize, std::int64_t{64 * 1024});  // subscriptions only
  secure(ingest_sock_, "ingest");
  secure(admin_sock_, "admin");
  secure(tasks_sock_, "tasks");
  secure(events_sock_, "events");
  std::pair<zmq::socket_t*, const std::string*> binds[] = {{&ingest_sock_, &cfg_.ingest_ep},
                                                           {&admin_sock_, &cfg_.admin_ep},
                                                           {&tasks_sock_, &cfg_.tasks_ep},
                                                           {&events_sock_, &cfg_.events_ep}};
  for (auto& [sock, ep] : binds) {
    try {
      sock->bind(*ep);
    } catch (const zmq::error_t& e) {
      return status::io_error("cannot bind " + *ep + ": " + e.what());
    }
  }
  events_bound_ = events_sock_.get(zmq::sockopt::last_endpoint);
  return status::ok();
}

void engine::rebind_events() {
  // A new socket in place of the old: closing a socket ends every
  // connection it has, so each subscriber reconnects and ZAP judges it
  // again. (A closed socket's ipc listener leaves its file, which the new
  // bind replaces; a tcp port may take a moment to be free: retried.)
  auto started = std::chrono::steady_clock::now();
  events_sock_.set(zmq::sockopt::linger, 0);
  events_sock_.close();
  events_sock_ = zmq::socket_t(zctx_, zmq::socket_type::pub);
  events_sock_.set(zmq::sockopt::linger, 1000);
  set_hwm(events_sock_, events_hwm, 16);
  events_sock_.set(zmq::sockopt::maxmsgsize, std::int64_t{64 * 1024});
  secure(events_sock_, "events");
  std::string error;
  for (auto give_up = started + std::chrono::seconds(2);;) {
    try {
      events_sock_.bind(events_bound_);
      error.clear();
      break;
    } catch (const zmq::error_t& e) {
      error = e.what();
    }
    if (std::chrono::steady_clock::now() >= give_up) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (error.empty())
    log_line(
        fmt::format("events endpoint {} rebound in {:.1f} ms: every subscriber authenticates again",
                    events_bound_, ms));
  else
    log_line("events endpoint " + events_bound_ + ": cannot bind again: " + error +
             " (no subscriber is admitted)");
}

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
        if (auto e = db_.find_employee(p->employee_id); e && e->active)
          v.org_roles = org_roles_of(e->roles);
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

void engine::run() {
  ingest_watch_ = std::make_unique<zmq_watch>(io_, ingest_sock_, [this] { drain_ingest(); });
  admin_watch_ = std::make_unique<zmq_watch>(io_, admin_sock_, [this] { drain_admin(); });
  tasks_watch_ = std::make_unique<zmq_watch>(io_, tasks_sock_, [this] { drain_tasks(); });
  zap_.start();
  ingest_watch_->start();
  admin_watch_->start();
  tasks_watch_->start();
  signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log_line(fmt::format("signal {} received: finishing and shutting down", sig));
    stop();
  });
  durable_.on_idle([this] { on_durable(); });
  durable_.on_fatal([this](const std::string& why) { storage_failed(why); });
  on_tick();
  io_.run();
  if (!storage_failed_) close_group(true);
  durable_.flush();  // the last acknowledgements leave before the sockets close
  for (auto* s : {&ingest_sock_, &admin_sock_, &tasks_sock_, &events_sock_}) s->close();
  if (storage_failed_) {
    log_line(
        "stopped after a failed WAL sync; a restart checks the database and recovers what the WAL "
        "holds");
    return;
  }
  if (lock_fd_ >= 0 && ::ftruncate(lock_fd_, 0) != 0)
    log_line("cannot mark the shutdown clean in engine.lock");
  log_line("shutdown complete");
}

void engine::storage_failed(const std::string& why) {
  if (storage_failed_) return;
  storage_failed_ = true;
  log_line("stopping: " + why);
  if (group_.open) fail_group("the engine is stopping after a failed WAL sync");
  stop();
}

void engine::stop() {
  if (stopping_) return;
  stopping_ = true;
  zap_.stop();
  ingest_watch_->stop();
  admin_watch_->stop();
  tasks_watch_->stop();
  tick_timer_.cancel();
  commit_timer_.cancel();
  signals_.cancel();
}

void engine::recheck_all() {
  if (stopping_) return;
  zap_.recheck();
  ingest_watch_->recheck();
  admin_watch_->recheck();
  tasks_watch_->recheck();
}

std::vector<engine::request> engine::receive_batch(zmq::socket_t& s, std::size_t limit) {
  std::vector<request> out;
  while (out.size() < limit) {
    std::vector<zmq::message_t> frames = receive_frames(s);
    if (frames.empty()) break;
    if (frames.size() < 2) continue;  // no routing id and body: not a request
    request r;
    r.body = std::move(frames.back());
    if (const char* key = zmq_msg_gets(r.body.handle(), "User-Id")) r.key = key;
    frames.pop_back();
    for (auto& f : frames) r.route.push_back(f.to_string());
    out.push_back(std::move(r));
  }
  return out;
}

bool engine::has_message(zmq::socket_t& s) {
  return (s.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0;
}

void engine::reply(zmq::socket_t& s, const std::vector<std::string>& route, std::string_view body) {
  for (const auto& frame : route)
    s.send(zmq::buffer(frame), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  s.send(zmq::buffer(body), zmq::send_flags::dontwait);
}

bool engine::open_group() {
  if (group_.open) return true;
  if (store_busy()) return false;
  auto now = std::chrono::steady_clock::now();
  try {
    db_.work().begin();
  } catch (const sqlite_error& e) {
    if ((e.code & 0xff) != SQLITE_BUSY) throw;
    // Another process holds the write lock (busy_timeout is 50 ms): leave
    // the requests queued in their sockets and try again after a tick,
    // so the loop never waits longer than that at a time.
    busy_until_ = now + std::chrono::milliseconds(50);
    if (++busy_waits_ == 1 || busy_waits_ % 100 == 0)
      log_line(
          fmt::format("the database is locked by another process; requests wait ({} times so far)",
                      busy_waits_));
    return false;
  }
  group_.open = true;
  return true;
}

void engine::close_group(bool force) {
  if (!group_.open || (!force && (durable_.syncing() || hold_for_cohort()))) return;
  try {
    ingest_.flush();
    db_.work().commit();
  } catch (const sqlite_error& e) {
    fail_group(std::string("commit failed: ") + e.what(), e.code);
    return;
  }
  ingest_.committed();
  ++hold_;  // a timer holding this group has nothing left to do
  if (group_.principals_changed) principals_changed();
  int frames = db_.wal_frames();
  if (frames < wal_frames_seen_) {  // this commit started the WAL again
    ++wal_rewinds_;
    next_rewind_ = cfg_.wal_rewind_frames;
  }
  wal_frames_seen_ = frames;
  if (frames >= next_rewind_) rewind_wal();
  group g = std::move(group_);
  group_ = group{};
  durable_.after_commit([this, g = std::move(g)](bool durable) mutable {
    if (!durable) {  // committed, but perhaps not on disk: never acknowledged
      for (const auto& r : g.ingest_replies) reply(ingest_sock_, r.route, not_durable_ingest);
      for (const auto& r : g.admin_replies) reply(admin_sock_, r.route, not_durable_admin);
      return;
    }
    acked_since_sync_ += g.messages;
    for (const auto& r : g.ingest_replies) reply(ingest_sock_, r.route, r.body);
    for (const auto& r : g.admin_replies) reply(admin_sock_, r.route, r.body);
    after_commit(g.out);
  });
}

void engine::rewind_wal() {
  ++wal_rewind_tries_;
  auto start = std::chrono::steady_clock::now();
  db_.checkpoint();
  auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  wal_rewind_max_ms_ = std::max(wal_rewind_max_ms_, ms);
  // Try again only after as many frames more: if the WAL cannot start
  // again (busy checkpointer, or a reader outside the engine holding an
  // old snapshot), the loop must not checkpoint after every commit.
  next_rewind_ = db_.wal_frames() + cfg_.wal_rewind_frames;
}

void engine::on_durable() {
  ++hold_;
  cohort_ = acked_since_sync_;
  acked_since_sync_ = 0;
  hold_until_ = std::chrono::steady_clock::now() + cfg_.commit_delay;
  close_group(stopping_);
}

bool engine::hold_for_cohort() {
  if (cfg_.commit_delay.count() <= 0 || stopping_ || group_.messages >= cohort_) return false;
  if (std::chrono::steady_clock::now() >= hold_until_) return false;
  if (timer_hold_ != hold_) {  // no timer yet for this hold
    timer_hold_ = hold_;
    commit_timer_.expires_at(hold_until_);  // cancels a wait left from an earlier hold
    commit_timer_.async_wait([this, hold = hold_](const boost::system::error_code& ec) {
      if (ec || hold != hold_) return;  // cancelled, or the group it held has committed since
      close_group(true);
      recheck_all();
    });
  }
  return true;
}

void engine::fail_group(const std::string& why, int sqlite_code) {
  db_.work().rollback();  // and the undos: fingerprints, employees, scheduler periods, tasks taken
  log_line("group transaction rolled back, nothing in it acknowledged: " + why);
  bool full = is_disk_full(sqlite_code);
  for (const auto& r : group_.ingest_replies)
    reply(ingest_sock_, r.route, full ? disk_full_ingest : not_applied_ingest);
  for (const auto& r : group_.admin_replies)
    reply(admin_sock_, r.route, full ? disk_full_admin : not_applied_admin);
  bool changed = group_.principals_changed;
  group_ = group{};
  principals_.mark_stale();  // it may have read principals the rollback removed
  // ... and admitted a key whose registration is gone with it.
  if (changed) principals_changed();
}

void engine::drain_ingest() {
  // Nothing received while the store is busy: the requests wait in the socket and the tick tries
  // again.
  if (!has_message(ingest_sock_) || !open_group()) return;
  auto batch = receive_batch(ingest_sock_, cfg_.max_batch_messages);
  if (batch.empty()) return;
  std::int64_t now = clock_->now_s();
  std::size_t next = 0;
  try {
    for (; next < batch.size(); ++next) {
      auto& r = batch[next];
      const principal* p = caller_of(r, "ingest", true);
      std::string reply;
      if (!p) {
        reply =
            R"([{"event_id":null,"status":"rejected","error":"this key is revoked or was rotated; nothing applied"}])";
      } else if (!p->has(capability::ingest) && !p->has(capability::admin)) {
        std::string why =
            "principal " + p->describe() + " may not publish events (needs the ingest capability)";
        refuse(p->name, "ingest", "events", why, true);
        reply = R"([{"event_id":null,"status":"rejected","error":)";
        append_json_string(reply, why);
        reply += "}]";
      } else {
        reply = ingest_.handle({r.body.data<char>(), r.body.size()}, now, p->name);
      }
      group_.ingest_replies.push_back({std::move(r.route), std::move(reply)});
      ++group_.messages;
    }
  } catch (const sqlite_error& e) {
    fail_group(e.what(), e.code);
    for (; next < batch.size(); ++next)
      reply(ingest_sock_, batch[next].route,
            is_disk_full(e.code) ? disk_full_ingest : not_applied_ingest);
  }
  close_group(group_.messages >= cfg_.max_batch_messages);
  recheck_all();
}

void engine::drain_admin() {
  // Nothing received while the store is busy: the requests wait in the socket and the tick tries
  // again.
  if (!has_message(admin_sock_) || !open_group()) return;
  auto batch = receive_batch(admin_sock_, 64);
  if (batch.empty()) return;
  std::int64_t now = clock_->now_s();
  std::size_t next = 0;
  try {
    for (; next < batch.size(); ++next) {
      auto& r = batch[next];
      const principal* p = caller_of(r, "admin", true);
      std::string reply =
          p ? admin_.handle(*p, {r.body.data<char>(), r.body.size()}, now, group_.out)
            : admin_api::refusal(status::forbidden("this key is revoked or was rotated"));
      group_.admin_replies.push_back({std::move(r.route), std::move(reply)});
      ++group_.messages;
    }
  } catch (const sqlite_error& e) {
    fail_group(e.what(), e.code);
    for (; next < batch.size(); ++next)
      reply(admin_sock_, batch[next].route,
            is_disk_full(e.code) ? disk_full_admin : not_applied_admin);
  }
  close_group(group_.messages >= cfg_.max_batch_messages);
  recheck_all();
}

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
    auto sent = msg::unpack<msg::notify_task>({task->type, 1, 0, 0, task->body});
    if (r && r->ok && sent &&
        r->notification_id != sent->notification_id) {  // a stale result for a reused task id
      log_line(fmt::format("task {}: result for another notification ignored", task->id));
      dispatcher_.restore(std::move(*task));
      return;
    }
    if (!r || !r->ok) {  // a garbled result may come out right next time
      fail_task(std::move(*task), r ? r->error : "result dropped: " + r.error().message(),
                !r || r->retryable);
      return;
    }
    std::int64_t id = task->id;
    keep_taken(std::move(*task));
    db_.complete_task(id, at);
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

void engine::fail_task(queued_task task, const std::string& error, bool retryable) {
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
    return;
  }
  std::int64_t id = task.id;
  int attempts = task.attempts;
  keep_taken(std::move(task));
  db_.kill_task(id, attempts, error);
  if (log)
    log_line(
        fmt::format("task {} ({}) dead after {} attempts: {}{}", id, kind, attempts, error, more));
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
  auto input = msg::unpack<msg::targets_task>({task.type, 1, 0, 0, task.body});
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
  // The capability a worker of each kind needs.
  auto may_do = [](const principal& p, msg::worker_kind k) {
    switch (k) {
      case msg::worker_kind::scoring:
        return p.has(capability::worker_scoring);
      case msg::worker_kind::targets:
        return p.has(capability::worker_targets);
      case msg::worker_kind::notify:
        return p.has(capability::worker_notify);
    }
    return false;
  };
  try {
    for (auto& r : batch) {
      const std::string& worker = r.route.front();
      const principal* p = caller_of(r, "tasks", true);
      if (!p) continue;
      if (!p->is_worker()) {
        refuse(p->name, "tasks", "message", "principal " + p->describe() + " is no worker", true);
        continue;
      }
      auto e = msg::decode({r.body.data<char>(), r.body.size()});
      if (!e) {
        refuse(p->name, "tasks", "frame", "frame dropped: " + e.error().message(), true);
        continue;
      }
      if (e->type == msg::message_type::worker_hello || e->type == msg::message_type::heartbeat) {
        bool hello = e->type == msg::message_type::worker_hello;
        msg::worker_hello h;
        if (hello) {
          auto body = msg::unpack<msg::worker_hello>(*e);
          if (!body) continue;
          h = *body;
        } else {
          auto body = msg::unpack<msg::heartbeat>(*e);
          if (!body) continue;
          h = {body->kind, body->name, body->pid, body->capacity};
        }
        if (!may_do(*p, h.kind)) {
          refuse(p->name, "tasks", hello ? "hello" : "heartbeat",
                 "principal " + p->describe() + " may not lease " +
                     std::string(msg::kind_name(h.kind)) + " tasks",
                 true);
          continue;
        }
        if (status s = dispatcher_.seen(worker, p->name, h.kind, h.capacity, h.name, h.pid, now_ms);
            !s) {
          refuse(p->name, "tasks", hello ? "hello" : "heartbeat", s.message(), true);
          continue;
        }
        worker_keys_[worker] = r.key;
        if (hello)
          log_line(fmt::format("worker {} ({}, pid {}, capacity {}, principal {}) connected",
                               h.name, msg::kind_name(h.kind), h.pid, h.capacity, p->name));
        continue;
      }
      if (e->type != msg::message_type::scoring_result &&
          e->type != msg::message_type::notify_result &&
          e->type != msg::message_type::targets_result) {
        refuse(p->name, "tasks", std::string(msg::type_name(e->type)), "not a worker's message",
               true);
        continue;
      }
      if (!open_group()) {  // busy after all: the lease expires and the task is offered again
        refuse(p->name, "tasks", std::string(msg::type_name(e->type)),
               "result dropped: the store is busy", true);
        continue;
      }
      db_.work().savepoint();
      try {
        apply_result(*e, worker, *p, now);
        db_.work().release();
      } catch (const std::exception&
                   err) {  // never the engine: this message is dropped, the task offered again
        db_.work().rollback_to();  // throws transaction_lost when the group is gone
        refuse(p->name, "tasks", std::string(msg::type_name(e->type)),
               std::string("result dropped: ") + err.what(), true);
      }
    }
  } catch (const sqlite_error& err) {
    fail_group(err.what(), err.code);
  }
  close_group(group_.messages >= cfg_.max_batch_messages);
  recheck_all();
}

void engine::after_commit(outbox& out) {
  for (auto& t : out.tasks) dispatcher_.enqueue(std::move(t));
  for (const auto& p : out.publications) {
    events_sock_.send(zmq::str_buffer("case"),
                      zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    events_sock_.send(zmq::buffer(p), zmq::send_flags::dontwait);
  }
  dispatcher_.pump(steady_ms());
  recheck_all();
}

void engine::purge_audit() {
  std::int64_t now = clock_->now_s();
  if (now - audit_purged_at_ < 3600) return;  // hourly
  try {
    if (!open_group()) return;  // next tick
    audit_purged_at_ = now;
    if (auto n = db_.purge_audit(now - std::int64_t{cfg_.audit_retention_days} * 86400))
      log_line(fmt::format("audit: {} refused requests older than {} days removed", n,
                           cfg_.audit_retention_days));
    std::string cutoff = format_instant(now - std::int64_t{cfg_.event_retention_days} * 86400,
                                        cfg_.tz_offset_minutes);
    for (int batch = 0; batch < 50 && db_.purge_case_events(cutoff, 10'000) > 0; ++batch) {
    }
  } catch (const sqlite_error& e) {
    fail_group(std::string("audit purge: ") + e.what(), e.code);
  }
}

void engine::on_tick() {
  if (stopping_) return;
  for (auto it = worker_keys_.begin();
       it != worker_keys_.end();)  // connections the dispatcher forgot
    it = dispatcher_.has_worker(it->first) ? std::next(it) : worker_keys_.erase(it);
  auto dead = dispatcher_.tick(steady_ms());
  if (!dead.empty()) {
    try {
      if (!open_group()) throw std::runtime_error("busy");
      for (const auto& t : dead)
        db_.kill_task(t.id, t.attempts, "lease expired " + std::to_string(t.attempts) + " times");
      for (const auto& t : dead)
        log_line(
            fmt::format("task {} (case {}) dead after {} attempts", t.id, t.case_id, t.attempts));
    } catch (const std::exception& e) {  // the store failed or is busy: they expire again next tick
      if (group_.open) fail_group(e.what());
      for (auto& t : dead) dispatcher_.restore(std::move(t));
    }
  }
  purge_audit();
  if (!stopping_ && scheduler_->anything_due(clock_->now_s()) && open_group()) {
    try {
      for (const auto& line : scheduler_->run_due(clock_->now_s(), group_.out)) log_line(line);
    } catch (const sqlite_error& e) {
      fail_group(std::string("scheduler: ") + e.what(), e.code);
    }
  }
  if (!stopping_ && timers_.anything_due(clock_->now_s()) && open_group()) {
    try {
      for (const auto& line : timers_.fire_due(clock_->now_s(), group_.out)) log_line(line);
    } catch (const sqlite_error& e) {
      fail_group(std::string("timers: ") + e.what(), e.code);
    }
  }
  close_group(false);
  dispatcher_.pump(steady_ms());
  recheck_all();
  tick_timer_.expires_after(std::chrono::milliseconds(100));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) on_tick();
  });
}

}  // namespace af::engine
