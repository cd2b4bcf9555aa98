#pragma once
// The [ldap] settings that point a test server at a SlapdServer fixture.
#include <map>
#include <string>

#include "support/slapd_server.h"

namespace rosterd::test {

/// ldap.enabled, url, service bind, user and group bases and a short timeout for `slapd`, with
/// `extra` (any section) on top.
inline std::map<std::string, std::string> slapdSettings(const SlapdServer& slapd,
                                                        std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> s = {{"ldap.enabled", "true"},
                                            {"ldap.url", slapd.url()},
                                            {"ldap.bind_dn", SlapdServer::kServiceDn},
                                            {"ldap.bind_password_file", slapd.servicePasswordFile()},
                                            {"ldap.user_base", SlapdServer::kPeople},
                                            {"ldap.group_base", SlapdServer::kGroups},
                                            {"ldap.timeout", "3s"}};
    for (auto& [k, v] : extra) s[k] = v;
    return s;
}

}  // namespace rosterd::test
