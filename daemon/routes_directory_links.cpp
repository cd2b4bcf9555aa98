// Admin routes over linking local accounts to directory entries by email.
#include "common/errors.h"
#include "daemon/json_fields.h"
#include "daemon/routes_accounts.h"

namespace rosterd::daemon {

void registerDirectoryLinkRoutes(Router& router, accounts::DirectoryLinks& links, AccountsAuth& auth) {
    router.add("GET", "/api/v1/users/directory_link_refusals", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : links.refusals()) out.push_back(accounts::linkRefusalJson(r));
        return HttpResponse::json(out);
    });
    router.add("POST", "/api/v1/users/{id}/directory_link", [&](HttpRequest& req) {
        auto actor = auth.caller(req, Access::Admin);
        auto body = req.json();
        auto it = body.find("allowed");
        if (it == body.end() || !it->is_boolean())
            throw InvalidInput("field 'allowed' is required and must be true or false");
        return HttpResponse::json(
            accounts::linkRefusalJson(links.setAllowed(actor.user.id, req.param("id"), it->get<bool>())));
    });
}

}  // namespace rosterd::daemon
