#pragma once
// accounts::DirectoryVerifier over an LDAP directory: finds the entry as the service account and
// binds as it; maps the entry to a DirectoryAccount.
#include "accounts/directory_policy.h"
#include "accounts/directory_verifier.h"
#include "ldap/directory.h"
#include "ldap/nesting_cache.h"

namespace rosterd::daemon {

/// How the user's groups are read at sign-in ([sync] nested_groups).
enum class GroupNesting {
    Direct,    ///< false: the groups that list the user
    ByLevels,  ///< true: and the groups listing those, one search per level
    ByServer,  ///< server: every group at any depth in one search (Active Directory's IN_CHAIN rule)
};

/// Levels of groups in groups followed one search per level (nested_groups = true) by sign-in and
/// by a lookup, so both see the same groups; a loop in the directory's groups ends there.
inline constexpr std::size_t kMaxGroupNesting = 16;

/// The nesting [sync] nested_groups asks of sign-in.
GroupNesting groupNestingOf(const accounts::DirectoryPolicyConfig& policy);

class LdapVerifier final : public accounts::DirectoryVerifier {
public:
    /// `readGroups`: the user's groups are read even without group_sync_on_login (the directory
    /// policy needs them), `nesting`: which groups of groups count as well, `nestingCache` (may
    /// be null): where the level-by-level nesting searches' answers are kept.
    explicit LdapVerifier(ldap::Directory& directory, bool readGroups = false,
                          GroupNesting nesting = GroupNesting::Direct, ldap::NestingCache* nestingCache = nullptr)
        : directory_(directory), readGroups_(readGroups), nesting_(nesting), nestingCache_(nestingCache) {}
    /// See DirectoryVerifier::verify; LDAP failures become Unavailable (503).
    accounts::DirectoryCheck verify(const std::string& loginName, const std::string& password) override;

private:
    accounts::DirectoryCheck verifyOrThrow(const std::string& loginName, const std::string& password);
    ldap::Directory& directory_;
    bool readGroups_;
    GroupNesting nesting_;
    ldap::NestingCache* nestingCache_;
};

}  // namespace rosterd::daemon
