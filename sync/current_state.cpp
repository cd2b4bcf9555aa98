#include "sync/current_state.h"
#include "db/placeholders.h"

#include <algorithm>
#include <string_view>

namespace rosterd::sync {

CurrentState loadCurrentState(db::Store& store, std::size_t pageSize) {
    CurrentState st;
    const auto limit = static_cast<std::int64_t>(pageSize);
    // One read transaction, so users, groups and memberships are a consistent picture.
    store.transact(
        [&](db::Transaction& tx) {
            std::string after;
            for (;;) {
                auto rs = tx.exec(
                    "SELECT id, source, email, external_id, external_dn, username, name, active, deactivated_at "
                    "FROM users WHERE id > $1 ORDER BY id LIMIT $2",
                    {after, limit});
                for (auto row : rs) {
                    if (row.str(1) == "ldap") {
                        st.users.push_back({row.str(0), row.str(3), row.str(4), row.str(5), row.str(2), row.str(6),
                                            row.boolean(7), row.optI64(8)});
                    } else {
                        st.localEmails.emplace(row.str(2), row.str(0));
                    }
                }
                if (rs.size() < pageSize) break;
                after = rs[rs.size() - 1].str(0);
            }
            after.clear();
            for (;;) {
                auto rs = tx.exec(
                    "SELECT id, external_id, external_dn, name FROM groups WHERE source = 'ldap' AND id > $1 "
                    "ORDER BY id LIMIT $2",
                    {after, limit});
                for (auto row : rs) st.groups.push_back({row.str(0), row.str(1), row.str(2), row.str(3)});
                if (rs.size() < pageSize) break;
                after = rs[rs.size() - 1].str(0);
            }
            // Keys are views into the finished vectors above (no copy of every id).
            std::unordered_map<std::string_view, std::uint32_t> userIdx, groupIdx;
            userIdx.reserve(st.users.size());
            groupIdx.reserve(st.groups.size());
            for (std::uint32_t i = 0; i < st.users.size(); ++i) userIdx.emplace(st.users[i].id, i);
            for (std::uint32_t i = 0; i < st.groups.size(); ++i) groupIdx.emplace(st.groups[i].id, i);
            // Memberships by batches of groups: each lookup is a range of the (group_id, user_id)
            // primary key, so the load stays linear in the number of memberships.
            const std::size_t groupsPerQuery = 500;
            for (std::size_t b = 0; b < st.groups.size(); b += groupsPerQuery) {
                std::size_t e = std::min(st.groups.size(), b + groupsPerQuery);
                db::Params p;
                for (std::size_t i = b; i < e; ++i) p.push_back(st.groups[i].id);
                auto rs = tx.exec(
                    "SELECT group_id, user_id FROM group_members WHERE group_id IN (" + db::placeholders(1, e - b) + ")", p);
                for (auto row : rs) {
                    auto g = groupIdx.find(row.str(0));
                    auto u = userIdx.find(row.str(1));
                    // Local accounts placed in a directory group are not sync's to manage.
                    if (g == groupIdx.end() || u == userIdx.end()) continue;
                    st.memberships.push_back((std::uint64_t(g->second) << 32) | u->second);
                }
            }
        },
        db::TxMode::Read);
    std::sort(st.memberships.begin(), st.memberships.end());
    return st;
}

}  // namespace rosterd::sync
