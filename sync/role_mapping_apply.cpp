#include "sync/role_mapping_apply.h"

#include <unordered_map>
#include <unordered_set>

#include "accounts/user.h"
#include "accounts/user_store.h"
#include "db/placeholders.h"

namespace rosterd::sync {
namespace {

std::unordered_set<std::string> idsOf(const db::ResultSet& rs) {
    std::unordered_set<std::string> ids;
    for (auto row : rs) ids.insert(row.str(0));
    return ids;
}

}  // namespace

void writeRoleChanges(db::Transaction& tx, webhooks::Outbox& outbox, const std::vector<RoleChange>& v, std::size_t b,
                      std::size_t e, std::int64_t now) {
    std::unordered_set<std::string> done;
    // One statement per target role (there are three).
    for (const char* role : {"admin", "user", "pending"}) {
        db::Params p{std::string(role), now};
        for (std::size_t i = b; i < e; ++i)
            if (v[i].to == role) p.push_back(v[i].id);
        if (p.size() == 2) continue;
        // Never the primary admin, even if it became one since the plan.
        auto changed =
            idsOf(tx.exec("UPDATE users SET role = $1, updated_at = $2 WHERE is_primary = 0 AND role <> $1 "
                          "AND id IN (" +
                              db::placeholders(3, p.size() - 2) + ") RETURNING id",
                          p));
        done.insert(changed.begin(), changed.end());
    }
    if (done.empty()) return;
    db::Params ids(done.begin(), done.end());
    std::unordered_map<std::string, accounts::User> users;
    for (auto row : tx.exec(std::string("SELECT ") + accounts::user_store::kColumns + " FROM users WHERE id IN (" +
                                db::placeholders(1, ids.size()) + ")",
                            ids)) {
        accounts::User u = accounts::user_store::rowToUser(row);
        users.emplace(u.id, std::move(u));
    }
    std::vector<webhooks::NewEvent> events;
    for (std::size_t i = b; i < e; ++i) {
        auto u = users.find(v[i].id);
        if (u == users.end()) continue;
        events.push_back({"user.role_changed",
                          {{"user", accounts::userJson(u->second)},
                           {"old_role", v[i].from},
                           {"new_role", v[i].to},
                           {"reason", v[i].reason}}});
    }
    outbox.appendMany(tx, events);
}

void writeAccessDenials(db::Transaction& tx, webhooks::Outbox& outbox, const std::vector<AccessChange>& v,
                        std::size_t b, std::size_t e, std::int64_t now) {
    db::Params rows;
    db::Params ids{now};
    for (std::size_t i = b; i < e; ++i) {
        rows.insert(rows.end(), {v[i].id, v[i].reason, now});
        ids.push_back(v[i].id);
    }
    tx.exec("INSERT INTO directory_access_refusals (user_id, reason, refused_at) VALUES " + db::valueRows(e - b, 3) +
                " ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason, refused_at = excluded.refused_at",
            rows);
    auto done =
        idsOf(tx.exec("UPDATE users SET active = 0, deactivated_at = $1, updated_at = $1 WHERE source = 'ldap' "
                      "AND active = 1 AND is_primary = 0 AND id IN (" +
                          db::placeholders(2, e - b) + ") RETURNING id",
                      ids));
    std::vector<webhooks::NewEvent> events;
    for (std::size_t i = b; i < e; ++i)
        if (done.count(v[i].id))
            events.push_back({"user.deactivated",
                              {{"id", v[i].id},
                               {"email", v[i].email},
                               {"external_id", v[i].externalId},
                               {"source", "ldap"},
                               {"reason", v[i].reason}}});
    outbox.appendMany(tx, events);
}

void writeAccessRestores(db::Transaction& tx, const std::vector<AccessChange>& v, std::size_t b, std::size_t e) {
    db::Params ids;
    for (std::size_t i = b; i < e; ++i) ids.push_back(v[i].id);
    tx.exec("DELETE FROM directory_access_refusals WHERE user_id IN (" + db::placeholders(1, e - b) + ")", ids);
}

}  // namespace rosterd::sync
