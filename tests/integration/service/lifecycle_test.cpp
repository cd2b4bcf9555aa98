// rosterd under a (simulated) service manager: the sd_notify messages, their order, and what the
// daemon does on SIGHUP and SIGTERM.
#include <signal.h>
#include <time.h>

#include <catch2/catch.hpp>

#include "db/store.h"
#include "service_daemon.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
unsigned long long monotonicUsec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<unsigned long long>(ts.tv_sec) * 1'000'000ULL +
           static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
}
}  // namespace

TEST_CASE("READY=1 comes once migrations ran and the port answers; WATCHDOG=1 follows") {
    ServiceDaemon d;
    std::string ready = d.startReady();
    // No retry: by the time READY=1 is sent the socket listens and the store is ready.
    auto r = d.client().get("/readyz");
    CHECK(r.status == 200);
    CHECK(fieldOf(ready, "STATUS") == "serving on 127.0.0.1:" + std::to_string(d.port()));
    {
        auto store = db::Store::open(db::StoreConfig{"sqlite://" + d.dir() + "/rosterd.db"});
        CHECK(store->migrate().empty());  // the daemon applied them all before READY=1
    }
    d.notify().waitFor("WATCHDOG=1");
    d.notify().waitFor("WATCHDOG=1");
    const auto& all = d.notify().received();
    int readyAt = d.notify().indexOf("READY=1");
    CHECK(d.notify().indexOf("WATCHDOG=1") > readyAt);
    CHECK(d.notify().indexOf("READY=1", static_cast<std::size_t>(readyAt) + 1) == -1);
    for (const auto& m : all) CHECK_FALSE(hasLine(m, "STOPPING=1"));
    CHECK(d.log().find("watchdog enabled: keep-alive every 200 ms") != std::string::npos);
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
}

TEST_CASE(
    "SIGHUP with a changed config: RELOADING=1 with MONOTONIC_USEC, then READY=1; the log level applies at once") {
    ServiceDaemon d;
    d.startReady();
    REQUIRE(d.client().get("/healthz").status == 200);
    CHECK(d.log().find("GET /healthz -> 200") == std::string::npos);  // info level: no request lines

    d.writeConfig(d.configText("debug"));
    auto before = monotonicUsec();
    d.process().signal(SIGHUP);
    std::string reloading = d.notify().waitFor("RELOADING=1");
    auto usec = std::stoull(fieldOf(reloading, "MONOTONIC_USEC"));
    CHECK(usec >= before);
    CHECK(usec <= monotonicUsec());
    int reloadingAt = d.notify().indexOf("RELOADING=1");
    d.notify().waitFor("READY=1");
    int readyAgainAt = d.notify().indexOf("READY=1", static_cast<std::size_t>(reloadingAt));
    CHECK(readyAgainAt > reloadingAt);

    CHECK(d.waitForLog("log level is now debug"));
    CHECK(d.waitForLog("configuration reloaded from " + d.dir() + "/rosterd.ini"));
    CHECK(d.client().get("/api/v1/nothing-here").status == 404);
    CHECK(d.waitForLog("GET /api/v1/nothing-here -> 404"));
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
}

TEST_CASE("SIGHUP with an invalid config keeps the running one, says why and goes on serving") {
    ServiceDaemon d;
    d.startReady();

    SECTION("an unknown key") {
        d.writeConfig(d.configText("debug", "[sync]\nintervall = 5m\n"));
        d.process().signal(SIGHUP);
        d.notify().waitFor("RELOADING=1");
        std::string ready = d.notify().waitFor("READY=1");
        CHECK(fieldOf(ready, "STATUS").find("last reload rejected: sync.intervall: unknown key") != std::string::npos);
        CHECK(d.waitForLog(
            "configuration reload rejected, keeping the running configuration: sync.intervall: unknown key"));
    }
    SECTION("a bad value") {
        d.writeConfig(d.configText("loud"));
        d.process().signal(SIGHUP);
        d.notify().waitFor("RELOADING=1");
        d.notify().waitFor("READY=1");
        CHECK(d.waitForLog(
            "configuration reload rejected, keeping the running configuration: log.level: 'loud' is not one of"));
    }
    // The debug level in the rejected file was not applied: still no request lines.
    CHECK(d.client().get("/api/v1/nothing-here").status == 404);
    CHECK(d.client().get("/readyz").status == 200);
    CHECK(d.log().find("log level is now") == std::string::npos);
    CHECK(d.log().find("GET /api/v1/nothing-here") == std::string::npos);

    // A good file afterwards is taken, and the rejection disappears from the status.
    d.writeConfig(d.configText("debug"));
    d.process().signal(SIGHUP);
    std::size_t seen = d.notify().received().size();
    d.notify().waitFor("READY=1");
    CHECK(d.waitForLog("log level is now debug"));
    CHECK(fieldOf(d.notify().received().back(), "STATUS").find("rejected") == std::string::npos);
    CHECK(d.notify().received().size() > seen);
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
}

TEST_CASE("SIGHUP: settings that need a restart are named and keep their running value") {
    ServiceDaemon d;
    d.startReady();
    std::string text = d.configText("info");
    auto at = text.find("127.0.0.1:" + std::to_string(d.port()));
    text.replace(at, std::string("127.0.0.1:" + std::to_string(d.port())).size(),
                 "127.0.0.1:" + std::to_string(freePort()));
    d.writeConfig(text);
    d.process().signal(SIGHUP);
    d.notify().waitFor("RELOADING=1");
    d.notify().waitFor("READY=1");
    CHECK(d.waitForLog("server.listen changed; it takes effect after a restart"));
    CHECK(d.client().get("/healthz").status == 200);  // still on the old port
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
}

TEST_CASE("SIGTERM: STOPPING=1, a clean stop, exit 0") {
    ServiceDaemon d;
    d.startReady();
    d.process().signal(SIGTERM);
    std::string stopping = d.notify().waitFor("STOPPING=1");
    CHECK(d.process().wait(20000) == 0);
    CHECK(d.log().find("SIGTERM received, shutting down") != std::string::npos);
    CHECK(d.log().find("stopped") != std::string::npos);
    CHECK(d.notify().indexOf("STOPPING=1") > d.notify().indexOf("READY=1"));
}

TEST_CASE("without NOTIFY_SOCKET the daemon simply runs") {
    DaemonOptions o;
    o.notify = false;
    ServiceDaemon d(o);
    d.start();
    bool up = false;
    for (int i = 0; i < 400 && !up; ++i) {
        try {
            up = d.client().get("/readyz").status == 200;
        } catch (const std::exception&) {
            struct timespec ts {
                0, 50'000'000
            };
            nanosleep(&ts, nullptr);
        }
    }
    REQUIRE(up);
    d.process().signal(SIGHUP);
    CHECK(d.waitForLog("configuration reloaded"));
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
    CHECK(d.notify().received().empty());
    CHECK(d.log().find("watchdog enabled") == std::string::npos);  // WATCHDOG_USEC without a socket is moot
}
