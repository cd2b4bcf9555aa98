#include "sync/current_state.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <string_view>

#include "accounts/sign_in_policy.h"
#include "db/placeholders.h"

namespace rosterd::sync {

bool hasDirectoryUsers(db::Store& store) {
    return store.transact(
        [](db::Transaction& tx) { return !tx.exec("SELECT 1 FROM users WHERE source = 'ldap' LIMIT 1").empty(); },
        db::TxMode::Read);
}

CurrentState loadCurrentState(db::Store& store, std::size_t pageSize) {
    CurrentState st;
    const auto limit = static_cast<std::int64_t>(pageSize);
    // One read transaction, so users, groups and memberships are a consistent picture.
    store.transact(
        [&](db::Transaction& tx) {
            // Keyset pages in the table's own order: SQLite's rowid (a walk of the table itself,
            // where the primary key's order would look every row up through its index), the
            // primary key on PostgreSQL.
            const bool sqlite = store.driver() == db::Driver::Sqlite;
            db::Value after = sqlite ? db::Value(std::int64_t(0)) : db::Value(std::string());
            const std::string selectUsers =
                std::string(
                    "SELECT id, source, email, external_id, external_dn, username, name, active, deactivated_at, ") +
                (sqlite ? "rowid FROM users WHERE rowid > $1 ORDER BY rowid"
                        : "id FROM users WHERE id > $1 ORDER BY id") +
                " LIMIT $2";
            for (;;) {
                auto rs = tx.exec(selectUsers, {after, limit});
                if (rs.empty()) break;
                after = sqlite ? db::Value(rs[rs.size() - 1].i64(9)) : db::Value(rs[rs.size() - 1].str(9));
                // Cells are moved out, not copied: this is every user of the store.
                for (std::size_t r = 0; r < rs.size(); ++r) {
                    const bool ldap = rs[r].str(1) == "ldap";
                    const bool active = rs[r].boolean(7);
                    const auto deactivatedAt = rs[r].optI64(8);
                    if (ldap) {
                        st.users.push_back({rs.take(r, 0), rs.take(r, 3), rs.take(r, 4), rs.take(r, 5), rs.take(r, 2),
                                            rs.take(r, 6), active, deactivatedAt});
                    } else {
                        st.localEmails.emplace(rs.take(r, 2), rs.take(r, 0));
                    }
                }
                if (rs.size() < pageSize) break;
            }
            st.localLinkRefusals = accounts::localLinkRefusals(tx);
            std::string afterGroup;
            for (;;) {
                auto rs = tx.exec(
                    "SELECT id, external_id, external_dn, name, active, deactivated_at FROM groups "
                    "WHERE source = 'ldap' AND id > $1 ORDER BY id LIMIT $2",
                    {afterGroup, limit});
                for (auto row : rs)
                    st.groups.push_back(
                        {row.str(0), row.str(1), row.str(2), row.str(3), row.boolean(4), row.optI64(5)});
                if (rs.size() < pageSize) break;
                afterGroup = rs[rs.size() - 1].str(0);
            }
            // Keys are views into the finished vectors above (no copy of every id).
            absl::flat_hash_map<std::string_view, std::uint32_t> userIdx, groupIdx;
            userIdx.reserve(st.users.size());
            groupIdx.reserve(st.groups.size());
            for (std::uint32_t i = 0; i < st.users.size(); ++i) userIdx.emplace(st.users[i].id, i);
            for (std::uint32_t i = 0; i < st.groups.size(); ++i) groupIdx.emplace(st.groups[i].id, i);
            // Memberships by batches of groups, each group's members as one comma-separated list (ids
            // are UUIDs): a row per group rather than per membership is far less work on both sides.
            // Each lookup is a range of the (group_id, user_id) primary key, so the load stays
            // linear in the number of memberships.
            const char* listOf =
                store.driver() == db::Driver::Postgres ? "string_agg(user_id, ',')" : "group_concat(user_id, ',')";
            const std::size_t groupsPerQuery = 500;
            for (std::size_t b = 0; b < st.groups.size(); b += groupsPerQuery) {
                std::size_t e = std::min(st.groups.size(), b + groupsPerQuery);
                db::Params p;
                for (std::size_t i = b; i < e; ++i) p.push_back(st.groups[i].id);
                auto rs =
                    tx.exec(std::string("SELECT group_id, ") + listOf + " FROM group_members WHERE group_id IN (" +
                                db::placeholders(1, e - b) + ") GROUP BY group_id",
                            p);
                for (auto row : rs) {
                    auto g = groupIdx.find(row.str(0));
                    if (g == groupIdx.end()) continue;
                    std::string_view members = row.str(1);
                    while (!members.empty()) {
                        const std::size_t comma = members.find(',');
                        auto u = userIdx.find(members.substr(0, comma));
                        // Local accounts placed in a directory group are not sync's to manage.
                        if (u != userIdx.end()) st.memberships.push_back((std::uint64_t(g->second) << 32) | u->second);
                        members = comma == std::string_view::npos ? std::string_view() : members.substr(comma + 1);
                    }
                }
            }
        },
        db::TxMode::Read);
    std::sort(st.memberships.begin(), st.memberships.end());
    return st;
}

}  // namespace rosterd::sync
