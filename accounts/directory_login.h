#pragma once
// The account side of a directory login: once the directory has vouched for someone, create or
// update their local ldap-sourced user (keyed by the entry's stable id), link an existing local
// account by email when allowed, optionally mirror their directory groups, and start a session.
// Knows nothing of LDAP itself: the caller hands over plain data read from the entry.
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "accounts/directory_policy.h"
#include "common/clock.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace rosterd::accounts {

struct DirectoryGroupRef {
    std::string externalId;
    std::string dn;
    std::string name;
};

/// What the directory says about the person who just proved their password.
struct DirectoryAccount {
    std::string externalId;  ///< entryUUID / objectGUID string
    std::string dn;
    std::string username;
    std::string email;  ///< as stored in the directory; lower-cased here
    std::string name;
    std::vector<DirectoryGroupRef> groups;  ///< used when syncGroups is on
    /// The picture as a data: URL (ldap.photo_attribute); nullopt: the stored one stays.
    std::optional<std::string> profileImageUrl{};
};

struct DirectoryLoginPolicy {
    bool linkLocalByEmail = true;  ///< an existing local account with the same email is taken over
    bool syncGroups = false;       ///< the user's ldap-sourced memberships become `groups`
    /// Roles and access from the user's groups, decided at every login like at every sync.
    DirectoryPolicyConfig directory;
};

class DirectoryVerifier;

class DirectoryLogin {
public:
    DirectoryLogin(db::Store& store, webhooks::Outbox& outbox, const Clock& clock, AccountService& accounts,
                   DirectoryLoginPolicy policy);

    /// The whole directory sign-in: counts the attempt under the normalised login name and the
    /// address (RateLimited), has `verifier` check the password, then complete(). Every refusal
    /// of the name or password is one generic InvalidInput.
    Session signIn(DirectoryVerifier& verifier, const std::string& user, const std::string& password,
                   const std::string& clientAddress);
    /// Creates/updates/links the local user and returns a new session. Throws InvalidInput when
    /// the email belongs to an account that may not be linked (the refusal is logged and recorded
    /// for admins, see DirectoryLinks), PermissionDenied when the local user is deactivated.
    Session complete(const DirectoryAccount& account);
    /// The mapping keys this login applies (the verifier reads the user's groups when any is set).
    const DirectoryPolicyConfig& directoryPolicy() const { return policy_.directory; }

private:
    /// The stored user when the directory entry brings nothing new (no write needed).
    std::optional<User> unchanged(db::Transaction& tx, const DirectoryAccount& account,
                                  const std::optional<DirectoryDecision>& decision);
    /// `mappedRole`: the role a new user gets from the directory policy (none: [auth] default_user_role).
    User upsertUser(db::Transaction& tx, const DirectoryAccount& account, std::int64_t now,
                    const std::optional<std::string>& mappedRole);
    /// Records the policy's refusal, deactivates the user and throws PermissionDenied; returns
    /// (lets them in) for the primary admin and the last active admin, whom the policy never locks out.
    void refuse(const DirectoryAccount& account, const std::string& reason);
    /// Reactivates a user the policy had refused and now lets in.
    void liftRefusal(db::Transaction& tx, const DirectoryAccount& account, std::int64_t now);
    /// Gives `u` the role the policy decided, unless it is the primary admin or the last active admin.
    void applyRole(db::Transaction& tx, User& u, const DirectoryDecision& decision, std::int64_t now);
    /// Whether `u` has [auth] initial_admin_email and is not yet the primary admin.
    bool becomesInitialAdmin(const User& u) const;
    /// `u`, made the primary admin first when it has [auth] initial_admin_email and none exists.
    User withInitialAdmin(const User& u);
    void syncGroups(db::Transaction& tx, const User& user, const std::vector<DirectoryGroupRef>& groups,
                    std::int64_t now);

    db::Store& store_;
    webhooks::Outbox& outbox_;
    const Clock& clock_;
    AccountService& accounts_;
    DirectoryLoginPolicy policy_;
};

}  // namespace rosterd::accounts
