#pragma once
// Active Directory's LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941): a DN-valued attribute
// matched through any chain of links, so the directory resolves nested groups in one search.
#include <string>
#include <string_view>

namespace rosterd::ldap {

/// `(attribute:1.2.840.113556.1.4.1941:=<escaped dn>)`: entries whose `attribute` reaches `dn`
/// directly or through entries that do (e.g. member: every group the user is in at any depth).
std::string inChainFilter(const std::string& attribute, std::string_view dn);

}  // namespace rosterd::ldap
