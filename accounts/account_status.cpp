// AccountService: an account's state as an admin changes it apart from its fields (active or not,
// its sessions), with the same protections as every other admin change.
#include <spdlog/spdlog.h>

#include "accounts/account_service.h"
#include "accounts/events.h"
#include "common/errors.h"

namespace rosterd::accounts {

Caller consoleCaller() {
    Caller c;
    c.console = true;
    return c;
}

User AccountService::setUserActive(const Caller& actor, const std::string& id, bool active) {
    if (!actor.console && actor.user.id == id)
        throw PermissionDenied(std::string("you cannot ") + (active ? "reactivate" : "deactivate") +
                               " your own account");
    User after = store_.transact([&](db::Transaction& tx) {
        auto found = user_store::findById(tx, id);
        if (!found) throw NotFound("user " + id + " not found");
        User u = *found;
        if (u.active == active) return u;
        if (u.source == Source::Ldap)
            throw Conflict(
                "this account's status is managed by the directory (sync makes it match the directory entry); "
                "disable the entry there, or refuse it with [ldap] denied_groups");
        if (!active && u.isPrimary) throw PermissionDenied("the primary admin cannot be deactivated");
        if (!active && u.role == Role::Admin && user_store::countActiveAdmins(tx, u.id) == 0)
            throw PermissionDenied("cannot deactivate the last active admin");
        const User before = u;
        const std::int64_t now = clock_.nowSeconds();
        u.active = active;
        u.deactivatedAt = active ? std::nullopt : std::optional<std::int64_t>(now);
        u.updatedAt = now;
        user_store::update(tx, u);
        if (active) {
            outbox_.append(tx, events::userUpdated(u, events::changedUserFields(before, u)));
        } else {
            user_store::endSessions(tx, u.id, std::nullopt);  // a reactivated account starts with no session alive
            outbox_.append(tx, events::userDeactivated(u, "deactivated by an admin"));
        }
        spdlog::info("user {} {} by {}", u.id, active ? "reactivated" : "deactivated",
                     actor.console ? std::string("the console") : actor.user.id);
        return u;
    });
    return after;
}

void AccountService::revokeSessions(const Caller& actor, const std::string& id) {
    store_.transact([&](db::Transaction& tx) {
        if (!user_store::findById(tx, id)) throw NotFound("user " + id + " not found");
        // Tokens issued under an older generation are refused (see AccountService::authenticate).
        user_store::endSessions(tx, id, std::nullopt);
    });
    spdlog::info("every session of user {} revoked by {}", id,
                 actor.console ? std::string("the console") : actor.user.id);
}

}  // namespace rosterd::accounts
