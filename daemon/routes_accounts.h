#pragma once
#include "accounts/account_service.h"
#include "accounts/directory_links.h"
#include "accounts/group_service.h"
#include "common/clock.h"
#include "daemon/accounts_auth.h"
#include "daemon/router.h"

namespace rosterd::daemon {

/// /api/v1/auths/* routes.
void registerAuthRoutes(Router& router, accounts::AccountService& accounts, AccountsAuth& auth, const Clock& clock);
/// /api/v1/users/* routes.
void registerUserRoutes(Router& router, accounts::AccountService& accounts, AccountsAuth& auth);

/// Admin routes over linking local accounts to directory entries: GET
/// /api/v1/users/directory_link_refusals, POST /api/v1/users/{id}/directory_link {allowed}.
void registerDirectoryLinkRoutes(Router& router, accounts::DirectoryLinks& links, AccountsAuth& auth);

/// /api/v1/groups/* routes.
void registerGroupRoutes(Router& router, accounts::GroupService& groups, AccountsAuth& auth);

}  // namespace rosterd::daemon
