// role.h: who a person is to a case (workflow files name the roles of a
// state's owners) and the org roles a person holds (the org CSV's `roles`
// column, "hr;admin"). Names are parsed here once; inside the engine a role
// is the enum.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "base/status.h"

namespace af::engine {

enum class role : std::uint8_t { employee, supervisor, hrbp, hr, chairman, admin, system, rater };

// The enum of a name as workflow files and the org CSV write it; nullopt
// for an unknown name. role_name gives that name back.
std::optional<role> parse_role(std::string_view s);
std::string_view role_name(role r);

// Org roles as the employees table stores them: names joined by ';'.
// org_roles_error names the first part that is not hr, chairman or admin
// ("row 3 (E1001): roles: \"boss\" is not hr, chairman or admin") and is
// ok for "" and a trailing ';'. parse_org_roles keeps the org roles among
// the parts and drops the rest (text already checked by org_roles_error).
// org_roles_text writes the set back, in the enum's order.
[[nodiscard]] status org_roles_error(std::string_view text, const std::string& where);
std::set<role> parse_org_roles(std::string_view text);
std::string org_roles_text(const std::set<role>& roles);

}  // namespace af::engine
