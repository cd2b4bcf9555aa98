// [ldap] attribute-name keys are refused at config time when they are not attribute names, naming
// the key, instead of reaching the directory inside a filter.
#include <catch2/catch.hpp>

#include "common/errors.h"
#include "daemon/config.h"
#include "daemon/config_reader.h"
#include "support/process.h"

using namespace rosterd;
using rosterd::test::makeTempDir;
using rosterd::test::writeFile;

TEST_CASE("ldap attribute keys: a value with filter syntax is refused, naming the key") {
    for (const char* key :
         {"username_attribute", "mail_attribute", "name_attribute", "id_attribute", "group_name_attribute",
          "group_member_attribute", "member_of_attribute", "photo_attribute", "login_attributes"}) {
        INFO(key);
        daemon::ConfigReader r;
        r.set("ldap", key, "memberOf)(uid=*");
        ldap::LdapConfig c;
        try {
            daemon::readLdap(r, c);
            FAIL("accepted");
        } catch (const ConfigError& e) {
            CHECK(std::string(e.what()).find(std::string("ldap.") + key) != std::string::npos);
            CHECK(std::string(e.what()).find("is not an attribute name") != std::string::npos);
        }
        r.set("ldap", key, "sAMAccountName");
        CHECK_NOTHROW(daemon::readLdap(r, c));
    }
}

TEST_CASE("ldap attribute keys: the defaults of every server type pass") {
    for (const char* type : {"generic", "openldap", "active_directory"}) {
        INFO(type);
        daemon::ConfigReader r;
        r.set("ldap", "server_type", type);
        ldap::LdapConfig c;
        CHECK_NOTHROW(daemon::readLdap(r, c));
    }
}

TEST_CASE("ldap attribute keys every filter names may not be empty while ldap is on") {
    const std::string dir = makeTempDir("rosterd-attribute-config");
    writeFile(dir + "/bind.pw", "secret\n");
    auto enabled = [&] {
        daemon::ConfigReader r;
        r.set("ldap", "enabled", "true");
        r.set("ldap", "url", "ldap://127.0.0.1:389");
        r.set("ldap", "bind_dn", "cn=svc,dc=example,dc=com");
        r.set("ldap", "bind_password_file", dir + "/bind.pw");
        r.set("ldap", "user_base", "ou=people,dc=example,dc=com");
        return r;
    };
    for (const char* key : {"username_attribute", "mail_attribute", "name_attribute", "id_attribute",
                            "group_name_attribute", "group_member_attribute"}) {
        INFO(key);
        auto r = enabled();
        r.set("ldap", key, "");
        ldap::LdapConfig c;
        CHECK_THROWS_WITH(daemon::readLdap(r, c), Catch::Contains(std::string("ldap.") + key) &&
                                                      Catch::Contains("is required when ldap.enabled = true"));
        // Off, nothing is asked of the directory: the key may stay empty.
        r.set("ldap", "enabled", "false");
        CHECK_NOTHROW(daemon::readLdap(r, c));
    }
    // The optional ones: empty means "not used".
    for (const char* key : {"member_of_attribute", "photo_attribute"}) {
        INFO(key);
        auto r = enabled();
        r.set("ldap", key, "");
        ldap::LdapConfig c;
        CHECK_NOTHROW(daemon::readLdap(r, c));
    }
}
