#pragma once
// A user's groups from the attribute that lists them by DN on the user's own entry (memberOf on
// Active Directory, and on OpenLDAP with the memberof overlay), so sign-in need not search the
// group base. A group counts when it lies under the group base and its name is the value of its
// DN's first RDN (cn=staff,ou=groups,...), which is how both kinds of server name groups.
#include <optional>
#include <string>
#include <vector>

namespace rosterd::ldap {

struct GroupByDn {
    std::string dn;
    std::string name;  ///< the first RDN's value (group_name_attribute)
};

/// The groups `memberOf` (the attribute's values) names under `groupBase`, with their names taken
/// from the first RDN when its attribute is `nameAttribute`. nullopt when a value does not parse as
/// a DN, or names a group under the base whose first RDN is of another attribute or multi-valued:
/// the DN alone cannot say that group's name, so the caller must ask the directory.
std::optional<std::vector<GroupByDn>> groupsNamedByDn(const std::vector<std::string>& memberOf,
                                                      const std::string& groupBase, const std::string& nameAttribute);

}  // namespace rosterd::ldap
