#pragma once
// Why a directory refused a simple bind. Active Directory (and Samba AD) put the reason in the
// diagnostic message of an invalidCredentials result: "80090308: LdapErr: ..., data 775, v4563".
#include <optional>
#include <string>

namespace rosterd::ldap {

enum class BindRefusal {
    WrongCredentials,    ///< 52e, or any server that says no more
    Locked,              ///< 775: locked out after failed attempts
    PasswordExpired,     ///< 532
    MustChangePassword,  ///< 773: the password must be changed at next logon
    AccountExpired,      ///< 701: accountExpires is past
    Disabled,            ///< 533: userAccountControl ACCOUNTDISABLE
};

/// The refusal a bind diagnostic names (the hex code after "data "); WrongCredentials otherwise.
BindRefusal bindRefusalOf(const std::string& diagnostic);
/// Whether the directory only gives this answer once the password was found right: then telling
/// the caller the reason reveals nothing to someone who does not know the password.
bool passwordWasRight(BindRefusal refusal);
/// A short name for logs ("locked", "password expired", ...).
const char* describe(BindRefusal refusal);

}  // namespace rosterd::ldap
