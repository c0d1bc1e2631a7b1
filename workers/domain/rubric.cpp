// rubric.cpp: what a loaded rubric answers about itself: an item by its
// key, whether it has exams or appraisal measures, a rater's kind and
// what it rates, and the default required levels of its
// standard table. Reading a rubric file is rubric_load.cpp, a case's
// input rubric_input.cpp, scoring rubric_score.cpp.
#include "workers/domain/rubric.h"

#include <algorithm>

namespace af::rubric {

const item* rubric::find(std::string_view key) const {
  for (const auto& i : items)
    if (i.key == key) return &i;
  return nullptr;
}

bool rubric::has_exams() const {
  return std::any_of(items.begin(), items.end(),
                     [](const item& i) { return i.how == assessed::exam; });
}

bool rubric::uses_appraisal_measures() const {
  return std::any_of(items.begin(), items.end(), [](const item& i) {
    return i.how == assessed::computed &&
           std::find(std::begin(appraisal_measures), std::end(appraisal_measures), i.measure) !=
               std::end(appraisal_measures);
  });
}

std::string_view rater_kind(std::string_view rater) { return rater.substr(0, rater.find(':')); }

bool rates(const item& it, std::string_view kind) {
  return it.how == assessed::rated &&
         (it.rated_by.empty() ||
          std::find(it.rated_by.begin(), it.rated_by.end(), kind) != it.rated_by.end());
}

std::map<std::string, int> default_required_levels(const rubric& r, int grade) {
  std::map<std::string, int> out;
  auto lvl = r.required_level_by_grade.find(grade);
  if (lvl == r.required_level_by_grade.end()) return out;
  for (const auto& it : r.items) out[it.key] = lvl->second;
  return out;
}

}  // namespace af::rubric
