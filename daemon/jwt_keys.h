#pragma once
// The JWT signing keys the [auth] files hold: jwt_secret_file signs, jwt_previous_secret_file (when
// it exists) still verifies until every token it signed has expired.
#include <chrono>

#include "accounts/auth_config.h"
#include "accounts/signing_keys.h"
#include "common/clock.h"
#include "db/store.h"

namespace rosterd::daemon {

/// Reads both key files (the current one created at first start when `createCurrent`, else it must
/// exist) and records in `store` when the previous key retired. Throws ConfigError naming the key.
accounts::SigningKeys loadJwtKeys(const accounts::AuthConfig& auth, db::Store& store, const Clock& clock,
                                  bool createCurrent);

/// One log line naming the key that signs and until when the previous one is accepted.
void logJwtKeys(const accounts::SigningKeys& keys, std::chrono::milliseconds lifetime);

}  // namespace rosterd::daemon
