#include "daemon/console_accounts.h"

#include "common/random.h"

namespace rosterd::daemon {

ConsoleAccounts::ConsoleAccounts(const Config& config) : outbox_(clock_) {
    store_ = db::Store::open(config.database);
    store_->migrate();
    // The console issues no tokens: a throwaway key serves the service's signature checks.
    tokens_ = std::make_unique<accounts::TokenService>(accounts::SigningKeys(accounts::signingKey(randomToken(48))),
                                                       config.auth.jwtExpiresIn, clock_);
    permissions_ = std::make_unique<accounts::PermissionService>(config.permissions);
    accounts_ = std::make_unique<accounts::AccountService>(*store_, outbox_, clock_, config.auth, *tokens_,
                                                           *permissions_, metrics_);
}

}  // namespace rosterd::daemon
