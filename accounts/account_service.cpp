#include "accounts/account_service.h"

#include <spdlog/spdlog.h>

#include "accounts/api_keys.h"
#include "accounts/events.h"
#include "accounts/group_store.h"
#include "accounts/sign_in_policy.h"
#include "accounts/validation.h"
#include "common/errors.h"
#include "common/log_safe.h"
#include "common/random.h"

namespace rosterd::accounts {

namespace {
const char* const kBadCredentials =
    "The email or password provided is incorrect. Please check for typos and try logging in again.";

User requireUserRow(db::Transaction& tx, const std::string& id) {
    auto u = user_store::findById(tx, id);
    if (!u) throw NotFound("user " + id + " not found");
    return *u;
}
}  // namespace

nlohmann::json sessionJson(const Session& s) {
    return {
        {"id", s.user.id},
        {"email", s.user.email},
        {"name", s.user.name},
        {"role", roleName(s.user.role)},
        {"profile_image_url", profileImageOf(s.user)},
        {"token", s.token},
        {"token_type", "Bearer"},
        {"expires_at", s.expiresAt ? nlohmann::json(*s.expiresAt) : nlohmann::json(nullptr)},
        {"permissions", s.permissions},
    };
}

AccountService::AccountService(db::Store& store, webhooks::Outbox& outbox, const Clock& clock, AuthConfig config,
                               const TokenService& tokens, const PermissionService& permissions, Metrics& metrics)
    : store_(store),
      outbox_(outbox),
      clock_(clock),
      config_(std::move(config)),
      hasher_(config_.bcryptCost),
      tokens_(tokens),
      permissions_(permissions),
      limiter_(config_.signinMaxAttempts, config_.signinWindow, clock),
      signupLimiter_(config_.signupMaxAttempts, config_.signupWindow, clock),
      metrics_(metrics) {
    metrics_.describe("rosterd_signins_total", "counter", "Sign-in attempts by method and result");
}

// ---- sessions ----

Session AccountService::startSession(const User& user) { return startSession(user, effectivePermissions(user)); }

Session AccountService::startSession(const User& user, nlohmann::json permissions) {
    IssuedToken t = tokens_.issue(user.id, user.sessionGeneration);
    return Session{user, t.token, t.expiresAt, std::move(permissions)};
}

Session AccountService::currentSession(const Caller& caller) {
    return Session{caller.user, caller.credential, caller.token ? caller.token->expiresAt : std::nullopt,
                   effectivePermissions(caller.user)};
}

nlohmann::json AccountService::effectivePermissions(const User& user) {
    return store_.transact([&](db::Transaction& tx) { return effectivePermissions(tx, user); }, db::TxMode::Read);
}

nlohmann::json AccountService::effectivePermissions(db::Transaction& tx, const User& user) const {
    return permissions_.effective(tx, user.id, user.role);
}

nlohmann::json AccountService::defaultPermissions() {
    return store_.transact([&](db::Transaction& tx) { return permissions_.defaults(tx); }, db::TxMode::Read);
}

void AccountService::setDefaultPermissions(const nlohmann::json& p) {
    store_.transact([&](db::Transaction& tx) { permissions_.setDefaults(tx, p, clock_.nowSeconds()); });
}

// ---- sign-in protection ----

void AccountService::beginSignin(const std::string& account, const std::string& clientAddress) {
    // The account's attempt is counted before its password is checked, so parallel guesses cannot
    // check more passwords than the limit; the address counts failures (a busy NAT signs in a lot).
    long wait = limiter_.acquire("account:" + account, {"address:" + clientAddress});
    if (wait > 0) {
        metrics_.inc("rosterd_signins_total", {{"method", "any"}, {"result", "rate_limited"}});
        spdlog::info("sign-in of '{}' from {} refused: rate limited for {} s", logSafe(account), clientAddress, wait);
        throw RateLimited("too many failed sign-in attempts; try again in " + std::to_string(wait) + " seconds", wait);
    }
}

void AccountService::recordSigninFailure(const std::string& account, const std::string& clientAddress,
                                         const std::string& method) {
    limiter_.recordFailure("address:" + clientAddress);
    metrics_.inc("rosterd_signins_total", {{"method", method}, {"result", "failure"}});
    spdlog::info("sign-in failed for '{}' from {} ({})", logSafe(account), clientAddress, method);
}

void AccountService::recordSigninSuccess(const std::string& account, const std::string& method) {
    limiter_.reset("account:" + account);
    metrics_.inc("rosterd_signins_total", {{"method", method}, {"result", "success"}});
}

void AccountService::cancelSignin(const std::string& account) { limiter_.release("account:" + account); }

void AccountService::notePasswordSignin(const std::string& userId) {
    store_.transact([&](db::Transaction& tx) { user_store::setPasswordSigninAt(tx, userId, clock_.nowSeconds()); });
}

std::string AccountService::initialAdminEmail() const {
    std::lock_guard lock(configMutex_);
    return config_.initialAdminEmail;
}

AuthConfig AccountService::config() const {
    std::lock_guard lock(configMutex_);
    return config_;
}

void AccountService::applyConfig(const AuthConfig& next) {
    {
        std::lock_guard lock(configMutex_);
        config_.enableSignup = next.enableSignup;
        config_.defaultUserRole = next.defaultUserRole;
        config_.initialAdminEmail = next.initialAdminEmail;
        config_.showAdminDetails = next.showAdminDetails;
        config_.cookieSecure = next.cookieSecure;
        config_.jwtExpiresIn = next.jwtExpiresIn;
    }
}

void AccountService::applyInitialAdmin() {
    if (config().initialAdminEmail.empty()) return;
    store_.transact([&](db::Transaction& tx) {
        const auto before = user_store::findByEmail(tx, config().initialAdminEmail);
        if (auto u = promoteInitialAdmin(tx, config().initialAdminEmail, clock_.nowSeconds()); u && before)
            outbox_.append(tx, events::userUpdated(*u, events::changedUserFields(*before, *u)));
    });
}

// ---- signup / signin ----

User AccountService::insertLocalUser(const std::string& name, const std::string& email, const std::string& hash,
                                     Role role, const std::string& profileImageUrl, bool selfSignup) {
    // Two attempts: a concurrent signup may take the primary-admin slot between our read and
    // insert. The slot is a unique index (users_single_primary), so on both drivers the loser's
    // insert fails (PostgreSQL waits for the winner's commit first), and its second attempt sees
    // the primary admin and decides again: with signup disabled, it is refused.
    for (int attempt = 0;; ++attempt) {
        try {
            return store_.transact([&](db::Transaction& tx) {
                if (user_store::findByEmail(tx, email)) throw InvalidInput("Email taken");
                User u;
                u.id = newUuid();
                u.name = name;
                u.email = email;
                u.profileImageUrl = profileImageUrl;
                u.role = role;
                // Only signups and the initial admin's email claim the slot: users that sync or
                // an import created never do, and an admin creating users does not give it away.
                bool primary = (selfSignup || email == config().initialAdminEmail) &&
                               becomesPrimary(tx, email, config().initialAdminEmail);
                if (selfSignup && !primary && !config().enableSignup)
                    throw PermissionDenied("Sign up is disabled; ask an administrator for an account");
                if (primary) {
                    u.role = Role::Admin;
                    u.isPrimary = true;
                }
                u.createdAt = u.updatedAt = u.lastActiveAt = clock_.nowSeconds();
                if (selfSignup) u.passwordSigninAt = u.createdAt;  // a signup signs in with the password
                user_store::insert(tx, u);
                user_store::setPasswordHash(tx, u.id, hash);
                if (u.passwordSigninAt) user_store::setPasswordSigninAt(tx, u.id, *u.passwordSigninAt);
                outbox_.append(tx, selfSignup ? events::userSignup(u) : events::userCreated(u));
                return u;
            });
        } catch (const ConstraintViolation&) {
            if (attempt >= 1) throw InvalidInput("Email taken");
        }
    }
}

Session AccountService::signup(const std::string& name, const std::string& emailRaw, const std::string& password,
                               const std::string& profileImageUrl, const std::string& clientAddress) {
    if (long wait = signupLimiter_.acquire("address:" + clientAddress); wait > 0) {
        metrics_.inc("rosterd_signins_total", {{"method", "signup"}, {"result", "rate_limited"}});
        spdlog::info("signup from {} refused: rate limited for {} s ([auth] signup_max_attempts)", clientAddress, wait);
        throw RateLimited("too many signups from this address; try again in " + std::to_string(wait) + " seconds",
                          wait);
    }
    std::string email = normalizeEmail(emailRaw);
    std::string cleanName = normalizeName(name);
    validateProfileImageUrl(profileImageUrl);
    validatePassword(password, config().passwordMinLength);
    // An early answer for the common case; the decision that counts is made again in the insert.
    bool open =
        config().enableSignup ||
        store_.transact([&](db::Transaction& tx) { return becomesPrimary(tx, email, config().initialAdminEmail); },
                        db::TxMode::Read);
    if (!open) throw PermissionDenied("Sign up is disabled; ask an administrator for an account");
    if (store_.transact([&](db::Transaction& tx) { return user_store::findByEmail(tx, email).has_value(); },
                        db::TxMode::Read))
        throw InvalidInput("Email taken");
    std::string hash = hasher_.hash(password);  // outside any transaction: ~0.25 s at cost 12
    User u = insertLocalUser(cleanName, email, hash, validateRole(config().defaultUserRole), profileImageUrl, true);
    spdlog::info("user {} <{}> signed up from {} as {}", u.id, logSafe(u.email), clientAddress, roleName(u.role));
    limiter_.reset("account:" + email);
    metrics_.inc("rosterd_signins_total", {{"method", "signup"}, {"result", "success"}});
    return startSession(u);
}

Session AccountService::signin(const std::string& emailRaw, const std::string& password,
                               const std::string& clientAddress) {
    std::string email;
    try {
        email = normalizeEmail(emailRaw);
    } catch (const InvalidInput&) {
        email = emailRaw;
    }
    beginSignin(email, clientAddress);
    struct Found {
        std::optional<User> user;
        std::optional<std::string> hash;
    };
    Found found = store_.transact(
        [&](db::Transaction& tx) {
            Found f;
            f.user = user_store::findByEmail(tx, email);
            if (f.user) f.hash = user_store::passwordHash(tx, f.user->id);
            return f;
        },
        db::TxMode::Read);
    bool ok = false;
    if (found.user && found.hash)
        ok = hasher_.verify(password, *found.hash);
    else
        hasher_.verifyDummy(password);  // same time whether or not the email exists
    if (!ok || signInRefusal(*found.user)) {
        recordSigninFailure(email, clientAddress, "password");
        throw InvalidInput(kBadCredentials);
    }
    recordSigninSuccess(email, "password");
    notePasswordSignin(found.user->id);
    User user = *found.user;
    if (email == config().initialAdminEmail && !user.isPrimary) {
        applyInitialAdmin();
        user = getUser(user.id);
    }
    touchLastActive(user);
    return startSession(user);
}

void AccountService::signout(const Caller& caller) {
    if (!caller.token) throw InvalidInput("API keys cannot sign out; delete the key instead");
    store_.transact([&](db::Transaction& tx) { tokens_.revoke(tx, *caller.token); });
}

void AccountService::updatePassword(const Caller& caller, const std::string& current, const std::string& replacement) {
    if (caller.user.source == Source::Ldap)
        throw InvalidInput("this account's password is managed by the directory; change it there");
    validatePassword(replacement, config().passwordMinLength);
    auto hash = store_.transact([&](db::Transaction& tx) { return user_store::passwordHash(tx, caller.user.id); },
                                db::TxMode::Read);
    if (!hash || !hasher_.verify(current, *hash)) throw InvalidInput("the current password is incorrect");
    std::string next = hasher_.hash(replacement);
    // Every other session ends: a new generation revokes the tokens issued before it, except the
    // one this change was made with (an API key keeps none).
    std::optional<std::string> keep;
    if (caller.token) keep = caller.token->jti;
    store_.transact([&](db::Transaction& tx) {
        user_store::setPasswordHash(tx, caller.user.id, next);
        user_store::endSessionsChanged(tx, caller.user.id, keep, clock_.nowSeconds());
    });
    spdlog::info("user {} changed their password; their other sessions are revoked", caller.user.id);
}

User AccountService::updateProfile(const Caller& caller, const std::optional<std::string>& name,
                                   const std::optional<std::string>& profileImageUrl) {
    return store_.transact([&](db::Transaction& tx) {
        User u = requireUserRow(tx, caller.user.id);
        User before = u;
        if (name) u.name = normalizeName(*name);
        if (profileImageUrl) validateProfileImageUrl(*profileImageUrl);
        if (profileImageUrl) u.profileImageUrl = *profileImageUrl;
        if (u.name == before.name && u.profileImageUrl == before.profileImageUrl) return u;
        u.updatedAt = clock_.nowSeconds();
        user_store::update(tx, u);
        outbox_.append(tx, events::userUpdated(u, events::changedUserFields(before, u)));
        return u;
    });
}

// ---- authentication of requests ----

Caller AccountService::authenticate(const std::string& credential) {
    if (credential.empty()) throw Unauthenticated("Not authenticated");
    Caller caller;
    caller.credential = credential;
    std::optional<User> user;
    if (api_keys::looksLikeKey(credential)) {
        user = store_.transact(
            [&](db::Transaction& tx) -> std::optional<User> {
                auto owner = api_keys::ownerOf(tx, credential);
                return owner ? user_store::findById(tx, *owner) : std::nullopt;
            },
            db::TxMode::Read);
        if (!user) throw Unauthenticated("invalid API key");
    } else {
        TokenClaims claims = tokens_.verify(credential);
        bool revoked = false;
        user = store_.transact(
            [&](db::Transaction& tx) {
                revoked = !tx.exec("SELECT 1 FROM revoked_tokens WHERE jti = $1", {claims.jti}).empty();
                return user_store::findById(tx, claims.userId);
            },
            db::TxMode::Read);
        if (revoked) throw Unauthenticated("token has been revoked");
        if (!user) throw Unauthenticated("the token's user no longer exists");
        if (claims.generation < user->sessionGeneration && user->sessionKeepJti != claims.jti)
            throw Unauthenticated("token has been revoked (the password was changed)");
        caller.token = claims;
    }
    if (signInRefusal(*user)) throw Unauthenticated("account is deactivated");
    caller.user = *user;
    touchLastActive(caller.user);
    return caller;
}

void AccountService::touchLastActive(const User& u) {
    std::int64_t now = clock_.nowSeconds();
    if (now - u.lastActiveAt < 60) return;  // at most one write a minute per user
    try {
        store_.transact([&](db::Transaction& tx) { user_store::touchLastActive(tx, u.id, now, now - 60); });
    } catch (const DbError& e) {
        spdlog::warn("could not record activity of user {}: {}", u.id, e.what());
    }
}

// ---- admin user management ----

User AccountService::addUser(const Caller&, const std::string& name, const std::string& emailRaw,
                             const std::string& password, const std::string& role) {
    std::string email = normalizeEmail(emailRaw);
    std::string cleanName = normalizeName(name);
    const Role parsed = validateRole(role);
    validatePassword(password, config().passwordMinLength);
    if (store_.transact([&](db::Transaction& tx) { return user_store::findByEmail(tx, email).has_value(); },
                        db::TxMode::Read))
        throw InvalidInput("Email taken");
    std::string hash = hasher_.hash(password);
    return insertLocalUser(cleanName, email, hash, parsed, "", false);
}

UserPage AccountService::listUsers(const UserQuery& q, std::vector<std::vector<std::string>>* groupIds) {
    return store_.transact(
        [&](db::Transaction& tx) {
            UserPage page = user_store::list(tx, q);
            if (groupIds) {
                std::vector<std::string> ids;
                for (const auto& u : page.users) ids.push_back(u.id);
                auto links = group_store::membershipsOfUsers(tx, ids);
                groupIds->assign(page.users.size(), {});
                for (std::size_t i = 0; i < page.users.size(); ++i)
                    for (const auto& [uid, gid] : links)
                        if (uid == page.users[i].id) (*groupIds)[i].push_back(gid);
            }
            return page;
        },
        db::TxMode::Read);
}

User AccountService::getUser(const std::string& id) {
    return store_.transact([&](db::Transaction& tx) { return requireUserRow(tx, id); }, db::TxMode::Read);
}

User AccountService::updateUser(const Caller& actor, const std::string& id, const UserChanges& changes) {
    std::optional<std::string> newHash;
    if (changes.password && !changes.password->empty()) {
        validatePassword(*changes.password, config().passwordMinLength);
        newHash = hasher_.hash(*changes.password);  // before the transaction
    }
    std::optional<Role> newRole;
    if (changes.role) newRole = validateRole(*changes.role);
    return store_.transact([&](db::Transaction& tx) {
        User u = requireUserRow(tx, id);
        User before = u;
        if (changes.name) u.name = normalizeName(*changes.name);
        if (changes.email) u.email = normalizeEmail(*changes.email);
        if (newRole) u.role = *newRole;
        if (changes.profileImageUrl) validateProfileImageUrl(*changes.profileImageUrl);
        if (changes.profileImageUrl) u.profileImageUrl = *changes.profileImageUrl;
        bool identityChanged = u.name != before.name || u.email != before.email || u.role != before.role;
        if (before.isPrimary && !actor.console && actor.user.id != before.id && (identityChanged || newHash))
            throw PermissionDenied("only the primary admin can change the primary admin's account");
        if (before.isPrimary && u.role != Role::Admin) throw PermissionDenied("the primary admin cannot be demoted");
        if (before.source == Source::Ldap && (u.email != before.email || newHash))
            throw Conflict("this account's email and password are managed by the directory");
        if (before.source == Source::Ldap && u.role != before.role && !config_.directoryRoleRule.empty())
            throw Conflict("this account's role is managed by the directory (" + config_.directoryRoleRule + ")");
        if (before.role == Role::Admin && u.role != Role::Admin && user_store::countActiveAdmins(tx, u.id) == 0)
            throw PermissionDenied("cannot demote the last active admin");
        if (u.email != before.email) {
            auto other = user_store::findByEmail(tx, u.email);
            if (other && other->id != u.id) throw InvalidInput("Email taken");
        }
        bool changed = identityChanged || u.profileImageUrl != before.profileImageUrl;
        if (changed) {
            u.updatedAt = clock_.nowSeconds();
            user_store::update(tx, u);
            if (u.role != before.role)
                outbox_.append(tx, events::userRoleChanged(u, before.role, "changed by an admin"));
            if (u.name != before.name || u.email != before.email || u.profileImageUrl != before.profileImageUrl)
                outbox_.append(tx, events::userUpdated(u, events::changedUserFields(before, u)));
        }
        if (newHash) {
            // A password an admin sets ends every session of the account.
            user_store::setPasswordHash(tx, u.id, *newHash);
            user_store::endSessions(tx, u.id, std::nullopt);
        }
        return u;
    });
}

void AccountService::deleteUser(const Caller& actor, const std::string& id) {
    if (actor.user.id == id) throw PermissionDenied("you cannot delete your own account");
    store_.transact([&](db::Transaction& tx) {
        User u = requireUserRow(tx, id);
        if (u.isPrimary) throw PermissionDenied("the primary admin cannot be deleted");
        if (u.role == Role::Admin && u.active && user_store::countActiveAdmins(tx, u.id) == 0)
            throw PermissionDenied("cannot delete the last active admin");
        user_store::remove(tx, id);
        outbox_.append(tx, events::userDeleted(u));
    });
    spdlog::info("user {} deleted by {}", id, actor.user.id);
}

// ---- API keys ----

std::string AccountService::createApiKey(const Caller& caller) {
    return store_.transact(
        [&](db::Transaction& tx) { return api_keys::create(tx, caller.user.id, clock_.nowSeconds()); });
}

bool AccountService::hasApiKey(const Caller& caller) {
    return store_.transact([&](db::Transaction& tx) { return api_keys::exists(tx, caller.user.id); }, db::TxMode::Read);
}

std::optional<std::string> AccountService::apiKeyDisplay(const Caller& caller) {
    return store_.transact([&](db::Transaction& tx) { return api_keys::display(tx, caller.user.id); },
                           db::TxMode::Read);
}

bool AccountService::deleteApiKey(const Caller& caller) {
    return store_.transact([&](db::Transaction& tx) { return api_keys::remove(tx, caller.user.id); });
}

}  // namespace rosterd::accounts
