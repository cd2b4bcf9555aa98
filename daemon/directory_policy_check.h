#pragma once
// check-config's look at [ldap] admin_groups / user_groups / allowed_groups / denied_groups: a
// name no sync has stored is most likely misspelt, and would otherwise silently match nobody. And
// member_of_attribute where sign-in cannot use it.
#include <string>
#include <vector>

#include "daemon/config.h"

namespace rosterd::daemon {

/// One warning per mapping group name that names no directory group the store holds (or one
/// saying why the store could not be asked). Empty when no mapping key is set or all are known.
std::vector<std::string> policyGroupWarnings(const Config& config);

/// Why [ldap] member_of_attribute, when set, is not used by sign-in (group sync at login needs the
/// groups' ids, nested_groups = server the chain rule, memberUid groups are not in memberOf).
std::vector<std::string> memberOfWarnings(const Config& config);

}  // namespace rosterd::daemon
