#pragma once
// The [sync] section (and [ldap] link_local_accounts, which decides how sync treats a local
// account whose email a directory user has).
#include <chrono>
#include <cstddef>
#include <string>

#include "accounts/directory_policy.h"

namespace rosterd::sync {

enum class SyncMode { Full, Incremental };

struct SyncConfig {
    std::chrono::milliseconds interval = std::chrono::minutes(15);  ///< 0: no scheduled runs
    SyncMode mode = SyncMode::Full;
    std::chrono::milliseconds fullEvery = std::chrono::hours(24);
    bool nestedGroups = true;
    /// nested_groups = server: the directory flattens nesting itself (Active Directory's
    /// LDAP_MATCHING_RULE_IN_CHAIN); nestedGroups is on as well.
    bool nestedGroupsByServer = false;
    std::chrono::milliseconds deleteAfter = std::chrono::hours(24 * 30);  ///< 0: never delete
    long long maxDeactivations = 500;
    double maxDeactivationPercent = 10;
    /// Percentage of the directory groups a run may deactivate or delete, and of the directory
    /// memberships it may remove from users who stay; a group read that comes back empty while
    /// the store holds active directory groups is refused whatever the value.
    double maxGroupDeletions = 10;
    std::size_t batchSize = 5000;   ///< rows per statement and per transaction (SQLite bulk: per batch)
    std::string userRole = "user";  ///< role given to users created from the directory
    bool linkLocalAccounts = true;  ///< [ldap] link_local_accounts = email (link) or refuse
    std::size_t historyKept = 200;  ///< sync_runs rows kept
    /// [ldap] admin_groups, user_groups, allowed_groups, denied_groups (sync/role_mapping.h).
    accounts::DirectoryPolicyConfig directoryPolicy;
};

}  // namespace rosterd::sync
