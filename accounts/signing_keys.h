#pragma once
// A current key that signs and an optional previous key that still verifies what it signed, so a
// rotation logs no one out: JWT session keys now, the OIDC signing keys the same way. Each key is
// known by a kid derived from its material; a token names its key without revealing it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/store.h"

namespace rosterd::accounts {

struct SigningKey {
    std::string kid;       ///< keyIdOf(material)
    std::string material;  ///< the secret (HMAC) or the private key (asymmetric algorithms)
};

/// The kid for `material`: the first 16 hex digits of its SHA-256 (not reversible, and 64 bits
/// keep two keys of one deployment apart).
std::string keyIdOf(std::string_view material);
/// A key with its kid.
SigningKey signingKey(std::string material);

class SigningKeys {
public:
    /// `previousRetiredAt`: when the previous key stopped signing (epoch seconds); without it the
    /// previous key is accepted for as long as it is configured.
    explicit SigningKeys(SigningKey current, std::optional<SigningKey> previous = std::nullopt,
                         std::optional<std::int64_t> previousRetiredAt = std::nullopt);
    const SigningKey& current() const { return current_; }
    const std::optional<SigningKey>& previous() const { return previous_; }
    std::optional<std::int64_t> previousRetiredAt() const { return previousRetiredAt_; }

    /// The keys to try for a token naming `kid`: that key alone (none when unknown); for a token
    /// naming none (signed before tokens carried kids) the current key, then the previous one.
    std::vector<const SigningKey*> candidates(const std::optional<std::string>& kid) const;
    /// Whether `key` still verifies at `now`. The current key always; the previous one until
    /// `lifetime` after its retirement, when every token it signed has expired (a negative
    /// lifetime — tokens that never expire — keeps it while it is configured).
    bool accepts(const SigningKey& key, std::int64_t now, std::chrono::seconds lifetime) const;

private:
    SigningKey current_;
    std::optional<SigningKey> previous_;
    std::optional<std::int64_t> previousRetiredAt_;
};

/// When the key `kid` of `purpose` (e.g. "jwt") stopped signing, recorded as `now` the first time
/// any replica asks, so every replica agrees on when the previous key stops being accepted.
std::int64_t recordRetirement(db::Transaction& tx, const std::string& purpose, const std::string& kid,
                              std::int64_t now);

}  // namespace rosterd::accounts
