#pragma once
// Whether a configured attribute name is an LDAP attribute description (RFC 4512 section 2.5):
// the names rosterd puts into filters and attribute lists must not carry filter syntax.
#include <string_view>

namespace rosterd::ldap {

/// A descriptor (a letter, then letters, digits and hyphens) or a numeric OID, with any
/// `;option`s (letters, digits, hyphens): `mail`, `sAMAccountName`, `2.5.4.3`, `userCertificate;binary`.
bool isAttributeDescription(std::string_view name);

}  // namespace rosterd::ldap
