#pragma once
// The directory source over the ldap/ layer: paged searches of the user and group scopes,
// each entry reduced at once to a compact record.
#include "ldap/directory.h"
#include "sync/directory.h"

namespace rosterd::sync {

class LdapSource final : public DirectorySource {
public:
    /// Reads through `directory` (its config names bases, filters and attributes).
    explicit LdapSource(ldap::Directory& directory) : directory_(directory) {}
    void readUsers(const UserPage& onPage) override;
    void readGroups(const GroupPage& onPage) override;
    bool membersAreUsernames() const override;

private:
    ldap::Directory& directory_;
};

}  // namespace rosterd::sync
