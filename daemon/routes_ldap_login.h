#pragma once
#include "accounts/account_service.h"
#include "accounts/directory_login.h"
#include "common/clock.h"
#include "daemon/router.h"
#include "ldap/directory.h"

namespace rosterd::daemon {

/// POST /api/v1/auths/ldap {user, password}: find the entry as the service account, bind as it,
/// then create/update the local user and return the same session as /auths/signin.
void registerLdapLoginRoute(Router& router, ldap::Directory& directory, accounts::DirectoryLogin& login,
                            accounts::AccountService& accounts, const Clock& clock);

}  // namespace rosterd::daemon
