#include "sync/current_state.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <string_view>

#include "accounts/sign_in_policy.h"

namespace rosterd::sync {

bool hasDirectoryUsers(db::Store& store) {
    return store.transact([](db::Transaction& tx) { return accounts::user_store::anyDirectoryAccount(tx); },
                          db::TxMode::Read);
}

CurrentState loadCurrentState(db::Store& store, std::size_t pageSize) {
    CurrentState st;
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
            st.accessRefusals = accounts::user_store::directoryAccessRefusals(tx);
            st.groups = accounts::group_store::directoryGroups(tx, pageSize);
            // Keys are views into the finished vectors above (no copy of every id).
            absl::flat_hash_map<std::string_view, std::uint32_t> userIdx, groupIdx;
            userIdx.reserve(st.users.size());
            groupIdx.reserve(st.groups.size());
            for (std::uint32_t i = 0; i < st.users.size(); ++i) userIdx.emplace(st.users[i].id, i);
            for (std::uint32_t i = 0; i < st.groups.size(); ++i) groupIdx.emplace(st.groups[i].id, i);
            // Memberships by batches of groups, each group's members as one comma-separated list.
            accounts::group_store::memberLists(tx, st.groups, [&](std::string_view groupId, std::string_view members) {
                auto g = groupIdx.find(groupId);
                if (g == groupIdx.end()) return;
                while (!members.empty()) {
                    const std::size_t comma = members.find(',');
                    auto u = userIdx.find(members.substr(0, comma));
                    // Local accounts placed in a directory group are not sync's to manage.
                    if (u != userIdx.end()) st.memberships.push_back((std::uint64_t(g->second) << 32) | u->second);
                    members = comma == std::string_view::npos ? std::string_view() : members.substr(comma + 1);
                }
            });
        },
        db::TxMode::Read);
    std::sort(st.memberships.begin(), st.memberships.end());
    return st;
}

}  // namespace rosterd::sync
