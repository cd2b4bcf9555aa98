#include "accounts/signing_keys.h"

#include "common/encoding.h"

namespace rosterd::accounts {

std::string keyIdOf(std::string_view material) { return hexEncode(sha256(material)).substr(0, 16); }

SigningKey signingKey(std::string material) {
    std::string kid = keyIdOf(material);
    return {std::move(kid), std::move(material)};
}

SigningKeys::SigningKeys(SigningKey current, std::optional<SigningKey> previous,
                         std::optional<std::int64_t> previousRetiredAt)
    : current_(std::move(current)), previous_(std::move(previous)), previousRetiredAt_(previousRetiredAt) {
    // The same key twice is one key: a token naming it is checked once, and never retires.
    if (previous_ && previous_->kid == current_.kid) previous_.reset();
    if (!previous_) previousRetiredAt_.reset();
}

std::vector<const SigningKey*> SigningKeys::candidates(const std::optional<std::string>& kid) const {
    std::vector<const SigningKey*> out;
    if (!kid || *kid == current_.kid) out.push_back(&current_);
    if (previous_ && (!kid || *kid == previous_->kid)) out.push_back(&*previous_);
    return out;
}

bool SigningKeys::accepts(const SigningKey& key, std::int64_t now, std::chrono::seconds lifetime) const {
    if (key.kid == current_.kid) return true;
    if (!previous_ || key.kid != previous_->kid) return false;
    if (!previousRetiredAt_ || lifetime.count() < 0) return true;
    return now < *previousRetiredAt_ + lifetime.count();
}

std::int64_t recordRetirement(db::Transaction& tx, const std::string& purpose, const std::string& kid,
                              std::int64_t now) {
    tx.exec(
        "INSERT INTO retired_signing_keys (kid, purpose, retired_at) VALUES ($1, $2, $3) ON CONFLICT (kid) DO "
        "NOTHING",
        {kid, purpose, now});
    return tx.exec("SELECT retired_at FROM retired_signing_keys WHERE kid = $1", {kid}).front().i64(0);
}

}  // namespace rosterd::accounts
