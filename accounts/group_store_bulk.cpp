// The groups gateway's bulk operations: what directory sync reads and writes, a batch per statement.
#include <algorithm>

#include "accounts/group_store.h"
#include "db/placeholders.h"

namespace rosterd::accounts::group_store {
namespace {

constexpr std::size_t kGroupIdsPerQuery = 500;  // values per IN list, far below both drivers' limits

// A new directory group's description, permissions, data and meta are the columns' defaults.
const std::vector<std::string> kGroupInsertColumns = {"id",          "name",       "source",    "external_id",
                                                      "external_dn", "created_at", "updated_at"};
const std::vector<std::string> kMembershipColumns = {"group_id", "user_id", "created_at"};

std::unordered_set<std::string> changedIds(const db::ResultSet& rs) {
    std::unordered_set<std::string> ids;
    for (auto row : rs) ids.insert(row.str(0));
    return ids;
}

// Runs `sqlPrefix IN (...)` over `values` in chunks and hands every row to `onRow`.
template <typename OnRow>
void selectGroupsIn(db::Transaction& tx, const std::string& sqlPrefix, const std::vector<std::string>& values,
                    OnRow&& onRow) {
    for (std::size_t b = 0; b < values.size(); b += kGroupIdsPerQuery) {
        std::size_t e = std::min(values.size(), b + kGroupIdsPerQuery);
        db::Params p(values.begin() + static_cast<std::ptrdiff_t>(b), values.begin() + static_cast<std::ptrdiff_t>(e));
        for (auto row : tx.exec(sqlPrefix + " IN (" + db::placeholders(1, e - b) + ")", p)) onRow(row);
    }
}

}  // namespace

std::vector<DirectoryGroup> directoryGroups(db::Transaction& tx, std::size_t pageSize) {
    std::vector<DirectoryGroup> out;
    const auto limit = static_cast<std::int64_t>(pageSize);
    std::string afterGroup;
    for (;;) {
        auto rs = tx.exec(
            "SELECT id, external_id, external_dn, name, active, deactivated_at FROM groups "
            "WHERE source = 'ldap' AND id > $1 ORDER BY id LIMIT $2",
            {afterGroup, limit});
        for (auto row : rs)
            out.push_back({row.str(0), row.str(1), row.str(2), row.str(3), row.boolean(4), row.optI64(5)});
        if (rs.size() < pageSize) break;
        afterGroup = rs[rs.size() - 1].str(0);
    }
    return out;
}

void memberLists(db::Transaction& tx, const std::vector<DirectoryGroup>& groups, const OnMemberList& onList) {
    // Each group's members as one comma-separated list (ids are UUIDs): a row per group rather
    // than per membership is far less work on both sides. Each lookup is a range of the
    // (group_id, user_id) primary key, so the load stays linear in the number of memberships.
    const char* listOf =
        tx.driver() == db::Driver::Postgres ? "string_agg(user_id, ',')" : "group_concat(user_id, ',')";
    for (std::size_t b = 0; b < groups.size(); b += kGroupIdsPerQuery) {
        std::size_t e = std::min(groups.size(), b + kGroupIdsPerQuery);
        db::Params p;
        for (std::size_t i = b; i < e; ++i) p.push_back(groups[i].id);
        auto rs = tx.exec(std::string("SELECT group_id, ") + listOf + " FROM group_members WHERE group_id IN (" +
                              db::placeholders(1, e - b) + ") GROUP BY group_id",
                          p);
        for (auto row : rs) onList(row.str(0), row.str(1));
    }
}

std::vector<std::string> directoryGroupExternalIds(db::Transaction& tx) {
    std::vector<std::string> ids;
    for (auto row : tx.exec("SELECT external_id FROM groups WHERE source = 'ldap'")) ids.push_back(row.str(0));
    return ids;
}

bool anyDirectoryGroupAmong(db::Transaction& tx, const std::vector<std::string>& externalIds) {
    bool found = false;
    selectGroupsIn(tx, "SELECT external_id FROM groups WHERE source = 'ldap' AND external_id", externalIds,
                   [&](const db::ResultSet::Row&) { found = true; });
    return found;
}

std::vector<std::pair<std::string, std::string>> directoryMembershipsOfUsers(db::Transaction& tx,
                                                                             const std::vector<std::string>& userIds) {
    std::vector<std::pair<std::string, std::string>> out;
    selectGroupsIn(tx,
                   "SELECT gm.group_id, gm.user_id FROM group_members gm JOIN groups g ON g.id = gm.group_id "
                   "WHERE g.source = 'ldap' AND gm.user_id",
                   userIds, [&](const db::ResultSet::Row& row) { out.emplace_back(row.str(0), row.str(1)); });
    return out;
}

void appendInsertRow(db::Params& rows, const Group& g) {
    rows.insert(rows.end(), {g.id, g.name, db::val(sourceName(g.source)), db::val(g.externalId), db::val(g.externalDn),
                             g.createdAt, g.updatedAt});
}

void insertMany(db::Transaction& tx, const db::Params& rows) { tx.insertRows("groups", kGroupInsertColumns, rows); }

bool updateFromDirectory(db::Transaction& tx, const std::string& id, const std::string& name, const std::string& dn,
                         std::int64_t now, bool reactivate) {
    return tx.exec(reactivate ? "UPDATE groups SET name = $2, external_dn = $3, updated_at = $4, active = 1, "
                                "deactivated_at = NULL WHERE id = $1 AND source = 'ldap' AND active = 0"
                              : "UPDATE groups SET name = $2, external_dn = $3, updated_at = $4 WHERE id = $1 "
                                "AND source = 'ldap'",
                   {id, name, dn, now})
               .affected() > 0;
}

std::unordered_set<std::string> deactivateDirectoryGroups(db::Transaction& tx, const std::vector<std::string>& ids,
                                                          std::int64_t now) {
    if (ids.empty()) return {};
    db::Params p{now};
    p.insert(p.end(), ids.begin(), ids.end());
    return changedIds(
        tx.exec("UPDATE groups SET active = 0, deactivated_at = $1, updated_at = $1 WHERE source = "
                "'ldap' AND active = 1 AND id IN (" +
                    db::placeholders(2, ids.size()) + ") RETURNING id",
                p));
}

std::unordered_set<std::string> deleteInactiveDirectoryGroups(db::Transaction& tx,
                                                              const std::vector<std::string>& ids) {
    if (ids.empty()) return {};
    db::Params p(ids.begin(), ids.end());
    return changedIds(tx.exec("DELETE FROM groups WHERE source = 'ldap' AND active = 0 AND id IN (" +
                                  db::placeholders(1, ids.size()) + ") RETURNING id",
                              p));
}

void appendMembershipRow(db::Params& rows, const std::string& groupId, const std::string& userId, std::int64_t now) {
    rows.insert(rows.end(), {groupId, userId, now});
}

void insertMemberships(db::Transaction& tx, const db::Params& rows) {
    tx.insertRows("group_members", kMembershipColumns, rows);
}

std::set<std::pair<std::string, std::string>> insertMissingMemberships(db::Transaction& tx, const db::Params& rows) {
    std::set<std::pair<std::string, std::string>> inserted;
    if (rows.empty()) return inserted;
    for (auto row : tx.exec("INSERT INTO group_members (group_id, user_id, created_at) VALUES " +
                                db::valueRows(rows.size() / kMembershipColumns.size(), kMembershipColumns.size()) +
                                " ON CONFLICT DO NOTHING RETURNING group_id, user_id",
                            rows))
        inserted.emplace(row.str(0), row.str(1));
    return inserted;
}

void deleteMemberships(db::Transaction& tx, const db::Params& keys) {
    if (keys.empty()) return;
    tx.exec("DELETE FROM group_members WHERE (group_id, user_id) IN (VALUES " + db::valueRows(keys.size() / 2, 2) + ")",
            keys);
}

}  // namespace rosterd::accounts::group_store
