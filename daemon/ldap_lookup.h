#pragma once
// What rosterd sees for one directory user (`rosterd ldap lookup NAME`, GET /api/v1/ldap/lookup/NAME):
// the entry, its mapped fields, its groups (direct and nested), the account and role it has or
// would get, and every reason it could not sign in.
#include <nlohmann/json.hpp>
#include <string>

#include "db/store.h"
#include "ldap/directory.h"
#include "sync/sync_config.h"

namespace rosterd::daemon {

/// Looks `name` up as a directory login does (user_filter and the username attribute under
/// user_base) and reports it; throws LdapError when the directory fails.
nlohmann::json lookupDirectoryUser(ldap::Directory& directory, const sync::SyncConfig& sync, db::Store& store,
                                   const std::string& name);

/// The report as lines for a terminal.
std::string lookupText(const nlohmann::json& report);

}  // namespace rosterd::daemon
