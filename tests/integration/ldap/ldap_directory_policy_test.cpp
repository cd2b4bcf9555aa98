// The directory policy at login: POST /api/v1/auths/ldap re-reads the user's groups, so a change in
// the directory counts at once, between syncs. A real slapd, both store drivers.
#include <catch2/catch.hpp>

#include "../accounts/accounts_fixture.h"
#include "daemon/config.h"
#include "daemon/directory_policy_check.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::vector<DirectoryUser> people() {
    return {{"ann", "Ann", "ann@corp.example", "ann-pw"},
            {"bob", "Bob", "bob@corp.example", "bob-pw"},
            {"cid", "Cid", "cid@corp.example", "cid-pw"},
            {"zed", "Zed", "zed@corp.example", "zed-pw"}};
}

struct Env {
    Env(db::Driver driver, std::vector<DirectoryGroup> groups, std::map<std::string, std::string> extra)
        : ldap({.ldif = peopleAndGroupsLdif(people(), std::move(groups))}),
          server(driver, slapdSettings(ldap, with(std::move(extra)))),
          client(server.client()) {
        // A local primary admin first, so no directory user becomes it.
        auto r = client.post("/api/v1/auths/signup",
                             {{"name", "Admin"}, {"email", "admin@local.example"}, {"password", "admin-password"}});
        REQUIRE(r.status == 200);
        admin = r.json()["token"];
    }
    static std::map<std::string, std::string> with(std::map<std::string, std::string> extra) {
        extra.emplace("sync.interval", "0");
        return extra;
    }
    HttpResult login(const std::string& uid) {
        return client.post("/api/v1/auths/ldap", {{"user", uid}, {"password", uid + "-pw"}});
    }
    std::int64_t scalar(const std::string& sql, const db::Params& p = {}) {
        return server.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, p).front().i64(0); });
    }
    std::vector<nlohmann::json> events(const std::string& type) { return server.events(type); }
    SlapdServer ldap;
    TestServer server;
    HttpClient client;
    std::string admin;
};

}  // namespace

TEST_CASE("directory policy login: roles follow the groups read at each login") {
    auto driver = GENERATE(allDrivers());
    Env env(driver, {{"admins", {"ann"}}, {"ops", {"cid"}}, {"staff", {"bob"}}},
            {{"ldap.admin_groups", "admins"}, {"ldap.user_groups", "staff"}, {"sync.user_role", "pending"}});
    env.ldap.modify("dn: " + groupDn("admins") + "\nchangetype: modify\nadd: member\nmember: " + groupDn("ops") + "\n");
    auto ann = env.login("ann");
    INFO(ann.body);
    REQUIRE(ann.status == 200);
    CHECK(ann.json()["role"] == "admin");
    CHECK(env.login("bob").json()["role"] == "user");
    CHECK(env.login("cid").json()["role"] == "admin");  // nested: ops is in admins
    CHECK(env.login("zed").json()["role"] == "pending");

    // ann leaves admins: her next login demotes her, and her older session loses admin at once.
    std::string annToken = ann.json()["token"];
    REQUIRE(env.client.get("/api/v1/users/", annToken).status == 200);
    env.ldap.replace(groupDn("admins"), "member", {groupDn("ops")});
    auto again = env.login("ann");
    INFO(again.body);
    REQUIRE(again.status == 200);
    CHECK(again.json()["role"] == "pending");
    CHECK(env.client.get("/api/v1/users/", annToken).status == 403);
    auto changed = env.events("user.role_changed");
    REQUIRE(changed.size() == 1);
    CHECK(changed[0]["old_role"] == "admin");
    CHECK(changed[0]["new_role"] == "pending");
    CHECK(changed[0]["reason"].get<std::string>().find("sync.user_role") != std::string::npos);
}

TEST_CASE("directory policy login: allowed_groups and denied_groups refuse at once and let back in") {
    auto driver = GENERATE(allDrivers());
    Env env(driver, {{"staff", {"ann", "bob", "cid"}}, {"suspended", {"cid"}}},
            {{"ldap.allowed_groups", "staff"}, {"ldap.denied_groups", "suspended"}});
    auto bob = env.login("bob");
    REQUIRE(bob.status == 200);
    std::string bobToken = bob.json()["token"];

    auto cid = env.login("cid");
    CHECK(cid.status == 403);
    CHECK(detailOf(cid).find("member of suspended (ldap.denied_groups)") != std::string::npos);
    auto zed = env.login("zed");
    CHECK(zed.status == 403);
    CHECK(detailOf(zed).find("ldap.allowed_groups") != std::string::npos);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE username IN ('cid', 'zed')") == 0);  // nothing created

    // bob leaves staff: refused at his next login, deactivated with the reason, his session ends.
    env.ldap.replace(groupDn("staff"), "member", {userDn("ann")});
    auto out = env.login("bob");
    CHECK(out.status == 403);
    CHECK(env.scalar("SELECT active FROM users WHERE username = 'bob'") == 0);
    CHECK(env.client.get("/api/v1/auths/", bobToken).status == 401);
    auto deactivated = env.events("user.deactivated");
    REQUIRE(deactivated.size() == 1);
    CHECK(deactivated[0]["email"] == "bob@corp.example");
    CHECK(deactivated[0]["reason"] == "not a member of staff (ldap.allowed_groups)");

    // Back in staff: let in again.
    env.ldap.replace(groupDn("staff"), "member", {userDn("ann"), userDn("bob")});
    auto back = env.login("bob");
    INFO(back.body);
    CHECK(back.status == 200);
    CHECK(env.scalar("SELECT active FROM users WHERE username = 'bob'") == 1);
    CHECK(env.scalar("SELECT count(*) FROM directory_access_refusals") == 0);
}

TEST_CASE("directory policy: check-config warns about a group no sync has seen") {
    auto driver = GENERATE(allDrivers());
    Env env(driver, {{"admins", {"ann"}}}, {{"ldap.admin_groups", "admins, Admns"}});
    daemon::Config config;
    config.database.url = env.server.databaseUrl();
    config.sync.directoryPolicy.adminGroups = {"admins", "Admns"};
    auto before = daemon::policyGroupWarnings(config);
    REQUIRE(before.size() == 2);  // no sync yet: neither is known
    REQUIRE(env.client.post("/api/v1/sync/run", nlohmann::json::object(), env.admin).status == 200);
    auto after = daemon::policyGroupWarnings(config);
    REQUIRE(after.size() == 1);
    CHECK(after[0].find("ldap.admin_groups names 'Admns', a group no sync has seen") != std::string::npos);
}
