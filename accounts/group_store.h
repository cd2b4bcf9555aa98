#pragma once
// Reading and writing groups and memberships inside a caller's transaction.
#include <optional>
#include <string>
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

}  // namespace rosterd::accounts::group_store
