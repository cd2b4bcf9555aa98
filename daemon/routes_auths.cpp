// /api/v1/auths/*: signup, sign-in, session, sign-out, password and profile, API keys.
#include "daemon/json_fields.h"
#include "daemon/routes_accounts.h"
#include "daemon/session_response.h"
#include "daemon/webui_user.h"

namespace rosterd::daemon {

void registerAuthRoutes(Router& router, accounts::AccountService& accounts, AccountsAuth& auth, const Clock& clock) {
    router.add("POST", "/api/v1/auths/signup", [&](HttpRequest& req) {
        auto body = req.json();
        auto session =
            accounts.signup(requireString(body, "name"), requireString(body, "email"), requireString(body, "password"),
                            optionalString(body, "profile_image_url").value_or(""), req.clientAddress);
        return sessionResponse(session, req, accounts.config(), clock.nowSeconds());
    });
    router.add("POST", "/api/v1/auths/signin", [&](HttpRequest& req) {
        auto body = req.json();
        auto session =
            accounts.signin(requireString(body, "email"), requireString(body, "password"), req.clientAddress);
        return sessionResponse(session, req, accounts.config(), clock.nowSeconds());
    });
    router.add("GET", "/api/v1/auths/", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Self);
        return HttpResponse::json(accounts::sessionJson(accounts.currentSession(caller)));
    });
    router.add("GET", "/api/v1/auths/signout", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Self);
        accounts.signout(caller);
        HttpResponse r = HttpResponse::json({{"status", true}});
        r.headers.emplace_back("Set-Cookie", clearedTokenCookie(req, accounts.config()));
        return r;
    });
    router.add("POST", "/api/v1/auths/update/password", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Self);
        auto body = req.json();
        accounts.updatePassword(caller, requireString(body, "password"), requireString(body, "new_password"));
        return HttpResponse::json(true);
    });
    router.add("POST", "/api/v1/auths/update/profile", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::Self);
        auto body = req.json();
        auto u =
            accounts.updateProfile(caller, optionalString(body, "name"), optionalString(body, "profile_image_url"));
        return HttpResponse::json(webuiUserJson(u));
    });
    router.add("POST", "/api/v1/auths/api_key", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::User);
        return HttpResponse::json({{"api_key", accounts.createApiKey(caller)}});
    });
    router.add("GET", "/api/v1/auths/api_key", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::User);
        // Open WebUI's page shows `api_key`; rosterd keeps only a hash, so it is the masked form.
        auto shown = accounts.apiKeyDisplay(caller);
        return HttpResponse::json(
            {{"api_key", shown ? nlohmann::json(*shown) : nlohmann::json(nullptr)}, {"exists", shown.has_value()}});
    });
    router.add("DELETE", "/api/v1/auths/api_key", [&](HttpRequest& req) {
        auto caller = auth.caller(req, Access::User);
        return HttpResponse::json(accounts.deleteApiKey(caller));
    });
}

}  // namespace rosterd::daemon
