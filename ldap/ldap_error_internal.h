#pragma once
// The one place libldap return codes become exceptions. Included only by ldap/*.cpp.
#include <ldap.h>

#include <string>

namespace rosterd::ldap {

/// The library's message for `code` plus the server's diagnostic message on `ld`, if any.
std::string describeError(LDAP* ld, int code);
/// Throws LdapError (IncompleteRead/Unreachable where they fit) when `code` is not LDAP_SUCCESS.
void check(LDAP* ld, int code, const std::string& what);
/// Throws the error for `code` unconditionally.
[[noreturn]] void fail(LDAP* ld, int code, const std::string& what);

}  // namespace rosterd::ldap
