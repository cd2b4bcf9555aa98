// /api/v1/webhooks/*: thin handlers over WebhookAdmin.
#include "daemon/routes_webhooks.h"

#include "common/errors.h"

namespace rosterd::daemon {
namespace {

int limitParam(const HttpRequest& req) {
    auto v = req.queryParam("limit");
    if (!v) return 100;
    std::size_t pos = 0;
    int n = 0;
    try {
        n = std::stoi(*v, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos == 0 || pos != v->size()) throw InvalidInput("limit must be a whole number, not '" + *v + "'");
    return n;
}

}  // namespace

void registerWebhookRoutes(Router& router, webhooks::WebhookAdmin& admin, RequestAuth& auth) {
    router.add("GET", "/api/v1/webhooks/", [&](HttpRequest& req) {
        auth.requireAdmin(req);
        return HttpResponse::json(admin.endpoints());
    });
    router.add("GET", "/api/v1/webhooks/events", [&](HttpRequest& req) {
        auth.requireAdmin(req);
        return HttpResponse::json(
            admin.deliveries(req.queryParam("status"), req.queryParam("endpoint"), limitParam(req)));
    });
    router.add("POST", "/api/v1/webhooks/events/{id}/retry", [&](HttpRequest& req) {
        auth.requireAdmin(req);
        return HttpResponse::json(admin.retry(req.param("id"), req.queryParam("endpoint")));
    });
}

}  // namespace rosterd::daemon
