#pragma once
#include "accounts/account_service.h"
#include "accounts/directory_links.h"
#include "accounts/group_service.h"
#include "accounts/user_client_data.h"
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
/// Open WebUI's per-user routes under /api/v1/users: groups, active, settings and info documents.
void registerUserDataRoutes(Router& router, accounts::AccountService& accounts, accounts::GroupService& groups,
                            accounts::UserClientData& data, AccountsAuth& auth, const Clock& clock);

/// GET /api/v1/users/{id}/profile/image: the user's picture (redirect, decoded data: URL or the default).
void registerProfileImageRoute(Router& router, accounts::AccountService& accounts, AccountsAuth& auth);

/// Open WebUI's group reads: /api/v1/groups/id/{id}/info, /export and /users.
void registerGroupInfoRoutes(Router& router, accounts::AccountService& accounts, accounts::GroupService& groups,
                             AccountsAuth& auth);

/// /api/v1/groups/* routes.
void registerGroupRoutes(Router& router, accounts::GroupService& groups, AccountsAuth& auth);

}  // namespace rosterd::daemon
