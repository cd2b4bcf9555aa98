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
    tx.exec("INSERT INTO api_keys (id, user_id, key_hash, created_at) VALUES ($1, $2, $3, $4)",
            {newUuid(), userId, digest(key), now});
    return key;
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
