// PostgreSQL really stopped in the middle of an apply (pg_ctl stop -m immediate, as a crash
// would): the run cannot even record its own end, so the record must be made honest afterwards,
// nothing may be half-applied, and one recovery run brings the store level with the directory.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "fault_env.h"
#include "support/postgres_server.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace rosterd::test::faults;

namespace {

// Whether a session of the server is asleep inside the membership trigger.
bool applyIsHeld(const std::string& database) {
    return PostgresServer::instance().psql(
               database, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == "1\n";
}

}  // namespace

TEST_CASE("faults: PostgreSQL stopped mid-apply; the run is recorded as interrupted with what committed") {
    FaultEnv env(db::Driver::Postgres);
    env.runOk();
    env.remember();
    env.mark();
    const std::string database = env.server.databaseUrl().substr(env.server.databaseUrl().rfind('/') + 1);

    changeDirectory(env);
    // The apply commits the user updates, then stops at the first membership: the server is
    // stopped while it waits there, with a transaction open.
    env.exec(
        "CREATE FUNCTION held_here() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$; "
        "CREATE TRIGGER held_here BEFORE INSERT ON group_members FOR EACH ROW EXECUTE FUNCTION held_here()");

    auto running = std::async(std::launch::async, [&] { return env.run(); });
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!applyIsHeld(database)) {
        REQUIRE(std::chrono::steady_clock::now() < giveUp);
        REQUIRE(running.wait_for(std::chrono::milliseconds(20)) == std::future_status::timeout);
    }
    // The test server commits asynchronously (synchronous_commit=off), which a production server
    // does not: a checkpoint makes what committed durable, as it would be there.
    PostgresServer::instance().psql(database, "CHECKPOINT");
    PostgresServer::instance().crash();
    auto r = running.get();
    INFO(r.body);
    CHECK(r.status >= 500);
    PostgresServer::instance().start();
    // The first use of each pooled session finds it cut; the store drops them all and reconnects.
    try {
        env.scalar("SELECT 1");
    } catch (const std::exception&) {
    }
    env.exec("DROP TRIGGER held_here ON group_members; DROP FUNCTION held_here()");

    // Nothing half-applied: the user updates committed, no membership did.
    CHECK(env.scalar("SELECT count(*) FROM users WHERE name LIKE 'Renamed %'") == kRenamed);
    CHECK(env.scalar("SELECT count(*) FROM group_members") == FaultEnv::memberships());
    CHECK(env.events("user.updated") == kRenamed);
    CHECK(env.events("group.members_changed") == 0);

    auto recovered = env.runOk();
    INFO(recovered.dump());
    CHECK(recovered["counts"]["members_added"] == kJoined);
    CHECK(recovered["counts"]["users_updated"] == 0);
    auto history = env.client.get("/api/v1/sync/status?limit=2", env.admin).json();
    INFO(history.dump());
    CHECK(history["current"]["running"] == false);
    REQUIRE(history["runs"].size() == 2);
    auto interrupted = history["runs"][1];
    CHECK(interrupted["status"] == "interrupted");
    CHECK(interrupted["counts"]["users_updated"] == kRenamed);
    CHECK(interrupted["counts"].value("members_added", 0) == 0);
    CHECK(interrupted["planned"]["members_added"] == kJoined);
    CHECK(interrupted["finished_at"].is_number());

    // The store equals the directory; one event per real change, one sync.failed for the run.
    CHECK(env.scalar("SELECT count(*) FROM group_members") == FaultEnv::memberships() + kJoined);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == kUsers);
    CHECK(env.scalar("SELECT count(*) FROM groups WHERE source = 'ldap' AND active = 1") == kGroups);
    CHECK(env.text("SELECT description FROM groups WHERE name = 'g07'") == "set by the admin");
    CHECK(env.events("user.updated") == kRenamed);
    CHECK(env.events("group.members_changed") == 1);
    CHECK(env.changeEvents() == kRenamed + 1);
    CHECK(env.events("sync.failed") == 1);
}
