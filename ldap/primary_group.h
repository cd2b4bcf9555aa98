#pragma once
// Active Directory's primary group: the group lists the user only through the user's
// primaryGroupID, the RID of the group's objectSid in the user's domain, never in `member`.
#include <string>

#include "ldap/entry.h"

namespace rosterd::ldap {

/// `(objectSid=<the primary group's SID>)` for a user entry read with objectSid and
/// primaryGroupID; empty when the entry lacks either, or either is malformed (logged).
std::string primaryGroupFilter(const Entry& user);

}  // namespace rosterd::ldap
