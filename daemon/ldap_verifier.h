#pragma once
// accounts::DirectoryVerifier over an LDAP directory: finds the entry as the service account and
// binds as it; maps the entry to a DirectoryAccount.
#include "accounts/directory_policy.h"
#include "accounts/directory_verifier.h"
#include "ldap/directory.h"
#include "ldap/login_dn_cache.h"
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

/// What a sign-in reads besides the entry, and the caches it may answer from (null: none).
struct SignInReads {
    /// The user's groups are read even without group_sync_on_login (the directory policy needs them).
    bool groups = false;
    /// Which groups of groups count as well.
    GroupNesting nesting = GroupNesting::Direct;
    /// Where the level-by-level nesting searches' answers are kept ([ldap] nested_groups_cache).
    ldap::NestingCache* nestingCache = nullptr;
    /// Where the entry each login name signed in as is kept ([ldap] login_dn_cache).
    ldap::LoginDnCache* loginDns = nullptr;
};

class LdapVerifier final : public accounts::DirectoryVerifier {
public:
    explicit LdapVerifier(ldap::Directory& directory, SignInReads reads = {}) : directory_(directory), reads_(reads) {}
    /// See DirectoryVerifier::verify; LDAP failures become Unavailable (503).
    accounts::DirectoryCheck verify(const std::string& loginName, const std::string& password) override;

private:
    /// Whether a sign-in reads the user's groups, and whether from the entry's memberOf.
    struct GroupReading {
        bool wanted = false;
        bool fromMemberOf = false;
    };
    accounts::DirectoryCheck verifyOrThrow(const std::string& loginName, const std::string& password);
    /// The entry at `dn` with what sign-in maps, when it matches `filter`.
    std::optional<ldap::Entry> readEntry(const std::string& dn, const std::string& filter, bool withMemberOf);
    /// The account `entry` (read after the bind) describes, with its groups when `groups` wants them.
    accounts::DirectoryAccount accountOf(const ldap::Entry& entry, const std::string& loginName, GroupReading groups);
    ldap::Directory& directory_;
    SignInReads reads_;
};

}  // namespace rosterd::daemon
