#pragma once
#include "daemon/app.h"

namespace rosterd::daemon {

/// GET /api/config, GET /api/version and Open WebUI's admin settings under /api/v1/auths
/// (admin details, admin config, signup, default role, token lifetime, LDAP): reads come from the
/// configuration snapshot, changes go through App::updateSettings.
void registerConfigRoutes(Router& router, App& app);

}  // namespace rosterd::daemon
