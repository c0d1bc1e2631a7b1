#include "workers/domain/certification.h"

#include <nlohmann/json.hpp>

#include "base/exact.h"
#include "workers/domain/rule_fields.h"

namespace af::certification {
namespace {

using json = nlohmann::json;

constexpr std::string_view names[] = {"certified",   "recommended_for_promotion",
                                      "provisional", "demoted",
                                      "eliminated",  "no_competency_result"};

std::string points(std::int64_t h) { return exact::hundredths_text(h); }

result<std::string> program_of(const json& parent, const std::string& where) {
  if (!parent.is_object() || !parent.contains("program") || !parent["program"].is_string() ||
      parent["program"].get<std::string>().empty())
    return status::invalid(where + ".program: must name a program");
  return parent["program"].get<std::string>();
}

}  // namespace

std::string_view outcome_name(outcome o) { return names[static_cast<int>(o)]; }

std::optional<outcome> parse_outcome(std::string_view name) {
  for (std::size_t i = 0; i < std::size(names); ++i)
    if (names[i] == name) return static_cast<outcome>(i);
  return std::nullopt;
}

result<rule> parse_rule(std::string_view text, const std::string& src) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "description" && it.key() != "ability" && it.key() != "performance" &&
        it.key() != "promotion" && it.key() != "re_exam")
      return status::invalid(src + ": " + it.key() + ": unknown key");
  rule r;
  const json a = j.value("ability", json()), p = j.value("performance", json()),
             up = j.value("promotion", json()), re = j.value("re_exam", json());
  auto ap = program_of(a, src + ": ability");
  if (!ap) return ap.error();
  auto floor = rule_fields::score_in(a, "every_item_at_least", src + ": ability");
  if (!floor) return floor.error();
  auto below = rule_fields::whole_in(a, "items_below_standard_at_most", 0, 100, src + ": ability");
  if (!below) return below.error();
  auto pp = program_of(p, src + ": performance");
  if (!pp) return pp.error();
  auto total = rule_fields::score_in(p, "total_at_least", src + ": performance");
  if (!total) return total.error();
  auto up_below =
      rule_fields::whole_in(up, "items_below_standard_at_most", 0, 100, src + ": promotion");
  if (!up_below) return up_below.error();
  auto up_total = rule_fields::score_in(up, "total_at_least", src + ": promotion");
  if (!up_total) return up_total.error();
  auto pass = rule_fields::score_in(re, "pass_score", src + ": re_exam");
  if (!pass) return pass.error();
  if (*up_below > *below)
    return status::invalid(src +
                           ": promotion.items_below_standard_at_most: must not be above "
                           "ability.items_below_standard_at_most");
  if (*up_total < *total)
    return status::invalid(src +
                           ": promotion.total_at_least: must not be below "
                           "performance.total_at_least");
  r.ability_program = *ap;
  r.item_floor = *floor;
  r.items_below_standard_at_most = *below;
  r.performance_program = *pp;
  r.total_at_least = *total;
  r.promotion_items_below_at_most = *up_below;
  r.promotion_total_at_least = *up_total;
  r.re_exam_pass = *pass;
  return r;
}

decision decide(const rule& r, const facts& f) {
  decision d;
  if (!f.items) {
    d.reasons.push_back("no final " + r.ability_program + " result: cannot be certified");
    return d;
  }
  if (f.after_provisional) {
    if (f.re_exam && *f.re_exam >= r.re_exam_pass) {
      d.result = outcome::certified;
      d.reasons.push_back("re-exam " + points(*f.re_exam) + " at least " + points(r.re_exam_pass));
      return d;
    }
    d.reasons.push_back(f.re_exam
                            ? "re-exam " + points(*f.re_exam) + " below " + points(r.re_exam_pass)
                            : std::string("no re-exam by the deadline"));
    d.result = f.grade >= 4 ? outcome::eliminated : outcome::demoted;
    if (f.grade >= 4) d.reasons.push_back("grade 4 is the lowest: eliminated");
    return d;
  }
  int below = 0, under_floor = 0;
  for (std::int64_t p : *f.items) {
    below += p < f.standard;
    under_floor += p < r.item_floor;
  }
  bool ability = under_floor == 0 && below <= r.items_below_standard_at_most;
  if (under_floor > 0)
    d.reasons.push_back(std::to_string(under_floor) + " item(s) below " + points(r.item_floor));
  if (below > r.items_below_standard_at_most)
    d.reasons.push_back(std::to_string(below) + " items below the standard " + points(f.standard) +
                        " (at most " + std::to_string(r.items_below_standard_at_most) + ")");
  bool performance = true;
  if (!f.appraisal_total) {
    d.reasons.push_back("no final " + r.performance_program + " appraisal: performance not judged");
  } else if (*f.appraisal_total < r.total_at_least) {
    performance = false;
    d.reasons.push_back("appraisal " + points(*f.appraisal_total) + " below " +
                        points(r.total_at_least));
  }
  if (!ability || !performance) {
    d.result = outcome::provisional;
    d.reasons.push_back("a learning plan and a re-exam");
    return d;
  }
  bool promote = f.grade > 1 && below <= r.promotion_items_below_at_most && f.appraisal_total &&
                 *f.appraisal_total >= r.promotion_total_at_least;
  d.result = promote ? outcome::recommended_for_promotion : outcome::certified;
  d.reasons.push_back(std::to_string(below) + " item(s) below the standard" +
                      (f.appraisal_total ? ", appraisal " + points(*f.appraisal_total) : ""));
  return d;
}

}  // namespace af::certification
