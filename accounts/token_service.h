#pragma once
// Session tokens: JWT HS256 with id, exp and jti claims, the signing key named by the header's
// kid; revocations live in the store so every replica honours them.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "accounts/signing_keys.h"
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
    /// `lifetime` negative means tokens never expire. Throws ConfigError when a key is shorter
    /// than 32 bytes.
    TokenService(SigningKeys keys, std::chrono::milliseconds lifetime, const Clock& clock);
    /// A token for `userId` issued under the user's session `generation` (see User::sessionGeneration).
    IssuedToken issue(const std::string& userId, std::int64_t generation = 0) const;
    /// Verifies the form (exactly three segments), the key (the one the kid names and still
    /// accepted; without kid the current key, then the previous one), signature (HS256 only: other
    /// algorithms, "none" included, are refused) and expiry.
    /// Throws Unauthenticated with the reason. Revocation is checked by the caller against the store.
    TokenClaims verify(const std::string& token) const;
    /// Tokens issued from now on get `lifetime` (negative: never expire); safe while others issue.
    void setLifetime(std::chrono::milliseconds lifetime) { lifetimeMs_.store(lifetime.count()); }
    /// Signs with `keys.current()` from now on (a rotation applied by a reload); safe while others
    /// issue and verify. Throws ConfigError, keeping the keys in use, when a key is too short.
    void setKeys(SigningKeys keys);
    /// The keys in use.
    std::shared_ptr<const SigningKeys> keys() const;
    /// Records the jti as revoked until the token would have expired.
    void revoke(db::Transaction& tx, const TokenClaims& claims) const;
    /// Removes revocations of tokens that have expired anyway.
    std::size_t pruneRevocations(db::Transaction& tx) const;

    /// Reads the secret from `path`, creating it (random, mode 0600) when absent. Throws
    /// ConfigError when checkSecretFile() refuses the file.
    static std::string loadOrCreateSecret(const std::string& path, bool checkMode = true);
    /// Reads the secret from an existing `path`; throws ConfigError naming `key` when it cannot.
    static std::string readSecretFile(const std::string& path, const std::string& key = "auth.jwt_secret_file");
    /// A new random secret, as loadOrCreateSecret() writes it.
    static std::string newSecret();
    /// Refuses (ConfigError naming the file and the fix) a secret file that others may write
    /// (group- or world-writable) or read (world-readable), or whose secret is weak: fewer than 32
    /// bytes or fewer than 8 distinct bytes. A missing file passes (it is created at start).
    /// `checkMode` false skips the owner/mode part, for files in a directory private to the service.
    static void checkSecretFile(const std::string& path, bool checkMode = true,
                                const std::string& key = "auth.jwt_secret_file");

private:
    mutable std::mutex keysMutex_;
    std::shared_ptr<const SigningKeys> keys_;                 // swapped whole by setKeys(); readers keep theirs
    std::atomic<std::chrono::milliseconds::rep> lifetimeMs_;  // a reload may change it
    const Clock& clock_;
};

}  // namespace rosterd::accounts
