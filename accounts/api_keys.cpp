#include "accounts/api_keys.h"

#include "common/encoding.h"
#include "common/random.h"

namespace rosterd::accounts::api_keys {

namespace {
std::string digest(const std::string& key) { return hexEncode(sha256(key)); }
}  // namespace

std::string create(db::Transaction& tx, const std::string& userId, std::int64_t now) {
    std::string key = "sk-" + hexEncode(randomBytes(24));
    tx.exec("DELETE FROM api_keys WHERE user_id = $1", {userId});
    tx.exec("INSERT INTO api_keys (id, user_id, key_hash, display, created_at) VALUES ($1, $2, $3, $4, $5)",
            {newUuid(), userId, digest(key), mask(key), now});
    return key;
}

std::string mask(const std::string& plainKey) {
    // 8 of the 48 random hex digits: enough to tell keys apart, far too few to guess the rest.
    if (plainKey.size() < 3 + 12) return "sk-...";
    return plainKey.substr(0, 7) + "..." + plainKey.substr(plainKey.size() - 4);
}

std::optional<std::string> display(db::Transaction& tx, const std::string& userId) {
    auto rs = tx.exec("SELECT display FROM api_keys WHERE user_id = $1", {userId});
    if (rs.empty()) return std::nullopt;
    return rs.front().isNull(0) ? std::string("sk-...") : rs.front().str(0);
}

bool exists(db::Transaction& tx, const std::string& userId) {
    return !tx.exec("SELECT 1 FROM api_keys WHERE user_id = $1", {userId}).empty();
}

bool remove(db::Transaction& tx, const std::string& userId) {
    return tx.exec("DELETE FROM api_keys WHERE user_id = $1", {userId}).affected() > 0;
}

std::optional<std::string> ownerOf(db::Transaction& tx, const std::string& plainKey) {
    auto rs = tx.exec("SELECT user_id FROM api_keys WHERE key_hash = $1", {digest(plainKey)});
    if (rs.empty()) return std::nullopt;
    return rs.front().str(0);
}

bool looksLikeKey(const std::string& credential) { return credential.rfind("sk-", 0) == 0; }

}  // namespace rosterd::accounts::api_keys
