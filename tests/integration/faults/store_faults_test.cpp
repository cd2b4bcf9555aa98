// Store faults mid-apply on both stores (a failing trigger stands for the store going away: it
// fails the same statements at the same point on either driver), and what the run record, the
// API and the next start of rosterd make of them.
#include <catch2/catch.hpp>
#include <optional>

#include "fault_env.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace rosterd::test::faults;

namespace {

// Makes every write to `table` (INSERT or UPDATE) fail from now on.
void failWrites(FaultEnv& env, const std::string& table, const std::string& op) {
    const std::string trigger = "injected_" + table;
    if (env.server.driver() == db::Driver::Postgres)
        env.exec(
            "CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'injected store failure'; END $$; "
            "CREATE TRIGGER " +
            trigger + " BEFORE " + op + " ON " + table + " FOR EACH ROW EXECUTE FUNCTION injected_failure()");
    else
        env.exec("CREATE TRIGGER " + trigger + " BEFORE " + op + " ON " + table +
                 " BEGIN SELECT RAISE(ABORT, 'injected store failure'); END");
}

void healWrites(FaultEnv& env, const std::string& table) {
    env.exec("DROP TRIGGER injected_" + table + (env.server.driver() == db::Driver::Postgres ? " ON " + table : ""));
}

}  // namespace

TEST_CASE("faults: a store failure mid-apply reports what was applied apart from what was planned") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    FaultEnv env(driver);
    env.runOk();
    env.remember();
    env.mark();

    changeDirectory(env);
    failWrites(env, "group_members", "INSERT");
    auto r = env.run();
    INFO(r.body);
    CHECK(r.status == 502);
    auto body = r.json();
    CHECK(body["status"] == "failed");
    CHECK(body["planned"]["users_updated"] == kRenamed);
    CHECK(body["planned"]["members_added"] == kJoined);
    CHECK(body["applied"]["users_updated"] == kRenamed);
    CHECK(body["applied"]["members_added"] == 0);
    CHECK(body["counts"]["members_added"] == 0);  // counts are what changed
    auto recorded = env.lastRun();
    CHECK(recorded["status"] == "failed");
    CHECK(recorded["applied"] == body["applied"]);
    CHECK(recorded["planned"] == body["planned"]);
    CHECK(env.events("user.updated") == kRenamed);
    CHECK(env.events("group.members_changed") == 0);

    healWrites(env, "group_members");
    auto again = env.runOk();
    CHECK(again["counts"]["users_updated"] == 0);
    CHECK(again["counts"]["members_added"] == kJoined);
    CHECK(env.scalar("SELECT count(*) FROM group_members") == FaultEnv::memberships() + kJoined);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE name LIKE 'Renamed %'") == kRenamed);
    CHECK(env.events("user.updated") == kRenamed);
    CHECK(env.events("group.members_changed") == 1);
    CHECK(env.changeEvents() == kRenamed + 1);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == kUsers);
    CHECK(env.text("SELECT description FROM groups WHERE name = 'g07'") == "set by the admin");
}

TEST_CASE("faults: a run whose holder is gone becomes interrupted, with what it committed, at the next run or start") {
    auto driver = GENERATE(allDrivers());
    auto when = GENERATE(std::string("next run"), std::string("start-up"));
    INFO(db::driverName(driver) << " " << when);
    std::optional<FaultEnv> env(std::in_place, driver);
    env->runOk();
    env->remember();
    env->mark();

    // The store goes away mid-apply: the memberships fail, and so does recording the outcome,
    // which leaves the row as a killed process would.
    changeDirectory(*env);
    failWrites(*env, "group_members", "INSERT");
    failWrites(*env, "sync_runs", "UPDATE OF status");
    auto r = env->run();
    INFO(r.body);
    CHECK(r.status == 502);
    const std::string runId = r.json()["id"];
    auto left = env->lastRun();
    CHECK(left["status"] == "running");
    CHECK(left["counts"]["users_updated"] == kRenamed);  // what has committed, even now
    healWrites(*env, "group_members");
    healWrites(*env, "sync_runs");

    if (when == "start-up") {
        // rosterd starts again on the same database (and directory).
        const std::string url = env->server.databaseUrl();
        auto settings = slapdSettings(env->ldap, {{"sync.interval", "0"}});
        TestServer again(driver, settings, url);
        auto client = again.client();
        auto token =
            client.post("/api/v1/auths/signin", {{"email", "admin@local.example"}, {"password", "correct horse"}})
                .json()
                .at("token")
                .get<std::string>();
        auto status = client.get("/api/v1/sync/status", token).json();
        INFO(status.dump());
        CHECK(status["current"]["running"] == false);
        REQUIRE(status["runs"].size() >= 1);
        CHECK(status["runs"][0]["id"] == runId);
        CHECK(status["runs"][0]["status"] == "interrupted");
        CHECK(status["runs"][0]["counts"]["users_updated"] == kRenamed);
        CHECK(status["runs"][0]["counts"].value("members_added", 0) == 0);
        CHECK(status["runs"][0]["planned"]["members_added"] == kJoined);
        CHECK(status["runs"][0]["finished_at"].is_number());
        return;
    }

    env->mark();
    auto next = env->runOk();
    CHECK(next["counts"]["members_added"] == kJoined);
    CHECK(next["counts"]["users_updated"] == 0);
    auto history = env->client.get("/api/v1/sync/status?limit=2", env->admin).json();
    INFO(history.dump());
    CHECK(history["current"]["running"] == false);
    REQUIRE(history["runs"].size() == 2);
    CHECK(history["runs"][1]["id"] == runId);
    CHECK(history["runs"][1]["status"] == "interrupted");
    CHECK(history["runs"][1]["counts"]["users_updated"] == kRenamed);
    CHECK(history["runs"][1]["error"].get<std::string>().find("interrupted") != std::string::npos);
    // One sync.failed for the interrupted run, carrying its counts; one sync.completed.
    CHECK(env->events("sync.failed") == 1);
    auto failed = nlohmann::json::parse(
        env->text("SELECT payload FROM outbox WHERE type = 'sync.failed' ORDER BY seq DESC LIMIT 1"));
    CHECK(failed["status"] == "interrupted");
    CHECK(failed["run_id"] == runId);
    CHECK(failed["counts"]["users_updated"] == kRenamed);
    CHECK(env->events("user.updated") == 0);
    CHECK(env->scalar("SELECT count(*) FROM group_members") == FaultEnv::memberships() + kJoined);
}
