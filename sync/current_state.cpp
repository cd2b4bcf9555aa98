#include "sync/current_state.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <string_view>

#include "accounts/sign_in_policy.h"
#include "db/placeholders.h"

namespace rosterd::sync {

bool hasDirectoryUsers(db::Store& store) {
    return store.transact([](db::Transaction& tx) { return accounts::user_store::anyDirectoryAccount(tx); },
                          db::TxMode::Read);
}

CurrentState loadCurrentState(db::Store& store, std::size_t pageSize) {
    CurrentState st;
    const auto limit = static_cast<std::int64_t>(pageSize);
    // One read transaction, so users, groups and memberships are a consistent picture.
    store.transact(
        [&](db::Transaction& tx) {
            // Cells are moved out, not copied: this is every user of the store.
            accounts::user_store::scanAccounts(
                tx, pageSize, [&](CurrentUser&& u) { st.users.push_back(std::move(u)); },
                [&](std::string&& email, std::string&& id) {
                    st.localEmails.emplace(std::move(email), std::move(id));
                });
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
