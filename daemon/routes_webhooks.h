#pragma once
#include "daemon/request_auth.h"
#include "daemon/router.h"
#include "webhooks/webhook_admin.h"

namespace rosterd::daemon {

/// /api/v1/webhooks/*: endpoint status, deliveries, retrying dead events (admins only).
void registerWebhookRoutes(Router& router, webhooks::WebhookAdmin& admin, RequestAuth& auth);

}  // namespace rosterd::daemon
