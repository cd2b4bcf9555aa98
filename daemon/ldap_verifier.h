#pragma once
// accounts::DirectoryVerifier over an LDAP directory: finds the entry as the service account and
// binds as it; maps the entry to a DirectoryAccount.
#include "accounts/directory_verifier.h"
#include "ldap/directory.h"

namespace rosterd::daemon {

class LdapVerifier final : public accounts::DirectoryVerifier {
public:
    /// `readGroups`: the user's groups are read even without group_sync_on_login (the directory
    /// policy needs them), `nested`: with the groups those groups are members of.
    explicit LdapVerifier(ldap::Directory& directory, bool readGroups = false, bool nested = false)
        : directory_(directory), readGroups_(readGroups), nested_(nested) {}
    /// See DirectoryVerifier::verify; LDAP failures become Unavailable (503).
    accounts::DirectoryCheck verify(const std::string& loginName, const std::string& password) override;

private:
    accounts::DirectoryCheck verifyOrThrow(const std::string& loginName, const std::string& password);
    ldap::Directory& directory_;
    bool readGroups_;
    bool nested_;
};

}  // namespace rosterd::daemon
