// learning.h: learning plans (学习地图, DOMAIN.md "Qualification
// certification"): the catalogue of learning activities kept as data
// (schemas/learning/catalogue.json: for each competency item, courses,
// coaching and practice by proficiency level) and the plan a manager's
// competency gaps give: for every item with a gap, the activities at the
// level the manager's grade requires, and those of the level below when
// the gap is 2 points or more, largest gap first. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "workers/domain/rubric.h"

namespace af::learning {

struct activity {
  std::string id;    // "COM-2", unique in the catalogue
  std::string item;  // a competency item of the catalogue's program
  int level = 1;     // a proficiency level of that program's rubric
  std::string kind;  // course, coaching or practice
  std::string title;
};

struct catalogue {
  std::string program;  // whose items and levels (competency_model)
  std::vector<activity> activities;
  [[nodiscard]] const activity* find(std::string_view id) const;
};

// catalogue.json's text, checked against the program's rubric: every
// item one of its items, every level one of its levels, ids unique and
// 1..40 letters, digits or '-', kinds course / coaching / practice, a
// title. InvalidArgument naming `source` and the key at fault.
result<catalogue> parse_catalogue(std::string_view json_text, const std::string& source,
                                  const rubric::rubric& program_rubric);

// One competency item's result as a case holds it.
struct item_gap {
  std::string item;
  std::int64_t gap = 0;  // hundredths of a point below the standard score
  int required_level = 1;
};

struct plan_entry {
  activity what;
  std::int64_t gap = 0;  // the item's gap, hundredths
};

// The plan for the gaps, items in the order given among equal gaps.
std::vector<plan_entry> build_plan(const catalogue& c, const std::vector<item_gap>& gaps);

}  // namespace af::learning
