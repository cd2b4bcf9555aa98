#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/routes_ldap_login.h"
#include "daemon/routes_ldap_lookup.h"

namespace rosterd::daemon {

DirectoryBinding App::bindDirectory(const ldap::LdapConfig& config, const accounts::DirectoryPolicyConfig& directory) {
    validateLdap(config);
    accounts::DirectoryLoginPolicy policy;
    policy.linkLocalByEmail = config.linkLocalAccounts == ldap::LinkLocalAccounts::Email;
    policy.syncGroups = config.groupSyncOnLogin;
    policy.directory = directory;
    DirectoryBinding b;
    b.directory = std::make_shared<ldap::Directory>(config);  // reads the bind password; connects lazily
    b.login = std::make_shared<accounts::DirectoryLogin>(*store_, outbox_, clock_, *accounts_, policy);
    b.nesting = std::make_shared<ldap::NestingCache>(clock_, config.nestedGroupsCache);
    b.loginDns = std::make_shared<ldap::LoginDnCache>(clock_, config.loginDnCache);
    return b;
}

void App::wireLdap() {
    auto cfg = this->config();
    // Switching LDAP on or off changes which routes and workers exist: restartOnlyChanges names it
    // and reload() keeps the running [ldap] section. Otherwise every [ldap] setting reloads: the
    // check builds the new directory (so a missing password file rejects the reload), apply swaps it.
    onReload({"ldap",
              [this](const Config& next) {
                  pendingDirectory_.reset();
                  if (!config()->ldap.enabled || !next.ldap.enabled) return;
                  pendingDirectory_ = bindDirectory(next.ldap, next.sync.directoryPolicy);
              },
              [this](const Config& next, const Config&) {
                  if (!pendingDirectory_) return;
                  directoryAccess_.replace(std::move(*pendingDirectory_));
                  pendingDirectory_.reset();
                  spdlog::info("ldap: reloaded; directory at {}, link_local_accounts = {}, group_sync_on_login = {}",
                               next.ldap.urls.front(),
                               next.ldap.linkLocalAccounts == ldap::LinkLocalAccounts::Email ? "email" : "none",
                               next.ldap.groupSyncOnLogin);
              }});
    // Registered either way: with LDAP off it answers why there is nothing to look in.
    registerLdapLookupRoute(router_, directoryAccess_, *auth_, *store_, [this] { return syncSettings(*config()); });
    if (!cfg->ldap.enabled) {
        // The route exists either way, so clients get a clear answer instead of a 404.
        router_.add("POST", "/api/v1/auths/ldap", [](HttpRequest&) -> HttpResponse {
            throw InvalidInput("LDAP login is not enabled on this server ([ldap] enabled = false)");
        });
        return;
    }
    directoryAccess_.replace(bindDirectory(cfg->ldap, cfg->sync.directoryPolicy));
    registerLdapLoginRoute(router_, directoryAccess_, *accounts_, clock_);
    addReadinessCheck("ldap", [this]() -> std::optional<std::string> {
        try {
            auto directory = directoryAccess_.current().directory;
            if (!directory) return std::string("no directory is configured");
            directory->ping();
            return std::nullopt;
        } catch (const std::exception& e) {
            return std::string("directory unreachable: ") + e.what();
        }
    });
    spdlog::info("ldap login enabled against {}", cfg->ldap.urls.front());
}

}  // namespace rosterd::daemon
