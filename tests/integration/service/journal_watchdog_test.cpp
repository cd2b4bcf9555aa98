// Log format under journald, and the watchdog withholding keep-alives while the store is away.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "service_daemon.h"
#include "support/postgres_server.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("under journald (JOURNAL_STREAM names stderr) lines carry <N> priorities and no timestamp") {
    ServiceDaemon d;
    struct stat st {};
    REQUIRE(stat(d.logPath().c_str(), &st) == 0);
    d.addEnv("JOURNAL_STREAM=" + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino));
    d.startReady();
    d.writeConfig(d.configText("info", "[log]\nlevl = x\n"));  // rejected: an error line
    d.process().signal(SIGHUP);
    d.notify().waitFor("RELOADING=1");
    d.notify().waitFor("READY=1");
    d.process().signal(SIGTERM);
    REQUIRE(d.process().wait(20000) == 0);

    std::string log = d.log();
    INFO(log);
    CHECK(log.find("<6>applied migration 0001_core\n") != std::string::npos);
    CHECK(log.find("<3>configuration reload rejected") != std::string::npos);
    CHECK(log.find("<6>stopped\n") != std::string::npos);
    std::istringstream in(log);
    std::string line;
    static const std::regex logged("^<[0-7]>.*");
    static const std::regex stamped("^\\d{4}-\\d\\d-\\d\\d .*");
    while (std::getline(in, line)) {
        if (line.rfind("rosterd is serving on", 0) == 0) continue;  // the one stdout line
        CHECK(std::regex_match(line, logged));
        CHECK_FALSE(std::regex_search(line, stamped));
    }
}

TEST_CASE("with JOURNAL_STREAM inherited but stderr elsewhere, lines keep their timestamps") {
    ServiceDaemon d;
    d.addEnv("JOURNAL_STREAM=1:1");
    d.startReady();
    d.process().signal(SIGTERM);
    REQUIRE(d.process().wait(20000) == 0);
    static const std::regex stamped(
        "(^|\n)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} info applied migration 0001_core\n");
    CHECK(std::regex_search(d.log(), stamped));
    CHECK(d.log().find("<6>") == std::string::npos);
}

TEST_CASE("the watchdog withholds WATCHDOG=1 while the store does not respond, /readyz says why") {
    auto& pg = PostgresServer::instance();
    DaemonOptions o;
    o.databaseUrl = pg.freshDatabaseUrl();
    ServiceDaemon d(o);
    d.startReady();
    d.notify().waitFor("WATCHDOG=1");
    pg.stop();
    CHECK(d.waitForLog("watchdog keep-alive withheld: store does not respond"));
    auto ready = d.client().get("/readyz");
    CHECK(ready.status == 503);
    CHECK(ready.json()["detail"].get<std::string>().rfind("store: ", 0) == 0);
    CHECK(d.client().get("/healthz").status == 200);
    d.notify().skipPending();
    std::size_t before = d.notify().received().size();
    pg.start();
    // Keep-alives resume once the store answers again.
    d.notify().waitFor("WATCHDOG=1");
    CHECK(d.notify().indexOf("WATCHDOG=1", before) >= 0);
    CHECK(d.client().get("/readyz").status == 200);
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
}
