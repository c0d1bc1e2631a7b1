#include "workers/scoring/scoring_handler.h"

#include "base/civil_time.h"
#include "messages/json_text.h"

namespace af::worker {

result<rubric::input> rubric_input_of(const msg::scoring_task& t) {
  auto joined = parse_date(t.joined_on);
  auto as_of = parse_date(t.as_of);
  if (!joined || !as_of) return status::invalid("joined_on or as_of is not a date");
  rubric::input in;
  if (t.rater_ratings.empty()) {
    in.ratings["supervisor"].insert(t.ratings.begin(), t.ratings.end());
  } else {
    for (const auto& [rater, ratings] : t.rater_ratings)
      in.ratings[rater].insert(ratings.begin(), ratings.end());
  }
  for (const auto& [key, h] : t.exam_hundredths) in.exams[key].hundredths = h;
  for (const auto& [key, parts] : t.exam_parts)
    for (const auto& [score, weight] : parts) in.exams[key].parts.emplace_back(score, weight);
  auto measures = rubric::standard_measures(*joined, *as_of, t.sales_last_year_fen,
                                            t.quarter_inquiries, t.quarter_converted);
  if (!measures) return measures.error();
  in.measures = std::move(measures).value();
  in.required_levels.insert(t.required_levels.begin(), t.required_levels.end());
  return in;
}

msg::scoring_result score_task(const msg::scoring_task& t, const rubric::rubric_set& rubrics) {
  msg::scoring_result r;
  r.case_id = t.case_id;
  auto rubric = rubrics.find(t.program);
  if (rubric == rubrics.end()) {
    r.error = "program " + t.program + " has no rubric here";
    return r;
  }
  auto in = rubric_input_of(t);
  if (!in) {
    r.error = in.error().message();
    return r;
  }
  auto s = rubric::score_case(rubric->second, *in);
  if (!s) {
    r.error = s.error().message();
    return r;
  }
  r.ok = true;
  for (const auto& item : s->items)
    r.items.emplace_back(item.key, static_cast<std::int32_t>(item.points));
  r.total = static_cast<std::int32_t>(s->total);
  r.tier = s->tier.value_or(0);
  r.flags = s->flags;
  auto detail = rubric::to_json(rubric->second, *s);
  for (const char* key : {"program", "items", "total", "tier", "flags"}) detail.erase(key);
  r.detail_json = msg::dump_fixed2(msg::json::parse(detail.dump()));
  return r;
}

}  // namespace af::worker
