#include "workers/scoring/scoring_handler.h"

#include "base/civil_time.h"
#include "messages/json_text.h"
#include "workers/domain/appraisal.h"

namespace af::worker {

namespace {

appraisal::period_figures figures_of(const msg::scoring_task& t) {
  return {t.net_sales_fen, t.target_fen,    t.net_sales_year_before_fen,
          t.customers,     t.new_customers, t.repeat_customers,
          t.complaints};
}

// A task's figures are input like any other: bounded, counts not below
// zero, no more new and repeat customers than customers.
status figures_checked(const msg::scoring_task& t) {
  using appraisal::most_count, appraisal::most_fen;  // products stay in range
  for (std::int64_t fen : {t.net_sales_fen, t.target_fen, t.net_sales_year_before_fen})
    if (fen < -most_fen || fen > most_fen)
      return status::invalid("figures: an amount is out of range");
  for (std::int64_t n : {t.customers, t.new_customers, t.repeat_customers, t.complaints})
    if (n < 0 || n > most_count) return status::invalid("figures: a count is out of range");
  if (t.new_customers + t.repeat_customers > t.customers)
    return status::invalid("figures: more new and repeat customers than customers");
  return status::ok();
}

// The appraisal's indicators as case show prints them (percentages with
// two decimals, floored; null for no data).
msg::json indicators_json(const msg::scoring_task& t) {
  auto ind = appraisal::compute(figures_of(t));
  auto percent = [](const std::optional<std::int64_t>& bp) {
    return bp ? msg::json(static_cast<double>(*bp) / 100.0) : msg::json(nullptr);
  };
  msg::json j;
  j["sales"] = std::string(appraisal::target_grade_name(ind.sales));
  j["completion_percent"] = percent(ind.completion_bp);
  j["net_sales_fen"] = t.net_sales_fen;
  j["target_fen"] = t.target_fen;
  j["growth_percent"] = percent(ind.growth_bp);
  j["net_sales_year_before_fen"] = t.net_sales_year_before_fen;
  j["customers"] = t.customers;
  j["new_customers"] = ind.new_customers;
  j["repeat_purchase_percent"] = percent(ind.repeat_rate_bp);
  j["complaints"] = ind.complaints;
  return j;
}

}  // namespace

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
  if (t.has_figures) {
    if (status s = figures_checked(t); !s) return s;
    auto m = appraisal::measures(figures_of(t));
    in.measures.insert(m.begin(), m.end());
  }
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
  auto kept = msg::json::parse(detail.dump());
  if (t.has_figures) kept["indicators"] = indicators_json(t);
  r.detail_json = msg::dump_fixed2(kept);
  return r;
}

}  // namespace af::worker
