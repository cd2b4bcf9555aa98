#pragma once
// A private OpenLDAP slapd for tests and benchmarks: a generated slapd.conf (mdb, syncprov with a
// session log, entryUUID/entryCSN indexes) in a temp folder, LDIF loaded with slapadd before start,
// served on free loopback ports; optionally with TLS (ldaps:// and StartTLS) from a CA and server
// certificate generated with openssl. Stopped and removed when the object goes away.
//
//   SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"alice", "Alice", "alice@example.com", "pw"}}, {})});
//   ldap::LdapConfig cfg = ldap.config();   // URL, service account, user/group bases
//   ldap.modify("dn: uid=alice,ou=people,dc=example,dc=com\nchangetype: modify\n...");
#include <optional>
#include <string>
#include <vector>

#include "ldap/ldap_config.h"
#include "support/process.h"

namespace rosterd::test {

struct SlapdOptions {
    std::string ldif;                            ///< entries below the base skeleton (people, groups, services)
    bool tls = false;                            ///< also serve ldaps:// and StartTLS with a generated certificate
    std::string serviceSizeLimit = "unlimited";  ///< slapd `limits` size for the service account
    int sessionLog = 1000;                       ///< syncprov-sessionlog size; 0 = no session log
    /// The memberof overlay: users' memberOf follows the groupOfNames that list them. It sees only
    /// changes made through LDAP, so add the groups with add() once the server runs.
    bool memberOf = false;
    std::string access = "";  ///< slapd access rules placed before the default "access to * by * read"
};

struct DirectoryUser {
    std::string uid;
    std::string cn;
    std::string mail;  ///< empty: the entry has no mail attribute
    std::string password;
};

struct DirectoryGroup {
    std::string cn;
    std::vector<std::string> memberUids;  ///< uids of members
    bool posix = false;                   ///< posixGroup with memberUid (gidNumber given) instead of groupOfNames
    int gidNumber = 10000;
};

class SlapdServer {
public:
    static constexpr const char* kSuffix = "dc=example,dc=com";
    static constexpr const char* kPeople = "ou=people,dc=example,dc=com";
    static constexpr const char* kGroups = "ou=groups,dc=example,dc=com";
    static constexpr const char* kRootDn = "cn=admin,dc=example,dc=com";
    static constexpr const char* kRootPassword = "admin-secret";
    static constexpr const char* kServiceDn = "cn=rosterd,ou=services,dc=example,dc=com";
    static constexpr const char* kServicePassword = "service-secret";

    /// Generates the config, loads the LDIF and starts slapd; throws when it cannot.
    explicit SlapdServer(SlapdOptions options = {});
    ~SlapdServer();
    SlapdServer(const SlapdServer&) = delete;
    SlapdServer& operator=(const SlapdServer&) = delete;

    /// ldap://127.0.0.1:<port>
    std::string url() const;
    /// ldaps://127.0.0.1:<tlsPort> (TLS variant only)
    std::string ldapsUrl() const;
    /// The CA that signed the server certificate (TLS variant only).
    std::string caFile() const { return dir_ + "/ca.pem"; }
    /// A CA that did not sign it (TLS variant only).
    std::string wrongCaFile() const { return dir_ + "/wrong-ca.pem"; }
    /// File holding kServicePassword.
    std::string servicePasswordFile() const { return dir_ + "/service.pw"; }
    /// A config for this server: url, service bind, user/group bases, short timeout.
    ldap::LdapConfig config() const;
    const std::string& dir() const { return dir_; }

    /// Applies LDIF change records (changetype add/modify/modrdn/delete) as the root DN.
    void modify(const std::string& ldif);
    /// Adds entries (plain LDIF without changetype).
    void add(const std::string& ldif);
    /// Deletes one entry.
    void remove(const std::string& dn);
    /// Renames `dn` to `newRdn` under the same parent.
    void rename(const std::string& dn, const std::string& newRdn);
    /// Replaces one attribute's values.
    void replace(const std::string& dn, const std::string& attribute, const std::vector<std::string>& values);

    /// Graceful stop (SIGTERM). start() brings it back on the same ports with the same data.
    void stop();
    /// SIGKILL: connections drop without a goodbye.
    void kill();
    void start();
    void restart();
    bool running();
    /// SIGSTOP: slapd keeps its connections open but answers nothing until resume() (SIGCONT).
    void pause();
    void resume();
    /// Restarts slapd with a new size limit for the service account (same port and data).
    void setServiceSizeLimit(const std::string& limit);

private:
    void writeConfig();
    void generateCertificates();
    void waitUntilListening();

    SlapdOptions options_;
    std::string dir_;
    int port_ = 0;
    int tlsPort_ = 0;
    std::optional<ChildProcess> process_;
};

/// The LDIF of `users` under ou=people and `groups` under ou=groups (groupOfNames with member DNs,
/// or posixGroup with memberUid).
std::string peopleAndGroupsLdif(const std::vector<DirectoryUser>& users, const std::vector<DirectoryGroup>& groups);
/// DN of a user entry made by peopleAndGroupsLdif.
std::string userDn(const std::string& uid);
/// DN of a group entry made by peopleAndGroupsLdif.
std::string groupDn(const std::string& cn);

/// A server loaded with `ldif`, started once and shared by every test of this executable that
/// asks for the same LDIF. Only for tests that never change the directory nor stop the server.
SlapdServer& sharedSlapd(const std::string& ldif);

}  // namespace rosterd::test
