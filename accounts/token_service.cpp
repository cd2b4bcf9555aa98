#include "accounts/token_service.h"

#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "common/encoding.h"
#include "common/errors.h"
#include "common/random.h"

namespace rosterd::accounts {

namespace {

constexpr std::int64_t kNeverExpires = 253402300799;  // 9999-12-31, for revocations of eternal tokens

void requireLongKeys(const SigningKeys& keys) {
    if (keys.current().material.size() < 32)
        throw ConfigError("auth.jwt_secret_file", "the JWT secret must be at least 32 bytes");
    if (keys.previous() && keys.previous()->material.size() < 32)
        throw ConfigError("auth.jwt_previous_secret_file", "the previous JWT secret must be at least 32 bytes");
}

}  // namespace

TokenService::TokenService(SigningKeys keys, std::chrono::milliseconds lifetime, const Clock& clock)
    : lifetimeMs_(lifetime.count()), clock_(clock) {
    setKeys(std::move(keys));
}

void TokenService::setKeys(SigningKeys keys) {
    requireLongKeys(keys);
    auto next = std::make_shared<const SigningKeys>(std::move(keys));
    std::lock_guard lock(keysMutex_);
    keys_ = std::move(next);
}

std::shared_ptr<const SigningKeys> TokenService::keys() const {
    std::lock_guard lock(keysMutex_);
    return keys_;
}

IssuedToken TokenService::issue(const std::string& userId, std::int64_t generation) const {
    auto keys = this->keys();
    Poco::JWT::Token token;
    token.setType("JWT");
    token.header().set("kid", keys->current().kid);
    token.payload().set("id", userId);
    if (generation != 0) token.payload().set("gen", static_cast<Poco::Int64>(generation));
    IssuedToken out;
    out.jti = newUuid();
    token.setId(out.jti);
    std::chrono::milliseconds lifetime(lifetimeMs_.load());
    if (lifetime.count() >= 0) {
        std::int64_t exp = clock_.nowSeconds() + std::chrono::duration_cast<std::chrono::seconds>(lifetime).count();
        token.payload().set("exp", static_cast<Poco::Int64>(exp));
        out.expiresAt = exp;
    }
    Poco::JWT::Signer signer(keys->current().material);
    out.token = signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
    return out;
}

namespace {

/// The header's kid, read before the signature is checked only to choose the key; none when absent.
std::optional<std::string> keyIdOfToken(const std::string& jwt) {
    Poco::JWT::Token unverified;
    try {
        unverified = Poco::JWT::Token(jwt);
    } catch (const std::exception&) {  // Poco's parse and base64 errors, whatever their type
        throw Unauthenticated("invalid token");
    }
    const auto& header = unverified.header();
    if (!header.has("kid")) return std::nullopt;
    const auto& kid = header.get("kid");
    if (!kid.isString()) throw Unauthenticated("invalid token: malformed kid");
    return kid.extract<std::string>();
}

}  // namespace

TokenClaims TokenService::verify(const std::string& jwt) const {
    // Poco reads the first three segments and ignores the rest: "a.b.c.anything" would pass.
    if (std::count(jwt.begin(), jwt.end(), '.') != 2) throw Unauthenticated("invalid token: not three segments");
    auto keys = this->keys();
    auto kid = keyIdOfToken(jwt);
    auto candidates = keys->candidates(kid);
    if (candidates.empty()) throw Unauthenticated("invalid token: signed by an unknown key");
    Poco::JWT::Token token;
    const SigningKey* signedBy = nullptr;
    for (const SigningKey* key : candidates) {
        Poco::JWT::Signer signer(key->material);
        signer.setAlgorithms({Poco::JWT::Signer::ALGO_HS256});
        try {
            if (signer.tryVerify(jwt, token)) {
                signedBy = key;
                break;
            }
        } catch (const std::exception&) {  // a malformed segment fails every key alike
        }
    }
    if (!signedBy) throw Unauthenticated("invalid token");
    std::chrono::milliseconds lifetime(lifetimeMs_.load());
    if (!keys->accepts(*signedBy, clock_.nowSeconds(), std::chrono::duration_cast<std::chrono::seconds>(lifetime)))
        throw Unauthenticated("invalid token: signed by a retired key");
    TokenClaims claims;
    const auto& p = token.payload();
    if (!p.has("id") || !p.has("jti")) throw Unauthenticated("invalid token: missing claims");
    try {
        claims.userId = p.getValue<std::string>("id");
        claims.jti = p.getValue<std::string>("jti");
        if (p.has("exp")) claims.expiresAt = p.getValue<Poco::Int64>("exp");
        if (p.has("gen")) claims.generation = p.getValue<Poco::Int64>("gen");
    } catch (const Poco::Exception&) {
        throw Unauthenticated("invalid token: malformed claims");
    }
    if (claims.expiresAt && *claims.expiresAt <= clock_.nowSeconds()) throw Unauthenticated("token has expired");
    return claims;
}

void TokenService::revoke(db::Transaction& tx, const TokenClaims& claims) const {
    tx.exec("INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING",
            {claims.jti, claims.expiresAt.value_or(kNeverExpires)});
}

std::size_t TokenService::pruneRevocations(db::Transaction& tx) const {
    return tx.exec("DELETE FROM revoked_tokens WHERE expires_at < $1", {clock_.nowSeconds()}).affected();
}

namespace {

std::string readSecret(const std::string& path, const std::string& key) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(key, "cannot read '" + path + "': " + std::strerror(errno));
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw ConfigError(key, "cannot read '" + path + "'");
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

const char* const kSecretFix =
    "; create a new one with `head -c 48 /dev/urandom | base64 > FILE && chmod 600 FILE` "
    "(owned by the service user), or delete it to have rosterd generate one";

}  // namespace

std::string TokenService::readSecretFile(const std::string& path, const std::string& key) {
    return readSecret(path, key);
}

std::string TokenService::newSecret() { return base64UrlEncode(randomBytes(48)); }

void TokenService::checkSecretFile(const std::string& path, bool checkMode, const std::string& key) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return;  // created with mode 0600 at start
    // Like sshd with private keys: a secret others can change or read is no secret.
    if (checkMode && (st.st_mode & (S_IWGRP | S_IWOTH)))
        throw ConfigError(key, "'" + path + "' is writable by " + ((st.st_mode & S_IWOTH) ? "everyone" : "its group") +
                                   "; run `chmod 600 " + path + "`");
    if (checkMode && (st.st_mode & S_IROTH))
        throw ConfigError(key, "'" + path + "' is readable by everyone; run `chmod 600 " + path + "`");
    std::string s = readSecret(path, key);
    if (s.size() < 32) throw ConfigError(key, "'" + path + "' holds fewer than 32 bytes" + kSecretFix);
    if (std::set<char>(s.begin(), s.end()).size() < 8)
        throw ConfigError(key,
                          "'" + path + "' holds a trivially weak secret (fewer than 8 distinct bytes)" + kSecretFix);
}

std::string TokenService::loadOrCreateSecret(const std::string& path, bool checkMode) {
    if (path.empty()) throw ConfigError("auth.jwt_secret_file", "no path configured");
    if (std::filesystem::exists(path)) {
        checkSecretFile(path, checkMode);
        return readSecret(path, "auth.jwt_secret_file");
    }
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    std::string secret = newSecret();
    mode_t old = umask(077);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << secret << "\n";
    out.close();
    umask(old);
    if (!out) throw ConfigError("auth.jwt_secret_file", "cannot create '" + path + "'");
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    return secret;
}

}  // namespace rosterd::accounts
