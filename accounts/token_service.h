#pragma once
// Session tokens: JWT HS256 with id, exp and jti claims; revocations live in the store so every
// replica honours them.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "db/store.h"

namespace rosterd::accounts {

struct IssuedToken {
    std::string token;
    std::string jti;
    std::optional<std::int64_t> expiresAt;  ///< epoch seconds; none when tokens never expire
};

struct TokenClaims {
    std::string userId;
    std::string jti;
    std::optional<std::int64_t> expiresAt;
};

class TokenService {
public:
    /// `lifetime` negative means tokens never expire.
    TokenService(std::string secret, std::chrono::milliseconds lifetime, const Clock& clock);
    IssuedToken issue(const std::string& userId) const;
    /// Verifies signature (HS256 only: other algorithms, "none" included, are refused) and expiry.
    /// Throws Unauthenticated with the reason. Revocation is checked by the caller against the store.
    TokenClaims verify(const std::string& token) const;
    /// Records the jti as revoked until the token would have expired.
    void revoke(db::Transaction& tx, const TokenClaims& claims) const;
    /// Removes revocations of tokens that have expired anyway.
    std::size_t pruneRevocations(db::Transaction& tx) const;

    /// Reads the secret from `path`, creating it (random, mode 0600) when absent.
    static std::string loadOrCreateSecret(const std::string& path);

private:
    std::string secret_;
    std::chrono::milliseconds lifetime_;
    const Clock& clock_;
};

}  // namespace rosterd::accounts
