// Directory faults in incremental (RFC 4533) mode, on both stores: a read of the changes that
// fails leaves the stored cookies alone, so the recovery run applies those changes exactly once.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "fault_env.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace rosterd::test::faults;

TEST_CASE("faults: incremental mode, slapd killed or paused during the read of the changes, or a misspelt base") {
    auto driver = GENERATE(allDrivers());
    auto fault = GENERATE(std::string("killed"), std::string("paused"), std::string("misspelt base"));
    INFO(db::driverName(driver) << " " << fault);
    FaultEnv env(driver, {{"sync.mode", "incremental"}, {"ldap.timeout", "1s"}});
    env.runOk();
    env.remember();
    auto quiet = env.runOk();
    REQUIRE(quiet["mode"] == "incremental");
    env.mark();

    constexpr int kRenamed = 3;
    for (int i = 0; i < kRenamed; ++i) env.ldap.replace(userDn(uidOf(200 + i)), "cn", {"Changed " + uidOf(i)});
    // slapd's test database does not sync each write to disk: flushed before it is killed.
    if (fault == "killed") env.ldap.restart();
    // A dry run reads the changes without taking them (the cookies stay) and leaves a bound
    // connection in the pool, so the fault below meets the run inside the read of the changes.
    REQUIRE(env.runOk({{"dry_run", true}})["counts"]["users_updated"] == kRenamed);

    HttpResult r;
    if (fault == "misspelt base") {
        env.reload({{"ldap.user_base", "ou=peple,dc=example,dc=com"}});
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
    // libldap's refresh loop has no deadline of its own: the run's bound is [ldap] timeout.
    if (fault == "paused") CHECK(r.json()["detail"].get<std::string>().find("timed out") != std::string::npos);
    CHECK(env.changeEvents() == 0);
    CHECK(env.events("sync.failed") == 1);

    if (fault == "misspelt base")
        env.reload({{"ldap.user_base", SlapdServer::kPeople}});
    else if (fault == "killed")
        env.ldap.start();
    else
        env.ldap.resume();
    auto recovered = env.runOk();
    INFO(recovered.dump());
    CHECK(recovered["counts"]["users_updated"] == kRenamed);
    env.checkMirrors();
    CHECK(env.scalar("SELECT count(*) FROM users WHERE name LIKE 'Changed %'") == kRenamed);
    CHECK(env.events("user.updated") == kRenamed);
    CHECK(env.changeEvents() == kRenamed);
    // And the cookies moved on: the next run finds nothing more to do.
    auto after = env.runOk();
    CHECK(after["counts"]["users_updated"] == 0);
    CHECK(env.changeEvents() == kRenamed);
}

TEST_CASE("faults: incremental mode, every group moved out of the group base is refused; they come back as they were") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    FaultEnv env(driver, {{"sync.mode", "incremental"}});
    env.runOk();
    env.remember();
    REQUIRE(env.runOk()["mode"] == "incremental");
    env.mark();

    // The entries keep their entryUUIDs: to the change feed they left the scope, as an ACL that
    // hides ou=groups or a reorganisation would make them.
    auto moveGroups = [&](const std::string& from, const std::string& to) {
        std::string ldif;
        for (int g = 0; g < kGroups; ++g)
            ldif += "dn: cn=" + groupName(g) + "," + from + "\nchangetype: modrdn\nnewrdn: cn=" + groupName(g) +
                    "\ndeleteoldrdn: 1\nnewsuperior: " + to + "\n\n";
        env.ldap.modify(ldif);
    };
    moveGroups(SlapdServer::kGroups, "ou=services,dc=example,dc=com");
    auto r = env.run();
    INFO(r.body);
    CHECK(r.status == 409);
    CHECK(r.json()["status"] == "refused");
    CHECK(r.json()["detail"].get<std::string>().find("no groups") != std::string::npos);
    CHECK(r.json()["applied"]["groups_deactivated"] == 0);
    CHECK(env.changeEvents() == 0);
    CHECK(env.events("sync.failed") == 1);
    CHECK(env.scalar("SELECT count(*) FROM groups WHERE source = 'ldap' AND active = 1") == kGroups);
    CHECK(env.scalar("SELECT count(*) FROM group_members") == FaultEnv::memberships());

    moveGroups("ou=services,dc=example,dc=com", SlapdServer::kGroups);
    auto recovered = env.runOk();
    INFO(recovered.dump());
    CHECK(recovered["status"] == "succeeded");
    env.checkMirrors();
    CHECK(env.changeEvents() == 0);
    // And the feed moved on: the next run reads changes only and finds none.
    auto after = env.runOk();
    CHECK(after["mode"] == "incremental");
    CHECK(env.changeEvents() == 0);
}
