#pragma once
// The directory source over the ldap/ layer: paged searches of the user and group scopes,
// each entry reduced at once to a compact record; changes through RFC 4533 refreshOnly.
#include <memory>

#include "common/clock.h"
#include "ldap/directory.h"
#include "sync/directory.h"

namespace rosterd::sync {

class LdapSource final : public DirectorySource {
public:
    /// Reads through `directory` (its config names bases, filters and attributes).
    explicit LdapSource(ldap::Directory& directory) : directory_(directory) {}
    /// Reads through `directory` and keeps it alive for as long as this source lives, so a
    /// reload that swaps the daemon's directory does not pull it from under a run.
    explicit LdapSource(std::shared_ptr<ldap::Directory> directory)
        : keepAlive_(std::move(directory)), directory_(*keepAlive_) {}
    /// The same, reading the time (an account's expiry) from `clock`.
    LdapSource(std::shared_ptr<ldap::Directory> directory, const Clock& clock)
        : keepAlive_(std::move(directory)), directory_(*keepAlive_), clock_(&clock) {}
    void readUsers(const UserPage& onPage) override;
    void readGroups(const GroupPage& onPage) override;
    bool membersAreUsernames() const override;
    bool readsSideBySide() const override;
    std::optional<std::string> incrementalUnsupported() const override;
    std::string scope() const override;
    SyncCookies currentCookies() override;
    DirectoryChanges readChanges(const SyncCookies& since) override;
    bool anyGroupLists(const std::vector<DirUser>& users) override;
    /// Reads each group's members through the directory's own nesting (Active Directory's
    /// LDAP_MATCHING_RULE_IN_CHAIN): the users in it directly or through groups, one search per group.
    void resolveNestingOnServer(bool on) { nestingOnServer_ = on; }

private:
    std::shared_ptr<ldap::Directory> keepAlive_;
    ldap::Directory& directory_;
    const Clock* clock_ = nullptr;  ///< null: the system clock
    bool nestingOnServer_ = false;
};

}  // namespace rosterd::sync
