#include "accounts/directory_policy.h"

#include <strings.h>

#include <algorithm>

namespace rosterd::accounts {
namespace {

bool sameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The first of `memberOf` listed in `names`, or nullptr.
const std::string* firstIn(const std::vector<std::string>& memberOf, const std::vector<std::string>& names) {
    for (const auto& g : memberOf)
        if (groupNameIn(g, names)) return &g;
    return nullptr;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

}  // namespace

bool groupNameIn(std::string_view name, const std::vector<std::string>& names) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return sameName(name, n); });
}

std::string DirectoryPolicyConfig::roleRule() const {
    std::string out;
    if (!adminGroups.empty()) out += "admin_groups = " + joined(adminGroups);
    if (!userGroups.empty()) out += std::string(out.empty() ? "" : "; ") + "user_groups = " + joined(userGroups);
    return "[ldap] " + out;
}

std::vector<std::string> DirectoryPolicyConfig::groupNames() const {
    std::vector<std::string> out;
    for (const auto* list : {&adminGroups, &userGroups, &allowedGroups, &deniedGroups})
        for (const auto& n : *list)
            if (!groupNameIn(n, out)) out.push_back(n);
    return out;
}

DirectoryDecision decideDirectoryPolicy(const DirectoryPolicyConfig& p, const std::vector<std::string>& memberOf) {
    DirectoryDecision d;
    if (p.managesRoles()) {
        if (const auto* g = firstIn(memberOf, p.adminGroups)) {
            d.role = "admin";
            d.roleReason = "member of " + *g + " (ldap.admin_groups)";
        } else if (const auto* g = p.userGroups.empty() ? nullptr : firstIn(memberOf, p.userGroups)) {
            d.role = "user";
            d.roleReason = "member of " + *g + " (ldap.user_groups)";
        } else {
            d.role = p.defaultRole;
            d.roleReason = p.userGroups.empty() ? "not in ldap.admin_groups (sync.user_role)"
                                                : "in neither ldap.admin_groups nor ldap.user_groups (sync.user_role)";
        }
    }
    // Denied wins over everything else.
    if (const auto* g = firstIn(memberOf, p.deniedGroups))
        d.refusal = "member of " + *g + " (ldap.denied_groups)";
    else if (!p.allowedGroups.empty() && !firstIn(memberOf, p.allowedGroups))
        d.refusal = "not a member of " + joined(p.allowedGroups) + " (ldap.allowed_groups)";
    return d;
}

int roleRank(const std::string& role) {
    if (role == "admin") return 2;
    if (role == "user") return 1;
    return 0;
}

}  // namespace rosterd::accounts
