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

TEST_CASE("faults: incremental mode, slapd killed during the read of the changes, or a misspelt base") {
    auto driver = GENERATE(allDrivers());
    // Not yet covered: slapd paused during the read of the changes (libldap's refreshOnly loop
    // waits past [ldap] timeout there).
    auto fault = GENERATE(std::string("killed"), std::string("misspelt base"));
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
    CHECK(env.changeEvents() == 0);
    CHECK(env.events("sync.failed") == 1);

    if (fault == "misspelt base") env.reload({{"ldap.user_base", SlapdServer::kPeople}});
    else if (fault == "killed") env.ldap.start();
    else env.ldap.resume();
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
