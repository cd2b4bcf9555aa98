// [ldap] nested_groups_cache: sign-in keeps the answers of its nesting searches for a while, so a
// change of which group holds which counts once the kept answer expires (on the test clock), while
// taking someone out of a group still counts at their next sign-in. A real slapd, both stores.
#include <catch2/catch.hpp>

#include "../accounts/accounts_fixture.h"
#include "ldap_test_helpers.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

namespace {

struct NestingEnv {
    NestingEnv(db::Driver driver, SlapdServer& slapd, const std::string& cache)
        : server(driver, slapdSettings(slapd, {{"sync.interval", "0"},
                                               {"ldap.admin_groups", "admins"},
                                               {"ldap.nested_groups_cache", cache}})),
          client(server.client()) {
        auto r = client.post("/api/v1/auths/signup",
                             {{"name", "Admin"}, {"email", "admin@local.example"}, {"password", "admin-password"}});
        REQUIRE(r.status == 200);
    }
    std::string roleAt(const std::string& uid) {
        auto r = ldapLogin(client, uid, uid + "-pw");
        INFO(r.body);
        REQUIRE(r.status == 200);
        return r.json()["role"];
    }
    TestServer server;
    HttpClient client;
};

}  // namespace

TEST_CASE("nested_groups_cache: a group taken out of another counts once the kept answer expires") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(
                           {{"ann", "Ann", "ann@corp.example", "ann-pw"}, {"cid", "Cid", "cid@corp.example", "cid-pw"}},
                           {{"admins", {"ann"}}, {"ops", {"cid"}}})});
    slapd.modify("dn: " + groupDn("admins") + "\nchangetype: modify\nadd: member\nmember: " + groupDn("ops") + "\n");
    NestingEnv env(driver, slapd, "60s");
    CHECK(env.roleAt("cid") == "admin");  // through ops, held by admins

    // ops leaves admins: the kept answer still says admins holds ops, for the rest of the minute.
    slapd.replace(groupDn("admins"), "member", {userDn("ann")});
    CHECK(env.roleAt("cid") == "admin");
    env.server.clock().advance(59s);
    CHECK(env.roleAt("cid") == "admin");
    env.server.clock().advance(1s);
    CHECK(env.roleAt("cid") == "user");

    // Taking a person out of a group is read at every sign-in: no wait.
    CHECK(env.roleAt("ann") == "admin");
    slapd.replace(groupDn("admins"), "member", {groupDn("admins")});
    CHECK(env.roleAt("ann") == "user");

    // Off (the default): a change of nesting counts at the very next sign-in.
    slapd.replace(groupDn("admins"), "member", {groupDn("ops")});
    NestingEnv fresh(driver, slapd, "0");
    CHECK(fresh.roleAt("cid") == "admin");
    slapd.replace(groupDn("admins"), "member", {groupDn("admins")});
    CHECK(fresh.roleAt("cid") == "user");
}
