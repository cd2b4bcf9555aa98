#pragma once
// The account services as `rosterd users ...` uses them: the store, with the rules the API applies
// (AccountService), but no HTTP server, directory or token secret of the daemon's.
#include <memory>

#include "accounts/account_service.h"
#include "accounts/permissions.h"
#include "accounts/token_service.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "daemon/config.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace rosterd::daemon {

class ConsoleAccounts {
public:
    /// Opens the store and applies pending migrations (as the daemon would at start).
    explicit ConsoleAccounts(const Config& config);
    db::Store& store() { return *store_; }
    accounts::AccountService& accounts() { return *accounts_; }

private:
    SystemClock clock_;
    webhooks::Outbox outbox_;
    Metrics metrics_;
    std::unique_ptr<db::Store> store_;
    // The console never issues or checks a token, so these tokens are signed with a key of their own.
    std::unique_ptr<accounts::TokenService> tokens_;
    std::unique_ptr<accounts::PermissionService> permissions_;
    std::unique_ptr<accounts::AccountService> accounts_;
};

}  // namespace rosterd::daemon
