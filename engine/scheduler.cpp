#include "engine/scheduler.h"

namespace af::engine {

void scheduler::load() {
  for (const auto& d : defs_) {
    auto runs = db_.schedule_runs(d.program);
    if (!runs.empty()) last_[d.program] = *period::parse(runs.back().period);
  }
}

bool scheduler::anything_due(std::int64_t now) const {
  civil_date today = local_date(now, tz_);
  for (const auto& d : defs_) {
    auto last = last_.find(d.program);
    if (!schedule::due(d, last == last_.end() ? std::nullopt : std::optional<period>(last->second),
                       today)
             .empty())
      return true;
  }
  return false;
}

std::vector<std::string> scheduler::run_due(std::int64_t now, outbox& out) {
  std::vector<std::string> log;
  civil_date today = local_date(now, tz_);
  if (!db_.has_employees()) {
    if (!waiting_for_org_logged_)
      log.push_back("scheduler: cycles are due but no employees are imported yet; waiting");
    waiting_for_org_logged_ = true;
    return log;
  }
  for (const auto& d : defs_) {
    auto last = last_.find(d.program);
    std::optional<period> last_opened;
    if (last != last_.end()) last_opened = last->second;
    for (const auto& p : schedule::due(d, last_opened, today)) {
      auto w = schedule::window_of(d, p);
      bool late = today > w.end;
      auto opened =
          cases_.open_cycle(d.program, p.to_string(), std::nullopt, "scheduler", now, out);
      store::schedule_run run{d.program,
                              p.to_string(),
                              format_date(w.start),
                              format_date(w.end),
                              format_instant(now, tz_),
                              std::nullopt,
                              0,
                              late};
      if (opened) {
        run.cycle_id = opened->cycle;
        run.opened = opened->opened;
      }
      db_.add_schedule_run(run);
      auto before = last_.find(d.program);
      std::optional<period> was =
          before == last_.end() ? std::nullopt : std::optional<period>(before->second);
      db_.work().on_rollback([this, program = d.program, was] {  // not opened after all: due again
        if (was)
          last_[program] = *was;
        else
          last_.erase(program);
      });
      last_[d.program] = p;
      std::string line = "scheduler: " + d.program + " " + p.to_string() + ": ";
      if (!opened)
        line += "not opened: " + opened.error().message();
      else
        line += "cycle " + std::to_string(*run.cycle_id) + " opened with " +
                std::to_string(run.opened) + " cases";
      if (late)
        line += " (late: the window " + run.window_start + ".." + run.window_end +
                " passed while the engine was down)";
      log.push_back(line);
    }
  }
  return log;
}

msg::json scheduler::status(std::int64_t now) {
  using json = msg::json;
  json programs = json::array();
  civil_date today = local_date(now, tz_);
  for (const auto& d : defs_) {
    json j{{"program", d.program},
           {"every", d.every == period_kind::month     ? "month"
                     : d.every == period_kind::quarter ? "quarter"
                                                       : "year"}};
    auto runs = db_.schedule_runs(d.program);
    if (!runs.empty()) {
      const auto& r = runs.back();
      j["last"] = {{"period", r.period},
                   {"opened_at", r.opened_at},
                   {"cycle", r.cycle_id ? json(*r.cycle_id) : json(nullptr)},
                   {"cases", r.opened},
                   {"late", r.late}};
    } else {
      j["last"] = nullptr;
    }
    period next = schedule::next_to_open(d, today);
    auto w = schedule::window_of(d, next);
    j["next"] = {{"period", next.to_string()},
                 {"window_start", format_date(w.start)},
                 {"window_end", format_date(w.end)}};
    json late = json::array();
    for (const auto& r : runs)
      if (r.late)
        late.push_back(
            {{"period", r.period}, {"window_end", r.window_end}, {"opened_at", r.opened_at}});
    j["opened_late"] = late;
    programs.push_back(j);
  }
  return json{{"today", format_date(today)}, {"programs", programs}};
}

}  // namespace af::engine
