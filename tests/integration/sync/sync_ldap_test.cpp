// Directory sync end to end: a real slapd, rosterd in-process over HTTP, both store drivers.
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "support/process.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"
#include "sync_env.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::string addMember(const std::string& group, const std::string& memberDn) {
    return "dn: " + groupDn(group) + "\nchangetype: modify\nadd: member\nmember: " + memberDn + "\n";
}

}  // namespace

TEST_CASE("ldap sync: initial run, nested groups with a cycle, and a second run that writes nothing") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    SyncEnv env(driver,
                {.ldif = peopleAndGroupsLdif(people(), {{"staff", {"ann"}}, {"ops", {"bob"}}, {"dev", {"cid"}}})});
    env.ldap.modify(addMember("staff", groupDn("ops")));
    env.ldap.modify(addMember("ops", groupDn("dev")));
    env.ldap.modify(addMember("dev", groupDn("staff")));  // a cycle

    auto r = env.run();
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["status"] == "succeeded");
    CHECK(r.json()["counts"]["users_created"] == 4);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 4);
    CHECK(env.scalar("SELECT count(*) FROM groups WHERE source = 'ldap'") == 3);
    // Every group reaches every other through the cycle: ann, bob and cid in each.
    CHECK(env.scalar("SELECT count(*) FROM group_members") == 9);
    CHECK(env.text("SELECT email FROM users WHERE username = 'ann'") == "ann@corp.example");

    std::int64_t events = env.outbox();
    auto again = env.run();
    REQUIRE(again.status == 200);
    CHECK(again.json()["counts"]["users_updated"] == 0);
    CHECK(env.outbox() == events);

    auto status = env.client.get("/api/v1/sync/status", env.admin);
    REQUIRE(status.status == 200);
    CHECK(status.json()["runs"].size() == 2);
    CHECK(status.json()["current"]["running"] == false);
}

TEST_CASE(
    "ldap sync: rename keeps the id, one change updates one user, a removed entry is deactivated and its token "
    "rejected") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {{"staff", {"ann", "bob"}}})});
    REQUIRE(env.run().status == 200);
    std::string annId = env.text("SELECT id FROM users WHERE username = 'ann'");
    accounts::User dee = env.server.app().accounts().getUser(env.text("SELECT id FROM users WHERE username = 'dee'"));
    std::string deeToken = env.server.app().accounts().startSession(dee).token;
    REQUIRE(env.client.get("/api/v1/auths/", deeToken).status == 200);

    env.ldap.rename(userDn("ann"), "uid=annie");
    // What the refint overlay would do on a server that has it: the group follows the rename.
    env.ldap.replace(groupDn("staff"), "member", {userDn("annie"), userDn("bob")});
    env.ldap.replace(userDn("bob"), "cn", {"Robert"});
    env.ldap.remove(userDn("dee"));
    std::int64_t before = env.outbox();
    auto r = env.run();
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(env.text("SELECT id FROM users WHERE username = 'annie'") == annId);
    CHECK(env.text("SELECT external_dn FROM users WHERE id = $1", {annId}) == userDn("annie"));
    CHECK(env.scalar("SELECT count(*) FROM group_members WHERE user_id = $1", {annId}) == 1);
    CHECK(env.text("SELECT name FROM users WHERE username = 'bob'") == "Robert");
    CHECK(r.json()["counts"]["users_updated"] == 2);
    CHECK(r.json()["counts"]["users_deactivated"] == 1);
    CHECK(env.scalar("SELECT active FROM users WHERE username = 'dee'") == 0);
    CHECK(env.scalar("SELECT active FROM users WHERE username = 'cid'") == 1);
    CHECK(env.outbox() - before == 4);  // 2 updated, 1 deactivated, sync.completed
    CHECK(env.client.get("/api/v1/auths/", deeToken).status == 401);
}

TEST_CASE("ldap sync: memberUid groups") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    DirectoryGroup posix{"wheel", {"ann", "cid", "ghost"}, true, 10001};
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {posix})},
                {{"ldap.group_filter", "(objectClass=posixGroup)"}, {"ldap.group_member_attribute", "memberUid"}});
    auto r = env.run();
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(env.scalar(
              "SELECT count(*) FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE g.name = 'wheel'") == 2);
}

TEST_CASE("ldap sync: duplicate emails reported, dry run changes nothing") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    auto users = people();
    users[3].mail = "ANN@corp.example";
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(users, {})});
    auto dry = env.run({{"dry_run", true}});
    INFO(dry.body);
    REQUIRE(dry.status == 200);
    CHECK(dry.json()["dry_run"] == true);
    CHECK(dry.json()["counts"]["users_created"] == 3);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == 0);
    auto r = env.run();
    REQUIRE(r.status == 200);
    CHECK(r.json()["counts"]["skipped"] == 1);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == 3);
}

TEST_CASE("ldap sync: a directory that dies deactivates nobody; the threshold refuses until forced") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {})}, {{"sync.max_deactivations", "1"}});
    REQUIRE(env.run().status == 200);
    env.ldap.kill();
    auto down = env.run();
    INFO(down.body);
    CHECK(down.status == 502);
    CHECK(down.json()["status"] == "failed");
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 4);
    env.ldap.start();
    env.ldap.remove(userDn("ann"));
    env.ldap.remove(userDn("bob"));
    auto refused = env.run();
    CHECK(refused.status == 409);
    CHECK(refused.json()["status"] == "refused");
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 4);
    auto forced = env.run({{"force", true}});
    CHECK(forced.status == 200);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 2);
}

TEST_CASE("ldap sync: the routes are for admins and check their input") {
    SyncEnv env(db::Driver::Sqlite, {.ldif = peopleAndGroupsLdif(people(), {})});
    std::string userId = addUser(env.client, env.admin, "U", "u@local.example", "user");
    std::string userToken = tokenOf(signin(env.client, "u@local.example"));
    CHECK(env.client.post("/api/v1/sync/run", nlohmann::json::object(), userToken).status == 403);
    CHECK(env.client.get("/api/v1/sync/status", userToken).status == 403);
    CHECK(env.client.get("/api/v1/sync/status").status == 401);
    auto bad = env.run({{"dry_run", "yes"}});
    CHECK(bad.status == 400);
    CHECK_THAT(detailOf(bad), Catch::Contains("dry_run"));
    CHECK(env.run({{"other", 1}}).status == 400);
    CHECK(env.scalar("SELECT count(*) FROM sync_runs") == 0);
}

TEST_CASE("ldap sync: rosterd sync on the command line") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif(people(), {{"staff", {"ann"}}})});
    std::string dir = makeTempDir("rosterd-sync-cli");
    {
        std::ofstream ini(dir + "/rosterd.ini");
        ini << "[database]\nurl = sqlite://" << dir << "/r.db\n[auth]\njwt_secret_file = " << dir << "/jwt\n"
            << ldapIniSection(ldap);
        ini << "[sync]\ninterval = 0\n";
    }
    // A dry run changes nothing, migrations included: a new store is migrated first.
    CHECK(runCommand({ROSTERD_BINARY, "--config", dir + "/rosterd.ini", "sync", "--dry-run"}).exitCode == 75);
    REQUIRE(runCommand({ROSTERD_BINARY, "--config", dir + "/rosterd.ini", "migrate"}).exitCode == 0);
    auto dry = runCommand({ROSTERD_BINARY, "--config", dir + "/rosterd.ini", "sync", "--dry-run"});
    INFO(dry.output);
    CHECK(dry.exitCode == 0);
    CHECK_THAT(dry.output, Catch::Contains("users_created: 4"));
    CHECK_THAT(dry.output, Catch::Contains("ann@corp.example"));
    auto real = runCommand({ROSTERD_BINARY, "--config", dir + "/rosterd.ini", "sync"});
    INFO(real.output);
    CHECK(real.exitCode == 0);
    auto again = runCommand({ROSTERD_BINARY, "--config", dir + "/rosterd.ini", "sync"});
    CHECK(again.exitCode == 0);
    CHECK_THAT(again.output, Catch::Contains("users_created: 0"));
    CHECK(runCommand({ROSTERD_BINARY, "--config", dir + "/rosterd.ini", "sync", "--bogus"}).exitCode == 64);
}

TEST_CASE("ldap sync: the scheduler thread runs at start and again after the interval") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {})}, {{"sync.interval", "15m"}}, false);
    auto scheduledRuns = [&] {
        return env.scalar("SELECT count(*) FROM sync_runs WHERE triggered_by = 'schedule' AND status <> 'running'");
    };
    auto waitFor = [&](std::int64_t n) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (scheduledRuns() < n && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling for a result, bounded
        return scheduledRuns();
    };
    REQUIRE(waitFor(1) == 1);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == 4);
    env.server.clock().advance(std::chrono::minutes(16));
    CHECK(waitFor(2) == 2);
}

TEST_CASE("ldap sync: the primary admin and the last active admin are never deactivated") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    SyncEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {})}, {}, false);
    // The first account ever, here a directory login, becomes the primary admin.
    auto login = env.client.post("/api/v1/auths/ldap", {{"user", "ann"}, {"password", "pw"}});
    INFO(login.body);
    REQUIRE(login.status == 200);
    REQUIRE(login.json()["role"] == "admin");
    env.admin = login.json()["token"].get<std::string>();
    REQUIRE(env.run().json()["status"] == "succeeded");

    env.ldap.remove(userDn("ann"));
    env.ldap.remove(userDn("bob"));
    auto r = env.run();
    INFO(r.body);
    CHECK(r.json()["status"] == "succeeded");
    CHECK(r.json()["counts"]["users_deactivated"] == 1);  // bob only
    CHECK(env.scalar("SELECT active FROM users WHERE email = 'ann@corp.example'") == 1);
    CHECK(env.scalar("SELECT active FROM users WHERE email = 'bob@corp.example'") == 0);
    CHECK_THAT(r.body, Catch::Contains("the primary admin is never removed by sync"));

    // Without a primary admin (a store from elsewhere), the last active admin is kept all the same.
    env.server.app().store().transact([](db::Transaction& tx) { tx.exec("UPDATE users SET is_primary = 0"); });
    auto again = env.run();
    INFO(again.body);
    CHECK(again.json()["counts"]["users_deactivated"] == 0);
    CHECK(env.scalar("SELECT active FROM users WHERE email = 'ann@corp.example'") == 1);
    CHECK_THAT(again.body, Catch::Contains("the last active admin is kept active"));
}

TEST_CASE("ldap sync: two rosterd processes on one PostgreSQL, triggered at once: one runs, the other is busy") {
    std::vector<DirectoryUser> many;
    for (int i = 0; i < 20000; ++i) {
        std::string uid = "p" + std::to_string(i);
        many.push_back({uid, uid, uid + "@corp.example", ""});
    }
    SlapdServer ldap({.ldif = peopleAndGroupsLdif(many, {})});
    std::string dir = makeTempDir("rosterd-sync-two");
    std::string url = freshDatabaseUrl(db::Driver::Postgres);
    std::string ini = dir + "/rosterd.ini";
    {
        std::ofstream f(ini);
        f << "[database]\nurl = " << url << "\n[auth]\njwt_secret_file = " << dir << "/jwt\n" << ldapIniSection(ldap);
        f << "[sync]\ninterval = 0\n";
    }
    REQUIRE(runCommand({ROSTERD_BINARY, "--config", ini, "migrate"}).exitCode == 0);
    auto store = db::Store::open({.url = url});
    auto runs = [&](const std::string& where) {
        return store->transact([&](db::Transaction& tx) {
            return tx.exec("SELECT count(*) FROM sync_runs WHERE " + where).front().i64(0);
        });
    };

    ChildProcess first({ROSTERD_BINARY, "--config", ini, "sync"}, {}, dir + "/first.log");
    // The second starts once the first holds the lease (its run row exists, still running).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (runs("status = 'running'") == 0 && first.running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling for a state, bounded
    REQUIRE(runs("status = 'running'") == 1);
    auto second = runCommand({ROSTERD_BINARY, "--config", ini, "sync"});
    INFO(second.output);
    CHECK(second.exitCode == 69);
    CHECK_THAT(second.output, Catch::Contains("busy"));
    CHECK(first.wait(120000) == 0);
    INFO(readFile(dir + "/first.log"));
    CHECK(runs("1 = 1") == 1);
    CHECK(runs("status = 'succeeded'") == 1);
    CHECK(store->transact([](db::Transaction& tx) {
        return tx.exec("SELECT count(*) FROM users WHERE source = 'ldap'").front().i64(0);
    }) == 20000);
}
