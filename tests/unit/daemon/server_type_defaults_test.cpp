// [ldap] server_type picks the defaults of the attribute and filter keys; each key still wins.
#include <catch2/catch.hpp>

#include "daemon/config.h"
#include "daemon/config_reader.h"

using namespace rosterd;
using namespace rosterd::daemon;

namespace {

rosterd::ldap::LdapConfig ldapOf(const std::string& serverType, std::map<std::string, std::string> keys = {}) {
    ConfigReader r;
    if (!serverType.empty()) r.set("ldap", "server_type", serverType);
    for (const auto& [k, v] : keys) r.set("ldap", k, v);
    rosterd::ldap::LdapConfig c;
    readLdap(r, c);
    return c;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("server_type generic (the default) keeps the inetOrgPerson/groupOfNames defaults") {
    for (const std::string& type : {std::string(), std::string("generic")}) {
        auto c = ldapOf(type);
        CHECK(c.serverType == rosterd::ldap::ServerType::Generic);
        CHECK(c.userFilter == "(objectClass=inetOrgPerson)");
        CHECK(c.usernameAttribute == "uid");
        CHECK(c.mailAttribute == "mail");
        CHECK(c.nameAttribute == "cn");
        CHECK(c.idAttribute == "entryUUID");
        CHECK(c.groupFilter == "(objectClass=groupOfNames)");
        CHECK(c.groupNameAttribute == "cn");
        CHECK(c.groupMemberAttribute == "member");
        CHECK(c.loginAttributes.empty());
        CHECK(rosterd::ldap::loginAttributesOf(c) == Strings{"uid"});
    }
}

TEST_CASE("server_type openldap signs in by uid or mail") {
    auto c = ldapOf("openldap");
    CHECK(c.serverType == rosterd::ldap::ServerType::OpenLdap);
    CHECK(c.userFilter == "(objectClass=inetOrgPerson)");
    CHECK(c.usernameAttribute == "uid");
    CHECK(c.idAttribute == "entryUUID");
    CHECK(c.loginAttributes == Strings{"uid", "mail"});
}

TEST_CASE("server_type active_directory: person users, sAMAccountName, displayName, objectGUID, AD groups") {
    auto c = ldapOf("active_directory");
    CHECK(c.serverType == rosterd::ldap::ServerType::ActiveDirectory);
    CHECK(c.userFilter == "(&(objectCategory=person)(objectClass=user))");
    CHECK(c.usernameAttribute == "sAMAccountName");
    CHECK(c.mailAttribute == "mail");
    CHECK(c.nameAttribute == "displayName");
    CHECK(c.idAttribute == "objectGUID");
    CHECK(c.groupFilter == "(objectClass=group)");
    CHECK(c.groupNameAttribute == "cn");
    CHECK(c.groupMemberAttribute == "member");
    CHECK(c.loginAttributes == Strings{"sAMAccountName", "userPrincipalName", "mail"});
}

TEST_CASE("each server_type default is overridden by its own key") {
    const std::map<std::string, std::string> keys = {{"user_filter", "(objectClass=employee)"},
                                                     {"username_attribute", "employeeID"},
                                                     {"mail_attribute", "proxyAddresses"},
                                                     {"name_attribute", "cn"},
                                                     {"id_attribute", "objectSid"},
                                                     {"group_filter", "(objectClass=team)"},
                                                     {"group_name_attribute", "sAMAccountName"},
                                                     {"group_member_attribute", "uniqueMember"},
                                                     {"login_attributes", "employeeID"}};
    for (const char* type : {"generic", "openldap", "active_directory"}) {
        INFO(type);
        auto c = ldapOf(type, keys);
        CHECK(c.userFilter == "(objectClass=employee)");
        CHECK(c.usernameAttribute == "employeeID");
        CHECK(c.mailAttribute == "proxyAddresses");
        CHECK(c.nameAttribute == "cn");
        CHECK(c.idAttribute == "objectSid");
        CHECK(c.groupFilter == "(objectClass=team)");
        CHECK(c.groupNameAttribute == "sAMAccountName");
        CHECK(c.groupMemberAttribute == "uniqueMember");
        CHECK(c.loginAttributes == Strings{"employeeID"});
    }
}

TEST_CASE("an unknown server_type is refused naming the key") {
    CHECK_THROWS_WITH(ldapOf("novell"), Catch::Contains("ldap.server_type"));
}

TEST_CASE("max_attribute_values bounds range retrieval: 1,000,000 unless set, and at least 1") {
    CHECK(ldapOf("active_directory").maxAttributeValues == 1'000'000);
    CHECK(ldapOf("active_directory", {{"max_attribute_values", "5000"}}).maxAttributeValues == 5000);
    CHECK_THROWS_WITH(ldapOf("generic", {{"max_attribute_values", "0"}}), Catch::Contains("ldap.max_attribute_values"));
}
