#pragma once
// The plan: what a sync would change, computed from the directory snapshot and the current
// state without touching the store. Pure, so it is unit-tested on its own.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/current_index.h"
#include "sync/current_state.h"
#include "sync/snapshot.h"
#include "sync/sync_config.h"
#include "sync/user_match.h"

namespace rosterd::sync {

struct UserWrite {
    std::string id;  ///< local id
    DirUser user;    ///< the desired values (all of them; `changed` says which differ)
    std::vector<std::string> changed;
    bool reactivate = false;
};

struct UserRemoval {
    std::string id;
    std::string externalId;
    std::string email;
    std::string reason{};  ///< why (the directory's account state); "" for an entry gone from scope
};

struct GroupWrite {
    std::string id;
    std::string externalId;
    std::string dn;
    std::string name;
    std::vector<std::string> changed;
};

struct GroupRemoval {
    std::string id;
    std::string externalId;
    std::string dn;
    std::string name;
};

/// A directory user's role set by [ldap] admin_groups / user_groups (see sync/role_mapping.h).
struct RoleChange {
    std::string id;
    std::string externalId;
    std::string email;
    std::string from;
    std::string to;
    std::string reason;  ///< the rule, e.g. "member of Admins (ldap.admin_groups)"
};

/// A directory user refused (or let in again) by [ldap] allowed_groups / denied_groups.
struct AccessChange {
    std::string id;
    std::string externalId;
    std::string email;
    std::string reason;  ///< why they may not sign in (empty for a restore)
};

struct Plan {
    std::vector<UserWrite> userCreates;
    /// The first userCreatesWritten of userCreates are in the store already: a first sync creates
    /// users while it still reads the directory (CreatesAsRead).
    std::size_t userCreatesWritten = 0;
    std::vector<UserWrite> userUpdates;
    std::vector<UserWrite> userLinks;  ///< local accounts taken over by the directory entry
    std::vector<UserRemoval> userDeactivations;
    std::vector<UserRemoval> userDeletes;
    std::vector<GroupWrite> groupCreates;
    std::vector<GroupWrite> groupUpdates;
    /// Directory groups gone from the directory: deactivated (id, description, permissions and
    /// members kept), deleted only once deactivated longer than delete_after (groupDeletes).
    std::vector<GroupRemoval> groupDeactivations;
    std::vector<GroupRemoval> groupDeletes;
    /// Deactivated groups back in the directory under the same stable id (with any rename).
    std::vector<GroupWrite> groupReactivations;
    /// Memberships as (group, user) index pairs into groupIds / userIds.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> memberAdds;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> memberRemoves;
    std::vector<std::string> userIds;
    std::vector<std::string> groupIds;
    std::vector<SkippedEntry> skipped;
    /// The directory policy's changes (empty when no mapping key is set).
    std::vector<RoleChange> roleChanges;
    std::vector<AccessChange> accessDenials;   ///< deactivated with the reason recorded
    std::vector<AccessChange> accessRestores;  ///< refusal lifted; reactivated by their userUpdates
    std::size_t activeDirectoryUsers = 0;      ///< active ldap users before the run (the gate's base)
    std::size_t activeDirectoryGroups = 0;     ///< active ldap groups before the run (the group gate's base)
    std::size_t directoryMemberships = 0;      ///< memberships of ldap groups and users before the run
    /// Whether the groups were read in full (a full run); how many the read returned.
    bool groupsRead = false;
    std::size_t groupsReadCount = 0;

    /// Number of changes of every kind together (skipped entries excluded).
    std::size_t changeCount() const;
    /// Counts per kind, for sync_runs, status and the CLI.
    std::vector<std::pair<std::string, std::size_t>> counts() const;
};

/// Users a run created while it read the directory, in snapshot order.
struct WrittenUsers {
    std::vector<std::uint32_t> users;  ///< their snapshot indexes, ascending
    std::vector<std::string> ids;      ///< their local ids
};

struct PlanOptions {
    bool linkLocalAccounts = false;
    std::int64_t nowSeconds = 0;
    std::int64_t deleteAfterSeconds = 0;  ///< 0: never delete
};

/// Computes the plan. `newId` makes local ids for created rows.
Plan makePlan(const Snapshot& desired, const CurrentState& current, const PlanOptions& options,
              const std::function<std::string()>& newId);
/// The same with the index of `current` and each desired user's match already worked out (a
/// full run does both while reading): `matches[i]` is matchUser(desired.users[i], current, index).
/// The `written` users (all new) are planned as creates already applied, with their ids (moved
/// into the plan: a first sync's ids are a large part of its memory).
Plan makePlan(const Snapshot& desired, const CurrentState& current, const CurrentIndex& index,
              const std::vector<UserMatch>& matches, const PlanOptions& options,
              const std::function<std::string()>& newId, WrittenUsers written = {});

/// The plan for user entries that changed (an incremental run): creates, updates and links of
/// `changed` against the `affected` rows (those with the same stable ids or emails). Nothing is
/// removed: absences are not visible in a change set. groupIds lists affected.groups in order.
Plan planUserChanges(const Snapshot& changed, const CurrentState& affected, const PlanOptions& options,
                     const std::function<std::string()>& newId);

}  // namespace rosterd::sync
