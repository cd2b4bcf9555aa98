// Every event type has one shape whichever door produced it: the directory's doors (sync, its
// policy, a directory sign-in with its group sync and policy), against a real slapd on both
// store drivers.
#include <catch2/catch.hpp>
#include <chrono>

#include "../accounts/accounts_fixture.h"
#include "integration/events/door_events.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::map<std::string, std::string> directorySettings(const SlapdServer& ldap) {
    return slapdSettings(ldap, {{"ldap.admin_groups", "admins"},
                                {"ldap.denied_groups", "denied"},
                                {"ldap.group_sync_on_login", "true"},
                                {"sync.interval", "0"},
                                {"sync.user_role", "user"},
                                {"sync.delete_after", "1d"},
                                {"sync.max_deactivation_percent", "100"},
                                {"sync.max_group_deletions", "100"},
                                {"auth.jwt_expires_in", "-1"}});
}

std::string moveRdn(const std::string& dn, const std::string& rdn, const std::string& parent) {
    return "dn: " + dn + "\nchangetype: modrdn\nnewrdn: " + rdn + "\ndeleteoldrdn: 1\nnewsuperior: " + parent + "\n";
}

}  // namespace

TEST_CASE("event shapes: directory sync, its policy and directory sign-in") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"ann", "Ann", "ann@corp.example", "pw"},
                                                   {"bob", "Bob", "bob@corp.example", "pw"},
                                                   {"cid", "Cid", "cid@corp.example", "pw"},
                                                   {"dee", "Dee", "dee@corp.example", "pw"},
                                                   {"eve", "Eve", "eve@corp.example", "pw"},
                                                   {"fay", "Fay", "fay@corp.example", "pw"},
                                                   {"hal", "Hal", "hal@corp.example", "pw"}},
                                                  {{"staff", {"ann", "bob", "cid", "dee", "eve", "fay", "hal"}},
                                                   {"admins", {}},
                                                   {"denied", {}},
                                                   {"team", {"ann"}},
                                                   {"extra", {"bob"}}})});
    TestServer server(driver, directorySettings(ldap));
    auto c = server.client();
    const std::string admin = tokenOf(signup(c, "Admin", "admin@local.example"));
    // A local account that a directory entry takes over by email: at the first sync (hal) and at
    // a sign-in (ivy, whose entry comes later).
    addUser(c, admin, "Hal Local", "hal@corp.example", "user");
    addUser(c, admin, "Ivy Local", "ivy@corp.example", "user");
    DoorEvents events(server.app().store());
    auto sync = [&] {
        server.clock().advance(std::chrono::seconds(1));
        return c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    };
    auto syncOk = [&] {
        auto r = sync();
        INFO(r.body);
        REQUIRE(r.status == 200);
    };
    auto login = [&](const std::string& uid) {
        return c.post("/api/v1/auths/ldap", {{"user", uid}, {"password", "pw"}});
    };

    // The first sync creates users as it reads the directory.
    syncOk();
    auto first = events.check(
        "first sync", {"user.created", "user.updated", "group.created", "group.members_changed", "sync.completed"});
    CHECK(firstOf(first, "user.updated")["changed"][0] == "source");

    // Directory users' first sign-in, after the sync: the account and its new group appear, or
    // a local account is taken over.
    ldap.add(
        peopleAndGroupsLdif({{"fay2", "Fay Two", "fay2@corp.example", "pw"}, {"ivy", "Ivy", "ivy@corp.example", "pw"}},
                            {{"newcomers", {"fay2", "ivy"}}}));
    tokenOf(login("fay2"));
    events.check("directory first sign-in", {"user.signup", "group.created", "group.members_changed"});
    tokenOf(login("ivy"));
    events.check("directory sign-in taking over a local account", {"user.updated", "group.members_changed"});

    ldap.add(peopleAndGroupsLdif({{"gil", "Gil", "gil@corp.example", "pw"}}, {}));
    syncOk();
    events.check("sync", {"user.created", "sync.completed"});

    // Renamed, promoted by the policy, refused by it, gone from the directory; a group renamed,
    // one moved out of the group base.
    ldap.replace(userDn("ann"), "cn", {"Ann Changed"});
    ldap.replace(groupDn("admins"), "member", {userDn("bob")});
    ldap.replace(groupDn("denied"), "member", {userDn("cid")});
    ldap.remove(userDn("dee"));
    ldap.modify(moveRdn(groupDn("team"), "cn=team2", SlapdServer::kGroups));
    ldap.modify(moveRdn(groupDn("extra"), "cn=extra", "ou=services,dc=example,dc=com"));
    syncOk();
    auto changes = events.check("sync (directory changes and policy)",
                                {"user.updated", "user.role_changed", "user.deactivated", "group.updated",
                                 "group.deactivated", "group.members_changed", "sync.completed"});
    CHECK(firstOf(changes, "user.role_changed")["reason"] != "");

    ldap.modify(moveRdn("cn=extra,ou=services,dc=example,dc=com", "cn=extra", SlapdServer::kGroups));
    syncOk();
    events.check("sync (group back)", {"group.reactivated"});

    // Gone again, and for longer than delete_after: the group and the user who left are deleted.
    ldap.modify(moveRdn(groupDn("extra"), "cn=extra", "ou=services,dc=example,dc=com"));
    syncOk();
    events.check("sync (group gone again)", {"group.deactivated"});
    server.clock().advance(std::chrono::hours(25));
    syncOk();
    events.check("sync (after delete_after)", {"group.deleted", "user.deleted"});

    // A returning directory user: renamed, promoted and in another group, all at sign-in.
    ldap.replace(userDn("fay"), "cn", {"Fay Changed"});
    ldap.replace(groupDn("admins"), "member", {userDn("bob"), userDn("fay")});
    ldap.replace(groupDn("team2"), "member", {userDn("ann"), userDn("fay")});
    tokenOf(login("fay"));
    events.check("directory sign-in", {"user.updated", "user.role_changed", "group.members_changed"});

    // Refused by the policy at sign-in: deactivated there and then.
    ldap.replace(groupDn("denied"), "member", {userDn("cid"), userDn("eve")});
    auto refused = login("eve");
    INFO(refused.body);
    CHECK(refused.status == 403);
    auto denied = events.check("directory sign-in refused", {"user.deactivated"});
    CHECK(firstOf(denied, "user.deactivated")["reason"] != "");

    ldap.stop();
    auto failed = sync();
    INFO(failed.body);
    CHECK(failed.status == 502);
    events.check("sync (directory down)", {"sync.failed"});
}
