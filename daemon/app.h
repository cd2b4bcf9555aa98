#pragma once
// Wiring: builds config -> store -> services -> routes -> HTTP server and owns them all.
// Nothing below daemon/ reaches back up here; everything is passed down by reference.
#include <Poco/Crypto/OpenSSLInitializer.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "accounts/directory_links.h"
#include "accounts/directory_login.h"
#include "accounts/group_service.h"
#include "accounts/permissions.h"
#include "accounts/token_service.h"
#include "accounts/user_client_data.h"
#include "accounts/user_import.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/shared_snapshot.h"
#include "daemon/accounts_auth.h"
#include "daemon/config.h"
#include "daemon/directory_access.h"
#include "daemon/http_server.h"
#include "daemon/notify.h"
#include "daemon/reload.h"
#include "daemon/router.h"
#include "db/store.h"
#include "ldap/directory.h"
#include "settings/settings_poller.h"
#include "settings/settings_service.h"
#include "sync/scheduler.h"
#include "sync/sync_service.h"
#include "webhooks/dispatcher.h"
#include "webhooks/outbox.h"
#include "webhooks/webhook_admin.h"

namespace rosterd::daemon {

/// A readiness check: returns the reason when not ready, nullopt when fine.
using ReadinessCheck = std::function<std::optional<std::string>()>;

/// What an App is built for. A sync preview (`rosterd sync --dry-run`) writes nothing but its run
/// record and kept plan: no migration, no prune of expired token revocations, no initial admin, no
/// JWT key file, no key retirement; it issues no token, so it signs with a throwaway key.
enum class AppPurpose { Serve, SyncPreview };

class App {
public:
    /// Opens the store and applies migrations (a sync preview refuses a store that needs them);
    /// throws ConfigError / ConnectionError / DbError.
    App(Config config, const Clock& clock, AppPurpose purpose = AppPurpose::Serve);
    ~App();
    /// Starts the HTTP server and background workers.
    void start();
    /// Stops them (in-flight requests finish, bounded by server.shutdown_timeout).
    void stop();
    /// The port actually listened on (useful with port 0).
    std::uint16_t port() const;

    /// The configuration in force now: an immutable snapshot that a reload or a runtime settings
    /// change replaces as a whole; callers keep the pointer for as long as they use it.
    std::shared_ptr<const Config> config() const { return config_.load(); }
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
    sync::SyncService& syncService() { return *sync_; }
    accounts::UserImporter& importer() { return *importer_; }
    /// The webhook dispatcher (tests poke it after moving the clock).
    webhooks::Dispatcher& webhooks() { return *webhooks_; }
    /// The directory in use now (a reload may replace it), or nullptr when [ldap] enabled is false.
    std::shared_ptr<ldap::Directory> directory() const { return directoryAccess_.current().directory; }
    /// Applies the webhook endpoints of a newly read configuration (a reload hook); throws ConfigError.
    void reloadWebhooks(const Config& config);
    std::vector<std::string> migrationsApplied() const { return migrationsApplied_; }
    /// Adds a check reported by /readyz.
    void addReadinessCheck(std::string name, ReadinessCheck check);
    /// Runs every readiness check; returns the failures as "name: reason".
    std::vector<std::string> readinessFailures();
    /// The service manager link (sd_notify); parts set their STATUS= text through it.
    Notifier& notifier() { return notifier_; }
    /// Registers how a part checks and applies its section of a re-read configuration (SIGHUP).
    void onReload(ReloadHook hook);
    /// Applies a re-read INI configuration (SIGHUP) with the stored runtime settings on top, after
    /// every hook accepted it; on a ConfigError nothing changes, the reason is logged and false is
    /// returned. Safe from any thread (reloads take turns).
    bool reload(const Config& next);
    /// The runtime settings stored through the API (settings/).
    settings::SettingsService& settings() { return *settings_; }
    /// Applies the stored runtime settings now if their version moved (after a change through the
    /// API, or when the poll sees another replica's); returns false when they were refused.
    bool applyStoredSettings();
    /// Stores runtime settings changed through the API ("section.key" -> value as in the INI), once
    /// the INI with every stored setting and these on top passes check-config's validation and every
    /// reload check (nothing is written otherwise: ConfigError names the key), then applies them.
    /// Throws Conflict when [server] persistent_config = false.
    settings::Snapshot updateSettings(const std::map<std::string, std::string>& changes, const std::string& actorId);
    /// Records a reload that failed before reaching reload() (the file did not parse): log + status.
    void reloadRejected(const std::string& reason);
    /// Registers work stopped at shutdown once the HTTP server stopped (reverse order), e.g. a
    /// worker whose running transaction must finish or roll back.
    void onStop(std::string name, std::function<void()> stop);
    /// The sync settings for a configuration ([sync] plus [ldap] link_local_accounts), as sync, the
    /// login route and the lookup read them.
    static sync::SyncConfig syncSettings(const Config& config);

private:
    void registerHealthRoutes();
    void wireAccounts();
    /// Gives the account and token services the [auth] keys that apply without a restart.
    void applyAuthReload(const Config& next, const Config& previous);
    /// Loads the JWT key files again and swaps them in when they changed (a rotation); logs, never throws.
    void applyJwtKeys(const accounts::AuthConfig& auth);
    void wireSync();
    void wireImport();
    void wireService();
    void runStopHooks();
    void wireWebhooks();
    void wireLdap();
    void wireSettings();
    void startSettingsPoller();
    /// `ini` with the stored runtime settings on top (when [server] persistent_config); throws ConfigError.
    Config effectiveConfig(const Config& ini, const settings::Snapshot& stored) const;
    /// Binds to the directory the changed settings describe (when they touch [ldap] and LDAP is on);
    /// throws InvalidInput with the directory's reason, ConfigError naming a bad key.
    void probeDirectory(const std::map<std::string, std::string>& changes);
    /// reload() with reloadMutex_ held.
    bool reloadLocked(const Config& next);
    /// Builds the directory and login policy for an [ldap] section; throws ConfigError.
    DirectoryBinding bindDirectory(const ldap::LdapConfig& config, const accounts::DirectoryPolicyConfig& directory);

    // Keeps Poco's OpenSSL state initialised while the app lives: otherwise every JWT signature
    // takes and drops the last reference, and concurrent requests race on its teardown (crash).
    Poco::Crypto::OpenSSLInitializer openssl_;
    SharedSnapshot<Config> config_;
    std::mutex reloadMutex_;                   ///< one reload or settings change applies at a time
    std::shared_ptr<const Config> iniConfig_;  ///< the INI as last read, without runtime settings (under reloadMutex_)
    std::int64_t settingsVersion_ = -1;        ///< the stored settings version applied (under reloadMutex_)
    const Clock& clock_;
    const AppPurpose purpose_;
    Metrics metrics_;
    std::unique_ptr<db::Store> store_;
    std::unique_ptr<settings::SettingsService> settings_;
    std::unique_ptr<settings::SettingsPoller> settingsPoller_;
    std::vector<std::string> migrationsApplied_;
    webhooks::Outbox outbox_;
    Router router_;
    std::unique_ptr<accounts::TokenService> tokens_;
    std::unique_ptr<accounts::PermissionService> permissions_;
    std::unique_ptr<accounts::AccountService> accounts_;
    std::unique_ptr<AccountsAuth> auth_;
    std::unique_ptr<accounts::GroupService> groups_;
    std::unique_ptr<accounts::DirectoryLinks> directoryLinks_;
    std::unique_ptr<accounts::UserClientData> userData_;
    std::unique_ptr<sync::SyncService> sync_;
    std::unique_ptr<sync::SyncScheduler> syncScheduler_;
    std::unique_ptr<accounts::HashPool> hashPool_;
    std::unique_ptr<accounts::UserImporter> importer_;
    std::unique_ptr<webhooks::Dispatcher> webhooks_;
    std::unique_ptr<webhooks::WebhookAdmin> webhookAdmin_;
    DirectoryAccess directoryAccess_;
    std::optional<DirectoryBinding> pendingDirectory_;  ///< built by the ldap reload check, swapped in by apply
    std::vector<std::pair<std::string, ReadinessCheck>> readiness_;
    std::unique_ptr<HttpServer> server_;
    Notifier notifier_;
    ReloadHooks reloadHooks_;
    std::vector<std::pair<std::string, std::function<void()>>> stopHooks_;
};

}  // namespace rosterd::daemon
