#pragma once
#include <cstddef>

#include "accounts/account_service.h"
#include "accounts/directory_login.h"
#include "common/clock.h"
#include "daemon/directory_access.h"
#include "daemon/router.h"

namespace rosterd::daemon {

/// The longest login name and password the route takes, in bytes. Directory names (a uid, an
/// email, a userPrincipalName) are far shorter; the bound keeps a megabyte name from becoming a
/// filter of several megabytes (escaped, once per login attribute) sent to the directory.
inline constexpr std::size_t kMaxLdapLoginNameBytes = 256;
inline constexpr std::size_t kMaxLdapPasswordBytes = 1024;

/// POST /api/v1/auths/ldap {user, password}: find the entry as the service account, bind as it,
/// then create/update the local user and return the same session as /auths/signin. Each request
/// uses the directory and login policy current when it arrived, to its end, even across a reload.
void registerLdapLoginRoute(Router& router, DirectoryAccess& access, accounts::AccountService& accounts,
                            const Clock& clock);

}  // namespace rosterd::daemon
