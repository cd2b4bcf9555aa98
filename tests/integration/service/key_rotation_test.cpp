// `rosterd keys rotate` against the configuration of a running daemon, applied by SIGHUP: no one is
// logged out, and the daemon says which key signs and until when the previous one is accepted.
#include <Poco/JWT/Token.h>

#include <catch2/catch.hpp>
#include <csignal>

#include "service_daemon.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("keys rotate with the daemon's --config, then SIGHUP: the old token works, new ones name the new key") {
    ServiceDaemon d;
    d.startReady();
    auto c = d.client();
    const std::string before = signupAda(c);
    const std::string oldKid = Poco::JWT::Token(before).header().getValue<std::string>("kid");

    auto rotated = runCommand({ROSTERD_BINARY, "--config", d.dir() + "/rosterd.ini", "keys", "rotate"});
    INFO(rotated.output);
    REQUIRE(rotated.exitCode == 0);
    CHECK(rotated.output.find(d.dir() + "/jwt_secret.previous") != std::string::npos);
    d.notify().skipPending();
    d.process().signal(SIGHUP);
    d.notify().waitFor("READY=1");
    REQUIRE(d.waitForLog("; the previous key " + oldKid + " is accepted until "));

    CHECK(c.get("/api/v1/auths/", before).status == 200);
    auto again = c.post("/api/v1/auths/signin", {{"email", "ada@example.com"}, {"password", "correct horse"}});
    REQUIRE(again.status == 200);
    const std::string after = again.json()["token"];
    CHECK(Poco::JWT::Token(after).header().getValue<std::string>("kid") != oldKid);
    CHECK(c.get("/api/v1/auths/", after).status == 200);
}
