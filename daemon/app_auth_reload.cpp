// [auth] on reload (SIGHUP, or a runtime setting changed through the API): the keys the account
// service reads per request apply at once, and so do rotated JWT key files; the others are named
// by restartOnlyChanges.
#include <spdlog/spdlog.h>

#include "daemon/app.h"
#include "daemon/jwt_keys.h"

namespace rosterd::daemon {

void App::applyAuthReload(const Config& next, const Config& previous) {
    const auto& a = previous.auth;
    const auto& b = next.auth;
    std::string changed;
    auto note = [&changed](bool differs, const char* key) {
        if (differs) changed += (changed.empty() ? "" : ", ") + std::string(key);
    };
    note(a.enableSignup != b.enableSignup, "enable_signup");
    note(a.defaultUserRole != b.defaultUserRole, "default_user_role");
    note(a.initialAdminEmail != b.initialAdminEmail, "initial_admin_email");
    note(a.showAdminDetails != b.showAdminDetails, "show_admin_details");
    note(a.cookieSecure != b.cookieSecure, "cookie_secure");
    note(a.jwtExpiresIn != b.jwtExpiresIn, "jwt_expires_in");
    accounts_->applyConfig(b);
    tokens_->setLifetime(b.jwtExpiresIn);
    applyJwtKeys(b);
    if (changed.empty()) return;
    if (a.initialAdminEmail != b.initialAdminEmail) accounts_->applyInitialAdmin();
    spdlog::info("auth: reloaded; now in effect: {}", changed);
}

void App::applyJwtKeys(const accounts::AuthConfig& auth) {
    // The files' contents may have changed under the same names: `rosterd keys rotate`.
    try {
        auto keys = loadJwtKeys(auth, *store_, clock_, false);
        auto running = tokens_->keys();
        auto kidOf = [](const std::optional<accounts::SigningKey>& k) { return k ? k->kid : std::string(); };
        if (keys.current().kid == running->current().kid && kidOf(keys.previous()) == kidOf(running->previous()))
            return;
        tokens_->setKeys(keys);
        logJwtKeys(keys, auth.jwtExpiresIn);
    } catch (const std::exception& e) {
        spdlog::error("auth: keeping the signing keys in use, the key files cannot be loaded: {}", e.what());
    }
}

}  // namespace rosterd::daemon
