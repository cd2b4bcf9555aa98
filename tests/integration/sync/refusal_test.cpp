// The safety gate's refusal: it names every threshold crossed and says what to check, how to
// preview and how to force; the refused run keeps its whole plan; a scheduled run refused for the
// same plan as the run before it is recorded without a second sync.failed. Real slapd, both stores.
#include <catch2/catch.hpp>

#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"
#include "sync/sync_service.h"
#include "sync_env.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// Five people; a run may deactivate one of them, or 30% at most.
struct RefusalEnv : SyncEnv {
    explicit RefusalEnv(db::Driver driver)
        : SyncEnv(driver, {.ldif = peopleAndGroupsLdif(people({"eve"}), {})},
                  {{"sync.max_deactivations", "1"}, {"sync.max_deactivation_percent", "30"}}) {}
    sync::RunOutcome scheduled() {
        sync::RunRequest r;
        r.trigger = "schedule";
        return server.app().syncService().run(r);
    }
    std::int64_t failedEvents() { return scalar("SELECT count(*) FROM outbox WHERE type = 'sync.failed'"); }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("sync refusal: names the thresholds crossed and how to check, preview and force") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    RefusalEnv env(driver);
    REQUIRE(env.client.post("/api/v1/sync/run", nlohmann::json::object(), env.admin).status == 200);
    env.ldap.remove(userDn("ann"));
    env.ldap.remove(userDn("bob"));

    auto r = env.client.post("/api/v1/sync/run", nlohmann::json::object(), env.admin);
    INFO(r.body);
    REQUIRE(r.status == 409);
    const std::string detail = r.json()["detail"];
    CHECK(has(detail, "would deactivate or delete 2 users, more than max_deactivations = 1"));
    CHECK(has(detail, "2 of 5 directory users (40.0%), more than max_deactivation_percent = 30"));
    CHECK(has(detail, "[ldap] user_base, user_filter"));
    CHECK(has(detail, "rosterd sync --dry-run"));
    CHECK(has(detail, "\"dry_run\": true"));
    CHECK(has(detail, "rosterd sync --force"));
    CHECK(has(detail, "\"force\": true"));
    // The run record says the same, and the refused plan is there to read.
    const std::string runId = r.json()["id"];
    CHECK(has(detail, "/api/v1/sync/runs/" + runId + "/plan"));
    nlohmann::json recorded;
    const auto status = env.client.get("/api/v1/sync/status", env.admin).json();
    for (const auto& run : status["runs"])
        if (run["id"] == runId) recorded = run;
    CHECK(recorded["error"] == detail);
    CHECK(recorded["plan"]["total"] == 2);
    auto plan = env.client.get("/api/v1/sync/runs/" + runId + "/plan", env.admin).json();
    REQUIRE(plan["changes"].size() == 2);
    CHECK(plan["changes"][0]["kind"] == "users_deactivated");
    CHECK(r.json()["plan"]["total"] == 2);
}

TEST_CASE("sync refusal: a schedule refused for the same plan sends sync.failed once, a new plan again") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    RefusalEnv env(driver);
    REQUIRE(env.scheduled().status == sync::RunStatus::Succeeded);
    env.ldap.remove(userDn("ann"));
    env.ldap.remove(userDn("bob"));

    CHECK(env.scheduled().status == sync::RunStatus::Refused);
    CHECK(env.failedEvents() == 1);
    CHECK(env.scheduled().status == sync::RunStatus::Refused);
    CHECK(env.scheduled().status == sync::RunStatus::Refused);
    CHECK(env.failedEvents() == 1);  // the same plan: recorded, not announced again
    CHECK(env.scalar("SELECT count(*) FROM sync_runs WHERE status = 'refused'") == 3);

    env.ldap.remove(userDn("cid"));  // a different plan
    CHECK(env.scheduled().status == sync::RunStatus::Refused);
    CHECK(env.failedEvents() == 2);
    CHECK(env.scheduled().status == sync::RunStatus::Refused);
    CHECK(env.failedEvents() == 2);

    // A run that goes through in between: the next refusal of that plan is news again.
    auto forced = env.client.post("/api/v1/sync/run", {{"force", true}}, env.admin);
    REQUIRE(forced.status == 200);
    env.ldap.remove(userDn("dee"));
    env.ldap.remove(userDn("eve"));
    CHECK(env.scheduled().status == sync::RunStatus::Refused);
    CHECK(env.failedEvents() == 3);
    // A run asked for by hand is always announced.
    CHECK(env.client.post("/api/v1/sync/run", nlohmann::json::object(), env.admin).status == 409);
    CHECK(env.failedEvents() == 4);
}
