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
    if (config_.ldap.enabled) {
        syncDirectory_ = std::make_unique<ldap::Directory>(config_.ldap);
        sources = [this] { return std::make_unique<sync::LdapSource>(*syncDirectory_); };
    } else {
        sources = []() -> std::unique_ptr<sync::DirectorySource> {
            throw Unavailable("no directory is configured (ldap.enabled = false)");
        };
    }
    sync_ = std::make_unique<sync::SyncService>(*store_, outbox_, metrics_, clock_, sc, std::move(sources));
    registerSyncRoutes(router_, *sync_, *auth_);
    if (config_.ldap.enabled && sc.interval.count() > 0)
        syncScheduler_ = std::make_unique<sync::SyncScheduler>(*sync_, clock_, sc.interval);
}

}  // namespace rosterd::daemon
