#include "accounts/directory_links.h"

#include <spdlog/spdlog.h>

#include <unordered_map>

#include "accounts/user_store.h"
#include "common/errors.h"
#include "common/log_safe.h"

namespace rosterd::accounts {

nlohmann::json linkRefusalJson(const LinkRefusalRecord& r) {
    return {{"user_id", r.userId},
            {"email", r.email},
            {"external_id", r.externalId},
            {"dn", r.dn},
            {"reason", r.reason},
            {"refused_at", r.refusedAt},
            {"directory_link_allowed", r.linkAllowed}};
}

namespace directory_links {

void recordRefusal(db::Transaction& tx, const LinkRefusalRecord& r) {
    tx.exec(
        "INSERT INTO directory_link_refusals (user_id, external_id, dn, reason, refused_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET external_id = excluded.external_id, "
        "dn = excluded.dn, reason = excluded.reason, refused_at = excluded.refused_at",
        {r.userId, r.externalId, r.dn, r.reason, r.refusedAt});
}

void clearRefusal(db::Transaction& tx, const std::string& userId) {
    tx.exec("DELETE FROM directory_link_refusals WHERE user_id = $1", {userId});
}

}  // namespace directory_links

DirectoryLinks::DirectoryLinks(db::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

LinkRefusalRecord DirectoryLinks::setAllowed(const std::string& actorId, const std::string& userId, bool allowed) {
    LinkRefusalRecord out = store_.transact([&](db::Transaction& tx) {
        auto u = user_store::findById(tx, userId);
        if (!u) throw NotFound("user " + userId + " not found");
        if (u->source != Source::Local) throw Conflict("this account is already a directory account");
        if (allowed && (u->isPrimary || u->role == Role::Admin))
            throw InvalidInput("admin accounts are never linked to a directory entry; demote the account first");
        user_store::setDirectoryLinkAllowed(tx, userId, allowed, clock_.nowSeconds());
        LinkRefusalRecord r;
        r.userId = u->id;
        r.email = u->email;
        r.linkAllowed = allowed;
        auto rs = tx.exec("SELECT external_id, dn, reason, refused_at FROM directory_link_refusals WHERE user_id = $1",
                          {userId});
        if (!rs.empty()) {
            r.externalId = rs[0].str(0);
            r.dn = rs[0].str(1);
            r.reason = rs[0].str(2);
            r.refusedAt = rs[0].i64(3);
        }
        return r;
    });
    spdlog::info("user {} {} linking local account {} <{}> to a directory entry", actorId,
                 allowed ? "allowed" : "forbade", out.userId, logSafe(out.email));
    return out;
}

std::vector<LinkRefusalRecord> DirectoryLinks::refusals() {
    return store_.transact(
        [&](db::Transaction& tx) {
            std::vector<LinkRefusalRecord> refused;
            std::vector<std::string> ids;
            for (auto row : tx.exec("SELECT user_id, external_id, dn, reason, refused_at FROM directory_link_refusals "
                                    "ORDER BY refused_at DESC, user_id",
                                    {})) {
                refused.push_back({row.str(0), "", row.str(1), row.str(2), row.str(3), row.i64(4), false});
                ids.push_back(row.str(0));
            }
            // Each with the account's email and whether an admin allows the link now.
            std::unordered_map<std::string, User> users;
            for (auto& u : user_store::findByIds(tx, ids)) users.emplace(u.id, std::move(u));
            std::vector<LinkRefusalRecord> out;
            for (auto& r : refused) {
                auto u = users.find(r.userId);
                if (u == users.end()) continue;  // deleted in between: its refusal goes with it
                r.email = u->second.email;
                r.linkAllowed = u->second.directoryLinkAllowed;
                out.push_back(std::move(r));
            }
            return out;
        },
        db::TxMode::Read);
}

}  // namespace rosterd::accounts
