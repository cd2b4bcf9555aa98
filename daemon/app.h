#pragma once
// Wiring: builds config -> store -> services -> routes -> HTTP server and owns them all.
// Nothing below daemon/ reaches back up here; everything is passed down by reference.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "accounts/group_service.h"
#include "accounts/permissions.h"
#include "accounts/token_service.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "daemon/accounts_auth.h"
#include "daemon/config.h"
#include "daemon/http_server.h"
#include "daemon/router.h"
#include "db/store.h"
#include "webhooks/dispatcher.h"
#include "webhooks/outbox.h"
#include "webhooks/webhook_admin.h"

namespace rosterd::daemon {

/// A readiness check: returns the reason when not ready, nullopt when fine.
using ReadinessCheck = std::function<std::optional<std::string>()>;

class App {
public:
    /// Opens the store and applies migrations; throws ConfigError / ConnectionError / DbError.
    App(Config config, const Clock& clock);
    ~App();
    /// Starts the HTTP server and background workers.
    void start();
    /// Stops them (in-flight requests finish, bounded by server.shutdown_timeout).
    void stop();
    /// The port actually listened on (useful with port 0).
    std::uint16_t port() const;

    const Config& config() const { return config_; }
    db::Store& store() { return *store_; }
    Metrics& metrics() { return metrics_; }
    Router& router() { return router_; }
    webhooks::Outbox& outbox() { return outbox_; }
    const Clock& clock() const { return clock_; }
    /// Access checks for route handlers.
    RequestAuth& auth() { return *auth_; }
    AccountsAuth& accountsAuth() { return *auth_; }
    accounts::AccountService& accounts() { return *accounts_; }
    accounts::GroupService& groups() { return *groups_; }
    /// The webhook dispatcher (tests poke it after moving the clock).
    webhooks::Dispatcher& webhooks() { return *webhooks_; }
    /// Applies the webhook endpoints of a newly read configuration (reload); throws ConfigError.
    void reloadWebhooks(const Config& config);
    std::vector<std::string> migrationsApplied() const { return migrationsApplied_; }
    /// Adds a check reported by /readyz.
    void addReadinessCheck(std::string name, ReadinessCheck check);
    /// Runs every readiness check; returns the failures as "name: reason".
    std::vector<std::string> readinessFailures();

private:
    void registerHealthRoutes();
    void wireAccounts();
    void wireWebhooks();

    Config config_;
    const Clock& clock_;
    Metrics metrics_;
    std::unique_ptr<db::Store> store_;
    std::vector<std::string> migrationsApplied_;
    webhooks::Outbox outbox_;
    Router router_;
    std::unique_ptr<accounts::TokenService> tokens_;
    std::unique_ptr<accounts::PermissionService> permissions_;
    std::unique_ptr<accounts::AccountService> accounts_;
    std::unique_ptr<AccountsAuth> auth_;
    std::unique_ptr<accounts::GroupService> groups_;
    std::unique_ptr<webhooks::Dispatcher> webhooks_;
    std::unique_ptr<webhooks::WebhookAdmin> webhookAdmin_;
    std::vector<std::pair<std::string, ReadinessCheck>> readiness_;
    std::unique_ptr<HttpServer> server_;
};

}  // namespace rosterd::daemon
