// [ldap] admin_groups, user_groups, allowed_groups, denied_groups: roles and access from directory
// groups (accounts/directory_policy.h). Read after [sync] and [ldap], whose keys they depend on.
#include "common/errors.h"
#include "daemon/config.h"

namespace rosterd::daemon {
namespace {

// Group names separated by commas (names may hold spaces: "Domain Admins"), trimmed, empties dropped.
std::vector<std::string> groupList(ConfigReader& r, const char* key) {
    std::string raw = r.str("ldap", key, "");
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        std::size_t end = raw.find(',', pos);
        if (end == std::string::npos) end = raw.size();
        std::string name = raw.substr(pos, end - pos);
        const auto first = name.find_first_not_of(" \t");
        const auto last = name.find_last_not_of(" \t");
        if (first != std::string::npos) {
            name = name.substr(first, last - first + 1);
            if (!accounts::groupNameIn(name, out)) out.push_back(name);
        }
        pos = end + 1;
    }
    return out;
}

}  // namespace

void readDirectoryPolicy(ConfigReader& r, Config& c) {
    accounts::DirectoryPolicyConfig p;
    p.adminGroups = groupList(r, "admin_groups");
    p.userGroups = groupList(r, "user_groups");
    p.allowedGroups = groupList(r, "allowed_groups");
    p.deniedGroups = groupList(r, "denied_groups");
    p.defaultRole = c.sync.userRole;
    p.nestedGroups = c.sync.nestedGroups;
    p.nestedGroupsByServer = c.sync.nestedGroupsByServer;  // sign-in asks the directory as sync does
    if (c.sync.nestedGroupsByServer && c.ldap.serverType != ldap::ServerType::ActiveDirectory)
        throw ConfigError("sync.nested_groups",
                          "= server needs ldap.server_type = active_directory: only Active Directory resolves "
                          "nesting itself (LDAP_MATCHING_RULE_IN_CHAIN, which slapd lacks); use true instead");
    if (p.any() && c.ldap.enabled && c.ldap.groupBase.empty()) {
        const char* key = !p.adminGroups.empty()     ? "ldap.admin_groups"
                          : !p.userGroups.empty()    ? "ldap.user_groups"
                          : !p.allowedGroups.empty() ? "ldap.allowed_groups"
                                                     : "ldap.denied_groups";
        throw ConfigError(key, "names directory groups, which needs ldap.group_base (the groups are read from it)");
    }
    for (const auto& name : p.adminGroups)
        if (accounts::groupNameIn(name, p.deniedGroups))
            throw ConfigError("ldap.denied_groups", "'" + name +
                                                        "' is in ldap.admin_groups too; a group cannot both "
                                                        "grant admin and refuse sign-in");
    c.auth.directoryRoleRule = p.managesRoles() ? p.roleRule() : "";
    c.sync.directoryPolicy = std::move(p);
}

}  // namespace rosterd::daemon
