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
}

TokenService::TokenService(std::string secret, std::chrono::milliseconds lifetime, const Clock& clock)
    : secret_(std::move(secret)), lifetimeMs_(lifetime.count()), clock_(clock) {
    if (secret_.size() < 32) throw ConfigError("auth.jwt_secret_file", "the JWT secret must be at least 32 bytes");
}

IssuedToken TokenService::issue(const std::string& userId, std::int64_t generation) const {
    Poco::JWT::Token token;
    token.setType("JWT");
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
    Poco::JWT::Signer signer(secret_);
    out.token = signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
    return out;
}

TokenClaims TokenService::verify(const std::string& jwt) const {
    // Poco reads the first three segments and ignores the rest: "a.b.c.anything" would pass.
    if (std::count(jwt.begin(), jwt.end(), '.') != 2) throw Unauthenticated("invalid token: not three segments");
    Poco::JWT::Signer signer(secret_);
    signer.setAlgorithms({Poco::JWT::Signer::ALGO_HS256});
    Poco::JWT::Token token;
    try {
        token = signer.verify(jwt);
    } catch (const Poco::Exception&) {
        throw Unauthenticated("invalid token");
    }
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

std::string readSecret(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("auth.jwt_secret_file", "cannot read '" + path + "': " + std::strerror(errno));
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw ConfigError("auth.jwt_secret_file", "cannot read '" + path + "'");
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

const char* const kSecretFix =
    "; create a new one with `head -c 48 /dev/urandom | base64 > FILE && chmod 600 FILE` "
    "(owned by the service user), or delete it to have rosterd generate one";

}  // namespace

void TokenService::checkSecretFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return;  // created with mode 0600 at start
    // Like sshd with private keys: a secret others can change or read is no secret.
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        throw ConfigError("auth.jwt_secret_file", "'" + path + "' is writable by " +
                                                      ((st.st_mode & S_IWOTH) ? "everyone" : "its group") +
                                                      "; run `chmod 600 " + path + "`");
    if (st.st_mode & S_IROTH)
        throw ConfigError("auth.jwt_secret_file",
                          "'" + path + "' is readable by everyone; run `chmod 600 " + path + "`");
    std::string s = readSecret(path);
    if (s.size() < 32)
        throw ConfigError("auth.jwt_secret_file", "'" + path + "' holds fewer than 32 bytes" + kSecretFix);
    if (std::set<char>(s.begin(), s.end()).size() < 8)
        throw ConfigError("auth.jwt_secret_file",
                          "'" + path + "' holds a trivially weak secret (fewer than 8 distinct bytes)" + kSecretFix);
}

std::string TokenService::loadOrCreateSecret(const std::string& path) {
    if (path.empty()) throw ConfigError("auth.jwt_secret_file", "no path configured");
    if (std::filesystem::exists(path)) {
        checkSecretFile(path);
        return readSecret(path);
    }
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    std::string secret = base64UrlEncode(randomBytes(48));
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
