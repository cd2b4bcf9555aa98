#pragma once
#include "accounts/account_service.h"
#include "accounts/directory_login.h"
#include "common/clock.h"
#include "daemon/directory_access.h"
#include "daemon/router.h"

namespace rosterd::daemon {

/// POST /api/v1/auths/ldap {user, password}: find the entry as the service account, bind as it,
/// then create/update the local user and return the same session as /auths/signin. Each request
/// uses the directory and login policy current when it arrived, to its end, even across a reload.
void registerLdapLoginRoute(Router& router, DirectoryAccess& access, accounts::AccountService& accounts,
                            const Clock& clock);

}  // namespace rosterd::daemon
