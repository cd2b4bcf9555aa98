#include "ldap/member_of.h"

#include <strings.h>

#include "ldap/escape.h"
#include "ldap/ldap_error.h"

namespace rosterd::ldap {

std::optional<std::vector<GroupByDn>> groupsNamedByDn(const std::vector<std::string>& memberOf,
                                                      const std::string& groupBase, const std::string& nameAttribute) {
    const std::vector<Rdn> base = parseDn(groupBase);
    std::vector<GroupByDn> out;
    out.reserve(memberOf.size());
    for (const auto& dn : memberOf) {
        std::vector<Rdn> rdns;
        try {
            rdns = parseDn(dn);
        } catch (const LdapError&) {
            return std::nullopt;  // not a DN: let the directory answer instead of guessing
        }
        if (!isUnder(rdns, base)) continue;  // a group sync does not read either
        if (rdns.size() == base.size() || rdns.front().size() != 1 ||
            strcasecmp(rdns.front().front().attribute.c_str(), nameAttribute.c_str()) != 0)
            return std::nullopt;
        out.push_back({dn, rdns.front().front().value});
    }
    return out;
}

}  // namespace rosterd::ldap
