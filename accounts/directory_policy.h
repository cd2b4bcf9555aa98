#pragma once
// Roles and access from directory groups ([ldap] admin_groups, user_groups, allowed_groups,
// denied_groups): one decision, taken by sync for every directory user and by the directory login
// for the person signing in, so both always agree.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rosterd::accounts {

/// The mapping keys; group names as rosterd stores them (their group_name_attribute value).
struct DirectoryPolicyConfig {
    std::vector<std::string> adminGroups;
    std::vector<std::string> userGroups;
    std::vector<std::string> allowedGroups;
    std::vector<std::string> deniedGroups;
    std::string defaultRole = "user";  ///< [sync] user_role: directory users in neither role list
    bool nestedGroups = true;          ///< [sync] nested_groups: membership through nested groups counts
    /// [sync] nested_groups = server: Active Directory resolves the nesting (nestedGroups is on too).
    bool nestedGroupsByServer = false;

    /// Whether admin_groups or user_groups is set (roles of directory users follow the directory).
    bool managesRoles() const { return !adminGroups.empty() || !userGroups.empty(); }
    /// Whether allowed_groups or denied_groups is set.
    bool managesAccess() const { return !allowedGroups.empty() || !deniedGroups.empty(); }
    /// Whether any mapping key is set (logins then read the user's groups).
    bool any() const { return managesRoles() || managesAccess(); }
    /// The role rule as an admin reads it, e.g. "[ldap] admin_groups = Admins; user_groups = Staff".
    std::string roleRule() const;
    /// Every group name the keys mention, once each (check-config looks them up).
    std::vector<std::string> groupNames() const;
};

/// What the mapping says about one directory user.
struct DirectoryDecision {
    std::optional<std::string> role;     ///< nullopt: roles are managed locally
    std::string roleReason;              ///< the rule that gave `role`, e.g. "member of Admins (admin_groups)"
    std::optional<std::string> refusal;  ///< why they may not sign in, nullopt when they may
};

/// Whether `name` is one of `names`, compared as group names are (ASCII case-insensitively).
bool groupNameIn(std::string_view name, const std::vector<std::string>& names);

/// The decision for a user who is a member (directly or, with nested groups, through others) of
/// the groups named `memberOf`; only names the keys mention matter.
DirectoryDecision decideDirectoryPolicy(const DirectoryPolicyConfig& policy, const std::vector<std::string>& memberOf);

/// Ranks roles for the safety gate: pending < user < admin.
int roleRank(const std::string& role);

}  // namespace rosterd::accounts
