// rosterd killed (SIGKILL) in the middle of a sync run, as the service manager or the OOM killer
// would: the run it leaves behind is found by the next start and recorded as interrupted, and the
// next run brings the store level with the directory. The directory is paused while rosterd reads
// it, so the kill lands mid-read every time.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "service_daemon.h"
#include "support/postgres_server.h"
#include "support/slapd_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

constexpr int kPeople = 150;

std::string directoryIni(const SlapdServer& slapd) {
    // A timeout longer than the test's pause, so the read is still waiting when rosterd is killed.
    return std::string("[ldap]\nenabled = true\nurl = ") + slapd.url() + "\nbind_dn = " + SlapdServer::kServiceDn +
           "\nbind_password_file = " + slapd.servicePasswordFile() + "\nuser_base = " + SlapdServer::kPeople +
           "\ngroup_base = " + SlapdServer::kGroups + "\ntimeout = 60s\n[sync]\ninterval = 0\n";
}

std::string signIn(const HttpClient& c) {
    auto r = c.post("/api/v1/auths/signin", {{"email", "admin@local.example"}, {"password", "correct horse"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json()["token"];
}

// kPeople people, two of them in "staff".
std::string directoryLdif() {
    std::vector<DirectoryUser> people;
    for (int i = 0; i < kPeople; ++i) {
        const std::string n = std::to_string(i);
        people.push_back({"p" + n, "Person " + n, "p" + n + "@corp.example", "pw"});
    }
    return peopleAndGroupsLdif(people, {{"staff", {"p0", "p1"}}});
}

// Starts the daemon, waits until it is ready and signs up the first admin; returns its token.
std::string startWithAdmin(ServiceDaemon& d) {
    d.startReady();
    auto r = d.client().post("/api/v1/auths/signup",
                             {{"name", "Admin"}, {"email", "admin@local.example"}, {"password", "correct horse"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json()["token"];
}

/// A run is under way and its record is committed (the in-memory flag alone can come a moment
/// before the store's row, and a kill in between leaves nothing to find).
bool runInProgress(const HttpClient& c, const std::string& token) {
    auto r = c.get("/api/v1/sync/status", token);
    if (r.status != 200) return false;
    auto status = r.json();
    if (!status["current"].value("running", false)) return false;
    for (const auto& run : status["runs"]) {
        if (run.value("status", "") == "running") return true;
    }
    return false;
}

}  // namespace

TEST_CASE("rosterd killed mid-read: the next start records the run as interrupted and the next run recovers") {
    const bool postgres = GENERATE(false, true);
    INFO((postgres ? "postgresql" : "sqlite"));
    SlapdServer ldap({.ldif = directoryLdif()});

    DaemonOptions first;
    if (postgres) first.databaseUrl = PostgresServer::instance().freshDatabaseUrl();
    first.extraConfig = directoryIni(ldap);
    ServiceDaemon killed(first);
    const std::string admin = startWithAdmin(killed);
    auto c = killed.client();

    ldap.pause();
    std::thread caller([c, admin] {
        try {
            c.post("/api/v1/sync/run", nlohmann::json::object(), admin);  // answered by no one: rosterd dies
        } catch (...) {
        }
    });
    bool started = false;
    for (int i = 0; i < 200 && !started; ++i) {
        started = runInProgress(c, admin);
        if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    CHECK(started);
    killed.process().signal(SIGKILL);
    CHECK(killed.process().wait(10000) == 128 + SIGKILL);
    caller.join();
    ldap.resume();

    // rosterd starts again on the same store.
    DaemonOptions second = first;
    if (!postgres) second.databaseUrl = "sqlite://" + killed.dir() + "/rosterd.db";
    ServiceDaemon again(second);
    again.startReady();
    auto c2 = again.client();
    const std::string token = signIn(c2);
    auto status = c2.get("/api/v1/sync/status?limit=5", token).json();
    INFO(status.dump());
    CHECK(status["current"]["running"] == false);
    REQUIRE(status["runs"].size() == 1);
    CHECK(status["runs"][0]["status"] == "interrupted");
    CHECK(status["runs"][0]["finished_at"].is_number());
    CHECK(status["runs"][0]["error"].get<std::string>().find("interrupted") != std::string::npos);
    CHECK(status["runs"][0]["counts"].value("users_created", 0) == 0);  // killed before any write

    auto run = c2.post("/api/v1/sync/run", nlohmann::json::object(), token);
    INFO(run.body);
    REQUIRE(run.status == 200);
    CHECK(run.json()["counts"]["users_created"] == kPeople);
    auto after = c2.get("/api/v1/sync/status?limit=5", token).json();
    REQUIRE(after["runs"].size() == 2);
    CHECK(after["runs"][0]["status"] == "succeeded");
    CHECK(after["runs"][1]["status"] == "interrupted");
}

TEST_CASE("rosterd killed mid-apply (PostgreSQL): the next start records what committed, the next run the rest") {
    SlapdServer ldap({.ldif = directoryLdif()});
    auto& pg = PostgresServer::instance();
    DaemonOptions options;
    options.databaseUrl = pg.freshDatabaseUrl();
    options.extraConfig = directoryIni(ldap);
    const std::string database = options.databaseUrl.substr(options.databaseUrl.rfind('/') + 1);
    ServiceDaemon killed(options);
    const std::string admin = startWithAdmin(killed);
    auto c = killed.client();
    // The apply commits the users, then waits at the first membership: rosterd is killed there,
    // with that transaction open (the server rolls it back when it finds the client gone).
    pg.psql(database,
            "CREATE FUNCTION held_here() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(3); RETURN NEW; END $$; "
            "CREATE TRIGGER held_here BEFORE INSERT ON group_members FOR EACH ROW EXECUTE FUNCTION held_here()");
    std::thread caller([c, admin] {
        try {
            c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
        } catch (...) {
        }
    });
    bool held = false;
    for (int i = 0; i < 400 && !held; ++i) {
        held = pg.psql(database, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == "1\n";
        if (!held) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    REQUIRE(held);
    killed.process().signal(SIGKILL);
    CHECK(killed.process().wait(10000) == 128 + SIGKILL);
    caller.join();
    // Waits for the orphaned session to give up its transaction and locks.
    pg.psql(database, "DROP TRIGGER held_here ON group_members; DROP FUNCTION held_here()");
    CHECK(pg.psql(database, "SELECT count(*) FROM group_members") == "0\n");  // nothing half-applied

    ServiceDaemon again(options);
    again.startReady();
    auto c2 = again.client();
    const std::string token = signIn(c2);
    auto status = c2.get("/api/v1/sync/status?limit=5", token).json();
    INFO(status.dump());
    CHECK(status["current"]["running"] == false);
    REQUIRE(status["runs"].size() == 1);
    CHECK(status["runs"][0]["status"] == "interrupted");
    CHECK(status["runs"][0]["counts"]["users_created"] == kPeople);  // what committed before the kill
    CHECK(status["runs"][0]["counts"].value("members_added", 0) == 0);

    auto run = c2.post("/api/v1/sync/run", nlohmann::json::object(), token);
    INFO(run.body);
    REQUIRE(run.status == 200);
    CHECK(run.json()["counts"].value("users_created", 0) == 0);
    CHECK(run.json()["counts"]["members_added"] == 2);
    CHECK(pg.psql(database, "SELECT count(*) FROM users WHERE source = 'ldap'") == std::to_string(kPeople) + "\n");
}
