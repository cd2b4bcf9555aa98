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

/// Which kind of directory server: picks the defaults of the attribute and filter keys.
enum class ServerType { Generic, OpenLdap, ActiveDirectory };

struct LdapConfig {
    ServerType serverType = ServerType::Generic;
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
    /// Most values of one attribute of one entry read in ranges (AD's member;range=...): a bound,
    /// so a server that keeps answering ranges cannot make a read go on without end.
    std::size_t maxAttributeValues = 1'000'000;

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
    /// The user attribute listing the user's groups by DN (memberOf: Active Directory, OpenLDAP
    /// with the memberof overlay); sign-in reads groups from it instead of searching the group
    /// base. Empty: search.
    std::string memberOfAttribute;
    /// How long sign-in keeps the answer of a nesting search (which groups hold a set of groups),
    /// so sign-ins need not repeat it; 0: asked at every sign-in.
    std::chrono::milliseconds nestedGroupsCache{0};
    /// How long sign-in keeps the entry a login name signed in as, so a returning sign-in binds to
    /// it without searching for the name first; 0: searched at every sign-in.
    std::chrono::milliseconds loginDnCache{0};
    /// Attributes a login name is looked up in (any may match); empty: username_attribute alone.
    std::vector<std::string> loginAttributes;
    /// The binary attribute holding the user's picture (thumbnailPhoto, jpegPhoto); empty: off.
    std::string photoAttribute;
    /// Largest picture taken, in bytes; a larger one is skipped and the stored picture kept.
    std::size_t photoMaxBytes = 102'400;

    LinkLocalAccounts linkLocalAccounts = LinkLocalAccounts::Email;
    bool groupSyncOnLogin = false;
};

/// Sets every key that has a per-server-type default to the default of config.serverType
/// (Generic: the values above). Called before the keys themselves are read, so each overrides it.
void applyServerTypeDefaults(LdapConfig& config);
/// The attributes a login name is looked up in: loginAttributes, or username_attribute alone.
std::vector<std::string> loginAttributesOf(const LdapConfig& config);
/// Whether groups list their members by username (memberUid, posixGroup) rather than by DN
/// (member, uniqueMember): such groups cannot nest, and no directory keeps memberOf for them.
bool membersByName(const LdapConfig& config);
/// Whether `bindDn` names the service account as a userPrincipalName (name@domain) or an Active
/// Directory down-level logon name (DOMAIN\name) rather than a DN; AD accepts either in a bind.
bool isAccountName(const std::string& bindDn);

/// Reads the service password from `path`, dropping one trailing newline. Throws ConfigError
/// naming ldap.bind_password_file when it cannot be read.
std::string readBindPassword(const std::string& path);

}  // namespace rosterd::ldap
