#pragma once
// Decoding of one search-result entry. Included only by ldap/*.cpp.
#include <ldap.h>

#include "ldap/entry.h"

namespace rosterd::ldap {

/// The entry in `msg`: its DN and, unless `withAttributes` is false, every attribute's values.
Entry readEntry(LDAP* ld, LDAPMessage* msg, bool withAttributes = true);

}  // namespace rosterd::ldap
