#include "workers/domain/schedule.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace af::schedule {
namespace {

// The latest period that has ended before `first_of_month`.
period period_ending_before(const definition& d, civil_date first_of_month) {
  civil_date last = civil_from_days(days_from_civil(first_of_month) - 1);
  period p = d.every == period_kind::month     ? period::month_of(last)
             : d.every == period_kind::quarter ? period::quarter_of(last)
                                               : period::year_of(last);
  if (last < p.last_day()) p = p.previous();  // still running
  return p;
}

// The latest period whose window has started by `today`.
period latest_started(const definition& d, civil_date today) {
  // Candidate: the period ending before this month; if its window has not
  // started yet (today is before window_start_day), the one before it.
  period p = period_ending_before(d, {today.year, today.month, 1});
  if (today < window_of(d, p).start) p = p.previous();
  // For quarters and years, this month may not start a window at all.
  while (today < window_of(d, p).start) p = p.previous();
  return p;
}

}  // namespace

window window_of(const definition& d, const period& p) {
  civil_date after = civil_from_days(days_from_civil(p.last_day()) + 1);  // 1st of the next month
  int last = days_in_month(after.year, after.month);
  return {{after.year, after.month, std::min(d.window_start_day, last)},
          {after.year, after.month, std::min(d.window_end_day, last)}};
}

std::vector<period> due(const definition& d, const std::optional<period>& last_opened,
                        civil_date today, std::size_t limit) {
  period latest = latest_started(d, today);
  if (!last_opened) {  // first run: only a window that is open today
    if (today <= window_of(d, latest).end) return {latest};
    return {};
  }
  std::vector<period> out;
  for (period p = latest; window_of(d, p).start > window_of(d, *last_opened).start;
       p = p.previous())
    out.push_back(p);
  std::reverse(out.begin(), out.end());
  if (out.size() > limit) out.erase(out.begin(), out.end() - static_cast<long>(limit));
  return out;
}

civil_date cycle_due_date(const definition* d, const period& p, civil_date opened_on) {
  if (d) {
    window w = window_of(*d, p);
    if (opened_on <= w.end) return w.end;
    return add_days(opened_on, days_from_civil(w.end) - days_from_civil(w.start));
  }
  return add_days(opened_on, default_window_days - 1);
}

period next_to_open(const definition& d, civil_date today) {
  return latest_started(d, today).next();
}

result<std::vector<definition>> parse(std::string_view text, const std::string& src) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("schedules") || !j["schedules"].is_array())
    return status::invalid(src + ": schedules: missing (an array)");
  std::vector<definition> out;
  int i = 0;
  for (const auto& s : j["schedules"]) {
    std::string key = src + ": schedules[" + std::to_string(i++) + "]";
    if (!s.is_object() || !s.contains("program") || !s["program"].is_string())
      return status::invalid(key + ".program: missing");
    definition d;
    d.program = s["program"].get<std::string>();
    std::string every = s.value("every", "");
    if (every == "month")
      d.every = period_kind::month;
    else if (every == "quarter")
      d.every = period_kind::quarter;
    else if (every == "year")
      d.every = period_kind::year;
    else
      return status::invalid(key + ".every: must be month, quarter or year");
    d.window_start_day = s.value("window_start_day", 1);
    d.window_end_day = s.value("window_end_day", 10);
    if (d.window_start_day < 1 || d.window_start_day > 28 ||
        d.window_end_day < d.window_start_day || d.window_end_day > 31)
      return status::invalid(
          key + ": need 1 <= window_start_day <= 28 and window_start_day <= window_end_day <= 31");
    for (const auto& other : out)
      if (other.program == d.program)
        return status::invalid(key + ".program: " + d.program + " is scheduled twice");
    out.push_back(d);
  }
  return out;
}

}  // namespace af::schedule
