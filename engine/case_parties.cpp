#include "engine/case_parties.h"

namespace af::engine {

std::vector<std::pair<std::string, std::string>> holders_on_case(store& db, const case_row& c,
                                                                 role r) {
  switch (r) {
    case role::employee:
      return {{c.employee_id, ""}};
    case role::supervisor:
      return {{c.supervisor_id, ""}};
    case role::hrbp:
      if (c.hrbp_id.empty()) return {};
      return {{c.hrbp_id, ""}};
    case role::system:
    case role::rater:
      return {};  // raters are not told (customers have no address yet)
    default: {    // an org role: everyone who holds it
      std::vector<std::pair<std::string, std::string>> out;
      for (const auto& e : db.holders_of(r)) out.emplace_back(e.id, "-" + e.id);
      return out;
    }
  }
}

std::vector<std::string> deadline_owner_ids(store& db, const case_row& c, const deadline_def& d) {
  std::vector<std::string> out;
  for (role r : d.owners)
    for (const auto& [id, suffix] : holders_on_case(db, c, r))
      out.push_back(std::string(role_name(r)) + ":" + id);
  return out;
}

}  // namespace af::engine
