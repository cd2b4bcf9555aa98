#include "sync/role_mapping_apply.h"

#include <unordered_map>

#include "accounts/events.h"
#include "accounts/role.h"
#include "accounts/user.h"
#include "accounts/user_store.h"
#include "db/placeholders.h"

namespace rosterd::sync {

void writeRoleChanges(db::Transaction& tx, webhooks::Outbox& outbox, const std::vector<RoleChange>& v, std::size_t b,
                      std::size_t e, std::int64_t now) {
    std::vector<std::string> done;
    // One statement per target role (there are three).
    for (accounts::Role role : accounts::kAllRoles) {
        std::vector<std::string> ids;
        for (std::size_t i = b; i < e; ++i)
            if (v[i].to == accounts::roleName(role)) ids.push_back(v[i].id);
        auto changed = accounts::user_store::setRoles(tx, role, ids, now);
        done.insert(done.end(), changed.begin(), changed.end());
    }
    if (done.empty()) return;
    std::unordered_map<std::string, accounts::User> users;
    for (auto& u : accounts::user_store::findByIds(tx, done)) users.emplace(u.id, std::move(u));
    std::vector<webhooks::NewEvent> events;
    for (std::size_t i = b; i < e; ++i) {
        auto u = users.find(v[i].id);
        if (u == users.end()) continue;
        const auto from = accounts::parseRole(v[i].from);
        events.push_back(accounts::events::userRoleChanged(u->second, from.value_or(u->second.role), v[i].reason));
    }
    outbox.appendMany(tx, events);
}

void writeAccessDenials(db::Transaction& tx, webhooks::Outbox& outbox, const std::vector<AccessChange>& v,
                        std::size_t b, std::size_t e, std::int64_t now) {
    db::Params rows;
    std::vector<std::string> ids;
    for (std::size_t i = b; i < e; ++i) {
        rows.insert(rows.end(), {v[i].id, v[i].reason, now});
        ids.push_back(v[i].id);
    }
    tx.exec("INSERT INTO directory_access_refusals (user_id, reason, refused_at) VALUES " + db::valueRows(e - b, 3) +
                " ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason, refused_at = excluded.refused_at",
            rows);
    std::unordered_map<std::string, accounts::User> done;
    for (auto& u : accounts::user_store::denyDirectoryUsers(tx, ids, now)) done.emplace(u.id, std::move(u));
    std::vector<webhooks::NewEvent> events;
    for (std::size_t i = b; i < e; ++i)
        if (auto u = done.find(v[i].id); u != done.end())
            events.push_back(accounts::events::userDeactivated(u->second, v[i].reason));
    outbox.appendMany(tx, events);
}

void writeAccessRestores(db::Transaction& tx, const std::vector<AccessChange>& v, std::size_t b, std::size_t e) {
    db::Params ids;
    for (std::size_t i = b; i < e; ++i) ids.push_back(v[i].id);
    tx.exec("DELETE FROM directory_access_refusals WHERE user_id IN (" + db::placeholders(1, e - b) + ")", ids);
}

}  // namespace rosterd::sync
