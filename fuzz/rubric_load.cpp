// fuzz/rubric_load.cpp: rubric::parse() of arbitrary rubric files
// (schemas/rubrics/), then one case scored through the scoring worker's
// own path (worker::score_task) with ratings, exams and measures derived
// from the input's hash.
// Invariants: parse and score_task never throw; a parsed rubric's items
// can be found; a score has every item, each between 0 and the scale's
// top, a total within the rubric's range and, when the rubric has tiers,
// a tier (its bands cover every total).
#include "fuzz/fuzz_check.h"
#include "messages/json_text.h"
#include "workers/domain/rubric.h"
#include "workers/scoring/scoring_handler.h"

namespace {

using namespace af;

// What a parsed rubric must answer: its items, each by its key, and the
// default required levels of every grade.
void check_parsed(const rubric::rubric* r) {
  FUZZ_CHECK(!r->items.empty(), "a rubric without items");
  for (const auto& it : r->items)
    FUZZ_CHECK(r->find(it.key) == &it, "item " + it.key + " is not found by its key");
  for (int grade = 1; grade <= 4; ++grade) (void)rubric::default_required_levels(*r, grade);
}

// Figures from the input's hash (FNV-1a), then a linear congruential
// sequence: next(n) is the next one in 0..n-1.
class figures {
 public:
  figures(const std::uint8_t* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ULL;
  }
  std::int64_t next(std::uint64_t n) {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((h >> 33) % n);
  }

 private:
  std::uint64_t h = 1469598103934665603ULL;
};

// One case of the rubric's program: ratings on its scale (from each of up
// to three raters when it has many), exams, measures and required levels,
// all from `f`.
msg::scoring_task task_for(const rubric::rubric* r, figures& f) {
  auto next = [&f](std::uint64_t n) { return f.next(n); };
  msg::scoring_task t;
  t.case_id = 1;
  t.program = r->program;
  t.employee_id = "E1";
  t.joined_on = next(2) ? "2019-02-28" : "2026-09-30";
  t.as_of = "2026-09-30";
  t.sales_last_year_fen = next(3) == 0 ? -next(1'000'000'000) : next(1'000'000'000'000);
  t.quarter_inquiries = next(40);
  t.quarter_converted = t.quarter_inquiries ? next(t.quarter_inquiries + 1) : 0;
  int raters = r->many_raters ? 1 + static_cast<int>(next(3)) : 1;
  int span = r->scale_max - r->scale_min + 1;
  for (const auto& it : r->items) {
    if (it.how == rubric::assessed::rated) {
      for (int k = 0; k < raters; ++k) {
        auto v = static_cast<std::int32_t>(r->scale_min + next(static_cast<std::uint64_t>(span)));
        if (r->many_raters)
          t.rater_ratings["rater" + std::to_string(k)][it.key] = v;
        else
          t.ratings[it.key] = v;
      }
    } else if (it.how == rubric::assessed::exam) {
      if (next(4) == 0) {
        t.exam_parts[it.key] = {
            {static_cast<std::int32_t>(next(10001)), static_cast<std::int32_t>(1 + next(10000))},
            {static_cast<std::int32_t>(next(10001)), static_cast<std::int32_t>(1 + next(10000))}};
      } else {
        t.exam_hundredths[it.key] = static_cast<std::int32_t>(next(10001));
      }
    }
    if (r->standard_score) t.required_levels[it.key] = 1 + static_cast<std::int32_t>(next(5));
  }
  return t;
}

// A score: every item within 0..the scale's top, the total within the
// rubric's range, a tier when the rubric has tiers, detail_json JSON.
void check_score(const rubric::rubric* r, const msg::scoring_result& s) {
  FUZZ_CHECK(s.items.size() == r->items.size(), "a score without every item");
  for (const auto& [key, points] : s.items)
    FUZZ_CHECK(
        points >= 0 && points <= r->scale_max * 100,
        key + " scores " + std::to_string(points) + " outside 0.." + std::to_string(r->scale_max));
  std::int64_t top = (r->total_is_mean_of_areas ? 1 : static_cast<std::int64_t>(r->items.size())) *
                     r->scale_max * 100;
  FUZZ_CHECK(s.total >= 0 && s.total <= top,
             "total " + std::to_string(s.total) + " outside 0.." + std::to_string(top));
  if (!r->tiers.empty())
    FUZZ_CHECK(s.tier >= 1 && s.tier <= 9,
               "a total of " + std::to_string(s.total) + " has no tier");
  FUZZ_CHECK(!msg::json::parse(s.detail_json, nullptr, false).is_discarded(),
             "detail_json is not JSON: " + s.detail_json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::text_of(data, size);
  auto r = rubric::parse(text, "rubrics/fuzz.json");
  fuzz::note(r ? "rubric " + r->program : r.error().to_string());
  if (!r) return 0;
  check_parsed(&*r);

  figures f(data, size);
  msg::scoring_task t = task_for(&*r, f);
  rubric::rubric_set set;
  set.emplace(r->program, *r);
  msg::scoring_result s = worker::score_task(t, set);
  fuzz::note(s.ok ? "scored " + std::to_string(s.total) + " tier " + std::to_string(s.tier)
                  : s.error);
  if (!s.ok) {
    FUZZ_CHECK(!s.error.empty(), "a failed score without a reason");
    return 0;
  }
  check_score(&*r, s);
  return 0;
}
