#pragma once
// Reading and writing groups and memberships inside a caller's transaction: the one place
// statements on the groups and group_members tables are written (group_store*.cpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "accounts/group.h"
#include "db/store.h"

namespace rosterd::accounts::group_store {

std::optional<Group> findById(db::Transaction& tx, const std::string& id);
/// The groups of `ids` that exist (with members), in no particular order.
std::vector<Group> findByIds(db::Transaction& tx, const std::vector<std::string>& ids);
std::optional<Group> findByName(db::Transaction& tx, Source source, const std::string& name);
/// All groups (with members), by name.
std::vector<Group> all(db::Transaction& tx);
/// Groups the user belongs to (with members).
std::vector<Group> ofUser(db::Transaction& tx, const std::string& userId);
void insert(db::Transaction& tx, const Group& g);
void update(db::Transaction& tx, const Group& g);
bool remove(db::Transaction& tx, const std::string& id);
/// Adds members (existing ones are kept); returns the ids actually added.
std::vector<std::string> addMembers(db::Transaction& tx, const std::string& groupId,
                                    const std::vector<std::string>& userIds, std::int64_t now);
/// Removes members; returns the ids actually removed.
std::vector<std::string> removeMembers(db::Transaction& tx, const std::string& groupId,
                                       const std::vector<std::string>& userIds);
/// Of the given ids, those that name no user.
std::vector<std::string> unknownUsers(db::Transaction& tx, const std::vector<std::string>& userIds);
/// (user id, group id) for each membership of the given users, by group id.
std::vector<std::pair<std::string, std::string>> membershipsOfUsers(db::Transaction& tx,
                                                                    const std::vector<std::string>& userIds);
/// The permissions of the active groups the user belongs to (a deactivated directory group keeps
/// its permissions for when it comes back, granting none meanwhile), in no particular order.
std::vector<nlohmann::json> activeGroupPermissions(db::Transaction& tx, const std::string& userId);
/// The names of the directory groups (active or not).
std::vector<std::string> directoryGroupNames(db::Transaction& tx);

/// The fields that name a group to a reader (a sync plan's changes).
struct GroupLabel {
    std::string id, name;
    std::optional<std::string> dn;  ///< external_dn: directory groups only
};
/// The labels of the groups among `ids` (in no particular order; ids that do not exist are
/// skipped), a few hundred ids per statement and none of the rest of the row.
std::vector<GroupLabel> labelsByIds(db::Transaction& tx, const std::vector<std::string>& ids);

// ---- Bulk operations (directory sync): multi-row statements, in group_store_bulk.cpp ----

/// A directory group as sync compares it with its entry.
struct DirectoryGroup {
    std::string id;
    std::string externalId;
    std::string dn;
    std::string name;
    bool active = true;
    std::optional<std::int64_t> deactivatedAt = std::nullopt;
};
/// Every directory group, in keyset pages of `pageSize` rows by id.
std::vector<DirectoryGroup> directoryGroups(db::Transaction& tx, std::size_t pageSize);
/// Receives a group's id and its members' ids as one comma-separated list (views into the result:
/// valid during the call only).
using OnMemberList = std::function<void(std::string_view groupId, std::string_view memberIds)>;
/// The members of `groups`, a row per group with members (a few hundred groups per statement).
void memberLists(db::Transaction& tx, const std::vector<DirectoryGroup>& groups, const OnMemberList& onList);
/// The external ids of the directory groups.
std::vector<std::string> directoryGroupExternalIds(db::Transaction& tx);
/// Whether a directory group has one of `externalIds`.
bool anyDirectoryGroupAmong(db::Transaction& tx, const std::vector<std::string>& externalIds);
/// (group id, user id) for each membership of the given users in directory groups.
std::vector<std::pair<std::string, std::string>> directoryMembershipsOfUsers(db::Transaction& tx,
                                                                             const std::vector<std::string>& userIds);

/// Appends `g` as one row of a bulk insert onto `rows` (thread-safe; touches no store). For new
/// directory groups: description, permissions, data and meta stay the defaults.
void appendInsertRow(db::Params& rows, const Group& g);
/// Inserts rows made by appendInsertRow in one statement.
void insertMany(db::Transaction& tx, const db::Params& rows);
/// Writes the name and dn of a directory group; false when it is gone (or no longer a directory
/// group). `reactivate`: only an inactive group is written, and made active again (false when active).
bool updateFromDirectory(db::Transaction& tx, const std::string& id, const std::string& name, const std::string& dn,
                         std::int64_t now, bool reactivate);
/// Deactivates the active directory groups among `ids` (members, permissions and the rest are
/// kept); returns the ids it changed.
std::unordered_set<std::string> deactivateDirectoryGroups(db::Transaction& tx, const std::vector<std::string>& ids,
                                                          std::int64_t now);
/// Deletes the inactive directory groups among `ids` (their memberships go with them); returns the
/// ids it deleted.
std::unordered_set<std::string> deleteInactiveDirectoryGroups(db::Transaction& tx, const std::vector<std::string>& ids);

/// Appends a membership as one row of a bulk insert onto `rows` (thread-safe; touches no store).
void appendMembershipRow(db::Params& rows, const std::string& groupId, const std::string& userId, std::int64_t now);
/// Inserts rows made by appendMembershipRow in one statement; throws ConstraintViolation when one
/// exists already (nothing of the batch is then written).
void insertMemberships(db::Transaction& tx, const db::Params& rows);
/// Inserts the rows made by appendMembershipRow that do not exist yet, in one statement; returns
/// them as (group id, user id).
std::set<std::pair<std::string, std::string>> insertMissingMemberships(db::Transaction& tx, const db::Params& rows);
/// Deletes memberships in one statement; `keys` holds a group id and a user id for each.
void deleteMemberships(db::Transaction& tx, const db::Params& keys);

}  // namespace rosterd::accounts::group_store
