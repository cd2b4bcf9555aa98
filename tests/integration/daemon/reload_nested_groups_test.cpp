// Reloading [sync] nested_groups in-process: `true` and `server` both turn nesting on, so the
// switch between them shows only in nestedGroupsByServer; it is still a change that reaches the
// sync service and is named in the reload's log line.
#include <catch2/catch.hpp>

#include "reload_fixture.h"
#include "support/log_capture.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

// Reloads `s` with `settings` and returns what was logged meanwhile.
std::string reloadLogged(TestServer& s, const std::map<std::string, std::string>& settings) {
    LogCapture capture;
    REQUIRE(s.app().reload(reloadConfig(s, settings)));
    return capture.text();
}

const char* kChanged = "sync: reloaded, changed sync.nested_groups; ";

}  // namespace

TEST_CASE("reload [sync]: switching nested_groups between true and server is a change") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"ann", "Ann", "ann@corp.example", "pw"}}, {})});
    // `server` needs server_type = active_directory; slapd stands in, as nothing here reads the directory.
    auto settings = ldapSettings(ldap, {{"ldap.server_type", "active_directory"}, {"sync.nested_groups", "true"}});
    TestServer s(db::Driver::Sqlite, settings);
    auto running = [&] { return s.app().syncService().config(); };
    REQUIRE(running().nestedGroups);
    REQUIRE_FALSE(running().nestedGroupsByServer);

    // The same settings again: nothing changed, nothing reported.
    {
        std::string log = reloadLogged(s, settings);
        INFO(log);
        CHECK(log.find("sync: reloaded") == std::string::npos);
    }
    settings["sync.nested_groups"] = "server";
    {
        std::string log = reloadLogged(s, settings);
        INFO(log);
        CHECK(log.find(kChanged) != std::string::npos);
        CHECK(running().nestedGroups);
        CHECK(running().nestedGroupsByServer);
        CHECK(s.app().config()->sync.nestedGroupsByServer);
    }
    settings["sync.nested_groups"] = "true";
    {
        std::string log = reloadLogged(s, settings);
        INFO(log);
        CHECK(log.find(kChanged) != std::string::npos);
        CHECK(running().nestedGroups);
        CHECK_FALSE(running().nestedGroupsByServer);
        CHECK_FALSE(s.app().config()->sync.nestedGroupsByServer);
    }
}
