#include "sync/ldap_source.h"

#include "common/errors.h"

namespace rosterd::sync {

bool LdapSource::membersAreUsernames() const {
    return lowerAscii(directory_.config().groupMemberAttribute) == "memberuid";
}

void LdapSource::readUsers(const UserPage& onPage) {
    const ldap::LdapConfig& c = directory_.config();
    if (c.userBase.empty()) throw ConfigError("ldap.user_base", "is required for directory sync");
    ldap::SearchRequest req;
    req.base = c.userBase;
    req.filter = c.userFilter;
    req.attributes = {c.idAttribute, c.usernameAttribute, c.mailAttribute, c.nameAttribute};
    std::vector<DirUser> out;
    directory_.search(req, [&](std::vector<ldap::Entry>& page) {
        out.clear();
        out.reserve(page.size());
        for (const auto& e : page) {
            out.push_back({ldap::stableId(e, c.idAttribute), e.dn, e.first(c.usernameAttribute).value_or(""),
                           lowerAscii(e.first(c.mailAttribute).value_or("")), e.first(c.nameAttribute).value_or("")});
        }
        onPage(out);
    });
}

void LdapSource::readGroups(const GroupPage& onPage) {
    const ldap::LdapConfig& c = directory_.config();
    if (c.groupBase.empty()) return;  // no group scope: users only
    ldap::SearchRequest req;
    req.base = c.groupBase;
    req.filter = c.groupFilter;
    req.attributes = {c.idAttribute, c.groupNameAttribute, c.groupMemberAttribute};
    std::vector<DirGroup> out;
    directory_.search(req, [&](std::vector<ldap::Entry>& page) {
        out.clear();
        out.reserve(page.size());
        for (const auto& e : page)
            out.push_back({ldap::stableId(e, c.idAttribute), e.dn, e.first(c.groupNameAttribute).value_or(""),
                           e.values(c.groupMemberAttribute)});
        onPage(out);
    });
}

}  // namespace rosterd::sync
