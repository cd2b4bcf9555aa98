#include "ldap/primary_group.h"

#include <spdlog/spdlog.h>

#include "ldap/escape.h"
#include "ldap/sid.h"

namespace rosterd::ldap {

std::string primaryGroupFilter(const Entry& user) {
    auto rid = user.first(kPrimaryGroupId);
    auto sid = user.first(kObjectSid);
    if (!rid || !sid) return "";
    auto parsedRid = parseRid(*rid);
    if (!parsedRid || !parseSid(*sid)) {
        spdlog::warn("ldap: {} has a malformed objectSid or primaryGroupID; its primary group is not resolved",
                     user.dn);
        return "";
    }
    return equalityFilter(kObjectSid, withRid(*sid, *parsedRid));
}

}  // namespace rosterd::ldap
