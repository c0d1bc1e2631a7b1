// rubric_files.h: the rubric files of schemas/rubrics/, each loaded once
// for the domain tests.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "workers/domain/rubric.h"

namespace af::rubric::testing {

inline const rubric& schema_rubric(const std::string& program) {
  static std::map<std::string, rubric> cache;
  auto it = cache.find(program);
  if (it == cache.end()) {
    auto r = load_file(ASSESSFLOW_SCHEMAS_DIR "/rubrics/" + program + ".json");
    if (!r) FAIL(r.error().to_string());
    it = cache.emplace(program, std::move(r).value()).first;
  }
  return it->second;
}

}  // namespace af::rubric::testing
