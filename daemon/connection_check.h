#pragma once
// `rosterd check-config --connect`: the directory settings tried step by step, as an admin would
// by hand (bind, read each base, count what the filters select), each step reported.
#include <string>
#include <vector>

#include "ldap/ldap_config.h"

namespace rosterd::daemon {

struct CheckStep {
    std::string name;  ///< "bind as cn=rosterd,... on ldap://..."
    bool ok = false;
    bool unreachable = false;  ///< failed because no server answered (exit 69, not 78)
    std::string detail;        ///< what was found, or the reason and the fix
};

/// Runs the steps in order; stops after a failed bind (nothing else can work then).
std::vector<CheckStep> checkDirectoryConnection(const ldap::LdapConfig& config);

}  // namespace rosterd::daemon
