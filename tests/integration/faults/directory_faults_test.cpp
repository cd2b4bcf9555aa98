// Directory faults on both stores: each fault, then one recovery run, then the suite's checks
// (fault_env.h). Bases that do not exist, reads that come back empty, a killed, paused or
// size-limited slapd.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "accounts/permissions.h"
#include "fault_env.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace rosterd::test::faults;

namespace {

// Syncs the directory once and remembers it; the mark is set after that run.
void populate(FaultEnv& env) {
    auto first = env.runOk();
    REQUIRE(first["counts"]["users_created"] == kUsers);
    REQUIRE(first["counts"]["groups_created"] == kGroups);
    env.remember();
    env.mark();
}

// A recovery run after a fault with no directory change: succeeds, changes nothing.
void recoverUnchanged(FaultEnv& env) {
    auto r = env.runOk();
    CHECK(r["status"] == "succeeded");
    env.checkMirrors();
    CHECK(env.changeEvents() == 0);
    CHECK(env.events("user.deactivated") == 0);
    CHECK(env.events("group.deleted") == 0);
    CHECK(env.events("group.deactivated") == 0);
}

}  // namespace

TEST_CASE("faults: a misspelt user or group base fails the run; nothing is removed") {
    auto driver = GENERATE(allDrivers());
    auto key = GENERATE(std::string("ldap.user_base"), std::string("ldap.group_base"));
    INFO(db::driverName(driver) << " " << key);
    FaultEnv env(driver);
    populate(env);

    const std::string right = key == "ldap.user_base" ? SlapdServer::kPeople : SlapdServer::kGroups;
    env.reload({{key, key == "ldap.user_base" ? "ou=peple,dc=example,dc=com" : "ou=grups,dc=example,dc=com"}});
    auto r = env.run();
    INFO(r.body);
    CHECK(r.status == 502);
    CHECK(r.json()["status"] == "failed");
    CHECK(r.json()["detail"].get<std::string>().find("noSuchObject") != std::string::npos);
    CHECK(env.changeEvents() == 0);
    CHECK(env.events("sync.failed") == 1);
    CHECK(env.lastRun()["status"] == "failed");

    env.reload({{key, right}});
    recoverUnchanged(env);
}

TEST_CASE("faults: a directory that returns no users and no groups is refused, and so is one returning no groups") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    FaultEnv env(driver);
    populate(env);

    env.reload({{"ldap.user_filter", "(uid=nobody-matches)"}, {"ldap.group_filter", "(cn=nobody-matches)"}});
    auto none = env.run();
    INFO(none.body);
    CHECK(none.status == 409);
    CHECK(none.json()["status"] == "refused");

    // Users as before, but the group filter matches nothing: every group would go.
    env.reload({{"ldap.user_filter", "(objectClass=inetOrgPerson)"}});
    auto noGroups = env.run();
    INFO(noGroups.body);
    CHECK(noGroups.status == 409);
    CHECK(noGroups.json()["detail"].get<std::string>().find("no groups") != std::string::npos);
    CHECK(noGroups.json()["planned"]["groups_deactivated"] == kGroups);
    CHECK(noGroups.json()["applied"]["groups_deactivated"] == 0);
    CHECK(env.changeEvents() == 0);
    CHECK(env.events("sync.failed") == 2);

    env.reload({{"ldap.group_filter", "(objectClass=groupOfNames)"}});
    recoverUnchanged(env);
}

TEST_CASE("faults: groups gone from the directory are deactivated, keep what they had and come back with it") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    FaultEnv env(driver, {{"sync.delete_after", "1d"}, {"auth.jwt_expires_in", "-1"}});
    populate(env);
    const std::string id = env.text("SELECT id FROM groups WHERE name = 'g07'");
    const std::int64_t members = env.scalar("SELECT count(*) FROM group_members WHERE group_id = $1", {id});
    REQUIRE(members > 0);
    const std::string member = env.text("SELECT user_id FROM group_members WHERE group_id = $1", {id});
    const accounts::PermissionService permissions(nlohmann::json::object());
    auto permissionsOf = [&](const std::string& userId) {
        return env.server.app().store().transact(
            [&](db::Transaction& tx) { return permissions.effective(tx, userId, accounts::Role::User); });
    };
    REQUIRE(permissionsOf(member)["workspace"]["models"] == true);

    // Moved out of the group base (the entry and its entryUUID stay): gone as far as sync sees.
    env.ldap.modify(
        "dn: " + groupDn("g07") +
        "\nchangetype: modrdn\nnewrdn: cn=g07\ndeleteoldrdn: 1\nnewsuperior: ou=services,dc=example,dc=com\n");
    auto gone = env.runOk();
    CHECK(gone["counts"]["groups_deactivated"] == 1);
    CHECK(gone["counts"]["groups_deleted"] == 0);
    CHECK(gone["counts"]["members_removed"] == 0);
    CHECK(env.events("group.deactivated") == 1);
    CHECK(env.events("group.deleted") == 0);
    CHECK(env.scalar("SELECT active FROM groups WHERE id = $1", {id}) == 0);
    CHECK(env.scalar("SELECT count(*) FROM group_members WHERE group_id = $1", {id}) == members);
    CHECK(env.text("SELECT description FROM groups WHERE id = $1", {id}) == "set by the admin");
    // Marked in the API, granting nothing meanwhile.
    auto shown = env.client.get("/api/v1/groups/id/" + id, env.admin);
    INFO(shown.body);
    REQUIRE(shown.status == 200);
    CHECK(shown.json()["active"] == false);
    CHECK(shown.json()["description"] == "set by the admin");
    CHECK_FALSE(permissionsOf(member)["workspace"]["models"] == true);

    // Back under the same stable id: the same row, active again, with everything it had.
    env.mark();
    env.ldap.modify(
        "dn: cn=g07,ou=services,dc=example,dc=com\nchangetype: modrdn\nnewrdn: cn=g07\ndeleteoldrdn: 1\n"
        "newsuperior: " +
        std::string(SlapdServer::kGroups) + "\n");
    auto back = env.runOk();
    CHECK(back["counts"]["groups_reactivated"] == 1);
    CHECK(back["counts"]["groups_created"] == 0);
    CHECK(env.events("group.reactivated") == 1);
    CHECK(env.changeEvents() == 1);
    env.checkMirrors();
    CHECK(permissionsOf(member)["workspace"]["models"] == true);

    // Gone again and for longer than delete_after: deleted then, and only then.
    env.ldap.modify(
        "dn: " + groupDn("g07") +
        "\nchangetype: modrdn\nnewrdn: cn=g07\ndeleteoldrdn: 1\nnewsuperior: ou=services,dc=example,dc=com\n");
    env.runOk();
    env.mark();
    env.server.clock().advance(std::chrono::hours(25));
    auto purged = env.runOk();
    CHECK(purged["counts"]["groups_deleted"] == 1);
    CHECK(env.events("group.deleted") == 1);
    CHECK(env.scalar("SELECT count(*) FROM groups WHERE id = $1", {id}) == 0);
}

TEST_CASE(
    "faults: slapd killed during the read, paused past the timeout, or size-limited fails the run; nothing is lost") {
    auto driver = GENERATE(allDrivers());
    auto fault = GENERATE(std::string("killed"), std::string("paused"), std::string("size limit"));
    INFO(db::driverName(driver) << " " << fault);
    FaultEnv env(driver, {{"ldap.timeout", "1s"}});
    populate(env);

    HttpResult r;
    if (fault == "size limit") {
        env.ldap.setServiceSizeLimit("120");
        r = env.run();
    } else {
        env.ldap.pause();
        auto running = std::async(std::launch::async, [&] { return env.run(); });
        if (fault == "killed") {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            env.ldap.kill();
        }
        r = running.get();
    }
    INFO(r.body);
    CHECK(r.status == 502);
    CHECK(r.json()["status"] == "failed");
    CHECK(env.changeEvents() == 0);
    CHECK(env.events("sync.failed") == 1);
    auto failed = env.lastRun();
    CHECK(failed["status"] == "failed");
    CHECK(failed["applied"].value("users_deactivated", 0) == 0);
    CHECK(failed["planned"].empty());  // it failed before planning anything

    if (fault == "size limit")
        env.ldap.setServiceSizeLimit("unlimited");
    else if (fault == "killed")
        env.ldap.start();
    else
        env.ldap.resume();
    recoverUnchanged(env);
}

TEST_CASE("faults: after a directory restart the first sync and the first directory login succeed") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    FaultEnv env(driver);
    populate(env);
    auto login = [&] { return env.client.post("/api/v1/auths/ldap", {{"user", uidOf(5)}, {"password", "pw"}}); };
    REQUIRE(login().status == 200);  // the login pools hold connections now, as the sync pool does

    env.ldap.restart();
    auto r = env.run();
    INFO(r.body);
    CHECK(r.status == 200);

    env.ldap.restart();
    auto l = login();
    INFO(l.body);
    CHECK(l.status == 200);
    env.checkMirrors();
}
