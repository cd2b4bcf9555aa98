#pragma once
// A private Samba Active Directory domain controller for tests: `samba-tool domain provision` in a
// temp folder (realm CORP.EXAMPLE.COM, only the LDAP service, on loopback), LDAPS and the Global
// Catalog with a CA and server certificate for 127.0.0.1 generated with openssl. Provisioning takes
// tens of seconds, so a test executable shares one (shared()); each test works in its own OU.
// Samba listens on the fixed ports 389/636/3268/3269: one such server per machine at a time.
//
//   SambaAdServer& ad = SambaAdServer::shared();
//   std::string ou = ad.newOu();                       // OU=t3,DC=corp,DC=example,DC=com
//   std::string alice = ad.addUser(ou, {.sam = "alice", .password = "Alice-Pass-1"});
//   ldap::LdapConfig cfg = ad.config(ou);              // LDAPS, service UPN, server_type AD
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ldap/ldap_config.h"
#include "support/process.h"

namespace rosterd::test {

struct AdUser {
    std::string sam{};             ///< sAMAccountName (also the CN and the UPN's local part)
    std::string password{};        ///< set as unicodePwd; empty: no password
    std::string mail{};            ///< empty: <sam>@corp.example.com
    std::string displayName{};     ///< empty: the sam
    int userAccountControl = 512;  ///< 512 normal, 514 disabled
    std::string accountExpires{};  ///< FILETIME ticks; empty: never
    std::string extraLdif{};       ///< more "attr: value" lines
};

class SambaAdServer {
public:
    static constexpr const char* kBase = "DC=corp,DC=example,DC=com";
    static constexpr const char* kUsers = "CN=Users,DC=corp,DC=example,DC=com";
    static constexpr const char* kRealm = "corp.example.com";
    static constexpr const char* kDomain = "CORP";
    static constexpr const char* kAdminUpn = "Administrator@corp.example.com";
    static constexpr const char* kAdminPassword = "Admin-Secret-1";
    static constexpr const char* kServiceSam = "svc-rosterd";
    static constexpr const char* kServicePassword = "Service-Secret-1";

    /// The one server of this test executable, provisioned on first use.
    static SambaAdServer& shared();

    /// Provisions the domain, adds the service account and starts samba; throws when it cannot.
    SambaAdServer();
    ~SambaAdServer();
    SambaAdServer(const SambaAdServer&) = delete;
    SambaAdServer& operator=(const SambaAdServer&) = delete;

    std::string ldapsUrl() const { return "ldaps://127.0.0.1:636"; }
    /// The Global Catalog over TLS.
    std::string gcUrl() const { return "ldaps://127.0.0.1:3269"; }
    std::string caFile() const { return dir_ + "/ca.pem"; }
    std::string servicePasswordFile() const { return dir_ + "/service.pw"; }
    std::string serviceDn() const;
    /// LDAPS, the service account by UPN, server_type AD, user and group base `ou`.
    ldap::LdapConfig config(const std::string& ou) const;
    /// The same as "section.key" settings for a TestServer, with `extra` on top.
    std::map<std::string, std::string> settings(const std::string& ou,
                                                std::map<std::string, std::string> extra = {}) const;

    /// A new empty organizational unit under the base (one per test keeps tests apart).
    std::string newOu();
    /// Adds a user under `ou`; returns its DN.
    std::string addUser(const std::string& ou, const AdUser& user);
    /// Adds a global security group under `ou` with `memberDns`; returns its DN.
    std::string addGroup(const std::string& ou, const std::string& name, const std::vector<std::string>& memberDns);
    /// Applies LDIF change records as Administrator over LDAPS.
    void modify(const std::string& ldif);
    /// Replaces one attribute's values.
    void replace(const std::string& dn, const std::string& attribute, const std::vector<std::string>& values);
    const std::string& dir() const { return dir_; }

private:
    void generateCertificates();
    void provision();
    void start();
    void add(const std::string& ldif);
    std::vector<std::string> asAdmin(const std::string& tool) const;

    std::string dir_;
    int ous_ = 0;
    std::optional<ChildProcess> process_;
};

/// The base64 of `password` quoted and in UTF-16LE, as AD's unicodePwd takes it (ASCII passwords).
std::string unicodePwd(const std::string& password);

}  // namespace rosterd::test
