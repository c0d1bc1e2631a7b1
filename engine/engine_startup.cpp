// engine_startup.cpp: how an engine comes to be: the data dir's lock, the
// definitions loaded from schemas/ (workflows, rubrics, the commission plan,
// schedules), the database checked and opened, the keys and first
// principals, the sockets bound and the state reloaded (stored events,
// queued tasks). Any refusal is one status line and nothing is served.
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

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/keyring.h"
#include "workers/domain/notice_templates.h"

namespace af::engine {
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
  std::string rolled_up;  // the program whose sales_check.rolled_up_from roll-ups sum
  for (const auto& f : files) {
    auto wf = load_workflow_file(f.string());
    if (!wf) return wf.error();
    std::string name = wf->program();
    if (out.count(name))
      return status::invalid(f.string() + ": program " + name + " is defined twice");
    if (wf->sales_check() && wf->sales_check()->rolled_up_from) {
      if (!rolled_up.empty())
        return status::invalid(f.string() + ": sales_check.rolled_up_from: " + rolled_up +
                               " is already the program that is rolled up (only one may be)");
      rolled_up = name;
    }
    out.emplace(name, std::move(wf).value());
  }
  if (out.empty()) return status::not_found("no workflow definitions in " + dir);
  return out;
}

// The rubrics of schemas/rubrics/, one for every program (the first
// program without one, in name order, is the error).
result<rubric::rubric_set> load_rubrics(const std::string& schemas_dir,
                                        const program_registry& programs) {
  auto rubrics = rubric::load_dir(schemas_dir + "/rubrics");
  for (const auto& [name, wf] : programs)
    if (rubrics && !rubrics->count(name))
      rubrics = status::invalid("workflow " + name + " has no rubric " + schemas_dir + "/rubrics/" +
                                name + ".json");
  return rubrics;
}

// A whole file's text; nullopt when it cannot be opened.
std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return std::nullopt;
  return text.str();
}

// schemas/commission/plan.json with the grade rule of grade_rule.json in it.
result<commission::plan> load_plan(const std::string& schemas_dir) {
  std::string plan_path = schemas_dir + "/commission/plan.json";
  auto plan_text = read_file(plan_path);
  if (!plan_text) return status::not_found("cannot read " + plan_path);
  auto plan = commission::parse_plan(*plan_text, plan_path);
  if (!plan) return plan.error();
  std::string rule_path = schemas_dir + "/commission/grade_rule.json";
  auto rule_text = read_file(rule_path);
  if (!rule_text) return status::not_found("cannot read " + rule_path);
  auto rule = grade_review::parse_rule(*rule_text, rule_path);
  if (!rule) return rule.error();
  plan->grades = *rule;
  return plan;
}

// schemas/learning/catalogue.json, checked against its program's rubric.
result<learning::catalogue> load_catalogue(const std::string& schemas_dir,
                                           const rubric::rubric_set& rubrics) {
  std::string path = schemas_dir + "/learning/catalogue.json";
  auto text = read_file(path);
  if (!text) return status::not_found("cannot read " + path);
  auto j = msg::json::parse(*text, nullptr, false);
  std::string program = j.is_object() ? j.value("program", "") : "";
  auto r = rubrics.find(program);
  if (r == rubrics.end())
    return status::invalid(path + ": program: \"" + program + "\" has no rubric in " + schemas_dir +
                           "/rubrics");
  return learning::parse_catalogue(*text, path, r->second);
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

// The WAL's fdatasync: the fault module's when --fault-vfs names one, else
// none (durability's ::fdatasync). The store never fsyncs on commit: with
// --sync full, engine/durability.h syncs the WAL off the loop before
// anything is acknowledged.
result<durability::sync_function> wal_sync_of(const engine_config& cfg) {
  durability::sync_function sync = nullptr;
  if (!cfg.fault_vfs.empty()) {
    auto loaded = load_fault_module(cfg.fault_vfs);
    if (!loaded) return loaded.error();
    sync = *loaded;
    log_line("fault injection: " + cfg.fault_vfs + " loaded (ASSESS_FAULT=" +
             (std::getenv("ASSESS_FAULT") ? std::getenv("ASSESS_FAULT") : "") + ")");
  }
  return sync;
}

// schemas/templates/<lang>/ for the company's language (zh) and English:
// a template for every kind of notification the workflows and deadlines
// emit, and a label for every program, state and role a notification names
// (workers/domain/notice_templates.h). The notify worker renders them.
status check_templates(const std::string& schemas_dir, const program_registry& programs) {
  std::set<std::string> kinds = {"deadline_reminder", "deadline_missed", "cycle_unfinished"};
  std::set<std::string> names, states, roles;
  for (const auto& [name, wf] : programs) {
    names.insert(name);
    for (state_id s = 0; s < wf.state_count(); ++s) {
      states.insert(wf.state_name(s));
      for (const auto& e : wf.on_enter(s))
        if (e.what == emit_def::kind::notify) kinds.insert(e.notification);
    }
    for (const auto& t : wf.transitions())
      for (const auto& e : t.emits)
        if (e.what == emit_def::kind::notify) kinds.insert(e.notification);
  }
  for (role r : {role::employee, role::supervisor, role::hrbp, role::hr, role::chairman,
                 role::admin, role::rater})
    roles.insert(std::string(role_name(r)));
  for (const char* lang : {"zh", "en"}) {
    auto set = notice::template_set::load(schemas_dir + "/templates", lang);
    if (!set) return status::invalid(schemas_dir + "/templates/" + set.error().message());
    if (status s = set->covers(kinds, names, states, roles); !s)
      return status::invalid(schemas_dir + "/templates/" + s.message());
  }
  return status::ok();
}

// Everything loaded before the engine exists, in this order.
struct startup {
  program_registry programs;
  rubric::rubric_set rubrics;
  durability::sync_function sync = nullptr;
  store db;
  commission::plan plan;
  learning::catalogue catalogue;
  certification::rule certification;
};

// The definitions, the fault module, the database (checked first after an
// unclean shutdown or with --check) and the commission plan. A broken plan
// is reported before a store that would not open.
result<startup> load_startup(const engine_config& cfg, bool unclean) {
  auto programs = load_programs(cfg.schemas_dir + "/workflows");
  if (!programs) return programs.error();
  auto rubrics = load_rubrics(cfg.schemas_dir, *programs);
  if (!rubrics) return rubrics.error();
  auto catalogue = load_catalogue(cfg.schemas_dir, *rubrics);
  if (!catalogue) return catalogue.error();
  if (status s = check_templates(cfg.schemas_dir, *programs); !s) return s;
  auto sync = wal_sync_of(cfg);
  if (!sync) return sync.error();
  std::string db_path = cfg.data_dir + "/assessflow.db";
  if (unclean || cfg.check) {
    if (unclean)
      log_line("the last engine did not shut down cleanly: checking " + db_path +
               " before serving");
    if (status s = quick_check(db_path); !s) return s;
  }
  auto db = store::open(db_path, cfg.schemas_dir + "/migrations", false);
  auto plan = load_plan(cfg.schemas_dir);
  if (!plan) return plan.error();
  for (const auto& [key, program] : {std::pair{"appraisal_program", plan->grades.appraisal_program},
                                     {"competency_program", plan->grades.competency_program}})
    if (!programs->count(program))
      return status::invalid(cfg.schemas_dir + "/commission/grade_rule.json: " + key + ": \"" +
                             program + "\" is not a program of " + cfg.schemas_dir + "/workflows");
  if (!db) return db.error();
  return startup{
      std::move(programs).value(), std::move(rubrics).value(), *sync,
      std::move(db).value(),       std::move(plan).value(),    std::move(catalogue).value()};
}

}  // namespace

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
  auto loaded = load_startup(cfg, lock->unclean);
  if (!loaded) {
    ::close(lock->fd);
    return loaded.error();
  }
  engine_config with_sync = cfg;
  with_sync.wal_sync = loaded->sync;
  std::unique_ptr<engine> e(
      new engine(with_sync, std::move(clk), std::move(loaded->db), std::move(loaded->programs)));
  e->lock_fd_ = lock->fd;  // from here the engine closes it
  e->cases_.set_catalogue(std::move(loaded->catalogue));
  e->cases_.set_certification_rule(std::move(loaded->certification));
  if (status s = e->install_definitions(std::move(loaded->rubrics), std::move(loaded->plan)); !s)
    return s;
  if (status s = e->prepare_keys(); !s) return s;
  if (status s = e->bind(); !s) return s;
  if (status s = e->load_state(); !s) return s;
  if (status s = e->start_metrics(); !s) return s;
  log_line(fmt::format(
      "started: data {}, {} programs, {} stored events, {} tasks queued, {} principals; "
      "CURVE on ingest {}, admin {}, tasks {}, events {}",
      cfg.data_dir, e->programs_.size(), e->ingest_.fingerprints(), e->dispatcher_.queued(),
      e->principals_.size(), cfg.ingest_ep, cfg.admin_ep, cfg.tasks_ep, cfg.events_ep));
  return e;
}

status engine::install_definitions(rubric::rubric_set rubrics, commission::plan plan) {
  std::string sched_path = cfg_.schemas_dir + "/schedules.json";
  auto sched_text = read_file(sched_path);
  if (!sched_text) return status::not_found("cannot read " + sched_path);
  auto defs = schedule::parse(*sched_text, sched_path);
  if (!defs) return defs.error();
  cases_.set_schedules(*defs);
  cases_.set_rubrics(std::move(rubrics));
  std::vector<schedule::definition> installed;
  for (const auto& d : *defs) {
    if (!cfg_.schedule) break;
    if (programs_.count(d.program))
      installed.push_back(d);
    else
      log_line("schedules.json: " + d.program + " has no workflow definition; not scheduled");
  }
  scheduler_ = std::make_unique<scheduler>(db_, cases_, installed, cfg_.tz_offset_minutes);
  admin_.on_schedule([this](std::int64_t now) { return scheduler_->status(now); });
  admin_.set_event_retention_days(cfg_.event_retention_days);
  admin_.on_principals_changed([this] { group_.principals_changed = true; });
  cases_.set_plan(std::move(plan));
  return status::ok();
}

status engine::load_state() {
  try {
    ingest_.load();
    scheduler_->load();
    for (auto& t : db_.queued_tasks()) {
      auto type = task_type_of(t.kind);
      if (!type) continue;
      dispatcher_.enqueue({t.id, *type, t.case_id, t.attempts, std::move(t.payload), t.version});
    }
  } catch (const sqlite_error& err) {
    return status::io_error(std::string("cannot load state: ") + err.what());
  }
  return status::ok();
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
          db_, cases_, principals_, [this] { return live_stats(); },
          [this](const std::string& id) {
            if (ingest_.add_employee(id))
              db_.work().on_rollback([this, id] { ingest_.remove_employee(id); });
          }),
      dispatcher_(
          cfg.tasks,
          [this](const std::string& worker, const std::string& frame) {
            send_retrying(tasks_sock_, zmq::buffer(worker),
                          zmq::send_flags::sndmore | zmq::send_flags::dontwait);
            send_retrying(tasks_sock_, zmq::buffer(frame), zmq::send_flags::dontwait);
          },
          [this](std::int64_t id) { return db_.queued_task_payload(id); }),
      tick_timer_(io_),
      commit_timer_(io_),
      signals_(io_, SIGINT, SIGTERM),
      next_rewind_(cfg.wal_rewind_frames) {}

engine::~engine() {
  durable_.observe_syncs(nullptr);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

status engine::start_metrics() {
  if (cfg_.metrics_listen.empty()) return status::ok();
  try {
    census_.load(db_.case_counts_by_program_state());
    metrics_ = std::make_unique<engine_metrics>(metrics_address(cfg_.metrics_listen));
  } catch (const sqlite_error& err) {
    return status::io_error(std::string("cannot count the cases for the metrics: ") + err.what());
  } catch (const std::runtime_error& err) {
    return status::invalid(err.what());
  }
  cases_.set_census(&census_);
  durable_.observe_syncs(metrics_.get());
  admin_.on_answered([this](std::string_view command, std::string_view outcome) {
    metrics_->admin_answered(command, outcome);
  });
  refresh_metrics();
  log_line(fmt::format("metrics: http://{}/metrics (Prometheus text format, no authentication)",
                       metrics_->address()));
  return status::ok();
}

void engine::refresh_metrics() {
  metrics_refreshed_ = std::chrono::steady_clock::now();
  metrics_view v;
  v.ingest = &ingest_.counts();
  v.cases = census_.counts();
  v.tasks = dispatcher_.figures_by_kind();
  try {
    v.dead_tasks = db_.dead_tasks_by_kind();
  } catch (const sqlite_error&) {  // a busy or failing store: the last figure stands
  }
  v.deadline_firings = timers_.fired();
  v.deliveries = &deliveries_;
  v.handshakes_admitted = zap_.admitted();
  v.handshakes_refused = zap_.refused();
  metrics_->refresh(v);
}

nlohmann::json engine::live_stats() {
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
  s["notifications"] = deliveries_.to_json();
  s["clock"] = format_instant(clock_->now_s(), cfg_.tz_offset_minutes);
  s["access"] = {{"principals", principals_.size()},
                 {"handshakes_admitted", zap_.admitted()},
                 {"handshakes_refused", zap_.refused()}};
  return s;
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

}  // namespace af::engine
