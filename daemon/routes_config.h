#pragma once
#include "daemon/app.h"

namespace rosterd::daemon {

/// GET /api/config, GET /api/version and Open WebUI's admin settings under /api/v1/auths
/// (admin details, admin config, signup, default role, token lifetime, LDAP): reads come from the
/// configuration snapshot, changes go through App::updateSettings.
void registerConfigRoutes(Router& router, App& app);

/// GET /api/v1/configs/banners (signed-in users) and POST (admin, `{banners}`): Open WebUI's banners,
/// kept for the client as a runtime setting.
void registerBannerRoutes(Router& router, App& app);

}  // namespace rosterd::daemon
