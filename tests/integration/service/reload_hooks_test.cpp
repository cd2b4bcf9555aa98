// SIGHUP reaches the parts that registered a reload hook (webhook endpoints), validates the whole
// file first, and does not disturb a request in flight.
#include <signal.h>

#include <catch2/catch.hpp>

#include "service_daemon.h"
#include "slow_request.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
std::vector<std::string> endpointNames(const HttpClient& c, const std::string& token) {
    auto r = c.get("/api/v1/webhooks/", token);
    REQUIRE(r.status == 200);
    std::vector<std::string> names;
    for (const auto& e : r.json())
        if (e.value("configured", false)) names.push_back(e["name"]);
    return names;
}
}  // namespace

TEST_CASE("SIGHUP applies new webhook endpoints, rejects a bad one whole, and keeps a request in flight") {
    ServiceDaemon d;
    d.startReady();
    auto c = d.client();
    std::string token = signupAda(c);
    CHECK(endpointNames(c, token).empty());

    // A request is being received while the reload happens.
    SlowRequest slow(d.port(), "/api/v1/auths/signin", R"({"email":"ada@example.com","password":"correct horse"})", 7);
    REQUIRE(waitForInFlight(c, 2));

    d.writeConfig(d.configText("info", "[webhook.chat]\nurl = http://127.0.0.1:9/hook\nformat = slack\n"));
    d.process().signal(SIGHUP);
    d.notify().waitFor("RELOADING=1");
    d.notify().waitFor("READY=1");
    CHECK(endpointNames(c, token) == std::vector<std::string>{"chat"});
    CHECK(d.waitForLog("webhooks: reloaded, 1 endpoint(s) configured"));

    std::string response = slow.finish();
    INFO(response);
    CHECK(response.rfind("HTTP/1.1 200", 0) == 0);  // signed in, across the reload
    CHECK(response.find("\"token\"") != std::string::npos);

    // A bad endpoint rejects the whole file: the log level in it is not applied either.
    d.writeConfig(d.configText("debug", "[webhook.chat]\nurl = ftp://127.0.0.1/hook\nformat = slack\n"));
    d.process().signal(SIGHUP);
    d.notify().waitFor("RELOADING=1");
    std::string ready = d.notify().waitFor("READY=1");
    CHECK(
        fieldOf(ready, "STATUS").find("last reload rejected: webhook.chat.url: must start with http:// or https://") !=
        std::string::npos);
    CHECK(endpointNames(c, token) == std::vector<std::string>{"chat"});
    CHECK(d.log().find("log level is now debug") == std::string::npos);

    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
}
