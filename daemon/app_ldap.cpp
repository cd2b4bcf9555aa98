#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/routes_ldap_login.h"

namespace rosterd::daemon {

void App::wireLdap() {
    if (!config_.ldap.enabled) {
        // The route exists either way, so clients get a clear answer instead of a 404.
        router_.add("POST", "/api/v1/auths/ldap", [](HttpRequest&) -> HttpResponse {
            throw InvalidInput("LDAP login is not enabled on this server ([ldap] enabled = false)");
        });
        return;
    }
    directory_ = std::make_unique<ldap::Directory>(config_.ldap);  // connects lazily
    accounts::DirectoryLoginPolicy policy;
    policy.linkLocalByEmail = config_.ldap.linkLocalAccounts == ldap::LinkLocalAccounts::Email;
    policy.syncGroups = config_.ldap.groupSyncOnLogin;
    directoryLogin_ = std::make_unique<accounts::DirectoryLogin>(*store_, outbox_, clock_, *accounts_, policy);
    registerLdapLoginRoute(router_, *directory_, *directoryLogin_, *accounts_, clock_);
    addReadinessCheck("ldap", [this]() -> std::optional<std::string> {
        try {
            directory_->ping();
            return std::nullopt;
        } catch (const std::exception& e) {
            return std::string("directory unreachable: ") + e.what();
        }
    });
    spdlog::info("ldap login enabled against {}", config_.ldap.urls.front());
}

}  // namespace rosterd::daemon
