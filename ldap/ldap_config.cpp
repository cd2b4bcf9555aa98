#include "ldap/ldap_config.h"

#include <strings.h>

#include <fstream>
#include <sstream>

#include "common/errors.h"

namespace rosterd::ldap {

void applyServerTypeDefaults(LdapConfig& c) {
    const ServerType type = c.serverType;
    LdapConfig generic;
    c.userFilter = generic.userFilter;
    c.usernameAttribute = generic.usernameAttribute;
    c.mailAttribute = generic.mailAttribute;
    c.nameAttribute = generic.nameAttribute;
    c.idAttribute = generic.idAttribute;
    c.groupFilter = generic.groupFilter;
    c.groupNameAttribute = generic.groupNameAttribute;
    c.groupMemberAttribute = generic.groupMemberAttribute;
    c.loginAttributes = generic.loginAttributes;
    c.photoAttribute = generic.photoAttribute;
    switch (type) {
        case ServerType::Generic:
            break;
        case ServerType::OpenLdap:
            c.loginAttributes = {"uid", "mail"};
            c.photoAttribute = "jpegPhoto";
            break;
        case ServerType::ActiveDirectory:
            // Person objects only: computer accounts are objectClass=user too.
            c.userFilter = "(&(objectCategory=person)(objectClass=user))";
            c.usernameAttribute = "sAMAccountName";
            c.nameAttribute = "displayName";
            c.idAttribute = "objectGUID";
            c.groupFilter = "(objectClass=group)";
            c.loginAttributes = {"sAMAccountName", "userPrincipalName", "mail"};
            c.photoAttribute = "thumbnailPhoto";
            break;
    }
}

std::vector<std::string> loginAttributesOf(const LdapConfig& c) {
    if (c.loginAttributes.empty()) return {c.usernameAttribute};
    return c.loginAttributes;
}

bool membersByName(const LdapConfig& c) { return strcasecmp(c.groupMemberAttribute.c_str(), "memberUid") == 0; }

bool isAccountName(const std::string& bindDn) {
    if (bindDn.find('=') != std::string::npos) return false;  // a DN has attribute=value pairs
    auto at = bindDn.find('@');
    if (at != std::string::npos)
        return at > 0 && at + 1 < bindDn.size() && bindDn.find('@', at + 1) == std::string::npos;
    auto slash = bindDn.find('\\');
    return slash != std::string::npos && slash > 0 && slash + 1 < bindDn.size() &&
           bindDn.find('\\', slash + 1) == std::string::npos;
}

std::string readBindPassword(const std::string& path) {
    if (path.empty()) return "";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("ldap.bind_password_file", "cannot read '" + path + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string pw = ss.str();
    if (!pw.empty() && pw.back() == '\n') pw.pop_back();
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    return pw;
}

}  // namespace rosterd::ldap
