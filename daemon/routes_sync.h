#pragma once
#include "daemon/request_auth.h"
#include "daemon/router.h"
#include "sync/sync_service.h"

namespace rosterd::daemon {

/// POST /api/v1/sync/run and GET /api/v1/sync/status (admins only).
void registerSyncRoutes(Router& router, sync::SyncService& service, RequestAuth& auth);

}  // namespace rosterd::daemon
