#include "workers/scoring/scoring_handler.h"

#include "workers/domain/civil_time.h"
#include "workers/domain/competency50.h"

namespace af::worker {

msg::scoring_result score_task(const msg::scoring_task& t) {
  msg::scoring_result r;
  r.case_id = t.case_id;
  if (t.program != "competency50") {
    r.error = "program " + t.program + " is not scored by this worker";
    return r;
  }
  auto joined = parse_date(t.joined_on);
  auto as_of = parse_date(t.as_of);
  if (!joined || !as_of) {
    r.error = "joined_on or as_of is not a date";
    return r;
  }
  competency50::input in;
  in.joined_on = *joined;
  in.as_of = *as_of;
  in.ratings.insert(t.ratings.begin(), t.ratings.end());
  in.exam_hundredths.insert(t.exam_hundredths.begin(), t.exam_hundredths.end());
  in.sales_last_year_fen = t.sales_last_year_fen;
  in.quarter_inquiries = t.quarter_inquiries;
  in.quarter_converted = t.quarter_converted;
  auto s = competency50::score_case(in);
  if (!s) {
    r.error = s.error().message();
    return r;
  }
  r.ok = true;
  for (const auto& item : s->items) r.items.emplace_back(item.key, item.points);
  r.total = s->total;
  r.tier = s->tier;
  r.flags = s->flags;
  return r;
}

msg::envelope handle_scoring(const msg::envelope& e) {
  auto task = msg::unpack<msg::scoring_task>(e);
  if (!task) {
    msg::scoring_result r;
    r.error = task.error().message();
    return msg::pack(r);
  }
  return msg::pack(score_task(*task));
}

}  // namespace af::worker
