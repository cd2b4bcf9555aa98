#pragma once
#include <functional>

#include "daemon/directory_access.h"
#include "daemon/request_auth.h"
#include "daemon/router.h"
#include "db/store.h"
#include "sync/sync_config.h"

namespace rosterd::daemon {

/// The longest name the lookup route accepts, in bytes: directory login names are far shorter.
inline constexpr std::size_t kMaxLookupNameBytes = 256;

/// GET /api/v1/ldap/lookup/{name} (admins): what `rosterd ldap lookup NAME --json` prints, from the
/// directory and sync settings current when the request arrives. 404 when no entry matches the
/// name, 503 when the directory cannot be reached.
void registerLdapLookupRoute(Router& router, DirectoryAccess& access, RequestAuth& auth, db::Store& store,
                             std::function<sync::SyncConfig()> syncSettings);

}  // namespace rosterd::daemon
