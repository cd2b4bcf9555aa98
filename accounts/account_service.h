#pragma once
// The user-management rules (Open WebUI semantics): signup, sign-in, sessions, profile, admin
// user management with the primary-admin protections, API keys. Every change commits together
// with its outbox event; password hashing never runs inside a transaction.
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/auth_config.h"
#include "accounts/password_hasher.h"
#include "accounts/permissions.h"
#include "accounts/rate_limiter.h"
#include "accounts/token_service.h"
#include "accounts/user.h"
#include "accounts/user_store.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace rosterd::accounts {

struct Session {
    User user;
    std::string token;
    std::optional<std::int64_t> expiresAt;
    nlohmann::json permissions;
};

/// {id, email, name, role, profile_image_url, token, token_type, expires_at, permissions}
nlohmann::json sessionJson(const Session& s);

/// Who made a request, as resolved from a token or API key.
struct Caller {
    User user;
    std::optional<TokenClaims> token;  ///< absent when an API key was used
    std::string credential;            ///< the token or key as presented
    /// The operator at the server's console (`rosterd users ...`), who holds the store anyway: no
    /// account of their own, and may change the primary admin's account as the primary admin may.
    bool console = false;
};

/// The console operator as a caller (see Caller::console).
Caller consoleCaller();

/// Fields an admin may change; absent fields stay as they are.
struct UserChanges {
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<std::string> role;
    std::optional<std::string> profileImageUrl;
    std::optional<std::string> password;
};

class AccountService {
public:
    AccountService(db::Store& store, webhooks::Outbox& outbox, const Clock& clock, AuthConfig config,
                   const TokenService& tokens, const PermissionService& permissions, Metrics& metrics);

    /// The [auth] settings in force: a copy, since a reload may replace them at any time.
    AuthConfig config() const;
    /// Takes the settings of a reloaded [auth] that apply at once (enable_signup,
    /// default_user_role, initial_admin_email, show_admin_details, cookie_secure,
    /// jwt_expires_in, which the TokenService takes too); the others keep their start values.
    void applyConfig(const AuthConfig& next);
    const PasswordHasher& hasher() const { return hasher_; }

    /// Self-service signup (allowed while enabled, or for the very first user).
    Session signup(const std::string& name, const std::string& email, const std::string& password,
                   const std::string& profileImageUrl, const std::string& clientAddress);
    /// Email + password sign-in; one generic error for any wrong credential.
    Session signin(const std::string& email, const std::string& password, const std::string& clientAddress);
    /// A new session (token) for a user who proved who they are (also used by directory login).
    Session startSession(const User& user);
    /// The same with the user's effective permissions already read (in the caller's transaction).
    Session startSession(const User& user, nlohmann::json permissions);
    /// The user's effective permissions, read in `tx`.
    nlohmann::json effectivePermissions(db::Transaction& tx, const User& user) const;
    /// [auth] initial_admin_email as in force now.
    std::string initialAdminEmail() const;
    /// The session of an authenticated caller, with the token they presented.
    Session currentSession(const Caller& caller);
    /// Revokes the caller's token until it would have expired.
    void signout(const Caller& caller);
    void updatePassword(const Caller& caller, const std::string& current, const std::string& replacement);
    User updateProfile(const Caller& caller, const std::optional<std::string>& name,
                       const std::optional<std::string>& profileImageUrl);

    /// Counts a sign-in attempt of `account` (a normalised login name or email), checking it and
    /// the address's failures in the same step; throws RateLimited when either is at its limit.
    void beginSignin(const std::string& account, const std::string& clientAddress);
    /// Counts the failure against the address (the account's attempt was counted by beginSignin).
    void recordSigninFailure(const std::string& account, const std::string& clientAddress, const std::string& method);
    /// Forgets the account's attempts.
    void recordSigninSuccess(const std::string& account, const std::string& method);
    /// Gives back the attempt beginSignin counted (the check could not be made, e.g. directory down).
    void cancelSignin(const std::string& account);
    /// Records that `userId` signed in with a local password (see linkRefusal()).
    void notePasswordSignin(const std::string& userId);
    /// Applies [auth] initial_admin_email to an existing account (start-up, sign-in).
    void applyInitialAdmin();

    /// Resolves a bearer token or API key to the caller; throws Unauthenticated with the reason.
    Caller authenticate(const std::string& credential);

    // Admin user management.
    User addUser(const Caller& actor, const std::string& name, const std::string& email, const std::string& password,
                 const std::string& role);
    UserPage listUsers(const UserQuery& q, std::vector<std::vector<std::string>>* groupIds = nullptr);
    User getUser(const std::string& id);
    User updateUser(const Caller& actor, const std::string& id, const UserChanges& changes);
    void deleteUser(const Caller& actor, const std::string& id);
    /// Deactivates (`active` false) or reactivates the account and returns it after the change
    /// (unchanged when it is so already). Refuses the primary admin, the last active admin and
    /// one's own account (PermissionDenied), and a directory account (Conflict: sync keeps its
    /// state level with the directory). Deactivating ends the account's sessions.
    User setUserActive(const Caller& actor, const std::string& id, bool active);
    /// Ends every session of the account: tokens issued before now stop working (API keys stay).
    void revokeSessions(const Caller& actor, const std::string& id);

    std::string createApiKey(const Caller& caller);
    bool hasApiKey(const Caller& caller);
    /// The masked form of the caller's key (see api_keys::display), nullopt when they have none.
    std::optional<std::string> apiKeyDisplay(const Caller& caller);
    bool deleteApiKey(const Caller& caller);

    nlohmann::json effectivePermissions(const User& user);
    nlohmann::json defaultPermissions();
    void setDefaultPermissions(const nlohmann::json& p);

private:
    /// Inserts a new local user; whether it becomes the primary admin (and, for a self-service
    /// signup, whether it may exist at all) is decided inside the insert's transaction.
    User insertLocalUser(const std::string& name, const std::string& email, const std::string& hash, Role role,
                         const std::string& profileImageUrl, bool selfSignup);
    void touchLastActive(const User& u);

    db::Store& store_;
    webhooks::Outbox& outbox_;
    const Clock& clock_;
    mutable std::mutex configMutex_;  // guards config_ against a reload
    AuthConfig config_;
    PasswordHasher hasher_;
    const TokenService& tokens_;
    const PermissionService& permissions_;
    RateLimiter limiter_;
    RateLimiter signupLimiter_;
    Metrics& metrics_;
};

}  // namespace rosterd::accounts
