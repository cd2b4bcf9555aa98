#include "ldap/in_chain.h"

#include "ldap/escape.h"

namespace rosterd::ldap {

std::string inChainFilter(const std::string& attribute, std::string_view dn) {
    // An extensible match is written "attribute:rule:=value"; the value escapes as any other.
    return equalityFilter(attribute + ":1.2.840.113556.1.4.1941:", dn);
}

}  // namespace rosterd::ldap
