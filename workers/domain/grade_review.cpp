#include "workers/domain/grade_review.h"

#include <nlohmann/json.hpp>

#include "base/exact.h"
#include "workers/domain/rule_fields.h"

namespace af::grade_review {
namespace {

using rule_fields::whole_in;

using json = nlohmann::json;

std::string points(std::int64_t h) { return exact::hundredths_text(h); }

}  // namespace

result<rule> parse_rule(std::string_view text, const std::string& src) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "description" && it.key() != "appraisal_program" &&
        it.key() != "competency_program" && it.key() != "promote" && it.key() != "demote")
      return status::invalid(src + ": " + it.key() + ": unknown key");
  rule r;
  for (auto [key, field] : {std::pair{"appraisal_program", &r.appraisal_program},
                            {"competency_program", &r.competency_program}}) {
    if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty())
      return status::invalid(src + ": " + key + ": must name a program");
    *field = j[key].get<std::string>();
  }
  const json& promote = j.value("promote", json());
  const json& demote = j.value("demote", json());
  auto pt = whole_in(promote, "appraisal_total_at_least", 0, 100, src + ": promote");
  if (!pt) return pt.error();
  auto ptier = whole_in(promote, "competency_tier_at_most", 1, 4, src + ": promote");
  if (!ptier) return ptier.error();
  auto dt = whole_in(demote, "appraisal_total_below", 0, 100, src + ": demote");
  if (!dt) return dt.error();
  auto dtier = whole_in(demote, "competency_tier_at_least", 1, 4, src + ": demote");
  if (!dtier) return dtier.error();
  if (*dt > *pt)
    return status::invalid(src +
                           ": demote.appraisal_total_below: must not be above "
                           "promote.appraisal_total_at_least");
  if (*dtier <= *ptier)
    return status::invalid(src +
                           ": demote.competency_tier_at_least: must be above "
                           "promote.competency_tier_at_most");
  r.promote_total_at_least = *pt;
  r.promote_tier_at_most = *ptier;
  r.demote_total_below = *dt;
  r.demote_tier_at_least = *dtier;
  return r;
}

proposal propose(const rule& r, int grade, const year_results& year) {
  auto keep = [&](std::string why) {
    return proposal{grade, "keep grade " + std::to_string(grade), std::move(why)};
  };
  if (!year.appraisal_total) return keep("no final " + r.appraisal_program + " appraisal");
  std::int64_t total = *year.appraisal_total;
  std::string tier_text = year.competency_tier
                              ? "competency tier " + std::to_string(*year.competency_tier)
                              : "no " + r.competency_program + " result";
  std::string figures = "appraisal " + points(total) + ", " + tier_text;
  bool low_total = total < std::int64_t{r.demote_total_below} * 100;
  bool low_tier = year.competency_tier && *year.competency_tier >= r.demote_tier_at_least;
  if (low_total || low_tier) {
    std::string why =
        low_total ? "appraisal " + points(total) + " below " + std::to_string(r.demote_total_below)
                  : tier_text + " at least " + std::to_string(r.demote_tier_at_least);
    if (grade >= 4) return keep(why + "; grade 4 is the lowest");
    return {grade + 1, "demote to grade " + std::to_string(grade + 1), why};
  }
  bool high_total = total >= std::int64_t{r.promote_total_at_least} * 100;
  bool high_tier = year.competency_tier && *year.competency_tier <= r.promote_tier_at_most;
  if (high_total && high_tier) {
    std::string why = "appraisal " + points(total) + " at least " +
                      std::to_string(r.promote_total_at_least) + " and " + tier_text + " at most " +
                      std::to_string(r.promote_tier_at_most);
    if (grade <= 1) return keep(why + "; grade 1 is the highest");
    return {grade - 1, "promote to grade " + std::to_string(grade - 1), why};
  }
  return keep(figures + ": neither promotion nor demotion");
}

}  // namespace af::grade_review
