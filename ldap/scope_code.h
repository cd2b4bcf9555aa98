#pragma once
// Scope as libldap spells it. Included only by ldap/*.cpp.
#include <ldap.h>

#include "ldap/connection.h"

namespace rosterd::ldap {

/// LDAP_SCOPE_BASE, LDAP_SCOPE_ONELEVEL or LDAP_SCOPE_SUBTREE.
inline int scopeCode(Scope s) {
    switch (s) {
        case Scope::Base:
            return LDAP_SCOPE_BASE;
        case Scope::OneLevel:
            return LDAP_SCOPE_ONELEVEL;
        case Scope::Subtree:
            return LDAP_SCOPE_SUBTREE;
    }
    return LDAP_SCOPE_SUBTREE;
}

}  // namespace rosterd::ldap
