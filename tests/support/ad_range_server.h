#pragma once
// The Node LDAP server of tests/support/ad_range_server/server.js on a free loopback port: a fixed
// directory (users u00000.., groups "big" with every user and "small" with three) that sends
// multi-valued attributes in ranges as Active Directory does, which Samba AD does not.
//
//   AdRangeServer ranged({.users = 4000});
//   ldap::LdapConfig cfg = ranged.config();   // AD defaults, service bind, user/group bases
#include <map>
#include <optional>
#include <string>

#include "ldap/ldap_config.h"
#include "support/process.h"

namespace rosterd::test {

struct AdRangeOptions {
    int users = 4000;
    int maxValRange = 1500;  ///< AD's default MaxValRange
};

class AdRangeServer {
public:
    static constexpr const char* kBase = "DC=range,DC=example";
    static constexpr const char* kPeople = "OU=people,DC=range,DC=example";
    static constexpr const char* kGroups = "OU=groups,DC=range,DC=example";
    static constexpr const char* kServiceDn = "CN=svc,DC=range,DC=example";

    /// Starts node on a free port and waits until it listens; throws when it cannot.
    explicit AdRangeServer(AdRangeOptions options = {});
    ~AdRangeServer();
    AdRangeServer(const AdRangeServer&) = delete;
    AdRangeServer& operator=(const AdRangeServer&) = delete;

    std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
    std::string servicePasswordFile() const { return dir_ + "/service.pw"; }
    /// server_type AD defaults, the service account, the people and groups bases.
    ldap::LdapConfig config() const;
    /// The same as "section.key" settings for a TestServer, with `extra` on top.
    std::map<std::string, std::string> settings(std::map<std::string, std::string> extra = {}) const;
    /// DN of user number `i`.
    static std::string userDn(int i);

private:
    std::string dir_;
    int port_ = 0;
    std::optional<ChildProcess> process_;
};

}  // namespace rosterd::test
