#include "sync/current_state.h"

#include <algorithm>

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
            std::unordered_map<std::string, std::uint32_t> userIdx, groupIdx;
            userIdx.reserve(st.users.size());
            for (std::uint32_t i = 0; i < st.users.size(); ++i) userIdx.emplace(st.users[i].id, i);
            for (std::uint32_t i = 0; i < st.groups.size(); ++i) groupIdx.emplace(st.groups[i].id, i);
            std::string afterGroup, afterUser;
            for (;;) {
                auto rs = tx.exec(
                    "SELECT m.group_id, m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id "
                    "WHERE g.source = 'ldap' AND (m.group_id > $1 OR (m.group_id = $1 AND m.user_id > $2)) "
                    "ORDER BY m.group_id, m.user_id LIMIT $3",
                    {afterGroup, afterUser, limit});
                for (auto row : rs) {
                    auto g = groupIdx.find(row.str(0));
                    auto u = userIdx.find(row.str(1));
                    // Local accounts placed in a directory group are not sync's to manage.
                    if (g == groupIdx.end() || u == userIdx.end()) continue;
                    st.memberships.push_back((std::uint64_t(g->second) << 32) | u->second);
                }
                if (rs.size() < pageSize) break;
                afterGroup = rs[rs.size() - 1].str(0);
                afterUser = rs[rs.size() - 1].str(1);
            }
        },
        db::TxMode::Read);
    std::sort(st.memberships.begin(), st.memberships.end());
    return st;
}

}  // namespace rosterd::sync
