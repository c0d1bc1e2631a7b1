// rubric.h: an assessment program's rubric as data (schemas/rubrics/*.json):
// its items (rated on a scale, scored from an exam, or computed from a
// measure through a band table), the total, the tier table, and for the
// competency model the standard table of required levels. One scorer
// serves every program: the scoring worker, `assessctl score` and reports.
// Pure: JSON text in, scores out. Points are hundredths (4.35 -> 435).
// One header; the definitions by concept: rubric_load.cpp (reading and
// validating rubric files), rubric_input.cpp (a case's exams, measures
// and ratings, read and checked), rubric_score.cpp (scoring, to_json),
// rubric.cpp (what a rubric answers about itself).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"
#include "base/exact.h"
#include "base/status.h"

namespace af::rubric {

enum class assessed { rated, exam, computed };

struct item {
  std::string key, group, label;
  assessed how = assessed::rated;
  std::optional<exact::number> exam_factor;  // exam: points = score x factor
  std::vector<exact::band> exam_bands;       // exam: points from the score's band
  std::string measure;                       // computed: which measure
  std::vector<exact::band> measure_bands;
  std::optional<int> no_data_points;  // computed: the measure is missing; rated: nobody rated it
  std::string no_data_flag;
  // rated: which kinds of rater rate it ("supervisor", "peer", "customer";
  // rater_kind below); empty: every rater. The employee's self-appraisal
  // rates what the supervisor rates.
  std::vector<std::string> rated_by;
  int scale_min = 1, scale_max = 5;  // rated: the item's scale (the rubric's unless it has its own)
  std::map<int, std::string> scale_labels;  // rated: the item's own labels (e.g. a survey's grades)
  // With a weighted total: the item's share of 100 points. A rated item
  // scores mean rating / scale_max x weight; a computed item's bands give
  // 0..weight points.
  std::optional<int> weight;
};

struct area {
  std::string key, label;
  std::vector<std::size_t> items;  // indexes into rubric::items
};

struct rubric {
  std::string program;
  int scale_min = 1, scale_max = 5;
  std::map<int, std::string> scale_labels;
  bool many_raters = false;
  std::vector<item> items;
  std::vector<area> areas;
  bool total_is_mean_of_areas = false;  // else the sum of the items' points
  bool total_is_weighted = false;       // every item has a weight; the weights add up to 100
  // How much each kind of rater counts in an item several kinds rate
  // ("supervisor": 70, "peer": 30): the weighted mean of each kind's mean,
  // over the kinds that rated it. Empty, or no kind present has a weight:
  // the plain mean over the raters.
  std::map<std::string, int> rater_weights;
  std::vector<exact::band> bonus_bands;  // on the total: the bonus in fen; empty: no bonus
  std::vector<exact::band> tiers;        // on the total, in points; empty: no tier
  std::map<int, std::string> tier_labels;
  // The competency model: gap = max(0, standard_score - score); the
  // required level of every item by grade until the table is adjusted.
  std::optional<int> standard_score;
  std::map<int, std::string> levels;  // 1 -> junior, ...
  std::map<int, int> required_level_by_grade;

  [[nodiscard]] const item* find(std::string_view key) const;
  [[nodiscard]] bool has_exams() const;
  // Whether a computed item scores one of the appraisal measures below.
  [[nodiscard]] bool uses_appraisal_measures() const;
};

// The kind of a rater as scoring input names it: "supervisor" for
// "supervisor" and "supervisor:S1", else the text before ':' ("peer",
// "customer").
std::string_view rater_kind(std::string_view rater);
// Whether a rater of `kind` rates `it` (a rated item rated by everyone
// or by that kind).
bool rates(const item& it, std::string_view kind);

// Parses and validates a rubric; errors name `source` and the key
// ("rubrics/x.json: items[3].bands[1]: [40, 61) overlaps [0, 41)").
result<rubric> parse(std::string_view json_text, const std::string& source);
result<rubric> load_file(const std::string& path);
// Every DIR/*.json, keyed by program; a file's name must be its program's.
using rubric_set = std::map<std::string, rubric>;
result<rubric_set> load_dir(const std::string& dir);

// The measures computed items use (DESIGN.md scoring input):
// years_in_trade (whole anniversaries of joined_on by as_of),
// sales_last_year_cny (net), quarter_conversion_percent (absent with no
// inquiries). InvalidArgument for counts that cannot be.
result<std::map<std::string, exact::number>> standard_measures(civil_date joined_on,
                                                               civil_date as_of,
                                                               std::int64_t sales_last_year_fen,
                                                               std::int64_t quarter_inquiries,
                                                               std::int64_t quarter_converted);
// The appraisal measures (workers/domain/appraisal.h, measures) are
// sales_completion_percent, sales_growth_percent, new_customers,
// repeat_purchase_percent and complaints.
inline constexpr std::string_view known_measures[] = {"years_in_trade",
                                                      "sales_last_year_cny",
                                                      "quarter_conversion_percent",
                                                      "sales_completion_percent",
                                                      "sales_growth_percent",
                                                      "new_customers",
                                                      "repeat_purchase_percent",
                                                      "complaints"};
inline constexpr std::string_view appraisal_measures[] = {"sales_completion_percent",
                                                          "sales_growth_percent", "new_customers",
                                                          "repeat_purchase_percent", "complaints"};

struct exam_input {
  std::int64_t hundredths = 0;  // 0..10000 when there are no parts
  std::vector<std::pair<std::int64_t, std::int64_t>>
      parts;  // (score hundredths, weight hundredths)
};

struct input {
  // rater -> item -> rating; one-rater programs use a single rater.
  std::map<std::string, std::map<std::string, int>> ratings;
  std::map<std::string, exam_input> exams;
  std::map<std::string, exact::number> measures;
  std::map<std::string, int>
      required_levels;  // the competency model's standard table for this case
};

struct item_result {
  std::string key;
  std::int64_t points = 0;  // hundredths
  std::optional<int> required_level;
  std::optional<std::int64_t> gap;           // hundredths
  std::optional<std::int64_t> spread;        // many raters: highest - lowest rating, hundredths
  std::optional<std::int64_t> exam_average;  // weighted average of the parts, hundredths
};

struct area_result {
  std::string key;
  std::int64_t mean = 0;  // hundredths
};

struct score {
  std::vector<item_result> items;  // in rubric order
  std::vector<area_result> areas;
  std::int64_t total = 0;  // hundredths
  std::optional<int> tier;
  int raters = 1;
  std::vector<std::string> flags;
  std::optional<std::int64_t> bonus_fen;  // when the rubric has a bonus table
};

// Exams as JSON (a review, an offline case file): {"item": 87.5} or
// {"item": {"parts": [[score, weight], ...]}}; scores 0..100 and weights
// above 0, with at most two decimals. InvalidArgument naming the exam.
result<std::map<std::string, exam_input>> read_exams(const nlohmann::json& exams);

// One rater's ratings: every item a rater of `kind` rates present, on its
// scale, no others (rater_kind; the self-appraisal is "supervisor").
status validate_ratings(const rubric& r, const std::map<std::string, int>& ratings,
                        std::string_view kind);
// Exams: known exam items, scores 0..100, parts with positive weights;
// every exam item present when `required`.
status validate_exams(const rubric& r, const std::map<std::string, exam_input>& exams,
                      bool required);

// Scores a case; InvalidArgument naming the item for bad input.
result<score> score_case(const rubric& r, const input& in);

// A score as JSON: items, total, tier (when the rubric has tiers), flags,
// bonus_fen (when it has a bonus table);
// for a standard table required_level and gap per item; for areas their
// means; for many raters the spread per item and the number of raters.
// Points are numbers with two decimals (print with msg::dump_fixed2).
nlohmann::ordered_json to_json(const rubric& r, const score& s);

// The required level of every item for an employee of `grade` under the
// rubric's default table.
std::map<std::string, int> default_required_levels(const rubric& r, int grade);

}  // namespace af::rubric
