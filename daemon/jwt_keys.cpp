#include "daemon/jwt_keys.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "accounts/token_service.h"
#include "accounts/user_export.h"
#include "daemon/credentials.h"

namespace rosterd::daemon {

accounts::SigningKeys loadJwtKeys(const accounts::AuthConfig& auth, db::Store& store, const Clock& clock,
                                  bool createCurrent) {
    using accounts::TokenService;
    const std::string& currentPath = auth.jwtSecretFile;
    bool inCredentials = isCredentialPath(currentPath);
    std::string current = createCurrent ? TokenService::loadOrCreateSecret(currentPath, !inCredentials)
                                        : TokenService::readSecretFile(currentPath);
    const std::string& previousPath = auth.jwtPreviousSecretFile;
    std::error_code ec;
    if (previousPath.empty() || !std::filesystem::exists(previousPath, ec))
        return accounts::SigningKeys(accounts::signingKey(current));
    TokenService::checkSecretFile(previousPath, !isCredentialPath(previousPath), "auth.jwt_previous_secret_file");
    auto previous = accounts::signingKey(TokenService::readSecretFile(previousPath, "auth.jwt_previous_secret_file"));
    auto currentKey = accounts::signingKey(current);
    if (previous.kid == currentKey.kid) return accounts::SigningKeys(currentKey);
    std::int64_t retiredAt = store.transact(
        [&](db::Transaction& tx) { return accounts::recordRetirement(tx, "jwt", previous.kid, clock.nowSeconds()); });
    return accounts::SigningKeys(std::move(currentKey), std::move(previous), retiredAt);
}

void logJwtKeys(const accounts::SigningKeys& keys, std::chrono::milliseconds lifetime) {
    if (!keys.previous()) {
        spdlog::info("auth: signing tokens with key {}", keys.current().kid);
        return;
    }
    std::string until = "while its file exists (tokens never expire)";
    if (lifetime.count() >= 0 && keys.previousRetiredAt())
        until = "until " + accounts::isoUtc(*keys.previousRetiredAt() +
                                            std::chrono::duration_cast<std::chrono::seconds>(lifetime).count());
    spdlog::info("auth: signing tokens with key {}; the previous key {} is accepted {}", keys.current().kid,
                 keys.previous()->kid, until);
}

}  // namespace rosterd::daemon
