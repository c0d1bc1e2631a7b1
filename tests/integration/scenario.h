// scenario.h: a sample organisation loaded into a real engine, shared by
// the integration tests: assess-sample output, org import and event feed
// through the real tools, and review submissions over the admin socket.
#pragma once

#include <map>
#include <string>

#include "tests/integration/harness.h"

namespace af::test {

struct scenario {
  temp_dir root;
  std::string data() const { return root.path() + "/data"; }
  std::string sample() const { return root.path() + "/sample"; }

  // assess-sample with `managers` account managers (cases = managers + 12).
  void generate(int managers, int inquiries_per_quarter);
  // org import and assess-feed through the real CLI tools.
  void load();
  long long open_cycle(const std::string& period = "2026-Q3");
  // Submits the self (supervisor = false) or supervisor reviews of every
  // case of the cycle in `state`, from sample/reviews.jsonl, in one batch;
  // `limit` caps how many. Returns the number applied.
  int submit_reviews(long long cycle, bool supervisor, int limit = 1 << 30);
  // employee id -> its line of reviews.jsonl
  std::map<std::string, json> reviews() const;
};

}  // namespace af::test
