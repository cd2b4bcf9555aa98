// Roles and access from directory groups ([ldap] admin_groups, user_groups, allowed_groups,
// denied_groups) as a sync applies them: a real slapd, rosterd over HTTP, both store drivers.
#include <catch2/catch.hpp>

#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"
#include "sync_env.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// ann, bob, cid, dee and zed in `groups`; a run may delete every membership.
struct PolicyEnv : SyncEnv {
    PolicyEnv(db::Driver driver, std::vector<DirectoryGroup> groups, std::map<std::string, std::string> extra,
              bool withAdmin = true)
        : SyncEnv(driver, {.ldif = peopleAndGroupsLdif(people({"zed"}), std::move(groups))},
                  withGroupDeletions(std::move(extra)), withAdmin) {}
    static std::map<std::string, std::string> withGroupDeletions(std::map<std::string, std::string> extra) {
        extra.emplace("sync.max_group_deletions", "100");
        return extra;
    }
    std::string role(const std::string& uid) { return text("SELECT role FROM users WHERE username = $1", {uid}); }
    bool active(const std::string& uid) { return scalar("SELECT active FROM users WHERE username = $1", {uid}) != 0; }
    std::string idOf(const std::string& uid) { return text("SELECT id FROM users WHERE username = $1", {uid}); }
    std::string tokenFor(const std::string& uid) {
        auto& accounts = server.app().accounts();
        return accounts.startSession(accounts.getUser(idOf(uid))).token;
    }
    void setMembers(const std::string& group, const std::vector<std::string>& dns) {
        ldap.replace(groupDn(group), "member", dns);
    }
};

}  // namespace

TEST_CASE(
    "directory policy sync: admin_groups and user_groups set roles, a removal demotes at once, the API gets 409") {
    auto driver = GENERATE(allDrivers());
    PolicyEnv env(driver, {{"admins", {"ann"}}, {"staff", {"bob"}}},
                  {{"ldap.admin_groups", "admins"}, {"ldap.user_groups", "Staff"}, {"sync.user_role", "pending"}});
    auto r = env.run();
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["counts"]["roles_changed"] == 2);  // created as pending: ann -> admin, bob -> user
    CHECK(env.role("ann") == "admin");
    CHECK(env.role("bob") == "user");
    CHECK(env.role("cid") == "pending");  // in neither list
    auto changes = env.events("user.role_changed");
    REQUIRE(changes.size() == 2);
    CHECK(changes[0]["new_role"] != changes[1]["new_role"]);
    for (const auto& c : changes) {
        CHECK(c["old_role"] == "pending");
        CHECK(c["reason"].get<std::string>().find("ldap.") != std::string::npos);
        CHECK(c["user"]["role"] == c["new_role"]);
    }

    // A mapping-managed role cannot be changed through the API; the answer names the rule.
    auto update = env.client.post("/api/v1/users/" + env.idOf("cid") + "/update", {{"role", "user"}}, env.admin);
    CHECK(update.status == 409);
    CHECK(update.json()["detail"].get<std::string>().find("admin_groups = admins") != std::string::npos);
    CHECK(env.role("cid") == "pending");

    // ann's session loses admin rights as soon as a sync sees her out of the group.
    std::string annToken = env.tokenFor("ann");
    REQUIRE(env.client.get("/api/v1/users/", annToken).status == 200);
    env.setMembers("admins", {userDn("zed")});
    auto again = env.run();
    INFO(again.body);
    REQUIRE(again.status == 200);
    CHECK(env.role("ann") == "pending");
    CHECK(env.role("zed") == "admin");
    CHECK(env.client.get("/api/v1/users/", annToken).status == 403);
    CHECK(env.events("user.role_changed").size() == 4);

    // A run with nothing to change writes nothing.
    auto quiet = env.run();
    REQUIRE(quiet.status == 200);
    CHECK(quiet.json()["counts"]["roles_changed"] == 0);
}

TEST_CASE("directory policy sync: nested membership counts when nested_groups is on") {
    auto driver = GENERATE(allDrivers());
    PolicyEnv env(driver, {{"admins", {"ann"}}, {"ops", {"cid"}}}, {{"ldap.admin_groups", "admins"}});
    env.ldap.modify("dn: " + groupDn("admins") + "\nchangetype: modify\nadd: member\nmember: " + groupDn("ops") + "\n");
    auto r = env.run();
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(env.role("ann") == "admin");
    CHECK(env.role("cid") == "admin");  // through ops
    CHECK(env.role("bob") == "user");   // sync.user_role
}

TEST_CASE(
    "directory policy sync: allowed_groups and denied_groups deactivate with a reason, stop tokens, and let back in") {
    auto driver = GENERATE(allDrivers());
    PolicyEnv env(driver, {{"staff", {"ann", "bob", "cid"}}, {"suspended", {"cid"}}},
                  {{"ldap.allowed_groups", "staff"}, {"ldap.denied_groups", "suspended"}});
    REQUIRE(env.run().status == 200);
    CHECK(env.active("ann"));
    CHECK(env.active("bob"));
    CHECK_FALSE(env.active("cid"));  // denied wins over allowed
    CHECK_FALSE(env.active("dee"));  // outside staff
    CHECK(env.text("SELECT reason FROM directory_access_refusals WHERE user_id = $1", {env.idOf("cid")}) ==
          "member of suspended (ldap.denied_groups)");
    CHECK(env.text("SELECT reason FROM directory_access_refusals WHERE user_id = $1", {env.idOf("dee")}) ==
          "not a member of staff (ldap.allowed_groups)");

    std::string bobToken = env.tokenFor("bob");
    REQUIRE(env.client.get("/api/v1/auths/", bobToken).status == 200);
    env.setMembers("staff", {userDn("ann"), userDn("cid"), userDn("dee")});
    // bob's name changes too: the update must not reactivate him.
    env.ldap.replace(userDn("bob"), "cn", {"Robert"});
    auto r = env.run();
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["counts"]["users_denied"] == 1);
    CHECK(r.json()["counts"]["users_allowed"] == 1);  // dee is back in staff
    CHECK_FALSE(env.active("bob"));
    CHECK(env.text("SELECT name FROM users WHERE username = 'bob'") == "Robert");
    CHECK(env.active("dee"));
    CHECK_FALSE(env.active("cid"));
    CHECK(env.client.get("/api/v1/auths/", bobToken).status == 401);
    auto deactivated = env.events("user.deactivated");
    REQUIRE_FALSE(deactivated.empty());
    CHECK(deactivated.back()["reason"] == "not a member of staff (ldap.allowed_groups)");
    CHECK(deactivated.back()["email"] == "bob@corp.example");
    CHECK(env.scalar("SELECT count(*) FROM directory_access_refusals WHERE user_id = $1", {env.idOf("dee")}) == 0);

    // Back in the group: reactivated by the next run.
    env.setMembers("staff", {userDn("ann"), userDn("bob")});
    auto back = env.run();
    INFO(back.body);
    REQUIRE(back.status == 200);
    CHECK(env.active("bob"));
    CHECK_FALSE(env.active("dee"));
}

TEST_CASE("directory policy sync: the primary admin is never changed, the last active admin is kept") {
    auto driver = GENERATE(allDrivers());
    SECTION("primary admin") {
        // The first account (a directory login) is the primary admin; the mapping leaves it alone.
        PolicyEnv env(driver, {{"admins", {"bob"}}, {"staff", {"ann", "bob"}}},
                      {{"ldap.admin_groups", "admins"}, {"ldap.allowed_groups", "staff"}}, false);
        auto login = env.client.post("/api/v1/auths/ldap", {{"user", "ann"}, {"password", "pw"}});
        INFO(login.body);
        REQUIRE(login.status == 200);
        env.admin = tokenOf(login);
        auto r = env.run();
        INFO(r.body);
        REQUIRE(r.status == 200);
        CHECK(env.role("ann") == "admin");
        CHECK(r.body.find("the primary admin is never changed by the directory policy") != std::string::npos);
        env.setMembers("staff", {userDn("bob")});
        auto out = env.run();
        INFO(out.body);
        REQUIRE(out.status == 200);
        CHECK(env.active("ann"));
        CHECK(env.role("ann") == "admin");
    }
    SECTION("last active admin") {
        PolicyEnv env(driver, {{"admins", {"ann"}}}, {{"ldap.admin_groups", "admins"}}, false);
        // The first run makes ann admin; no primary admin exists (nobody signed up).
        auto& app = env.server.app();
        sync::RunRequest cli;
        cli.trigger = "cli";
        auto first = app.syncService().run(cli);
        REQUIRE(first.status == ::rosterd::sync::RunStatus::Succeeded);
        REQUIRE(env.role("ann") == "admin");
        REQUIRE(env.scalar("SELECT count(*) FROM users WHERE is_primary = 1") == 0);
        env.setMembers("admins", {userDn("zed")});
        env.ldap.remove(userDn("zed"));  // the new admin is gone: nobody would be left
        auto second = app.syncService().run(cli);
        INFO(second.error);
        REQUIRE(second.status == ::rosterd::sync::RunStatus::Succeeded);
        CHECK(env.role("ann") == "admin");
        CHECK(second.record.skipped.dump().find("the last active admin is kept") != std::string::npos);
    }
}

TEST_CASE("directory policy sync: demotions and refusals count toward the safety gate; a dry run previews them") {
    auto driver = GENERATE(allDrivers());
    PolicyEnv env(driver, {{"admins", {"ann", "bob", "cid"}}, {"staff", {"ann", "bob", "cid", "dee", "zed"}}},
                  {{"ldap.admin_groups", "admins"}, {"ldap.allowed_groups", "staff"}, {"sync.max_deactivations", "2"}});
    REQUIRE(env.run().status == 200);
    REQUIRE(env.role("bob") == "admin");
    env.setMembers("admins", {userDn("ann")});                               // bob and cid demoted
    env.setMembers("staff", {userDn("ann"), userDn("bob"), userDn("cid")});  // dee and zed refused

    auto preview = env.run({{"dry_run", true}, {"force", true}});
    INFO(preview.body);
    REQUIRE(preview.status == 200);
    auto policy = preview.json()["directory_policy"];
    CHECK(policy["roles_changed"].size() == 2);
    CHECK(policy["users_denied"].size() == 2);
    CHECK(policy["users_denied"][0]["reason"] == "not a member of staff (ldap.allowed_groups)");
    CHECK(env.role("bob") == "admin");  // nothing written
    CHECK(env.active("dee"));

    auto refused = env.run();
    INFO(refused.body);
    CHECK(refused.status == 409);
    CHECK(refused.json()["status"] == "refused");
    CHECK(refused.json()["detail"].get<std::string>().find("refuse or demote 4 users") != std::string::npos);
    CHECK(env.role("bob") == "admin");
    CHECK(env.active("dee"));

    auto forced = env.run({{"force", true}});
    INFO(forced.body);
    REQUIRE(forced.status == 200);
    CHECK(env.role("bob") == "user");
    CHECK_FALSE(env.active("dee"));
    // The history keeps what the forced run did.
    bool found = false;
    const auto status = env.client.get("/api/v1/sync/status", env.admin).json();
    for (const auto& run : status["runs"])
        if (run["id"] == forced.json()["id"]) {
            found = true;
            CHECK(run["counts"]["roles_changed"] == 2);
            CHECK(run["counts"]["users_denied"] == 2);
        }
    CHECK(found);
}

TEST_CASE("directory policy sync: with no mapping keys roles stay locally managed") {
    auto driver = GENERATE(allDrivers());
    PolicyEnv env(driver, {{"admins", {"ann"}}}, {});
    REQUIRE(env.run().status == 200);
    CHECK(env.role("ann") == "user");
    auto update = env.client.post("/api/v1/users/" + env.idOf("ann") + "/update", {{"role", "admin"}}, env.admin);
    CHECK(update.status == 200);
    REQUIRE(env.run().status == 200);
    CHECK(env.role("ann") == "admin");  // sync leaves it
}
