#pragma once
// Session tokens: JWT HS256 with id, exp and jti claims; revocations live in the store so every
// replica honours them.
#include <atomic>
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
    std::int64_t generation = 0;  ///< the user's session generation at issue ("gen"; 0 when absent)
};

class TokenService {
public:
    /// `lifetime` negative means tokens never expire.
    TokenService(std::string secret, std::chrono::milliseconds lifetime, const Clock& clock);
    /// A token for `userId` issued under the user's session `generation` (see User::sessionGeneration).
    IssuedToken issue(const std::string& userId, std::int64_t generation = 0) const;
    /// Verifies the form (exactly three segments), signature (HS256 only: other algorithms,
    /// "none" included, are refused) and expiry.
    /// Throws Unauthenticated with the reason. Revocation is checked by the caller against the store.
    TokenClaims verify(const std::string& token) const;
    /// Tokens issued from now on get `lifetime` (negative: never expire); safe while others issue.
    void setLifetime(std::chrono::milliseconds lifetime) { lifetimeMs_.store(lifetime.count()); }
    /// Records the jti as revoked until the token would have expired.
    void revoke(db::Transaction& tx, const TokenClaims& claims) const;
    /// Removes revocations of tokens that have expired anyway.
    std::size_t pruneRevocations(db::Transaction& tx) const;

    /// Reads the secret from `path`, creating it (random, mode 0600) when absent. Throws
    /// ConfigError when checkSecretFile() refuses the file.
    static std::string loadOrCreateSecret(const std::string& path);
    /// Refuses (ConfigError naming the file and the fix) a secret file that others may write
    /// (group- or world-writable) or read (world-readable), or whose secret is weak: fewer than 32
    /// bytes or fewer than 8 distinct bytes. A missing file passes (it is created at start).
    static void checkSecretFile(const std::string& path);

private:
    std::string secret_;
    std::atomic<std::chrono::milliseconds::rep> lifetimeMs_;  // a reload may change it
    const Clock& clock_;
};

}  // namespace rosterd::accounts
