#include "accounts/directory_login.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "accounts/directory_links.h"
#include "accounts/directory_verifier.h"
#include "accounts/events.h"
#include "accounts/group_store.h"
#include "accounts/sign_in_policy.h"
#include "accounts/user_store.h"
#include "accounts/validation.h"
#include "common/errors.h"
#include "common/log_safe.h"
#include "common/random.h"

namespace rosterd::accounts {

namespace {

// One answer for every refusal of the name or password, so the response never tells whether the user exists.
const char* const kBadDirectoryCredentials = "The username or password provided is incorrect.";

// Thrown inside the write transaction when the email's local account may not be linked; the
// refusal is recorded after the rollback.
struct LinkRefused {
    LinkRefusalRecord record;
};

}  // namespace

DirectoryLogin::DirectoryLogin(db::Store& store, webhooks::Outbox& outbox, const Clock& clock, AccountService& accounts,
                               DirectoryLoginPolicy policy)
    : store_(store), outbox_(outbox), clock_(clock), accounts_(accounts), policy_(std::move(policy)) {}

User DirectoryLogin::upsertUser(db::Transaction& tx, const DirectoryAccount& a, std::int64_t now,
                                const std::optional<std::string>& mappedRole) {
    std::string email = normalizeEmail(a.email);
    std::string name = a.name.empty() ? a.username : a.name;

    if (auto existing = user_store::findByExternalId(tx, a.externalId)) {
        User u = *existing;
        const User before = u;
        if (signInRefusal(u)) throw PermissionDenied("This account is deactivated");
        bool changed = u.email != email || u.name != name || u.username != a.username || u.externalDn != a.dn ||
                       (a.profileImageUrl && u.profileImageUrl != *a.profileImageUrl);
        if (u.email != email) {
            auto other = user_store::findByEmail(tx, email);
            if (other && other->id != u.id)
                throw InvalidInput("The directory email " + email + " already belongs to another account");
        }
        u.email = email;
        u.name = name;
        u.username = a.username;
        u.externalDn = a.dn;
        if (a.profileImageUrl) u.profileImageUrl = *a.profileImageUrl;
        u.lastActiveAt = now;
        if (changed) u.updatedAt = now;
        user_store::update(tx, u);
        if (changed) outbox_.append(tx, events::userUpdated(u, events::changedUserFields(before, u)));
        return u;
    }

    if (auto byEmail = user_store::findByEmail(tx, email)) {
        User u = *byEmail;
        if (u.source == Source::Ldap)
            throw InvalidInput("The email " + email + " already belongs to another directory account");
        if (!policy_.linkLocalByEmail)
            throw InvalidInput("A local account with the email " + email +
                               " exists and linking local accounts is disabled (ldap.link_local_accounts)");
        if (auto why = linkRefusal(u)) throw LinkRefused{{u.id, u.email, a.externalId, a.dn, *why, now, false}};
        if (signInRefusal(u)) throw PermissionDenied("This account is deactivated");
        directory_links::clearRefusal(tx, u.id);
        const User before = u;
        u.source = Source::Ldap;
        u.externalId = a.externalId;
        u.externalDn = a.dn;
        u.username = a.username;
        u.name = name;
        if (a.profileImageUrl) u.profileImageUrl = *a.profileImageUrl;
        u.updatedAt = u.lastActiveAt = now;
        user_store::update(tx, u);
        outbox_.append(tx, events::userUpdated(u, events::changedUserFields(before, u)));
        spdlog::info("local user {} <{}> linked to directory entry {}", u.id, logSafe(u.email), logSafe(a.dn));
        return u;
    }

    User u;
    u.id = newUuid();
    u.name = name;
    u.email = email;
    u.role = mappedRole ? validateRole(*mappedRole) : validateRole(accounts_.config().defaultUserRole);
    u.source = Source::Ldap;
    u.username = a.username;
    u.externalId = a.externalId;
    u.externalDn = a.dn;
    u.profileImageUrl = a.profileImageUrl.value_or("");
    // The first account ever becomes the primary admin (or, when [auth] initial_admin_email is
    // set, only that email's, while no primary admin exists).
    const std::string initial = accounts_.initialAdminEmail();
    if (initial.empty() ? user_store::count(tx) == 0 : becomesPrimary(tx, email, initial)) {
        u.role = Role::Admin;
        u.isPrimary = true;
    }
    u.createdAt = u.updatedAt = u.lastActiveAt = now;
    user_store::insert(tx, u);
    outbox_.append(tx, events::userSignup(u));
    spdlog::info("directory user {} <{}> ({}) created on first login as {}", u.id, logSafe(u.email), logSafe(a.dn),
                 roleName(u.role));
    return u;
}

void DirectoryLogin::syncGroups(db::Transaction& tx, const User& user, const std::vector<DirectoryGroupRef>& groups,
                                std::int64_t now) {
    std::set<std::string> wanted;
    for (const auto& ref : groups) {
        auto g = group_store::findByName(tx, Source::Ldap, ref.name);
        if (!g) {
            Group ng;
            ng.id = newUuid();
            ng.name = ref.name;
            ng.source = Source::Ldap;
            ng.externalId = ref.externalId;
            ng.externalDn = ref.dn;
            ng.createdAt = ng.updatedAt = now;
            group_store::insert(tx, ng);
            outbox_.append(tx, events::groupCreated(ng));
            g = ng;
        }
        wanted.insert(g->id);
        auto added = group_store::addMembers(tx, g->id, {user.id}, now);
        if (!added.empty()) {
            auto fresh = group_store::findById(tx, g->id);
            outbox_.append(tx, events::groupMembersChanged(*fresh, added, {}));
        }
    }
    for (const auto& g : group_store::ofUser(tx, user.id)) {
        if (g.source != Source::Ldap || wanted.count(g.id)) continue;
        auto removed = group_store::removeMembers(tx, g.id, {user.id});
        if (!removed.empty()) {
            auto fresh = group_store::findById(tx, g.id);
            outbox_.append(tx, events::groupMembersChanged(*fresh, {}, removed));
        }
    }
}

bool DirectoryLogin::becomesInitialAdmin(const User& u) const {
    if (u.isPrimary) return false;
    const std::string initial = accounts_.initialAdminEmail();
    return !initial.empty() && u.email == initial;
}

User DirectoryLogin::withInitialAdmin(const User& u) {
    if (!becomesInitialAdmin(u)) return u;
    accounts_.applyInitialAdmin();
    return accounts_.getUser(u.id);
}

std::optional<User> DirectoryLogin::unchanged(db::Transaction& tx, const DirectoryAccount& a,
                                              const std::optional<DirectoryDecision>& decision) {
    auto u = user_store::findByExternalId(tx, a.externalId);
    if (!u || !u->active) return std::nullopt;
    if (decision && decision->role && roleName(u->role) != *decision->role && !u->isPrimary) return std::nullopt;
    std::string name = a.name.empty() ? a.username : a.name;
    if (u->email != normalizeEmail(a.email) || u->name != name || u->username != a.username || u->externalDn != a.dn ||
        (a.profileImageUrl && u->profileImageUrl != *a.profileImageUrl))
        return std::nullopt;
    if (policy_.syncGroups) {
        std::set<std::string> have, want;
        for (const auto& g : group_store::ofUser(tx, u->id))
            if (g.source == Source::Ldap) have.insert(g.name);
        for (const auto& g : a.groups) want.insert(g.name);
        if (have != want) return std::nullopt;
    }
    return u;
}

Session DirectoryLogin::signIn(DirectoryVerifier& verifier, const std::string& user, const std::string& password,
                               const std::string& clientAddress) {
    const std::string name = normalizeLoginName(user);
    if (name.empty()) throw InvalidInput("field 'user' must not be empty");
    accounts_.beginSignin(name, clientAddress);
    DirectoryCheck check;
    try {
        check = verifier.verify(name, password);
    } catch (const Unavailable&) {
        accounts_.cancelSignin(name);  // not the user's failure
        throw;
    }
    if (!check.account) {
        spdlog::info("ldap login of '{}' from {} refused: {}", logSafe(name), clientAddress, check.refusal);
        accounts_.recordSigninFailure(name, clientAddress, "ldap");
        throw InvalidInput(check.clientMessage.empty() ? kBadDirectoryCredentials : check.clientMessage);
    }
    accounts_.recordSigninSuccess(name, "ldap");
    return complete(*check.account);
}

void DirectoryLogin::refuse(const DirectoryAccount& a, const std::string& reason) {
    const bool exempt = store_.transact([&](db::Transaction& tx) {
        auto u = user_store::findByExternalId(tx, a.externalId);
        if (!u) return false;  // never signed in: nothing to record
        if (u->isPrimary) return true;
        if (u->role == Role::Admin && u->active && user_store::countActiveAdmins(tx, u->id) == 0) {
            spdlog::warn(
                "directory user {} <{}> is refused by the directory policy ({}) but is the last active admin: "
                "let in",
                u->id, logSafe(u->email), reason);
            return true;
        }
        const std::int64_t now = clock_.nowSeconds();
        recordDirectoryRefusal(tx, u->id, reason, now);
        if (u->active) {
            user_store::deactivate(tx, u->id, now);
            u->active = false;
            u->deactivatedAt = u->updatedAt = now;
            outbox_.append(tx, events::userDeactivated(*u, reason));
        }
        return false;
    });
    if (exempt) return;
    spdlog::info("ldap login of {} refused by the directory policy: {}", logSafe(a.dn), reason);
    throw PermissionDenied("Your directory account may not sign in here: " + reason);
}

void DirectoryLogin::liftRefusal(db::Transaction& tx, const DirectoryAccount& a, std::int64_t now) {
    auto u = user_store::findByExternalId(tx, a.externalId);
    if (!u || !clearDirectoryRefusal(tx, u->id) || u->active) return;
    user_store::reactivate(tx, u->id, now);
    u->active = true;
    u->deactivatedAt.reset();
    u->updatedAt = now;
    outbox_.append(tx, events::userUpdated(*u, {"active"}));
    spdlog::info("directory user {} <{}> reactivated: the directory policy lets them in again", u->id,
                 logSafe(u->email));
}

void DirectoryLogin::applyRole(db::Transaction& tx, User& u, const DirectoryDecision& decision, std::int64_t now) {
    if (!decision.role || roleName(u.role) == *decision.role || u.isPrimary) return;
    if (u.role == Role::Admin && user_store::countActiveAdmins(tx, u.id) == 0) {
        spdlog::warn("directory user {} <{}> keeps the admin role: the last active admin is never demoted ({})", u.id,
                     logSafe(u.email), decision.roleReason);
        return;
    }
    const Role old = u.role;
    u.role = validateRole(*decision.role);
    u.updatedAt = now;
    user_store::update(tx, u);
    outbox_.append(tx, events::userRoleChanged(u, old, decision.roleReason));
    spdlog::info("directory user {} <{}> is now {}: {}", u.id, logSafe(u.email), roleName(u.role), decision.roleReason);
}

Session DirectoryLogin::complete(const DirectoryAccount& account) {
    if (account.externalId.empty()) throw InvalidInput("The directory entry has no stable id");
    // The directory policy decides from the groups read at this login, so a change in the
    // directory counts at once, even between syncs.
    std::optional<DirectoryDecision> decision;
    if (policy_.directory.any()) {
        std::vector<std::string> names;
        for (const auto& g : account.groups) names.push_back(g.name);
        decision = decideDirectoryPolicy(policy_.directory, names);
        if (decision->refusal) refuse(account, *decision->refusal);
    }
    const std::optional<std::string> mappedRole = decision ? decision->role : std::nullopt;
    // The common case, a returning user whose entry did not change, needs no write transaction:
    // one read finds the user and their permissions.
    struct Returning {
        User user;
        nlohmann::json permissions;
    };
    auto same = store_.transact(
        [&](db::Transaction& tx) -> std::optional<Returning> {
            auto u = unchanged(tx, account, decision);
            if (!u) return std::nullopt;
            auto permissions = accounts_.effectivePermissions(tx, *u);
            return Returning{std::move(*u), std::move(permissions)};
        },
        db::TxMode::Read);
    if (same) {
        const User& u = same->user;
        std::int64_t now = clock_.nowSeconds();
        if (now - u.lastActiveAt >= 60)  // at most one activity write a minute per user
            store_.transact([&](db::Transaction& tx) { user_store::setLastActive(tx, u.id, now); });
        if (becomesInitialAdmin(u)) return accounts_.startSession(withInitialAdmin(u));
        return accounts_.startSession(u, std::move(same->permissions));
    }
    // Two attempts: a concurrent first login of the same person may insert between our read and write.
    for (int attempt = 0;; ++attempt) {
        try {
            User u = store_.transact([&](db::Transaction& tx) {
                std::int64_t now = clock_.nowSeconds();
                if (decision) liftRefusal(tx, account, now);
                User user = upsertUser(tx, account, now, mappedRole);
                if (decision) applyRole(tx, user, *decision, now);
                if (policy_.syncGroups) syncGroups(tx, user, account.groups, now);
                return user;
            });
            return accounts_.startSession(withInitialAdmin(u));
        } catch (const LinkRefused& refused) {
            const auto& r = refused.record;
            spdlog::warn(
                "directory entry {} was not linked to local account {} <{}>: {}; an admin may allow it "
                "(POST /api/v1/users/{}/directory_link)",
                logSafe(r.dn), r.userId, logSafe(r.email), r.reason, r.userId);
            store_.transact([&](db::Transaction& tx) { directory_links::recordRefusal(tx, r); });
            throw InvalidInput("The email " + r.email +
                               " belongs to a local account that cannot be linked to your directory account; ask an "
                               "administrator");
        } catch (const ConstraintViolation&) {
            if (attempt >= 1) throw InvalidInput("The directory account conflicts with an existing account");
        }
    }
}

}  // namespace rosterd::accounts
