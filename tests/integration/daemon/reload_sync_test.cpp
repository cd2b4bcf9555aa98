// Reloading [sync] in-process: the next run's settings and the schedule change, and a bad value
// is refused with the running settings kept.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "reload_fixture.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// Polls the sync status until a run with `trigger` shows up; the scheduler thread runs it.
nlohmann::json waitForRun(const HttpClient& c, const std::string& token, const std::string& trigger) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        auto status = syncStatus(c, token);
        for (const auto& run : status["runs"])
            if (run.value("trigger", "") == trigger && run.value("status", "") != "running") return run;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("no " << trigger << " sync run within 20 s");
    return {};
}

/// Whether the systemd status line comes to contain `text` within 5 s: the run listener
/// publishes it after the run is recorded, so it may trail the run the API already shows.
bool statusLineShows(daemon::App& app, const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (app.notifier().statusLine().find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace

TEST_CASE("reload [sync]: new interval and thresholds show in the status; scheduled runs switch on") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif(
                          {{"ann", "Ann", "ann@corp.example", "pw"}, {"bob", "Bob", "bob@corp.example", "pw"}}, {})});
    TestServer s(db::Driver::Sqlite, ldapSettings(ldap));
    auto c = s.client();
    std::string admin = firstAdmin(c);

    auto before = syncStatus(c, admin)["config"];
    CHECK(before["interval_seconds"] == 0);
    CHECK(before["max_deactivations"] == 500);
    CHECK(before["max_deactivation_percent"] == 100);
    CHECK(syncStatus(c, admin)["runs"].empty());  // interval 0: the scheduler is paused

    auto settings = ldapSettings(
        ldap, {{"sync.interval", "10m"}, {"sync.max_deactivations", "7"}, {"sync.max_deactivation_percent", "25"}});
    REQUIRE(s.app().reload(reloadConfig(s, settings)));
    auto after = syncStatus(c, admin)["config"];
    CHECK(after["interval_seconds"] == 600);
    CHECK(after["max_deactivations"] == 7);
    CHECK(after["max_deactivation_percent"] == 25);
    CHECK(s.app().syncService().config().maxDeactivations == 7);

    // The schedule was off since start-up, so the first scheduled run is due at once.
    auto run = waitForRun(c, admin, "schedule");
    CHECK(run["status"] == "succeeded");
    CHECK(run["counts"]["users_created"] == 2);
    CHECK(statusLineShows(s.app(), "last sync succeeded at "));

    SECTION("a value out of range is refused and the running settings stay") {
        daemon::Config bad = reloadConfig(s, settings);
        bad.sync.maxDeactivations = 1;
        bad.sync.maxDeactivationPercent = 150;
        CHECK_FALSE(s.app().reload(bad));
        CHECK(s.app().notifier().statusLine().find(
                  "last reload rejected: sync.max_deactivation_percent: must be between 0 and 100") !=
              std::string::npos);
        bad = reloadConfig(s, settings);
        bad.sync.interval = std::chrono::milliseconds(-1);
        CHECK_FALSE(s.app().reload(bad));
        auto kept = syncStatus(c, admin)["config"];
        CHECK(kept["interval_seconds"] == 600);
        CHECK(kept["max_deactivations"] == 7);
        CHECK(kept["max_deactivation_percent"] == 25);
        CHECK(s.app().config()->sync.maxDeactivations == 7);
    }
    SECTION("the new threshold decides the next run") {
        ldap.remove(userDn("ann"));
        ldap.remove(userDn("bob"));
        settings["sync.max_deactivations"] = "1";
        settings["sync.max_deactivation_percent"] = "100";
        REQUIRE(s.app().reload(reloadConfig(s, settings)));
        auto r = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
        INFO(r.body);
        CHECK(r.status == 409);
        CHECK(r.json()["status"] == "refused");
        CHECK(s.app().notifier().statusLine().find("last sync refused at ") != std::string::npos);
        CHECK(s.app().notifier().statusLine().find("more than max_deactivations = 1") != std::string::npos);
        settings["sync.max_deactivations"] = "2";
        REQUIRE(s.app().reload(reloadConfig(s, settings)));
        r = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
        INFO(r.body);
        REQUIRE(r.status == 200);
        CHECK(r.json()["status"] == "succeeded");
        CHECK(r.json()["counts"]["users_deactivated"] == 2);
    }
}
