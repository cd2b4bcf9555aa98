#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/routes_sync.h"
#include "sync/ldap_source.h"

namespace rosterd::daemon {

void App::wireSync() {
    sync::SyncConfig sc = config_.sync;
    sc.linkLocalAccounts = config_.ldap.linkLocalAccounts == ldap::LinkLocalAccounts::Email;
    sync::SourceFactory sources;
    if (ldap::Directory* directory = this->directory()) {
        // The directory login shares the same pools; each sync search holds one connection.
        sources = [directory] { return std::make_unique<sync::LdapSource>(*directory); };
    } else {
        sources = []() -> std::unique_ptr<sync::DirectorySource> {
            throw Unavailable("no directory is configured (ldap.enabled = false)");
        };
    }
    sync_ = std::make_unique<sync::SyncService>(*store_, outbox_, metrics_, clock_, sc, std::move(sources));
    registerSyncRoutes(router_, *sync_, *auth_);
    if (directory() && sc.interval.count() > 0)
        syncScheduler_ = std::make_unique<sync::SyncScheduler>(*sync_, clock_, sc.interval);
}

}  // namespace rosterd::daemon
