// Open WebUI's configuration endpoints. Thin: the form mapping lives in webui_config.cpp, storing
// and applying in settings/ and App::updateSettings.
#include "daemon/routes_config.h"

#include "accounts/admin_contact.h"
#include "common/errors.h"
#include "daemon/json_fields.h"
#include "daemon/webui_config.h"
#include "rosterd_version.h"

namespace rosterd::daemon {
namespace {

using nlohmann::json;

/// The caller when the request carries valid credentials, nullopt for an anonymous one.
std::optional<accounts::Caller> optionalCaller(App& app, const HttpRequest& req) {
    if (AccountsAuth::credentialOf(req).empty()) return std::nullopt;
    try {
        return app.accountsAuth().caller(req, Access::Self);
    } catch (const Unauthenticated&) {
        return std::nullopt;
    }
}

/// The stored value of `key`, else the running configuration's ("true"/"false" for booleans).
bool storedOrRunning(App& app, const std::string& key, bool running) {
    auto stored = app.settings().load().values;
    auto it = stored.find(key);
    return it == stored.end() ? running : it->second == "true";
}

/// Stores `changes` as runtime settings; a refused value answers 400 naming the INI key.
void store(App& app, const accounts::Caller& caller, const SettingValues& changes) {
    try {
        app.updateSettings(changes, caller.user.id);
    } catch (const ConfigError& e) {
        throw InvalidInput(std::string("refused, nothing was changed: ") + e.what());
    }
}

json appConfig(App& app, const HttpRequest& req) {
    auto c = app.config();
    auto caller = optionalCaller(app, req);
    accounts::UserQuery q;
    q.limit = 1;
    auto first = app.accounts().listUsers(q);
    json features = {
        {"auth", true},
        {"auth_trusted_header", false},
        {"enable_ldap", c->ldap.enabled},
        {"enable_api_key", true},
        {"enable_signup", c->auth.enableSignup},
        {"enable_login_form", true},
        {"enable_websocket", false},
    };
    json out = {
        {"status", true},
        {"name", "rosterd"},
        {"version", ROSTERD_VERSION},
        {"default_locale", ""},
        {"oauth", {{"providers", json::object()}}},
        {"features", features},
    };
    if (!caller && first.total == 0) out["onboarding"] = true;
    if (caller) {
        // rosterd serves users and groups only: the chat features it does not provide are off.
        for (const char* f :
             {"enable_direct_connections", "enable_channels", "enable_notes", "enable_web_search",
              "enable_code_execution", "enable_code_interpreter", "enable_image_generation",
              "enable_autocomplete_generation", "enable_user_webhooks", "enable_admin_export",
              "enable_admin_chat_access", "enable_google_drive_integration", "enable_onedrive_integration"})
            out["features"][f] = false;
        auto page = adminConfigJson(*c, app.settings().load().values);
        out["features"]["enable_community_sharing"] = page["ENABLE_COMMUNITY_SHARING"];
        out["features"]["enable_message_rating"] = page["ENABLE_MESSAGE_RATING"];
        out["default_models"] = "";
        out["default_prompt_suggestions"] = json::array();
        out["user_count"] = first.total;
        out["permissions"] = app.accounts().defaultPermissions();
        out["ui"] = {{"pending_user_overlay_title", page["PENDING_USER_OVERLAY_TITLE"]},
                     {"pending_user_overlay_content", page["PENDING_USER_OVERLAY_CONTENT"]},
                     {"response_watermark", page["RESPONSE_WATERMARK"]}};
    }
    return out;
}

}  // namespace

void registerConfigRoutes(Router& router, App& app) {
    router.add("GET", "/api/config", [&](HttpRequest& req) { return HttpResponse::json(appConfig(app, req)); });
    router.add("GET", "/api/version", [](HttpRequest&) { return HttpResponse::json({{"version", ROSTERD_VERSION}}); });

    router.add("GET", "/api/v1/auths/admin/details", [&](HttpRequest& req) {
        app.accountsAuth().caller(req, Access::Self);  // pending users see it: that is its purpose
        if (!app.config()->auth.showAdminDetails)
            throw InvalidInput("admin details are not shown on this server ([auth] show_admin_details = false)");
        auto admin =
            app.store().transact([](db::Transaction& tx) { return accounts::findAdminContact(tx); }, db::TxMode::Read);
        if (!admin) return HttpResponse::json({{"name", nullptr}, {"email", nullptr}});
        return HttpResponse::json({{"name", admin->name}, {"email", admin->email}});
    });

    router.add("GET", "/api/v1/auths/admin/config", [&](HttpRequest& req) {
        app.accountsAuth().caller(req, Access::Admin);
        return HttpResponse::json(adminConfigJson(*app.config(), app.settings().load().values));
    });
    router.add("POST", "/api/v1/auths/admin/config", [&](HttpRequest& req) {
        auto caller = app.accountsAuth().caller(req, Access::Admin);
        store(app, caller, adminConfigChanges(req.json()));
        return HttpResponse::json(adminConfigJson(*app.config(), app.settings().load().values));
    });

    router.add("GET", "/api/v1/auths/signup/enabled", [&](HttpRequest& req) {
        app.accountsAuth().caller(req, Access::Admin);
        return HttpResponse::json(app.config()->auth.enableSignup);
    });
    router.add("GET", "/api/v1/auths/signup/enabled/toggle", [&](HttpRequest& req) {
        auto caller = app.accountsAuth().caller(req, Access::Admin);
        bool next = !app.config()->auth.enableSignup;
        store(app, caller, {{"auth.enable_signup", next ? "true" : "false"}});
        return HttpResponse::json(app.config()->auth.enableSignup);
    });

    router.add("GET", "/api/v1/auths/signup/user/role", [&](HttpRequest& req) {
        app.accountsAuth().caller(req, Access::Admin);
        return HttpResponse::json(app.config()->auth.defaultUserRole);
    });
    router.add("POST", "/api/v1/auths/signup/user/role", [&](HttpRequest& req) {
        auto caller = app.accountsAuth().caller(req, Access::Admin);
        store(app, caller, {{"auth.default_user_role", requireString(req.json(), "role")}});
        return HttpResponse::json(app.config()->auth.defaultUserRole);
    });

    router.add("GET", "/api/v1/auths/token/expires", [&](HttpRequest& req) {
        app.accountsAuth().caller(req, Access::Admin);
        return HttpResponse::json(expiresInText(app.config()->auth.jwtExpiresIn));
    });
    Handler updateExpires = [&](HttpRequest& req) {
        auto caller = app.accountsAuth().caller(req, Access::Admin);
        store(app, caller, {{"auth.jwt_expires_in", requireString(req.json(), "duration")}});
        return HttpResponse::json(expiresInText(app.config()->auth.jwtExpiresIn));
    };
    router.add("POST", "/api/v1/auths/token/expires/update", updateExpires);
    router.add("POST", "/api/v1/auths/token/expires", updateExpires);

    router.add("GET", "/api/v1/auths/admin/config/ldap", [&](HttpRequest& req) {
        app.accountsAuth().caller(req, Access::Admin);
        return HttpResponse::json({{"ENABLE_LDAP", storedOrRunning(app, "ldap.enabled", app.config()->ldap.enabled)}});
    });
    router.add("POST", "/api/v1/auths/admin/config/ldap", [&](HttpRequest& req) {
        auto caller = app.accountsAuth().caller(req, Access::Admin);
        bool enable = optionalBool(req.json(), "enable_ldap", false);
        // Switching LDAP on or off decides which routes and workers exist: stored now, it takes
        // effect when each replica restarts (as Open WebUI needs a restart for it too).
        store(app, caller, {{"ldap.enabled", enable ? "true" : "false"}});
        return HttpResponse::json({{"ENABLE_LDAP", storedOrRunning(app, "ldap.enabled", app.config()->ldap.enabled)}});
    });
    router.add("GET", "/api/v1/auths/admin/config/ldap/server", [&](HttpRequest& req) {
        app.accountsAuth().caller(req, Access::Admin);
        return HttpResponse::json(ldapServerJson(*app.config(), app.settings().load().values));
    });
    router.add("POST", "/api/v1/auths/admin/config/ldap/server", [&](HttpRequest& req) {
        auto caller = app.accountsAuth().caller(req, Access::Admin);
        store(app, caller, ldapServerChanges(req.json()));
        return HttpResponse::json(ldapServerJson(*app.config(), app.settings().load().values));
    });
}

}  // namespace rosterd::daemon
