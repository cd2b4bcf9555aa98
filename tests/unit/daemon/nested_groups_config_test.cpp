// [sync] nested_groups takes true, false or server; server only with an Active Directory.
#include <catch2/catch.hpp>

#include "common/errors.h"
#include "daemon/config.h"
#include "daemon/config_reader.h"

using namespace rosterd;
using namespace rosterd::daemon;

namespace {

Config configOf(const std::string& nested, const std::string& serverType) {
    ConfigReader r;
    r.set("sync", "nested_groups", nested);
    r.set("ldap", "server_type", serverType);
    Config c;
    readSync(r, c.sync);
    readLdap(r, c.ldap);
    readDirectoryPolicy(r, c);
    return c;
}

}  // namespace

TEST_CASE("nested_groups = server: the directory resolves nesting, on Active Directory only") {
    auto ad = configOf("server", "active_directory");
    CHECK(ad.sync.nestedGroupsByServer);
    CHECK(ad.sync.nestedGroups);
    CHECK(ad.sync.directoryPolicy.nestedGroups);
    CHECK_FALSE(configOf("true", "active_directory").sync.nestedGroupsByServer);
    CHECK_FALSE(configOf("false", "openldap").sync.nestedGroups);
    for (const std::string type : {"openldap", "generic"}) {
        try {
            configOf("server", type);
            FAIL("nested_groups = server accepted with server_type " << type);
        } catch (const ConfigError& e) {
            CHECK(std::string(e.what()).find("sync.nested_groups") != std::string::npos);
            CHECK(std::string(e.what()).find("active_directory") != std::string::npos);
        }
    }
    CHECK_THROWS_AS(configOf("deep", "active_directory"), ConfigError);
}

TEST_CASE("nested_groups: an unknown value is refused naming every accepted one, server included") {
    try {
        configOf("deep", "active_directory");
        FAIL("nested_groups = deep accepted");
    } catch (const ConfigError& e) {
        const std::string message = e.what();
        INFO(message);
        CHECK(e.key() == "sync.nested_groups");
        CHECK(message.find("'deep'") != std::string::npos);
        for (const char* accepted : {"true", "false", "server"}) CHECK(message.find(accepted) != std::string::npos);
    }
}

TEST_CASE("nested_groups = server reaches sign-in through the directory policy") {
    CHECK(configOf("server", "active_directory").sync.directoryPolicy.nestedGroupsByServer);
    CHECK_FALSE(configOf("true", "active_directory").sync.directoryPolicy.nestedGroupsByServer);
    CHECK_FALSE(configOf("false", "active_directory").sync.directoryPolicy.nestedGroupsByServer);
}
