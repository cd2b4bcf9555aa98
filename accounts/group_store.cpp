#include "accounts/group_store.h"

#include <algorithm>
#include <map>
#include <set>

#include "accounts/permissions.h"
#include "accounts/user_store.h"
#include "common/errors.h"
#include "common/json_parse.h"
#include "db/placeholders.h"

namespace rosterd::accounts::group_store {

namespace {
const char* const kGroupColumns =
    "id, name, description, permissions, data, source, external_id, external_dn, created_at, updated_at, active, "
    "deactivated_at, user_id, meta";

Group rowToGroup(const db::Row& r) {
    Group g;
    g.id = r.str("id");
    g.name = r.str("name");
    g.description = r.str("description");
    g.permissions = storedPermissions(r.str("permissions"), "group " + g.id);
    g.data = storedObject(r.str("data"));
    g.meta = storedObject(r.str("meta"));
    g.userId = r.optStr("user_id");
    g.source = sourceFromRow(r.str("source"));
    g.externalId = r.optStr("external_id");
    g.externalDn = r.optStr("external_dn");
    g.createdAt = r.i64("created_at");
    g.updatedAt = r.i64("updated_at");
    g.active = r.boolean("active");
    g.deactivatedAt = r.optI64("deactivated_at");
    return g;
}

std::vector<Group> withMembers(db::Transaction& tx, const db::ResultSet& rs) {
    std::vector<Group> out;
    std::map<std::string, std::size_t> index;
    for (auto row : rs) {
        index[row.str("id")] = out.size();
        out.push_back(rowToGroup(row));
    }
    if (out.empty()) return out;
    std::string sql = "SELECT group_id, user_id FROM group_members WHERE group_id IN (" +
                      db::placeholders(1, out.size()) + ") ORDER BY created_at, user_id";
    db::Params params;
    for (const auto& g : out) params.push_back(g.id);
    for (auto row : tx.exec(sql, params)) out[index[row.str(0)]].userIds.push_back(row.str(1));
    return out;
}

std::vector<std::string> unique(const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& id : ids)
        if (seen.insert(id).second) out.push_back(id);
    return out;
}
}  // namespace

std::optional<Group> findById(db::Transaction& tx, const std::string& id) {
    auto v = withMembers(tx, tx.exec(std::string("SELECT ") + kGroupColumns + " FROM groups WHERE id = $1", {id}));
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<Group> findByIds(db::Transaction& tx, const std::vector<std::string>& ids) {
    std::vector<Group> out;
    constexpr std::size_t kPerQuery = 500;
    for (std::size_t b = 0; b < ids.size(); b += kPerQuery) {
        const std::size_t e = std::min(ids.size(), b + kPerQuery);
        db::Params p(ids.begin() + static_cast<std::ptrdiff_t>(b), ids.begin() + static_cast<std::ptrdiff_t>(e));
        auto v = withMembers(tx, tx.exec(std::string("SELECT ") + kGroupColumns + " FROM groups WHERE id IN (" +
                                             db::placeholders(1, e - b) + ")",
                                         p));
        out.insert(out.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
    }
    return out;
}

std::optional<Group> findByName(db::Transaction& tx, Source source, const std::string& name) {
    auto v =
        withMembers(tx, tx.exec(std::string("SELECT ") + kGroupColumns + " FROM groups WHERE source = $1 AND name = $2",
                                {db::val(sourceName(source)), name}));
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<Group> all(db::Transaction& tx) {
    return withMembers(tx, tx.exec(std::string("SELECT ") + kGroupColumns + " FROM groups ORDER BY name, id"));
}

std::vector<Group> ofUser(db::Transaction& tx, const std::string& userId) {
    return withMembers(tx,
                       tx.exec(std::string("SELECT ") + kGroupColumns +
                                   " FROM groups WHERE id IN (SELECT group_id FROM group_members WHERE user_id = $1) "
                                   "ORDER BY name, id",
                               {userId}));
}

void insert(db::Transaction& tx, const Group& g) {
    tx.exec(
        "INSERT INTO groups (id, name, description, permissions, data, source, external_id, external_dn, created_at, "
        "updated_at, user_id, meta) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        {g.id, g.name, g.description, g.permissions.dump(), g.data.dump(), db::val(sourceName(g.source)),
         db::val(g.externalId), db::val(g.externalDn), g.createdAt, g.updatedAt, db::val(g.userId), g.meta.dump()});
}

void update(db::Transaction& tx, const Group& g) {
    tx.exec(
        "UPDATE groups SET name = $2, description = $3, permissions = $4, data = $5, external_dn = $6, "
        "updated_at = $7, meta = $8 WHERE id = $1",
        {g.id, g.name, g.description, g.permissions.dump(), g.data.dump(), db::val(g.externalDn), g.updatedAt,
         g.meta.dump()});
}

bool remove(db::Transaction& tx, const std::string& id) {
    return tx.exec("DELETE FROM groups WHERE id = $1", {id}).affected() > 0;
}

std::vector<std::string> addMembers(db::Transaction& tx, const std::string& groupId,
                                    const std::vector<std::string>& userIds, std::int64_t now) {
    std::vector<std::string> added;
    for (const auto& uid : unique(userIds)) {
        auto rs = tx.exec(
            "INSERT INTO group_members (group_id, user_id, created_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (group_id, user_id) DO NOTHING",
            {groupId, uid, now});
        if (rs.affected() > 0) added.push_back(uid);
    }
    return added;
}

std::vector<std::string> removeMembers(db::Transaction& tx, const std::string& groupId,
                                       const std::vector<std::string>& userIds) {
    std::vector<std::string> removed;
    for (const auto& uid : unique(userIds))
        if (tx.exec("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2", {groupId, uid}).affected() > 0)
            removed.push_back(uid);
    return removed;
}

std::vector<std::string> unknownUsers(db::Transaction& tx, const std::vector<std::string>& userIds) {
    std::vector<std::string> unknown;
    for (const auto& uid : unique(userIds))
        if (!user_store::exists(tx, uid)) unknown.push_back(uid);
    return unknown;
}

std::vector<std::pair<std::string, std::string>> membershipsOfUsers(db::Transaction& tx,
                                                                    const std::vector<std::string>& userIds) {
    std::vector<std::pair<std::string, std::string>> out;
    if (userIds.empty()) return out;
    std::string sql = "SELECT user_id, group_id FROM group_members WHERE user_id IN (" +
                      db::placeholders(1, userIds.size()) + ") ORDER BY group_id";
    db::Params params(userIds.begin(), userIds.end());
    for (auto row : tx.exec(sql, params)) out.emplace_back(row.str(0), row.str(1));
    return out;
}

std::vector<nlohmann::json> activeGroupPermissions(db::Transaction& tx, const std::string& userId) {
    std::vector<nlohmann::json> out;
    auto rs = tx.exec(
        "SELECT g.id, g.permissions FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = $1 "
        "AND g.active = 1",
        {userId});
    for (auto row : rs) out.push_back(storedPermissions(row.str(1), "group " + row.str(0)));
    return out;
}

std::vector<std::string> directoryGroupNames(db::Transaction& tx) {
    std::vector<std::string> names;
    for (auto row : tx.exec("SELECT name FROM groups WHERE source = 'ldap'")) names.push_back(row.str(0));
    return names;
}

std::vector<GroupLabel> labelsByIds(db::Transaction& tx, const std::vector<std::string>& ids) {
    std::vector<GroupLabel> out;
    out.reserve(ids.size());
    db::forIdChunks(ids, [&](const db::Params& p, std::size_t n) {
        for (auto row :
             tx.exec("SELECT id, name, external_dn FROM groups WHERE id IN (" + db::placeholders(1, n) + ")", p))
            out.push_back({row.str(0), row.str(1), row.optStr(2)});
    });
    return out;
}

}  // namespace rosterd::accounts::group_store
