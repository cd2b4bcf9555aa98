#pragma once
// The [ldap] section as a plain struct with defaults. Secrets are referenced by file, never held
// here, so the struct can be logged or compared freely.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace rosterd::ldap {

/// How a first directory login treats a local account that already has the same email.
enum class LinkLocalAccounts { Email, Refuse };

struct LdapConfig {
    bool enabled = false;
    std::vector<std::string> urls;  ///< tried in order (failover)
    bool startTls = false;
    std::string caFile;
    bool tlsVerify = true;
    std::string bindDn;
    std::string bindPasswordFile;
    std::chrono::milliseconds timeout{10'000};  ///< network and per-operation
    int pageSize = 500;
    std::size_t poolSize = 8;  ///< connections per pool (service searches, user binds)

    std::string userBase;
    std::string userFilter = "(objectClass=inetOrgPerson)";
    std::string usernameAttribute = "uid";
    std::string mailAttribute = "mail";
    std::string nameAttribute = "cn";
    std::string idAttribute = "entryUUID";
    std::string groupBase;
    std::string groupFilter = "(objectClass=groupOfNames)";
    std::string groupNameAttribute = "cn";
    std::string groupMemberAttribute = "member";

    LinkLocalAccounts linkLocalAccounts = LinkLocalAccounts::Email;
    bool groupSyncOnLogin = false;
};

/// Reads the service password from `path`, dropping one trailing newline. Throws ConfigError
/// naming ldap.bind_password_file when it cannot be read.
std::string readBindPassword(const std::string& path);

}  // namespace rosterd::ldap
