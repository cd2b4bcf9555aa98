// SIGTERM while a request is still being received: the daemon stops accepting, lets it finish
// (within [server] shutdown_timeout) and exits 0.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "service_daemon.h"
#include "slow_request.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("SIGTERM during a slow request lets it finish, then exits 0") {
    ServiceDaemon d;
    d.startReady();
    std::string body = R"({"email":"nobody@example.com","password":"not the password"})";
    SlowRequest slow(d.port(), "/api/v1/auths/signin", body, 10);
    REQUIRE(waitForInFlight(d.client(), 2));  // the slow one and the scrape

    d.process().signal(SIGTERM);
    d.notify().waitFor("STOPPING=1");
    CHECK(d.waitForLog("SIGTERM received, shutting down"));
    CHECK(d.process().running());  // waiting for the request

    std::string response = slow.finish();
    INFO(response);
    CHECK(response.rfind("HTTP/1.1 4", 0) == 0);  // a real answer: unknown account
    CHECK(response.find("\"detail\"") != std::string::npos);
    CHECK(d.process().wait(20000) == 0);
    CHECK(d.log().find("stopped") != std::string::npos);
}

TEST_CASE("a request that never completes delays shutdown only up to shutdown_timeout") {
    DaemonOptions o;
    o.shutdownTimeout = "1s";
    ServiceDaemon d(o);
    d.startReady();
    SlowRequest stuck(d.port(), "/api/v1/auths/signin", R"({"email":"a@example.com","password":"x"})", 5);
    REQUIRE(waitForInFlight(d.client(), 2));
    auto sent = std::chrono::steady_clock::now();
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
    auto took = std::chrono::steady_clock::now() - sent;
    CHECK(took >= std::chrono::milliseconds(900));
    CHECK(took < std::chrono::seconds(10));
}
