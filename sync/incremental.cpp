#include "sync/incremental.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "accounts/group_store.h"
#include "accounts/sign_in_policy.h"
#include "accounts/user_store.h"
#include "sync/snapshot.h"

namespace rosterd::sync {
namespace {

// The rows the change set touches: directory users by stable id or email, local emails.
void loadAffectedUsers(db::Transaction& tx, const std::vector<std::string>& externalIds,
                       const std::vector<std::string>& emails, CurrentState& st) {
    std::unordered_set<std::string> loaded;
    accounts::user_store::accountsByExternalIdOrEmail(
        tx, externalIds, emails,
        [&](CurrentUser&& u) {
            if (loaded.insert(u.id).second) st.users.push_back(std::move(u));
        },
        [&](std::string&& email, std::string&& id) {
            if (loaded.insert(id).second) st.localEmails.emplace(std::move(email), std::move(id));
        });
    st.localLinkRefusals = accounts::localLinkRefusals(tx);
}

}  // namespace

IncrementalPlan planIncremental(db::Store& store, DirectorySource& source, DirectoryChanges changes,
                                const PlanOptions& options, const std::function<std::string()>& newId) {
    IncrementalPlan out;
    if (changes.groupEntriesChanged > 0) {
        out.needsFullRun = std::to_string(changes.groupEntriesChanged) + " group entries added or changed";
        return out;
    }
    Snapshot changed = buildSnapshot(std::move(changes.users), {}, false, false);
    std::unordered_set<std::string> changedIds;
    for (const auto& u : changed.users) changedIds.insert(u.id);

    CurrentState affected;
    std::vector<std::string> goneIds;
    std::int64_t activeDirectoryUsers = 0;
    store.transact(
        [&](db::Transaction& tx) {
            if (!changes.deletedGroups.empty() &&
                accounts::group_store::anyDirectoryGroupAmong(tx, changes.deletedGroups)) {
                out.needsFullRun = "a directory group was deleted";
                return;
            }
            if (changes.presentGroups) {
                for (const auto& externalId : accounts::group_store::directoryGroupExternalIds(tx))
                    if (!changes.presentGroups->count(externalId)) {
                        out.needsFullRun = "a directory group is gone";
                        return;
                    }
            }
            if (changes.presentUsers) {
                // The server listed what is still there instead of what left. An absence inferred
                // from a long list is only as good as every message of it, so it is confirmed by
                // a full read rather than acted upon here.
                for (const auto& externalId : accounts::user_store::activeDirectoryExternalIds(tx))
                    if (!changes.presentUsers->count(externalId) && !changedIds.count(externalId)) {
                        out.needsFullRun =
                            "the directory reported present entries rather than deletions, and "
                            "some users were not among them";
                        return;
                    }
            } else {
                std::unordered_set<std::string> seen;
                for (auto& id : changes.deletedUsers)
                    if (!changedIds.count(id) && seen.insert(id).second) goneIds.push_back(std::move(id));
            }
            std::vector<std::string> ids(changedIds.begin(), changedIds.end()), emails;
            ids.insert(ids.end(), goneIds.begin(), goneIds.end());
            for (const auto& u : changed.users) emails.push_back(u.email);
            loadAffectedUsers(tx, ids, emails, affected);
            // The gate's base, a scan of the users table: only needed when someone may leave.
            if (!goneIds.empty()) activeDirectoryUsers = accounts::user_store::countActiveDirectoryAccounts(tx);
        },
        db::TxMode::Read);
    if (out.needsFullRun) return out;

    std::unordered_map<std::string, std::uint32_t> byExternal;
    for (std::uint32_t i = 0; i < affected.users.size(); ++i) byExternal.emplace(affected.users[i].externalId, i);
    std::vector<DirUser> joining;  // new, or back after a deactivation: groups may list them
    for (const auto& u : changed.users) {
        auto it = byExternal.find(u.id);
        if (it == byExternal.end() || !affected.users[it->second].active) {
            joining.push_back(u);
        } else if (dnKey(u.dn) != dnKey(affected.users[it->second].dn)) {
            out.needsFullRun = "entry " + affected.users[it->second].dn + " was renamed or moved to " + u.dn;
            return out;
        } else if (source.membersAreUsernames() && u.username != affected.users[it->second].username) {
            // memberUid groups name their members by username.
            out.needsFullRun = "the username of " + u.dn + " changed and groups list members by username";
            return out;
        }
    }
    if (source.anyGroupLists(joining)) {
        out.needsFullRun = "a directory group lists a new or returning user";
        return out;
    }

    // Memberships of the users who are gone, in directory groups (local groups are not sync's).
    std::vector<std::uint32_t> gone;
    std::vector<std::string> goneLocalIds;
    for (const auto& id : goneIds) {
        auto it = byExternal.find(id);
        if (it == byExternal.end() || !affected.users[it->second].active) continue;
        gone.push_back(it->second);
        goneLocalIds.push_back(affected.users[it->second].id);
    }
    std::vector<std::pair<std::string, std::string>> goneMemberships;  // (group id, user id)
    if (!goneLocalIds.empty())
        goneMemberships = store.transact(
            [&](db::Transaction& tx) { return accounts::group_store::directoryMembershipsOfUsers(tx, goneLocalIds); },
            db::TxMode::Read);
    std::unordered_map<std::string, std::uint32_t> groupIndex;
    for (const auto& m : goneMemberships)
        if (groupIndex.emplace(m.first, static_cast<std::uint32_t>(affected.groups.size())).second)
            affected.groups.push_back({m.first, "", "", ""});

    out.plan = planUserChanges(changed, affected, options, newId);
    Plan& plan = out.plan;
    plan.skipped.insert(plan.skipped.begin(), changed.skipped.begin(), changed.skipped.end());
    plan.activeDirectoryUsers = static_cast<std::size_t>(activeDirectoryUsers);
    std::unordered_map<std::string, std::uint32_t> userIndex;
    for (std::uint32_t ci : gone) {
        const CurrentUser& c = affected.users[ci];
        plan.userDeactivations.push_back({c.id, c.externalId, c.email});
        userIndex.emplace(c.id, ci);  // planUserChanges keeps affected.users' order in userIds
    }
    for (const auto& [groupId, userId] : goneMemberships)
        plan.memberRemoves.emplace_back(groupIndex.at(groupId), userIndex.at(userId));
    std::sort(plan.memberRemoves.begin(), plan.memberRemoves.end());
    return out;
}

}  // namespace rosterd::sync
