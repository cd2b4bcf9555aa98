// Open WebUI's per-user routes: a user's groups, whether they are active now, and the settings
// and info documents its frontend keeps per user.
#include "common/errors.h"
#include "daemon/routes_accounts.h"

namespace rosterd::daemon {
namespace {

constexpr std::int64_t kActiveWindowSeconds = 180;  // Open WebUI: seen within the last 3 minutes

nlohmann::json groupsJson(const std::vector<accounts::Group>& groups) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& g : groups) out.push_back(accounts::groupJson(g));
    return out;
}

/// Open WebUI answers null for a document never set (its frontend then falls back to local state).
HttpResponse documentResponse(const nlohmann::json& doc) {
    if (!doc.empty()) return HttpResponse::json(doc);
    HttpResponse r;
    r.rawBody = "null";  // a null body would otherwise be sent empty
    return r;
}

}  // namespace

void registerUserDataRoutes(Router& router, accounts::AccountService& accounts, accounts::GroupService& groups,
                            accounts::UserClientData& data, AccountsAuth& auth, const Clock& clock) {
    using accounts::user_store::ClientData;
    router.add("GET", "/api/v1/users/groups", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::User);
        return HttpResponse::json(groupsJson(groups.ofUser(caller.user.id)));
    });
    router.add("GET", "/api/v1/users/{id}/groups", [&](HttpRequest& req) {
        auth.caller(req, Access::Admin);
        auto user = accounts.getUser(req.param("id"));  // NotFound for an unknown id
        return HttpResponse::json(groupsJson(groups.ofUser(user.id)));
    });
    router.add("GET", "/api/v1/users/{id}/active", [&](HttpRequest& req) {
        auth.caller(req, Access::User);
        auto user = accounts.getUser(req.param("id"));
        bool active = user.active && user.lastActiveAt >= clock.nowSeconds() - kActiveWindowSeconds;
        return HttpResponse::json({{"active", active}});
    });
    for (const auto& entry : {std::pair{"settings", ClientData::Settings}, std::pair{"info", ClientData::Info}}) {
        const ClientData which = entry.second;
        std::string base = std::string("/api/v1/users/user/") + entry.first;
        router.add("GET", base, [&, which](HttpRequest& req) {
            auto caller = auth.caller(req, Access::User);
            return documentResponse(data.get(caller.user.id, which));
        });
        // Settings are replaced whole (Open WebUI's UserSettings form); info is merged key by key.
        Handler update = [&, which](HttpRequest& req) {
            auto caller = auth.caller(req, Access::User);
            auto body = req.json();
            if (which == ClientData::Settings) return HttpResponse::json(data.replace(caller.user.id, which, body));
            return HttpResponse::json(data.merge(caller.user.id, which, body));
        };
        router.add("POST", base + "/update", update);
        router.add("POST", base, update);
    }
}

}  // namespace rosterd::daemon
