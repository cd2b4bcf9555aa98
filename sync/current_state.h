#pragma once
// The store's side of a sync: directory-sourced users and groups, their memberships, and the
// emails local accounts hold, loaded compactly (keyset pages, memberships as index pairs).
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "accounts/group_store.h"
#include "accounts/user_store.h"
#include "db/store.h"

namespace rosterd::sync {

/// A directory account as the store holds it (the users gateway reads them).
using CurrentUser = accounts::user_store::DirectoryAccount;

/// A directory group as the store holds it (the groups gateway reads them).
using CurrentGroup = accounts::group_store::DirectoryGroup;

struct CurrentState {
    std::vector<CurrentUser> users;    ///< source = 'ldap'
    std::vector<CurrentGroup> groups;  ///< source = 'ldap'
    /// (group index << 32) | user index, over the two vectors above; sorted.
    std::vector<std::uint64_t> memberships;
    /// Emails held by local accounts -> their id.
    std::unordered_map<std::string, std::string> localEmails;
    /// Local accounts a directory entry may not take over by email -> why (accounts::linkRefusal).
    std::unordered_map<std::string, std::string> localLinkRefusals;
    /// The directory policy's recorded refusals: user id -> reason.
    std::unordered_map<std::string, std::string> accessRefusals;
};

/// Whether the store holds any directory user yet (one indexed lookup): a first sync is planned
/// differently (see CreatesAsRead).
bool hasDirectoryUsers(db::Store& store);

/// Loads the current state in pages of `pageSize` rows.
CurrentState loadCurrentState(db::Store& store, std::size_t pageSize = 5000);

}  // namespace rosterd::sync
