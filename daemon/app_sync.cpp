#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/routes_sync.h"

namespace rosterd::daemon {

void App::wireSync() {
    sync::SourceFactory sources = []() -> std::unique_ptr<sync::DirectorySource> {
        throw Unavailable("no directory is configured ([ldap] url is empty)");
    };
    sync_ = std::make_unique<sync::SyncService>(*store_, outbox_, metrics_, clock_, config_.sync, std::move(sources));
    registerSyncRoutes(router_, *sync_, *auth_);
}

}  // namespace rosterd::daemon
