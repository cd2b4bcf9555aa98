#pragma once
// accounts::DirectoryVerifier over an LDAP directory: finds the entry as the service account and
// binds as it; maps the entry to a DirectoryAccount.
#include "accounts/directory_verifier.h"
#include "ldap/directory.h"

namespace rosterd::daemon {

class LdapVerifier final : public accounts::DirectoryVerifier {
public:
    explicit LdapVerifier(ldap::Directory& directory) : directory_(directory) {}
    /// See DirectoryVerifier::verify; LDAP failures become Unavailable (503).
    accounts::DirectoryCheck verify(const std::string& loginName, const std::string& password) override;

private:
    accounts::DirectoryCheck verifyOrThrow(const std::string& loginName, const std::string& password);
    ldap::Directory& directory_;
};

}  // namespace rosterd::daemon
