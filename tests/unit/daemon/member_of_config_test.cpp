// [ldap] member_of_attribute, nested_groups_cache and login_dn_cache: read from the config file,
// off by default;
// check-config says when sign-in cannot use member_of_attribute.
#include <catch2/catch.hpp>

#include "common/errors.h"
#include "daemon/config.h"
#include "daemon/config_reader.h"
#include "daemon/directory_policy_check.h"

using namespace rosterd;

TEST_CASE("member_of_attribute: empty by default on every server type, and the key sets it") {
    for (const char* type : {"generic", "openldap", "active_directory"}) {
        daemon::ConfigReader r;
        r.set("ldap", "server_type", type);
        ldap::LdapConfig c;
        daemon::readLdap(r, c);
        CHECK(c.memberOfAttribute.empty());
        r.set("ldap", "member_of_attribute", "memberOf");
        daemon::readLdap(r, c);
        CHECK(c.memberOfAttribute == "memberOf");
    }
}

TEST_CASE("nested_groups_cache and login_dn_cache: off by default, a duration up to a day") {
    for (const char* key : {"nested_groups_cache", "login_dn_cache"}) {
        INFO(key);
        auto read = [&](const std::string& value) {
            daemon::ConfigReader r;
            if (!value.empty()) r.set("ldap", key, value);
            ldap::LdapConfig c;
            daemon::readLdap(r, c);
            return std::string(key) == "login_dn_cache" ? c.loginDnCache : c.nestedGroupsCache;
        };
        CHECK(read("") == std::chrono::milliseconds(0));
        CHECK(read("60s") == std::chrono::milliseconds(60'000));
        CHECK(read("24h") == std::chrono::hours(24));
        for (const char* bad : {"25h", "-1s", "soon"}) {
            INFO(bad);
            CHECK_THROWS_AS(read(bad), ConfigError);
        }
    }
}

TEST_CASE("member_of_attribute: check-config says when sign-in cannot use it") {
    daemon::Config config;
    CHECK(daemon::memberOfWarnings(config).empty());
    config.ldap.memberOfAttribute = "memberOf";
    CHECK(daemon::memberOfWarnings(config).empty());
    config.ldap.groupSyncOnLogin = true;
    auto w = daemon::memberOfWarnings(config);
    REQUIRE(w.size() == 1);
    CHECK(w[0].find("group_sync_on_login") != std::string::npos);
    config.ldap.groupSyncOnLogin = false;
    config.sync.directoryPolicy.nestedGroupsByServer = true;
    w = daemon::memberOfWarnings(config);
    REQUIRE(w.size() == 1);
    CHECK(w[0].find("nested_groups = server") != std::string::npos);
    config.ldap.groupMemberAttribute = "memberUid";
    w = daemon::memberOfWarnings(config);
    REQUIRE(w.size() == 1);
    CHECK(w[0].find("memberUid") != std::string::npos);
}
