#include <spdlog/spdlog.h>

#include "daemon/app.h"
#include "daemon/jwt_keys.h"
#include "daemon/routes_accounts.h"

namespace rosterd::daemon {

void App::wireAccounts() {
    auto cfg = this->config();  // the snapshot these services start with
    tokens_ = std::make_unique<accounts::TokenService>(loadJwtKeys(cfg->auth, *store_, clock_, true),
                                                       cfg->auth.jwtExpiresIn, clock_);
    logJwtKeys(*tokens_->keys(), cfg->auth.jwtExpiresIn);
    permissions_ = std::make_unique<accounts::PermissionService>(cfg->permissions);
    accounts_ = std::make_unique<accounts::AccountService>(*store_, outbox_, clock_, cfg->auth, *tokens_, *permissions_,
                                                           metrics_);
    auth_ = std::make_unique<AccountsAuth>(*accounts_);
    std::size_t pruned = store_->transact([&](db::Transaction& tx) { return tokens_->pruneRevocations(tx); });
    if (pruned) spdlog::info("pruned {} revocations of expired tokens", pruned);
    registerAuthRoutes(router_, *accounts_, *auth_, clock_);
    registerUserRoutes(router_, *accounts_, *auth_);
    groups_ = std::make_unique<accounts::GroupService>(*store_, outbox_, clock_);
    registerGroupRoutes(router_, *groups_, *auth_);
    directoryLinks_ = std::make_unique<accounts::DirectoryLinks>(*store_, clock_);
    registerDirectoryLinkRoutes(router_, *directoryLinks_, *auth_);
    accounts_->applyInitialAdmin();  // [auth] initial_admin_email names an account that exists already
    userData_ = std::make_unique<accounts::UserClientData>(*store_, clock_);
    registerUserDataRoutes(router_, *accounts_, *groups_, *userData_, *auth_, clock_);
    registerGroupInfoRoutes(router_, *accounts_, *groups_, *auth_);
    registerProfileImageRoute(router_, *accounts_, *auth_);
    onReload(
        {"auth", nullptr, [this](const Config& next, const Config& previous) { applyAuthReload(next, previous); }});
}

}  // namespace rosterd::daemon
